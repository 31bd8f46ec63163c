"""The survey form: four scores (five when cold) from 1 to 5 as radio buttons, and a plain-text comment."""
from django import forms
from django.utils.translation import gettext_lazy as _

from lms.core.forms import refuse_markup
from lms.surveys.models import COMMENT_MAX_LENGTH, SCORE_MAX, SCORE_MIN, SurveyKind

SCALE = [(n, label) for n, label in zip(range(SCORE_MIN, SCORE_MAX + 1), [
    _("1 — not at all satisfied"), "2", "3", "4", _("5 — very satisfied")])]


def score(label):
    return forms.TypedChoiceField(label=label, choices=SCALE, coerce=int, widget=forms.RadioSelect)


class SurveyForm(forms.Form):
    overall = score(_("Overall, how satisfied are you with this training?"))
    content = score(_("The content of the training (lessons, quizzes)"))
    support = score(_("The support from your tutors"))
    platform = score(_("The ease of use of the platform"))
    applied = score(_("How much of what you learned do you use at work?"))
    comment = forms.CharField(label=_("Your comments (optional)"), required=False, max_length=COMMENT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"max_length": _("Too long: %(limit_value)s characters at most (it has "
                                                              "%(show_value)s).")})

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != SurveyKind.COLD:
            del self.fields["applied"]

    def clean_comment(self):
        return refuse_markup(self.cleaned_data["comment"].strip())
