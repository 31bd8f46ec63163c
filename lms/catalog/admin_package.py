"""The Wagtail admin's side of packages: "Exporter (zip)" on a track, and the import of a zip into a body's catalogue.

Exporting is for whoever may edit the track in Wagtail (its body's authors and managers, a platform admin); another
body's staff get a 404, as for the track's other admin screens. Importing publishes pages, so it is for those who may
publish in a body's catalogue (its managers, a platform admin), into a body they manage.
"""
from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from wagtail.admin.widgets import Button

from lms.catalog.models import TrackPage, TrainingBodyPage
from lms.catalog.package import ContentError, UploadRejected, import_package, track_zip
from lms.core.forms import SafeModelChoiceField
from lms.core.zipsafe import MAX_ARCHIVE_BYTES
from lms.core.uploads import MEGABYTE

EXPORT_URL_NAME, IMPORT_URL_NAME = "catalog_track_export", "catalog_package_import"


def may_export(user, track):
    return track.permissions_for_user(user).can_edit()


def bodies_for_import(user):
    """The training bodies' pages in whose catalogue the user may publish (import writes published pages)."""
    pages = TrainingBodyPage.objects.select_related("training_body").order_by("title")
    return [page for page in pages if page.permissions_for_user(user).can_publish()]


@require_GET
def track_export(request, page_id):
    """The track's package as a zip download (lms.catalog.exporter)."""
    track = get_object_or_404(TrackPage.objects.live(), pk=page_id)
    if not may_export(request.user, track):
        raise Http404
    filename, mimetype, data = track_zip(track)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PackageImportForm(forms.Form):
    """A zip exported by another instance (or content/ zipped), and the body whose catalogue receives it."""

    training_body_page = SafeModelChoiceField(queryset=TrainingBodyPage.objects.none(),
                                              label=gettext_lazy("Training body"), empty_label=None)
    package = forms.FileField(label=gettext_lazy("Package (zip)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].help_text = _("A zip made by “Export (zip)” on a track, on this platform or another "
                                             "one (%(size)s MB at most).") % {"size": MAX_ARCHIVE_BYTES // MEGABYTE}
        pages = bodies_for_import(user)
        self.fields["training_body_page"].queryset = TrainingBodyPage.objects.filter(pk__in=[p.pk for p in pages]) \
            .order_by("title")

    def clean_package(self):
        upload = self.cleaned_data["package"]
        if upload.size > MAX_ARCHIVE_BYTES:
            raise forms.ValidationError(_("The archive is too large (%(size)s MB at most).")
                                        % {"size": MAX_ARCHIVE_BYTES // MEGABYTE})
        return upload


def package_import(request):
    """Upload a zip: checked, validated whole, then loaded in one transaction under the chosen body's catalogue."""
    if not bodies_for_import(request.user):
        raise Http404
    chosen = request.GET.get("organisme", "")
    form = PackageImportForm(request.POST or None, request.FILES or None, user=request.user,
                             initial={"training_body_page": chosen} if chosen.isdigit() else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        body_page = form.cleaned_data["training_body_page"]
        try:
            content, report = import_package(form.cleaned_data["package"], training_body=body_page.training_body)
        except UploadRejected as error:
            form.add_error("package", error.message)
        except ContentError as error:
            form.add_error("package", _("The package is not valid (%(n)s problem(s)); nothing was imported.")
                           % {"n": len(error.problems)})
            problems = error.problems[:50]
        else:
            messages.success(request, _("Imported: %(tracks)s (%(created)s pages created, %(updated)s updated, "
                                        "%(skipped)s left as edited in the admin).")
                             % {"tracks": ", ".join(t.title for t in content.tracks), "created": len(report.created),
                                "updated": len(report.updated), "skipped": len(report.skipped)})
            return redirect("wagtailadmin_explore", body_page.pk)
    return TemplateResponse(request, "catalog/admin/package_import.html", {"form": form, "problems": problems})


def export_button(page, user, priority=60):
    if isinstance(page.specific_deferred, TrackPage) and page.live and may_export(user, page):
        return Button(_("Export (zip)"), reverse(EXPORT_URL_NAME, args=[page.pk]), icon_name="download",
                      priority=priority)
    return None


def import_button(page, user, priority=60):
    if isinstance(page.specific_deferred, TrainingBodyPage) and page.permissions_for_user(user).can_publish():
        return Button(_("Import a track (zip)"), reverse(IMPORT_URL_NAME) + f"?organisme={page.pk}",
                      icon_name="upload", priority=priority)
    return None
