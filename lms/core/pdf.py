"""What every PDF the platform draws shares: the DejaVu fonts (French accents, the "·" of inclusive writing) and the
images a training body uploads (logo, signature), read through the storage API."""
import io
from pathlib import Path

from django.core.files.storage import default_storage
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {"DejaVu": "DejaVuSans.ttf", "DejaVu-Bold": "DejaVuSans-Bold.ttf"}


def register_fonts():
    """Register "DejaVu" and "DejaVu-Bold" with reportlab (idempotent: reportlab's registry is the only state)."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, filename in FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONTS / filename)))


def draw_stored_image(pdf, storage_name, x, y, width, height):
    """Draw the image stored under `storage_name` (local files or the bucket) in the box, keeping its proportions.

    Read at each rendering: documents are drawn once and no node keeps a copy of a file in memory. A missing or
    broken image never blocks a document (nothing is drawn)."""
    if not storage_name:
        return
    try:
        with default_storage.open(storage_name, "rb") as handle:
            reader = ImageReader(io.BytesIO(handle.read()))
        pdf.drawImage(reader, x, y, width, height, preserveAspectRatio=True, anchor="sw", mask="auto")
    except (OSError, ValueError):
        pass
