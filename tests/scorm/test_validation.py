"""The checks on an uploaded SCORM package (lms.scorm.validation): a valid SCORM 1.2 zip is described, every
hostile or wrong package is refused with a French message."""
import pytest
from django.test import override_settings

from lms.scorm.validation import PackageError, inspect_package
from tests.scorm import packages


def test_a_valid_package_is_described():
    """The manifest's title, the launch file, the mastery score and the sizes are read."""
    info = inspect_package(packages.upload(packages.sco_zip("fail")))
    assert info.title == "Les constantes vitales"
    assert info.identifier == "MANIFEST-TEST"
    assert info.launch_path == "index.html"
    assert info.mastery_score == 80
    assert info.file_count == 3
    assert info.uncompressed_size > 0


@pytest.mark.parametrize(("builder", "expected"), [
    (packages.not_a_zip, "n’est pas une archive zip"),
    (packages.no_manifest, "imsmanifest.xml"),
    (packages.traversal, "chemin qui sort du paquet"),
    (packages.absolute_path, "chemin qui sort du paquet"),
    (packages.symlink, "lien symbolique"),
    (packages.zip_bomb, "bombe"),
    (packages.href_outside, "pointe hors du paquet"),
    (packages.href_url, "pointe hors du paquet"),
    (packages.scorm_2004, "seul SCORM 1.2"),
    (packages.missing_launch_file, "n’est pas dans le paquet"),
    (packages.asset_launch, "n’est pas un SCO"),
    (packages.malformed_manifest, "XML bien formé"),
    (packages.billion_laughs, "XML bien formé"),
    (packages.duplicate_names, "deux fois"),
    (packages.lying_sizes, "endommagé"),
])
def test_hostile_or_wrong_packages_are_refused_in_french(builder, expected):
    """Each refusal says what is wrong, in French."""
    with pytest.raises(PackageError) as refused:
        inspect_package(packages.upload(builder()))
    assert expected in refused.value.message


@override_settings(SCORM_MAX_PACKAGE_BYTES=1000)
def test_a_package_too_big_is_refused():
    with pytest.raises(PackageError) as refused:
        inspect_package(packages.upload(packages.sco_zip() + b"\0" * 2000))
    assert "au plus" in refused.value.message


@override_settings(SCORM_MAX_FILES=2)
def test_too_many_files_are_refused():
    with pytest.raises(PackageError) as refused:
        inspect_package(packages.upload(packages.sco_zip()))
    assert "fichiers" in refused.value.message


@override_settings(SCORM_MAX_UNCOMPRESSED_BYTES=1000)
def test_the_uncompressed_total_is_limited():
    with pytest.raises(PackageError) as refused:
        inspect_package(packages.upload(packages.sco_zip()))
    assert "décompressé" in refused.value.message
