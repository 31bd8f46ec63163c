"""Issue 18, point 4: a track exports in the content/ format and the shipped curriculum round-trips through it.

"Unchanged" means: the export of each shipped track holds exactly the files of content/ that the track uses, with
the same data (YAML equal as data; a lesson's front matter equal as data and its body equal once trailing whitespace
is dropped); loading that export into another training body and exporting again gives the same bytes.
"""
import io
import zipfile
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from lms.catalog.authoring import training_body_setup
from lms.catalog.exporter import track_package, write_directory, zip_bytes
from lms.catalog.loader import load_content, read_content
from lms.catalog.models import LessonPage, TrackPage
from tests.factories import make_training_body

pytestmark = pytest.mark.django_db
CONTENT = Path(settings.BASE_DIR) / "content"
TRACKS = sorted(d.name for d in (CONTENT / "tracks").iterdir() if d.is_dir())


def _front_matter(text):
    end = text.find("\n---", 3)
    return yaml.safe_load(text[3:end]), text[end + 4:]


def _normalised(text):
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def shipped_files(track_slug):
    """The files of content/ that one track uses: its track.yaml and its modules' folders."""
    data = yaml.safe_load((CONTENT / "tracks" / track_slug / "track.yaml").read_text(encoding="utf-8"))
    paths = [f"tracks/{track_slug}/track.yaml"]
    for entry in data["modules"]:
        folder = CONTENT / "modules" / entry["module"]
        paths += [str(p.relative_to(CONTENT)) for p in sorted(folder.rglob("*")) if p.is_file()]
    return {path: (CONTENT / path).read_bytes() for path in paths}


def assert_same_content(path, shipped, exported):
    if path.endswith(".yaml"):
        assert yaml.safe_load(exported) == yaml.safe_load(shipped), path
    else:
        (front_a, body_a), (front_b, body_b) = _front_matter(shipped.decode()), _front_matter(exported.decode())
        assert front_b == front_a, path
        assert _normalised(body_b) == _normalised(body_a), path


@pytest.fixture
def loaded(django_capture_on_commit_callbacks):
    body = make_training_body(name="Institut source", slug="institut-source")
    with django_capture_on_commit_callbacks(execute=True):
        load_content(read_content(CONTENT), training_body_page=training_body_setup(body))
    return body


@pytest.mark.parametrize("track_slug", TRACKS)
def test_each_shipped_track_exports_to_its_files_in_content(loaded, track_slug):
    """The export of a shipped track holds the same files as content/ for that track, with the same data."""
    package = track_package(TrackPage.objects.get(training_body=loaded, slug=track_slug))
    expected = shipped_files(track_slug)
    assert sorted(package.files) == sorted(expected)
    for path, data in expected.items():
        assert_same_content(path, data, package.files[path])
    assert package.left_out == []


def test_an_export_loads_into_another_body_and_exports_again_to_the_same_bytes(loaded, tmp_path,
                                                                               django_capture_on_commit_callbacks):
    """Each shipped track, exported, loaded into a second training body from the zip's files and exported again,
    gives a byte-identical zip; the zip itself does not depend on the time of export."""
    other = make_training_body(name="Institut destination", slug="institut-destination")
    for track_slug in TRACKS:
        first = zip_bytes(track_package(TrackPage.objects.get(training_body=loaded, slug=track_slug)).files)
        assert zip_bytes(track_package(TrackPage.objects.get(training_body=loaded, slug=track_slug)).files) == first
        with zipfile.ZipFile(io.BytesIO(first)) as archive:
            names = archive.namelist()
            assert names == sorted(names)
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            files = {name: archive.read(name) for name in names}
        write_directory(files, tmp_path / track_slug)
        with django_capture_on_commit_callbacks(execute=True):
            load_content(read_content(tmp_path / track_slug), training_body_page=training_body_setup(other))
        copy = TrackPage.objects.get(training_body=other, slug=track_slug)
        assert copy.pk != TrackPage.objects.get(training_body=loaded, slug=track_slug).pk
        assert zip_bytes(track_package(copy).files) == first
    assert LessonPage.objects.descendant_of(TrackPage.objects.get(training_body=other, slug=TRACKS[0])).exists()
