"""A track as a package another instance loads: export to a zip, import of a zip under a training body's catalogue.

The package is the content/ format (lms.catalog.exporter writes it, lms.catalog.loader reads it); an uploaded zip
is checked by lms.core.zipsafe before a byte of it is written, then validated whole by read_content and loaded in
one transaction by load_content: an invalid package writes nothing.
"""
import tempfile
from pathlib import Path

from lms.catalog.authoring import training_body_setup
from lms.catalog.exporter import track_package, write_directory, zip_bytes
from lms.catalog.loader import ContentError, load_content, read_content
from lms.core.uploads import UploadRejected
from lms.core.zipsafe import safe_zip_files

ZIP_MIMETYPE = "application/zip"


def export_filename(track):
    return f"parcours-{track.slug}.zip"


def track_zip(track):
    """(filename, mimetype, bytes) of the track's package."""
    return export_filename(track), ZIP_MIMETYPE, zip_bytes(track_package(track).files)


def _package_root(files):
    """The files with paths from the package's root: a zip of a folder holding tracks/ and modules/ works too."""
    if any(name.startswith("tracks/") for name in files):
        return files
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files):
        top = tops.pop() + "/"
        return {name[len(top):]: data for name, data in files.items()}
    return files


def read_package(upload, directory):
    """Check the zip `upload`, write its files under `directory` and validate them: the Content to load.

    Raises UploadRejected (an unsafe or unreadable archive) or ContentError (invalid content; paths are those of
    the package)."""
    files = _package_root(safe_zip_files(upload))
    if not any(name.startswith("tracks/") and name.endswith("/track.yaml") for name in files):
        raise ContentError([("tracks/", "-", "no track folder (tracks/<slug>/track.yaml)")])
    write_directory(files, directory)
    try:
        return read_content(directory)
    except ContentError as error:
        prefix = str(Path(directory)) + "/"
        raise ContentError([(file.removeprefix(prefix), fld, message) for file, fld, message in error.problems]) \
            from None


def import_package(upload, *, training_body, force=False):
    """Load the tracks of the zip `upload` under `training_body`'s catalogue (a track of the same slug is updated,
    its pages edited in the admin left alone unless `force`); the LoadReport. Nothing is written on error."""
    with tempfile.TemporaryDirectory(prefix="lms-package-") as directory:
        content = read_package(upload, directory)
        return content, load_content(content, training_body_page=training_body_setup(training_body), force=force)


__all__ = ["ContentError", "UploadRejected", "export_filename", "import_package", "read_package", "track_zip"]
