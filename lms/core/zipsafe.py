"""Read an uploaded zip without trusting it: a size limit on the archive, on each entry and on the whole once
uncompressed (the sizes the archive declares are not trusted, the bytes inflated are), a bounded number of entries,
no compression ratio past a zip bomb's, no path leaving the archive, no symbolic link, no encrypted entry, no entry
named twice. Every refusal raises UploadRejected with a translated message a form or a command can show.
"""
import io
import stat
import zipfile
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from lms.core.uploads import MEGABYTE, UploadRejected

MAX_ARCHIVE_BYTES = 50 * MEGABYTE
MAX_TOTAL_BYTES = 200 * MEGABYTE
MAX_ENTRIES = 2000
MAX_RATIO = 200  # uncompressed / compressed of one entry: text compresses ~10×, a bomb ~1000×
CHUNK = 64 * 1024


def _bad_name(name):
    path = PurePosixPath(name)
    return (not name or "\\" in name or "\x00" in name or name.startswith("/") or path.is_absolute()
            or ":" in path.parts[0] or any(part in ("..", "") for part in name.rstrip("/").split("/")))


def safe_zip_files(upload, *, max_archive=MAX_ARCHIVE_BYTES, max_total=MAX_TOTAL_BYTES, max_entries=MAX_ENTRIES,
                   max_ratio=MAX_RATIO) -> dict:
    """The files of the zip `upload` (a file object or bytes) as {path: bytes}, directories left out; or
    UploadRejected if the archive is not a zip or breaks one of the limits."""
    if isinstance(upload, (bytes, bytearray)):
        upload = io.BytesIO(upload)
    upload.seek(0, 2)
    if upload.tell() > max_archive:
        raise UploadRejected(_("The archive is too large (%(size)s MB at most).") % {"size": f"{max_archive / MEGABYTE:g}"})
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRejected(_("The file is not a valid zip archive.")) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > max_entries:
            raise UploadRejected(_("The archive holds too many files (%(n)s at most).") % {"n": max_entries})
        files, total = {}, 0
        for info in infos:
            name = info.filename
            if _bad_name(name):
                raise UploadRejected(_("The archive holds a path outside the package: %(name)s") % {"name": name[:200]})
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UploadRejected(_("The archive holds a symbolic link, which is refused: %(name)s") % {"name": name})
            if info.flag_bits & 0x1:
                raise UploadRejected(_("The archive holds an encrypted file, which is refused: %(name)s") % {"name": name})
            if info.is_dir():
                continue
            if name in files:
                raise UploadRejected(_("The archive holds the same file twice: %(name)s") % {"name": name})
            if info.file_size > max_ratio * max(info.compress_size, 1024) or total + info.file_size > max_total:
                raise _bomb(max_total)
            data = bytearray()
            try:
                with archive.open(info) as handle:
                    while chunk := handle.read(CHUNK):
                        data += chunk
                        # The declared size may lie: what counts is what inflates.
                        if len(data) > info.file_size or total + len(data) > max_total:
                            raise _bomb(max_total)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                raise UploadRejected(_("The archive is damaged: %(name)s cannot be read.") % {"name": name}) from None
            total += len(data)
            files[name] = bytes(data)
    return files


def _bomb(max_total):
    return UploadRejected(_("The archive expands to too much data (%(size)s MB at most once uncompressed).")
                          % {"size": f"{max_total / MEGABYTE:g}"})
