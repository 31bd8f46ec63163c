"""The reason a manager gives to revoke a certificate."""
from django import forms
from django.utils.translation import gettext_lazy as _


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revocation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The trainee sees it; the public verification page shows only that the certificate is revoked, "
                    "and since when."),
        error_messages={"required": _("Give the reason for the revocation.")})
