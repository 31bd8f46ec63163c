"""Invitation forms; the organisation field only offers the user's own organisations."""
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import EntryProfile, User
from lms.core.forms import BoundedDateField, DateInput, SafeModelChoiceField  # noqa: F401 (DateInput, for importers)
from lms.organisations.models import StaffRole, TrainingBody, WorkingTime

PROFESSION_START = date(2019, 1, 1)  # Avenant 7 (2019) created the profession


class AssistantInvitationForm(forms.Form):
    """A practice invites the medical assistant it has hired."""

    practice = SafeModelChoiceField(label=_("Practice"), queryset=None, empty_label=None)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    entry_profile = forms.ChoiceField(label=_("Entry profile"), choices=EntryProfile.choices)
    hired_on = BoundedDateField(
        label=_("Hire date"), earliest=PROFESSION_START, years_ahead=1,
        help_text=_("The two deadlines (2 and 3 years) are counted from this date."),
        error_messages={"too_early": _("The profession exists since 2019: check the hire date."),
                        "too_late": _("The hire date cannot be more than one year in the future.")})
    working_time = forms.ChoiceField(label=_("Working time"), choices=WorkingTime.choices)

    def __init__(self, *args, practices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = practices


class TrainingBodyInvitationForm(forms.Form):
    """A training body manager invites a staff member or a trainee."""

    KIND_CHOICES = [("staff", _("A staff member")), ("trainee", _("A trainee"))]

    training_body = SafeModelChoiceField(label=_("Training body"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Who do you invite?"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role (staff member)"), choices=[("", "—")] + list(StaffRole.choices), required=False)
    entry_profile = forms.ChoiceField(label=_("Entry profile (trainee)"), choices=[("", "—")] + list(EntryProfile.choices), required=False)

    def __init__(self, *args, training_bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_body"].queryset = training_bodies

    def clean(self):
        data = super().clean()
        if data.get("kind") == "staff" and not data.get("role"):
            self.add_error("role", _("Choose the role of the staff member."))
        if data.get("kind") == "trainee" and not data.get("entry_profile"):
            self.add_error("entry_profile", _("Choose the entry profile of the trainee."))
        return data


class AcceptWithNewAccountForm(forms.Form):
    """Create the invited person's account on the invitation page."""

    first_name = forms.CharField(label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth import password_validation

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            candidate = User(email=self.email, first_name=data.get("first_name", ""), last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TrainingBodyIdentityForm(forms.ModelForm):
    """The legal identity a training body's manager keeps up to date (printed on attestations and relevés)."""

    class Meta:
        model = TrainingBody
        fields = ["name", "legal_name", "address", "city", "siret", "registration_number", "registration_region",
                  "qualiopi_number", "qualiopi_certifier", "qualiopi_category", "signatory_name", "signatory_title"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siret"].max_length = 20  # as typed on a Kbis, with spaces; 14 digits once cleaned
        self.fields["siret"].validators = []
        self.fields["siret"].widget.attrs["maxlength"] = 20

    def clean_siret(self):
        return "".join(self.cleaned_data["siret"].split())  # '123 456 789 00012' as typed on a Kbis

    def clean(self):
        data = super().clean()
        if data.get("qualiopi_number") and not data.get("qualiopi_certifier"):
            self.add_error("qualiopi_certifier", _("Name the body that issued the Qualiopi certificate."))
        return data
