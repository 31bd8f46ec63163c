"""The forms of the complaints: plain text within limits (no markup), a one-time key against double submits."""
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.complaints.models import SUBJECT_MAX_LENGTH, TEXT_MAX_LENGTH, ComplaintCategory
from lms.core.forms import refuse_markup

TOO_LONG = _("Too long: %(limit_value)s characters at most (it has %(show_value)s).")


def plain_text(value):
    """The text without its surrounding spaces; refused when empty or when it holds markup."""
    value = value.strip()
    if not value:
        raise forms.ValidationError(forms.Field.default_error_messages["required"], code="required")
    return refuse_markup(value)


class ComplaintForm(forms.Form):
    training_body = forms.TypedChoiceField(label=_("Training body"), coerce=int,
                                           error_messages={"invalid_choice": _("Choose one of the training bodies "
                                                                               "of the list.")})
    category = forms.ChoiceField(label=_("Category"), choices=ComplaintCategory.choices)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH,
                              error_messages={"max_length": TOO_LONG})
    text = forms.CharField(label=_("Your complaint"), max_length=TEXT_MAX_LENGTH,
                           help_text=_("What happened, when, and what you expect. Plain text, %(n)s characters at "
                                       "most.") % {"n": TEXT_MAX_LENGTH},
                           widget=forms.Textarea(attrs={"rows": 8}), error_messages={"max_length": TOO_LONG})
    submission_key = forms.UUIDField(widget=forms.HiddenInput,
                                     error_messages={"required": _("This form has expired: send it again."),
                                                     "invalid": _("This form has expired: send it again.")})

    def __init__(self, *args, options, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["training_body"].choices = [(pk, body.name) for pk, (body, _kind, _practice) in options.items()]

    def clean_subject(self):
        return plain_text(self.cleaned_data["subject"])

    def clean_text(self):
        return plain_text(self.cleaned_data["text"])


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer to the complainant"), max_length=TEXT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 8}), error_messages={"max_length": TOO_LONG})

    def clean_answer(self):
        return plain_text(self.cleaned_data["answer"])
