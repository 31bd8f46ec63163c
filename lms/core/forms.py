"""Form fields and URL converters that refuse ids a database cannot hold (a huge number is a 404 or a field
error, never a 500), and upload fields that store only checked files."""
import re

from django import forms

from lms.core import uploads

ID_PATTERN = re.compile(r"^[0-9]{1,18}$")


def valid_id(value):
    return bool(ID_PATTERN.match(str(value).strip()))


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not valid_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not valid_id(item):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": item})
        return super()._check_values(value)


class IdConverter:
    """Like <int:…> but at most 18 digits, so that it always fits a 64-bit primary key."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class CheckedImageField(forms.FileField):
    """A PNG or JPEG upload whose cleaned value is its re-encoded copy (lms.core.uploads.image_reencode).

    A plain FileField underneath: Django's ImageField would decode the file once more, with Pillow's
    process-wide limits, before our own checks.
    """

    def __init__(self, *, max_side=uploads.MAX_IMAGE_SIDE, max_bytes=uploads.MAX_UPLOAD_BYTES, **kwargs):
        self.max_side, self.max_bytes = max_side, max_bytes
        super().__init__(**kwargs)

    def to_python(self, data):
        data = super().to_python(data)
        if data is None:
            return None
        try:
            return uploads.image_reencode(data, max_side=self.max_side, max_bytes=self.max_bytes)
        except uploads.UploadRejected as error:
            raise forms.ValidationError(error.message, code="rejected_upload") from None

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": "image/png,image/jpeg"}


class CheckedEvidenceField(forms.FileField):
    """A supporting document: a PDF kept as sent, a PNG or JPEG re-encoded (lms.core.uploads.evidence_clean)."""

    def to_python(self, data):
        data = super().to_python(data)
        if data is None:
            return None
        try:
            return uploads.evidence_clean(data)
        except uploads.UploadRejected as error:
            raise forms.ValidationError(error.message, code="rejected_upload") from None

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": "application/pdf,image/png,image/jpeg"}
