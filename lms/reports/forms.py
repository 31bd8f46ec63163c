from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from lms.core.forms import BoundedDateField
from lms.deadlines.models import DeclarationKind


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=DeclarationKind.choices, widget=forms.RadioSelect)
    occurred_on = BoundedDateField(label=_("Date"), years_ahead=0,
                                   error_messages={"too_late": _("The date cannot be in the future.")})
    organisation = forms.CharField(label=_("Training organisation"), max_length=200)
    evidence = forms.FileField(label=_("Supporting document"),
                               validators=[FileExtensionValidator(["pdf", "png", "jpg", "jpeg"])],
                               help_text=_("PDF, PNG or JPEG, 5 MB at most (certificate, attendance record…)."))
