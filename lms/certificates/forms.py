"""The reasons a manager types to revoke a certificate, or to issue or re-issue one by hand."""
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.core.errors import DomainError


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the revocation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The trainee sees it; the public verification page shows only that the certificate "
                               "is revoked, and since when."),
        error_messages={"required": gettext_lazy("Give the reason for the revocation.")})


class ReasonForm(forms.Form):
    """Free text kept in the certificate's history; a NUL byte or a novel is refused (the services ask for it to be
    given, with their own message, when it is empty)."""

    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=2000)


def reason_from(post):
    """The reason posted, or the DomainError the views already turn into a message when the field refuses it."""
    form = ReasonForm(post)
    if not form.is_valid():
        raise DomainError(_("%(field)s: %(error)s") % {"field": form.fields["reason"].label,
                                                       "error": form.errors["reason"][0]}, field="reason")
    return form.cleaned_data["reason"]
