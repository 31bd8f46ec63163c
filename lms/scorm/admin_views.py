"""The Wagtail admin's SCORM screens: the packages of the author's training bodies, and the upload form.

Authors and managers of a training body see and upload only their bodies' packages (platform admins: all); anyone
else gets a 403 (the admin's own login check runs first).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lms.scorm import services
from lms.scorm.forms import ScormPackageForm, authoring_bodies
from lms.scorm.selectors import packages_for
from lms.scorm.validation import PackageError


def may_author(user):
    return user.is_authenticated and (user.is_superuser or authoring_bodies(user).exists())


def package_list(request):
    if not may_author(request.user):
        raise PermissionDenied
    packages = (packages_for(request.user).select_related("training_body", "uploaded_by")
                .order_by("training_body__name", "-uploaded_at"))
    return render(request, "scorm/admin/package_list.html", {"packages": packages})


def package_upload(request):
    if not may_author(request.user):
        raise PermissionDenied
    form = ScormPackageForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                package = services.package_create(
                    training_body=form.cleaned_data["training_body"], title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"], uploaded_by=request.user)
        except PackageError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("The SCORM package “%(title)s” was added. Add a SCORM lesson to a module to "
                                        "use it.") % {"title": package.title})
            return redirect("scorm_admin_packages")
    return render(request, "scorm/admin/package_upload.html", {"form": form},
                  status=400 if request.method == "POST" else 200)
