"""The forms of the accommodations: percents within bounds, plain text (no markup) within limits."""
from django import forms
from django.utils.translation import gettext_lazy as _

from lms.accommodations.models import CONTACT_MAX_LENGTH, MAX_PERCENT, NOTE_MAX_LENGTH
from lms.core.forms import refuse_markup

TOO_LONG = _("Too long: %(limit_value)s characters at most (it has %(show_value)s).")
PERCENT_ERRORS = {"min_value": _("Enter a percentage between 0 and %(n)s.") % {"n": MAX_PERCENT},
                  "max_value": _("Enter a percentage between 0 and %(n)s.") % {"n": MAX_PERCENT},
                  "invalid": _("Enter a whole number.")}


class ReferentForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Disability referent"), coerce=int,
                                  error_messages={"invalid_choice": _("Choose a staff member of the list.")})
    email = forms.EmailField(label=_("Contact email"), required=False,
                             help_text=_("Shown to trainees; the referent's account email when empty."))
    phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False,
                            error_messages={"max_length": TOO_LONG})
    contact = forms.CharField(label=_("How to reach them"), max_length=CONTACT_MAX_LENGTH, required=False,
                              help_text=_("For example the days and hours they answer. Plain text."),
                              widget=forms.Textarea(attrs={"rows": 3}), error_messages={"max_length": TOO_LONG})

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(m.user_id, f"{m.user.get_full_name() or m.user.email} "
                                                   f"({m.get_role_display()})") for m in staff]

    def clean_phone(self):
        return refuse_markup(self.cleaned_data["phone"].strip())

    def clean_contact(self):
        return refuse_markup(self.cleaned_data["contact"].strip())


class AccommodationForm(forms.Form):
    extra_time_percent = forms.IntegerField(
        label=_("Extra time on timed quizzes (%)"), min_value=0, max_value=MAX_PERCENT, initial=0,
        help_text=_("For example 33 for one third more time. 0: none."), error_messages=PERCENT_ERRORS)
    extra_duration_percent = forms.IntegerField(
        label=_("Longer planned duration (%)"), min_value=0, max_value=MAX_PERCENT, initial=0,
        help_text=_("The planned end of the track, used for the pace, is pushed back by this share. 0: none."),
        error_messages=PERCENT_ERRORS)
    note = forms.CharField(label=_("Note for the tutors"), max_length=NOTE_MAX_LENGTH, required=False,
                           help_text=_("What the tutors should know to support this learner. Plain text, %(n)s "
                                       "characters at most. Read by the learner, the tutors and you only.")
                           % {"n": NOTE_MAX_LENGTH},
                           widget=forms.Textarea(attrs={"rows": 5}), error_messages={"max_length": TOO_LONG})

    def clean_note(self):
        return refuse_markup(self.cleaned_data["note"].strip())
