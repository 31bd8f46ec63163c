"""The upload form of a SCORM package (the Wagtail admin's upload screen, lms.scorm.admin_views)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from lms.organisations.models import StaffRole, TrainingBody
from lms.organisations.selectors import training_bodies_of
from lms.scorm.validation import PackageError, inspect_package

AUTHORING_ROLES = [StaffRole.AUTHOR, StaffRole.MANAGER]


def authoring_bodies(user):
    """The training bodies for which the user writes content (authors and managers)."""
    return TrainingBody.objects.all() if user.is_superuser else training_bodies_of(user, roles=AUTHORING_ROLES)


class ScormPackageForm(forms.Form):
    training_body = forms.ModelChoiceField(label=_("Training body"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=255, required=False,
                            help_text=_("Leave blank to use the title of the package's manifest."))
    file = forms.FileField(label=_("SCORM 1.2 package (zip)"),
                           help_text=_("A zip exported as SCORM 1.2 by your authoring tool (Articulate, iSpring, "
                                       "Adapt…), with imsmanifest.xml at its root."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_body"].queryset = authoring_bodies(user).order_by("name")
        self.info = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.info = inspect_package(upload)
        except PackageError as error:
            raise forms.ValidationError(error.message) from None
        return upload
