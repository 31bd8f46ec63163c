"""Read an uploaded zip without trusting it: a size limit on the archive, on each entry and on the whole once
uncompressed (the sizes the archive declares are not trusted, the bytes inflated are), a bounded number of entries,
no compression ratio past a zip bomb's, no path leaving the archive, no symbolic link, no encrypted entry, no entry
named twice. Every refusal raises UploadRejected with a translated message a form or a command can show.
"""
import io
import stat
import zipfile

from django.utils.translation import gettext as _

from lms.core.uploads import MEGABYTE, UploadRejected

MAX_ARCHIVE_BYTES = 50 * MEGABYTE
MAX_TOTAL_BYTES = 200 * MEGABYTE
MAX_ENTRIES = 2000
MAX_RATIO = 200  # uncompressed / compressed of one entry: text compresses ~10×, a bomb ~1000×
CHUNK = 64 * 1024


def unsafe_member_name(name):
    """Whether a zip entry's name could leave the folder it is unpacked or served from: empty, absolute, with a
    backslash, a NUL, a colon in its first part (a Windows drive) or a part that is empty, `.` or `..`.

    The one rule for every archive the platform opens (content packages here, SCORM packages in lms.scorm)."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return True
    parts = name.rstrip("/").split("/")
    return ":" in parts[0] or any(part in ("", ".", "..") for part in parts)


def is_symlink(info):
    """A Unix symbolic link entry (the high 16 bits of a zip entry's external attributes are its st_mode)."""
    return stat.S_ISLNK(info.external_attr >> 16)


def is_encrypted(info):
    """An encrypted entry (bit 0 of the entry's general purpose flags)."""
    return bool(info.flag_bits & 0x1)


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
            if unsafe_member_name(name):
                raise UploadRejected(_("The archive holds a path outside the package: %(name)s") % {"name": name[:200]})
            if is_symlink(info):
                raise UploadRejected(_("The archive holds a symbolic link, which is refused: %(name)s") % {"name": name})
            if is_encrypted(info):
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
