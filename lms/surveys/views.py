"""The surveys: a trainee answers the survey of one of their completed enrolments (at the end of the training,
then three months later); the staff of a training body read the results of their tracks and cohorts, and export
them. Anyone else gets a 404."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET

from lms.core.dates import legal_date, legal_today
from lms.core.display import long_date
from lms.core.errors import DomainError
from lms.core.exports import csv_bytes
from lms.learning.models import Enrolment
from lms.organisations.selectors import training_bodies_of
from lms.surveys import services
from lms.surveys.forms import SurveyForm
from lms.surveys.models import SurveyKind, SurveyResponse


@login_required
def survey(request, enrolment_id, kind_slug):
    kind = services.URL_KINDS.get(kind_slug)
    enrolment = get_object_or_404(Enrolment.objects.filter(trainee=request.user).select_related("track"),
                                  pk=enrolment_id)
    if kind is None:
        raise Http404
    opening = services.opens_on(enrolment, kind)
    answered = SurveyResponse.objects.filter(enrolment=enrolment, kind=kind).exists()
    form = SurveyForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(enrolment=enrolment, kind=kind, answers=form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: your answers were recorded."))
            return redirect("my_track")
    return render(request, "surveys/survey.html", {
        "enrolment": enrolment, "kind": kind, "kind_label": SurveyKind(kind).label, "form": form,
        "answered": answered, "opening": opening, "open": opening is not None and opening <= legal_today()},
        status=400 if form.errors else 200)


def _staff_enrolments(user):
    bodies = training_bodies_of(user)
    if not bodies.exists():
        raise PermissionDenied
    return Enrolment.objects.filter(training_body__in=bodies)


@require_GET
@login_required
def results(request):
    """Satisfaction per track and cohort of the user's training bodies: response rate, averages, comments."""
    enrolments = _staff_enrolments(request.user)
    kind = request.GET.get("enquete") if request.GET.get("enquete") in SurveyKind.values else SurveyKind.HOT
    return render(request, "surveys/results.html", {
        "kind": kind, "kinds": SurveyKind.choices, "rows": services.results(enrolments, kind),
        "comments": services.comments(enrolments, kind)[:100]})


@require_GET
@login_required
def results_csv(request):
    """Every answer of both surveys, for the auditor: track, cohort, survey, date, scores, comment (no names)."""
    enrolments = _staff_enrolments(request.user)
    with override("fr"):
        header = [_("Track"), _("Cohort"), _("Survey"), _("Answered on"), _("Overall"), _("Content"), _("Support"),
                  _("Platform"), _("Use at work"), _("Comment")]
        rows = [[r.enrolment.track.title, r.enrolment.cohort.name if r.enrolment.cohort else "",
                 r.get_kind_display(), long_date(legal_date(r.submitted_at)),
                 r.overall, r.content, r.support, r.platform,
                 r.applied if r.applied is not None else "", r.comment]
                for r in SurveyResponse.objects.filter(enrolment__in=enrolments)
                .select_related("enrolment__track", "enrolment__cohort").order_by("submitted_at", "pk")]
        data = csv_bytes(header, rows)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="satisfaction.csv"'
    return response
