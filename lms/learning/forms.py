"""Training-body forms: enrol one trainee, import a CSV, open a cohort. Choices are scoped to the body."""
from django import forms
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import EntryProfile
from lms.core.dates import legal_today
from lms.core.forms import BoundedDateField, SafeModelChoiceField, SafeModelMultipleChoiceField

MAX_CSV_BYTES = 512 * 1024


class TrackChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.duration_display})"


class EnrolmentForm(forms.Form):
    """Enrol one trainee; the track matching the entry profile is proposed when none is chosen."""

    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    entry_profile = forms.ChoiceField(label=_("Entry profile"), choices=EntryProfile.choices)
    track = TrackChoiceField(label=_("Track"), queryset=None, required=False,
                             empty_label=_("The track matching the entry profile"))
    cohort = SafeModelChoiceField(label=_("Cohort"), queryset=None, required=False, empty_label=_("No cohort"))
    starts_on = BoundedDateField(label=_("Start date"))

    def __init__(self, *args, tracks, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = tracks
        self.fields["cohort"].queryset = cohorts
        self.fields["starts_on"].initial = legal_today()


class EnrolmentImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_(
        "Columns separated by “;”: email;prenom;nom;profil;debut (start date DD/MM/YYYY, optional). UTF-8."))
    cohort = SafeModelChoiceField(label=_("Cohort"), queryset=None, required=False,
                                    empty_label=_("No cohort: the track matching each profile"))
    starts_on = BoundedDateField(label=_("Default start date"))

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["starts_on"].initial = legal_today()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is too large (512 KB at most)."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file cannot be read as text: save it as CSV UTF-8."))


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    track = TrackChoiceField(label=_("Track"), queryset=None)
    starts_on = BoundedDateField(label=_("Start date"))
    ends_on = BoundedDateField(label=_("Planned end date"), required=False,
                               help_text=_("Leave empty to use the track's duration."))
    place = forms.CharField(label=_("Place"), max_length=200, required=False,
                            help_text=_("Leave empty for remote training."))
    tutors = SafeModelMultipleChoiceField(label=_("Tutors"), queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, tracks, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = tracks
        self.fields["tutors"].queryset = staff

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date must be after the start date."))
        return data


class QualificationResultForm(forms.Form):
    """The result of a certification, as the certifying body's jury decided it."""

    obtained_on = BoundedDateField(label=_("Date of the jury's decision"))
    jury_reference = forms.CharField(label=_("Jury reference"), max_length=120,
                                     help_text=_("The reference of the decision or of the minutes of the jury."))
    document = forms.FileField(label=_("Document"),
                               help_text=_("The certificate or the jury's decision: PDF, PNG or JPEG, 5 MB at most."))


class QualificationResultRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255,
                             help_text=_("Why this result is taken back (mistake, corrected decision…)."))


class ExemptionDecisionForm(forms.Form):
    """A tutor's decision on a proposed module exemption: confirm or refuse, always with a reason (kept)."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("confirm", _("Exempt the trainee from this module")),
                                          ("refuse", _("Refuse: the trainee follows the module"))])
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Kept in the learner's record and shown to them, e.g. “Score of 90 % and "
                                         "two years of reception work in a practice”."))
