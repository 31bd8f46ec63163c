"""Séances: the body's tutors and managers plan them for a cohort and keep their sheets (the trainer signs, absences
are marked), download the sign-in sheet; a trainee lists the séances of their cohorts and signs each one in its
window. Anyone else gets a 404, whatever the ids they type."""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.classroom import selectors, services
from lms.classroom.forms import AbsenceForm, ClassSessionForm
from lms.classroom.models import ClassSession
from lms.classroom.rules import SIGNING_GRACE, link_shown, session_bounds, signing_open
from lms.classroom.sheet import sheet_pdf as render_sheet
from lms.core.errors import DomainError
from lms.core.site import base_url

FIELDS = ("title", "date", "half_day", "starts_at", "ends_at", "kind", "place", "video_url", "trainer", "hours")


def _trainers(cohort):
    return get_user_model().objects.filter(training_body_memberships__training_body=cohort.training_body,
                                           is_active=True).order_by("last_name", "first_name", "pk")


def _save(request, form, session):
    for name in FIELDS:
        setattr(session, name, form.cleaned_data[name])
    try:
        services.class_session_save(session=session, base_url=base_url(request))
    except DomainError as error:
        form.add_error(error.field, error.message)
        return False
    return True


@login_required
def cohort_sessions(request, cohort_id):
    """The séances of a cohort, and the form to plan one."""
    cohort = selectors.staff_cohort(request.user, cohort_id)
    form = ClassSessionForm(trainers=_trainers(cohort), initial={"trainer": request.user.pk, "hours": "3.5"})
    if request.method == "POST":
        form = ClassSessionForm(request.POST, trainers=_trainers(cohort))
        if form.is_valid() and _save(request, form, ClassSession(cohort=cohort)):
            messages.success(request, _("The class session was planned; the cohort's trainees were told by email."))
            return redirect("class_session_list", cohort.pk)
    sessions = (ClassSession.objects.filter(cohort=cohort).select_related("trainer", "trainer_signature")
                .order_by("date", "starts_at"))
    return render(request, "classroom/cohort_sessions.html", {"cohort": cohort, "sessions": sessions, "form": form},
                  status=400 if form.errors else 200)


@login_required
def edit(request, cohort_id, seance_id):
    session = selectors.staff_session(request.user, cohort_id, seance_id)
    initial = {name: getattr(session, name) for name in FIELDS}
    initial["trainer"] = session.trainer_id
    form = ClassSessionForm(initial=initial, trainers=_trainers(session.cohort))
    if request.method == "POST":
        form = ClassSessionForm(request.POST, trainers=_trainers(session.cohort))
        if form.is_valid() and _save(request, form, session):
            messages.success(request, _("The class session was saved."))
            return redirect("class_session_sheet", session.cohort_id, session.pk)
    return render(request, "classroom/session_form.html", {"session": session, "cohort": session.cohort, "form": form},
                  status=400 if form.errors else 200)


@require_POST
@login_required
def delete(request, cohort_id, seance_id):
    session = selectors.staff_session(request.user, cohort_id, seance_id)
    try:
        services.class_session_delete(session=session)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("class_session_sheet", session.cohort_id, session.pk)
    messages.success(request, _("The class session was deleted."))
    return redirect("class_session_list", cohort_id)


@login_required
def sheet(request, cohort_id, seance_id):
    """The sheet of one séance: each trainee's signature or absence; the trainer signs, absences are marked."""
    session = selectors.staff_session(request.user, cohort_id, seance_id)
    now = timezone.now()
    form = AbsenceForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "sign":
                services.trainer_sign(session=session, user=request.user, now=now)
                messages.success(request, _("You signed the sheet."))
                return redirect("class_session_sheet", session.cohort_id, session.pk)
            form = AbsenceForm(request.POST)
            if form.is_valid():
                enrolment = get_object_or_404(selectors.cohort_enrolments(session.cohort),
                                              pk=form.cleaned_data["enrolment"])
                services.absence_mark(session=session, enrolment=enrolment, by=request.user,
                                      excused=form.cleaned_data["excused"], reason=form.cleaned_data["reason"],
                                      now=now)
                messages.success(request, _("The absence was recorded."))
                return redirect("class_session_sheet", session.cohort_id, session.pk)
        except DomainError as error:
            form.add_error(None, error.message)
    signature = getattr(session, "trainer_signature", None) if session.pk else None
    return render(request, "classroom/sheet.html", {
        "session": session, "cohort": session.cohort, "lines": selectors.sheet_lines(session), "form": form,
        "signature": signature, "may_sign": request.user.pk == session.trainer_id and signature is None
        and signing_open(session, now), "started": now >= session_bounds(session)[0]},
        status=400 if form.errors else 200)


@require_GET
@login_required
def sheet_pdf(request, cohort_id, seance_id):
    session = selectors.staff_session(request.user, cohort_id, seance_id)
    filename, mimetype, data = render_sheet(session)
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def my_sessions(request):
    """'Mes séances': the séances of the user's cohorts, upcoming first then past, with a sign button when open."""
    now = timezone.now()
    sessions = list(selectors.sessions_of_trainee(request.user).order_by("date", "starts_at"))
    presences = selectors.presences_of_trainee(request.user, sessions)
    rows = [{"session": s, "presence": presences.get(s.pk), "open": signing_open(s, now),
             "link": s.kind == "virtual" and link_shown(s, now)} for s in sessions]
    today = timezone.localdate()
    return render(request, "classroom/mine.html", {
        "upcoming": [r for r in rows if r["session"].date >= today],
        "past": list(reversed([r for r in rows if r["session"].date < today])),
        "grace_hours": int(SIGNING_GRACE.total_seconds() // 3600)})


@require_POST
@login_required
def sign(request, seance_id):
    """The trainee signs a séance of their cohort, for themselves."""
    session = get_object_or_404(selectors.sessions_of_trainee(request.user), pk=seance_id)
    try:
        services.presence_sign(session=session, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You signed the class session. Thank you."))
    return redirect("my_class_sessions")
