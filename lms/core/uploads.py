"""Checks on files users upload: images are decoded and re-encoded by Pillow, documents judged by their bytes.

An uploaded image is never stored as sent. It is opened with Pillow restricted to PNG and JPEG, its pixel count
is checked before any pixel is decoded (a decompression bomb — a few kilobytes that claim 30,000 × 30,000
pixels — is refused, whatever Pillow's process-wide limit says), it is verified, decoded, turned upright per its
EXIF orientation, shrunk to a maximum side and written again without any metadata (EXIF, GPS, XMP, comments,
text chunks). A document is accepted by its first bytes, never by its name.

Every refusal raises UploadRejected with a translated message that a form or a view can show as it is.
"""
import io
import os
import warnings

from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MEGABYTE = 1024 * 1024
MAX_UPLOAD_BYTES = 5 * MEGABYTE
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: more than any phone photo or scan at 300 dpi of an A3 page
MAX_IMAGE_SIDE = 3000  # re-encoded images are shrunk to this many pixels on their longer side
IMAGE_FORMATS = ("PNG", "JPEG")
SIGNATURES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}


class UploadRejected(ValueError):
    """An uploaded file the platform will not store; `message` is translated and safe to show."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def too_large_message(max_bytes):
    if max_bytes == 5 * MEGABYTE:
        return _("The document is too large (5 MB at most).")  # the long-standing message of declarations
    return _("The file is too large (%(size)s MB at most).") % {"size": f"{max_bytes / MEGABYTE:g}"}


def read_bounded(upload, max_bytes):
    """The upload's bytes, refused past `max_bytes` (its declared size is not trusted, the bytes read are)."""
    if getattr(upload, "size", None) is not None and upload.size > max_bytes:
        raise UploadRejected(too_large_message(max_bytes))
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise UploadRejected(too_large_message(max_bytes))
    return data


def sniff(head):
    """'pdf', 'png', 'jpg' from a file's first bytes, or None."""
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def _open(data, max_pixels):
    """Open PNG/JPEG bytes lazily, refusing a bomb from its header, before any pixel is decoded."""
    image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
    width, height = image.size
    if width < 1 or height < 1 or width * height > max_pixels:
        image.close()
        raise too_many_pixels(max_pixels)
    return image


def too_many_pixels(max_pixels):
    return UploadRejected(_("The image is too large (%(limit)s megapixels at most).")
                          % {"limit": f"{max_pixels / 1_000_000:g}"})


def _unreadable():
    return UploadRejected(_("The image cannot be read: it is damaged or is not a PNG or JPEG image."))


def image_reencode(upload, *, max_bytes=MAX_UPLOAD_BYTES, max_pixels=MAX_IMAGE_PIXELS, max_side=MAX_IMAGE_SIDE,
                   name=None):
    """A clean copy of an uploaded PNG or JPEG image, as a ContentFile ready to be saved in a FileField.

    PNG stays PNG (transparency kept, for signatures), JPEG stays JPEG; the copy carries no metadata. The copy's
    name is the upload's, made safe, with the extension of its format.
    """
    data = read_bounded(upload, max_bytes)
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check warns below twice its limit: a warning here is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(data, max_pixels) as image:
                image.verify()  # structure and checksums; the image cannot be used afterwards
            with _open(data, max_pixels) as image:
                source_format = image.format
                if source_format == "JPEG":
                    image.draft(None, (max_side, max_side))  # decode at a reduced scale when it is enough
                image.load()
                clean = ImageOps.exif_transpose(image)  # a copy, turned upright, without the orientation tag
            clean = _normalised(clean, source_format)
            clean.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            clean.info = {}  # no EXIF, XMP, ICC profile, comment or text chunk is written again
            buffer = io.BytesIO()
            if source_format == "PNG":
                clean.save(buffer, "PNG", optimize=True)
            else:
                clean.save(buffer, "JPEG", quality=88, optimize=True)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, MemoryError):
        # OSError covers truncated and corrupt data; SyntaxError is what some Pillow plugins raise on bad headers.
        raise _unreadable() from None
    output = buffer.getvalue()
    if len(output) > max_bytes:
        raise UploadRejected(too_large_message(max_bytes))
    extension = "png" if source_format == "PNG" else "jpg"
    return ContentFile(output, name=f"{safe_stem(name or getattr(upload, 'name', '') or 'image')}.{extension}")


def _normalised(image, source_format):
    """The image in a mode the output format writes faithfully (palette and 16-bit PNGs, CMYK JPEGs...)."""
    if source_format == "PNG":
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        if image.mode in ("RGBA", "RGB", "LA", "L") and "transparency" not in image.info:
            return image
        return image.convert("RGBA" if has_alpha else "RGB")
    return image if image.mode in ("RGB", "L") else image.convert("RGB")


def safe_stem(filename):
    """The file name without its directory and extension, as a short ASCII slug."""
    stem = os.path.splitext(os.path.basename(str(filename)))[0]
    return (slugify(stem) or "fichier")[:80]


def evidence_clean(upload, *, max_bytes=MAX_UPLOAD_BYTES):
    """A declaration's supporting document as it will be stored: a PDF as sent, a PNG or JPEG re-encoded.

    The type is read from the bytes; a file named .png that is something else is refused.
    """
    data = read_bounded(upload, max_bytes)
    kind = sniff(data[:16])
    if kind is None:
        raise UploadRejected(_("The document must be a PDF, PNG or JPEG file."))
    if kind == "pdf":
        return upload
    return image_reencode(upload, max_bytes=max_bytes)


ZIP_SIGNATURE = b"PK\x03\x04"  # OpenDocument and Office Open XML files are ZIP archives
BINARY_SIGNATURES = (b"%PDF-", ZIP_SIGNATURE, b"\x89PNG", b"\xff\xd8\xff", b"MZ", b"\x7fELF", b"GIF8", b"\xd0\xcf\x11\xe0")
DOCUMENT_TYPES = {"pdf": "pdf", "odt": "zip", "ods": "zip", "odp": "zip", "docx": "zip", "xlsx": "zip",
                  "pptx": "zip", "csv": "text", "txt": "text"}


def document_check(upload, *, max_bytes):
    """Refuse a document whose bytes do not match its extension (a PDF starts with %PDF-, an office file is a
    ZIP archive, a CSV or text file holds text); the extension itself is checked by the caller's whitelist."""
    extension = os.path.splitext(str(getattr(upload, "name", "")))[1].lower().lstrip(".")
    data = read_bounded(upload, max_bytes)
    expected = DOCUMENT_TYPES.get(extension)
    if expected == "pdf":
        matches = data.startswith(b"%PDF-")
    elif expected == "zip":
        matches = data.startswith(ZIP_SIGNATURE)
    elif expected == "text":
        head = data[:65536]
        matches = b"\x00" not in head and not head.startswith(BINARY_SIGNATURES)
    else:
        matches = False
    if not matches:
        raise UploadRejected(_("The content of the file does not match its type (.%(extension)s).")
                             % {"extension": extension or "?"})
