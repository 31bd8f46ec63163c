"""Form fields and URL converters that refuse what a database or the pages' arithmetic cannot hold (a huge id
is a 404 or a field error, a date is bounded where it is typed, a NUL byte is a field error, never a 500), and
upload fields that store only checked files."""
import re
from datetime import date

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.core import uploads
from lms.core.dates import add_years, legal_today
from lms.core.display import long_date

ID_PATTERN = re.compile(r"^[0-9]{1,18}$")
EARLIEST_DATE = date(2000, 1, 1)  # no training, hire or qualification of the platform's people is older
YEARS_AHEAD = 5  # nor planned further ahead
WORD = re.compile(r"\w+")


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


class DateInput(forms.DateInput):
    """The browser's date picker; the value written the ISO way it expects."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BoundedDateField(forms.DateField):
    """A date a person types, refused with a field error outside a plausible range.

    From `earliest` to `years_ahead` years after today. A start typed as 31/12/9999 would be stored, and every
    page computing a planned end from it would fail; the range is the place where such a date is caught. Error
    messages "too_early" and "too_late" may be given instead of the one naming both bounds.
    """

    widget = DateInput
    default_error_messages = {"out_of_range": _("Enter a date between %(earliest)s and %(latest)s.")}

    def __init__(self, *, earliest=EARLIEST_DATE, years_ahead=YEARS_AHEAD, **kwargs):
        self.earliest, self.years_ahead = earliest, years_ahead
        super().__init__(**kwargs)

    def bounds(self, today=None):
        """The first and last dates accepted (the last moves with today)."""
        return self.earliest, add_years(today or legal_today(), self.years_ahead)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = self.bounds()
        if earliest <= value <= latest:
            return
        code = "too_early" if value < earliest else "too_late"
        raise forms.ValidationError(self.error_messages.get(code, self.error_messages["out_of_range"]), code=code,
                                    params={"earliest": long_date(earliest), "latest": long_date(latest)})

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "min": self.earliest.isoformat()}


# For the Django admin: `formfield_overrides = BOUNDED_DATES`, every date of the model bounded as on the site.
BOUNDED_DATES = {models.DateField: {"form_class": BoundedDateField}}


def query_date(value, **bounds):
    """A date read from a query string (?du=2026-01-31): the date when it is one within BoundedDateField's range,
    else None, the filter being left out (the nearest valid value, never an error page)."""
    try:
        return BoundedDateField(required=False, **bounds).clean(value)
    except forms.ValidationError:
        return None


class SearchForm(forms.Form):
    """The words typed in a page's search box (?q=).

    Trimmed and cut at `max_length` (the nearest valid value: a long paste still searches). A NUL byte is refused
    by Django's CharField validator with a field error: PostgreSQL cannot hold it in a query parameter, and a
    search that bypasses a form lets it through to the database.
    """

    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, data, *, max_length=100, label=None):
        super().__init__(data)
        self.max_length = max_length
        if label:
            self.fields["q"].label = label

    def clean_q(self):
        return self.cleaned_data["q"][:self.max_length]

    @property
    def query(self):
        """The text searched for, or "" when it was refused (the list unfiltered, the error shown)."""
        return self.cleaned_data.get("q", "") if self.is_valid() else ""

    @property
    def words(self):
        """The query's words without punctuation, for a full-text engine that reads punctuation as its own syntax
        (a double quote opens a phrase in SQLite's FTS5 and, left unclosed, fails the query)."""
        return WORD.findall(self.query)


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


MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")  # a tag or a comment: what a plain-text field has no use for


def refuse_markup(value):
    """A plain-text field's value, refused with a French message when it holds HTML markup."""
    if MARKUP.search(value):
        raise forms.ValidationError(_("Write plain text, without HTML tags (“<…>”)."), code="markup")
    return value
