"""Wagtail's image and document forms with our upload checks (WAGTAILIMAGES_IMAGE_FORM_BASE and
WAGTAILDOCS_DOCUMENT_FORM_BASE): a PNG or JPEG original is stored re-encoded without metadata — an author's
phone photo loses its GPS position — and a document must be what its extension says."""
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from lms.core import uploads


def _new_upload(form):
    file = form.cleaned_data.get("file")
    return file if isinstance(file, UploadedFile) else None


class BombProofImageField(WagtailImageField):
    """Wagtail's image field, answering a form error where it lets Pillow's bomb alarm escape as a 500.

    (WagtailImageField reads the size lazily, outside its own try: above twice Pillow's process-wide limit,
    DecompressionBombError reaches the view.)
    """

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except Image.DecompressionBombError:
            raise forms.ValidationError(uploads.too_many_pixels(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS).message,
                                        code="file_too_many_pixels") from None


class CheckedImageForm(BaseImageForm):
    """Wagtail has checked size, format and pixel count (WAGTAILIMAGES_*); PNG and JPEG are re-encoded here.

    GIF, WebP and AVIF, which Wagtail also accepts, are kept as sent (animations would be lost).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.fields.get("file"), WagtailImageField):
            self.fields["file"].__class__ = BombProofImageField  # same field, one method safer

    def clean_file(self):
        file = _new_upload(self)
        if file is None or getattr(getattr(file, "image", None), "format_name", None) not in ("png", "jpeg"):
            return self.cleaned_data.get("file")
        try:
            return uploads.image_reencode(
                file, max_bytes=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE, max_pixels=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS)
        except uploads.UploadRejected as error:
            raise forms.ValidationError(error.message, code="rejected_upload") from None


class CheckedDocumentForm(BaseDocumentForm):
    """Wagtail has checked the extension and the size; the bytes must match the extension."""

    def clean_file(self):
        file = _new_upload(self)
        if file is not None:
            try:
                uploads.document_check(file, max_bytes=settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
            except uploads.UploadRejected as error:
                raise forms.ValidationError(error.message, code="rejected_upload") from None
        return self.cleaned_data.get("file")
