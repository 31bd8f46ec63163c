"""The forms of the support exchanges: a question (subject and message) and a message; each carries a one-time
key so that a double submit writes once."""
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.support.models import MESSAGE_MAX_LENGTH, SUBJECT_MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your message before sending it."),
                        "max_length": _("Your message is too long: %(limit_value)s characters at most "
                                        "(it has %(show_value)s).")})
    # Made when the form is shown; the same form sent twice carries the same key (lms.support.services).
    submission_key = forms.UUIDField(widget=forms.HiddenInput,
                                     error_messages={"required": _("This form has expired: send it again."),
                                                     "invalid": _("This form has expired: send it again.")})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(self.fields["body"].error_messages["required"], code="required")
        return body


class ThreadForm(MessageForm):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH,
                              error_messages={"required": _("Give your question a subject."),
                                              "max_length": _("The subject is too long: %(limit_value)s characters "
                                                              "at most (it has %(show_value)s).")})
    field_order = ["subject", "body", "submission_key"]
