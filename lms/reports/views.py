"""Employer portal (assistants and their deadlines), exports, and the training body's deadline report."""
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accommodations import selectors as accommodation_selectors
from lms.certificates.models import Certificate, CertificateStatus
from lms.certificates.services import current_certificate
from lms.core.confirm import confirmation_page, confirmed
from lms.core.dates import legal_date, legal_today
from lms.core.errors import DomainError
from lms.core.exports import csv_bytes
from lms.core.forms import valid_id
from lms.core.pagination import page_of
from lms.core.site import absolute_url
from lms.deadlines import services as deadline_services
from lms.deadlines.ical import calendar
from lms.deadlines.models import ALL_THRESHOLDS, ReminderPreference
from lms.deadlines.rules import LABELS
from lms.deadlines.selectors import deadline_rows, employment_rows, employment_timeline
from lms.learning.models import Cohort, Enrolment, EnrolmentStatus
from lms.learning.progress import compute_progress, pace_status, planned_end
from lms.learning.qualification import results_shown
from lms.learning.realised import realised_duration
from lms.learning.selectors import done_items_of, extra_durations_of, track_structure
from lms.learning.views import enrolment_summary
from lms.organisations import selectors as org_selectors
from lms.organisations.models import Employment, StaffRole
from lms.quizzes.models import Attempt
from lms.quizzes.positioning import positioning_summary
from lms.reports import tables
from lms.reports.at_risk import learners_at_risk, lines_for
from lms.reports.attendance import (
    COHORT_SUMMARY_FORMATS,
    RECORD_FORMATS,
    attendance_record,
    cohort_summary,
    cohort_zip,
)
from lms.reports.charts import cohort_grid, final_state, module_state, timeline_chart
from lms.reports.evidence import dossier_pdf, dossiers_zip, entry_attestation_pdf, has_entered
from lms.reports.forms import DeclarationForm
from lms.reports.personal_data import account_erase, personal_data, retention_years

# Sort keys of the employer table, on the light rows of lms.deadlines.selectors.deadline_rows.
SORTS = {
    "nom": lambda r: (r.employment.trainee__last_name.lower(), r.employment.trainee__first_name.lower()),
    "recrutement": lambda r: r.employment.hired_on,
    "progression": lambda r: r.percent,
    "inscription": lambda r: r.deadline.enrolment_deadline,
    "qualification": lambda r: r.deadline.qualification_deadline,
    "statut": lambda r: (r.status_rank, r.deadline.soonest_open_deadline or r.deadline.qualification_deadline),
}


def _practice_employments(user):
    """The user's practices (403 when none) and their assistants' employments, by name (a stable order to page)."""
    practices = list(org_selectors.practices_of(user))
    if not practices:
        raise PermissionDenied
    employments = org_selectors.employments_of_practices(user)
    return practices, employments.order_by("trainee__last_name", "trainee__first_name", "pk")


def _certificate_urls(rows):
    """The download link of each row's valid certificate (none once revoked), by enrolment id, in one query: only
    a certificate issued while the row's employment ran (the rule of lms.organisations.selectors.practice_sees)."""
    ends = {r.enrolment.pk: r.employment.ended_on for r in rows if r.enrolment}
    if not ends:
        return {}
    return {c.enrolment_id: reverse("certificate_download", args=[c.pk])
            for c in Certificate.objects.filter(enrolment_id__in=list(ends), status=CertificateStatus.VALID)
            .only("id", "enrolment_id", "issued_at")
            if org_selectors.within_employment(legal_date(c.issued_at), ends[c.enrolment_id])}


@login_required
def employer_dashboard(request):
    """One table of the practice's assistants: progress, both deadlines, status and risk; sortable, filterable.

    Fifty to a page, as Moodle and Open edX list participants: sorting, filtering and the counts cover every
    assistant (light rows, no model instances), and only the page shown gets its cells formatted.
    """
    today = legal_today()
    practices, employments = _practice_employments(request.user)
    rows = deadline_rows(employments, today, fields=tables.FIELDS)
    counts = Counter(r.deadline.status for r in rows)
    at_risk = sum(1 for r in rows if r.deadline.at_risk)
    total = len(rows)
    status = request.GET.get("statut", "")
    if status not in LABELS:
        status = ""
    if status:
        rows = [r for r in rows if r.deadline.status == status]
    sort = request.GET.get("tri", "statut")
    if sort not in SORTS:
        sort = "statut"
    order = "desc" if request.GET.get("ordre") == "desc" else "asc"
    rows.sort(key=SORTS[sort], reverse=order == "desc")
    pagination = page_of(rows, request, keep={"tri": sort, "ordre": order, "statut": status})
    shown = pagination["page"].object_list
    return render(request, "reports/employer_dashboard.html", {
        "lines": tables.lines(shown, certificate_urls=_certificate_urls(shown)),
        "several_practices": len(practices) > 1, "total": total,
        "statuses": [(code, label, counts[code]) for code, label in LABELS.items()],
        "status": status, "sort": sort, "order": order, "today": today, "at_risk": at_risk,
        "invitations": org_selectors.invitations_visible_to(request.user).filter(practice__isnull=False).pending(),
        **pagination,
    })


def _employment_for(user, employment_id):
    """An employment of one of the user's practices (404 otherwise: a training body reads its learners'
    deadlines through its own pages, never the practice's record)."""
    return get_object_or_404(org_selectors.employments_of_practices(user), pk=employment_id)


def _revocation_events(enrolment_ids, until):
    """A timeline event for each certificate of these enrolments revoked by `until` (None: to this day): why a
    completed track no longer qualifies."""
    revoked = [(legal_date(c.revoked_at), c.track_title)
               for c in Certificate.objects.filter(enrolment_id__in=enrolment_ids, revoked_at__isnull=False)
               .only("revoked_at", "track_title")]
    return [(day, _("Certificate revoked: %(track)s") % {"track": title}, "done")
            for day, title in revoked if org_selectors.within_employment(day, until)]


@login_required
def employment_detail(request, employment_id):
    """An assistant's timeline: hired, enrolled, modules done, qualification, each deadline (up to the end of
    the employment, for a former employer)."""
    employment = _employment_for(request.user, employment_id)
    today = legal_today()
    row, events = employment_timeline(employment, today)
    events = sorted(events + _revocation_events([e.id for e in row.enrolments], employment.ended_on),
                    key=lambda e: e[0])
    # The results obtained while the practice employed the assistant (a former employer sees no later one).
    results = results_shown(employment.trainee_id, until=employment.ended_on)
    # The planned end as the timeline lists it: of a track under way, within the employment.
    planned = row.planned_end if (row.planned_end and row.enrolment.status == EnrolmentStatus.ACTIVE
                                  and org_selectors.within_employment(row.planned_end, employment.ended_on)) else None
    chart = timeline_chart(hired_on=employment.hired_on, deadline=row.deadline, today=today,
                           training_started_on=row.training_started_on, planned_end=planned)
    return render(request, "reports/employment_detail.html", {"row": row, "events": events, "today": today,
                                                              "qualification_results": results, "chart": chart})


def _pdf_response(filename, mimetype, data):
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def evidence_dossier(request, employment_id):
    """The assistant's dossier for the CPAM (the members of the employing practice only; others get a 404)."""
    employment = _employment_for(request.user, employment_id)
    return _pdf_response(*dossier_pdf(employment, legal_today()))


@login_required
def evidence_zip(request):
    """Every assistant's dossier for the CPAM in one ZIP (the user's practices; 403 for a user without one)."""
    _practices, employments = _practice_employments(request.user)
    response = HttpResponse(dossiers_zip(employments, legal_today()), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="dossiers-cpam.zip"'
    return response


@login_required
def declaration_create(request, employment_id):
    """The practice records a training start or a qualification obtained outside the platform."""
    employment = _employment_for(request.user, employment_id)
    form = DeclarationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deadline_services.declared_training_create(
                employment=employment, kind=data["kind"], occurred_on=data["occurred_on"],
                organisation=data["organisation"], evidence=data["evidence"], declared_by=request.user)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The declaration has been recorded."))
            return redirect("employment_detail", employment.pk)
    return render(request, "reports/declaration_form.html", {"form": form, "employment": employment})


def _met_or_days(met_on, days_left, late=False):
    """A CSV cell: the days left (negative once passed) while a deadline is open, the day it was met after."""
    if met_on is None:
        return days_left
    return (_("met late, on %(d)s") if late else _("met on %(d)s")) % {"d": met_on.strftime("%d/%m/%Y")}


@login_required
def employer_csv(request):
    """The employer table as CSV for French spreadsheets: every assistant, not a page."""
    today = legal_today()
    _practices, employments = _practice_employments(request.user)
    rows = deadline_rows(employments, today, fields=tables.FIELDS)
    profiles = tables.entry_profiles()
    yes, no = _("yes"), _("no")
    header = [_("Last name"), _("First name"), _("Email address"), _("Practice"), _("Entry profile"), _("Hire date"),
              _("Track"), _("Progress (%)"), _("Enrolment deadline"), _("Days left"), _("Qualification deadline"),
              _("Days left"), _("Status"), _("At risk"), _("Reason"), _("Rule"), _("Legal source")]
    data = [[e.trainee__last_name, e.trainee__first_name, e.trainee__email, e.practice__name,
             profiles.get(e.trainee__trainee_profile__entry_profile, ""),
             e.hired_on.strftime("%d/%m/%Y"), r.track_title, r.percent,
             r.deadline.enrolment_deadline.strftime("%d/%m/%Y"),
             _met_or_days(r.deadline.enrolment_met_on, r.deadline.enrolment_days_left, r.deadline.enrolment_met_late),
             r.deadline.qualification_deadline.strftime("%d/%m/%Y"),
             _met_or_days(r.deadline.qualification_met_on, r.deadline.qualification_days_left),
             r.deadline.label, yes if r.deadline.at_risk else no, r.deadline.risk_reason, r.deadline.rule_name,
             r.deadline.rule_source]
            for r in rows for e in [r.employment]]
    response = HttpResponse(csv_bytes(header, data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="assistants-echeances-{today:%Y-%m-%d}.csv"'
    return response


@login_required
def calendar_settings(request):
    """Create, renew or revoke the private iCalendar address of the employer's deadlines."""
    if not org_selectors.practices_of(request.user).exists():
        raise PermissionDenied
    url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if not confirmed(request):
                return confirmation_page(
                    request, title=_("Revoke the address"), confirm_label=_("Revoke the address"),
                    cancel_url=reverse("calendar_settings"),
                    question=_("Revoke your calendar address? Calendars subscribed to it stop receiving the "
                               "deadlines; you can create a new address afterwards."))
            deadline_services.calendar_token_revoke(user=request.user)
            messages.success(request, _("The calendar address has been revoked."))
            return redirect("calendar_settings")
        token = deadline_services.calendar_token_create(user=request.user)
        url = absolute_url(reverse("calendar_feed", args=[token]), request)
    active = request.user.calendar_tokens.filter(revoked_at__isnull=True).exists()
    return render(request, "reports/calendar_settings.html", {"url": url, "active": active})


def calendar_feed(request, token):
    """The iCalendar feed (no login: the unguessable token is the key; revocable)."""
    user = deadline_services.calendar_user(token)
    if user is None:
        raise Http404
    today = legal_today()
    _practices, employments = _practice_employments(user)
    rows = employment_rows(employments, today, with_progress=False)
    events = []
    for row in rows:
        if row.deadline.status in ("qualified", "ended"):
            continue
        name, ended_on = str(row.trainee), row.employment.ended_on
        # Nothing after the end of the employment, even during the notice: the deadlines then are not the practice's.
        enrol_by = row.deadline.enrolment_deadline
        # The status in each description: "Training completed" is not the qualification, whose deadline stays.
        description = _("%(status)s — rule applied: %(rule)s (%(source)s)") % {
            "status": row.deadline.label, "rule": row.deadline.rule_name, "source": row.deadline.rule_source}
        if row.deadline.rule_url:
            description = f"{description} {row.deadline.rule_url}"
        if row.deadline.enrolment_met_on is None and org_selectors.within_employment(enrol_by, ended_on):
            events.append((f"enrolment-{row.employment.pk}", row.deadline.enrolment_deadline,
                           _("%(name)s: start of training deadline") % {"name": name}, description))
        if org_selectors.within_employment(row.deadline.qualification_deadline, ended_on):
            events.append((f"qualification-{row.employment.pk}", row.deadline.qualification_deadline,
                           _("%(name)s: qualification deadline") % {"name": name}, description))
    body = calendar(events, name=_("Medical assistants' deadlines"), now=timezone.now(), domain=request.get_host())
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
def training_body_deadlines(request):
    """Training body: its learners at risk — a deadline missed or near, or behind their track's pace — soonest
    deadline first, then the most behind, fifty to a page, one row per learner with each reason.

    Early filtering: ended employments and qualified assistants (never at risk) are left out in the database;
    the status of the others is computed without progress (the status never depends on it) and the pace of the
    active enrolments in bulk (lms.reports.at_risk); only the page shown is read again with progress and names.
    """
    bodies = org_selectors.training_bodies_of(request.user)
    if not bodies.exists():
        raise PermissionDenied
    today = legal_today()
    pagination = page_of(learners_at_risk(bodies, today), request)
    entries = list(pagination["page"].object_list)
    # Each name leads to the body's own learner page (its latest enrolment of the learner), not the practice's record.
    learner_pages = dict(Enrolment.objects.filter(training_body__in=bodies,
                                                  trainee_id__in={e.trainee_id for e in entries})
                         .order_by("starts_on", "pk").values_list("trainee_id", "pk"))

    def learner_page(trainee_id):
        enrolment_id = learner_pages.get(trainee_id)  # None if removed meanwhile
        return reverse("learner_detail", args=[enrolment_id]) if enrolment_id else ""

    return render(request, "reports/training_body_deadlines.html", {
        "lines": lines_for(entries, today, learner_page), "today": today, **pagination})


@login_required
def learner_detail(request, enrolment_id):
    """Training body: one learner's progress, attempts, certificate and deadlines."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("trainee", "cohort"), pk=enrolment_id)
    memberships = request.user.training_body_memberships.filter(training_body_id=enrolment.training_body_id)
    if not memberships.exists() and not request.user.is_superuser:
        raise Http404
    context = enrolment_summary(enrolment)
    today = legal_today()
    can_enrol = memberships.filter(role__in=[StaffRole.MANAGER, StaffRole.TUTOR]).exists()
    # The deadline facts of the learner's current employments: what the body needs, not the practice's record.
    current = Employment.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today), trainee=enrolment.trainee)
    context.update({
        "deadlines": employment_rows(current.select_related("practice", "trainee"), today, with_progress=False),
        "learner": enrolment.trainee,
        "attempts": Attempt.objects.filter(enrolment=enrolment).select_related("quiz").order_by("quiz__path", "number"),
        "certificate": current_certificate(enrolment),
        "is_manager": memberships.filter(role="manager").exists(),
        "can_withdraw": enrolment.status == EnrolmentStatus.ACTIVE and can_enrol,
        "can_record_result": can_enrol,  # the certification result (lms.learning.staff_views.qualification_result)
        "qualification_results": list(enrolment.qualification_results.select_related("enrolment__track")
                                      .order_by("recorded_at", "pk")),
        "leads_to_certification": enrolment.track.leads_to_certification,
        "realised": context["waiting_for_time"] or realised_duration(enrolment),
        "has_entered": has_entered(enrolment, today),
        # The accommodation: for the body's tutors and its disability referent only, read only (lms.accommodations)
        "accommodation": (accommodation_selectors.accommodation_of(enrolment.training_body_id, enrolment.trainee_id)
                          if accommodation_selectors.may_read(request.user, enrolment.training_body_id,
                                                              enrolment.trainee_id) else None),
        "positioning": positioning_summary(enrolment, context["structure"]),
    })
    return render(request, "reports/learner.html", context)


@login_required
def reminder_settings(request):
    """An employer chooses which advance reminders they receive (the missed-deadline notice always goes)."""
    if not org_selectors.practices_of(request.user).exists():
        raise PermissionDenied
    preference = ReminderPreference.objects.filter(user=request.user).first()
    chosen = preference.thresholds if preference else ALL_THRESHOLDS
    if request.method == "POST":
        wanted = sorted({int(v) for v in request.POST.getlist("thresholds") if valid_id(v) and int(v) in ALL_THRESHOLDS},
                        reverse=True)
        ReminderPreference.objects.update_or_create(user=request.user, defaults={"thresholds": wanted})
        messages.success(request, _("Your reminder preferences have been saved."))
        return redirect("reminder_settings")
    return render(request, "reports/reminder_settings.html", {"thresholds": ALL_THRESHOLDS, "chosen": chosen})


def _staff_enrolment(user, enrolment_id):
    enrolment = get_object_or_404(Enrolment.objects.select_related("trainee", "training_body"), pk=enrolment_id)
    if not user.is_superuser and not user.training_body_memberships.filter(training_body_id=enrolment.training_body_id).exists():
        raise Http404
    return enrolment


@login_required
def attendance_download(request, enrolment_id, fmt):
    """The trainee's record of connections and activity, as PDF or CSV (training body staff); another format is a 404."""
    if fmt not in RECORD_FORMATS:  # nor does the name typed reach the response's headers
        raise Http404
    enrolment = _staff_enrolment(request.user, enrolment_id)
    render_record, mimetype = RECORD_FORMATS[fmt]
    response = HttpResponse(render_record(attendance_record(enrolment)), content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="releve-activite-{enrolment.pk}.{fmt}"'
    return response


@login_required
def entry_attestation_download(request, enrolment_id):
    """The attestation d'entrée en formation of a learner (the body's staff); 404 while the training is not entered."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("trainee", "training_body", "track", "cohort"), pk=enrolment_id)
    if not request.user.is_superuser and not org_selectors.training_bodies_of(request.user).filter(
            pk=enrolment.training_body_id).exists():
        raise Http404
    document = entry_attestation_pdf(enrolment, legal_today())
    if document is None:
        raise Http404
    return _pdf_response(*document)


def _staff_cohort(user, cohort_id):
    bodies = org_selectors.training_bodies_of(user)
    return get_object_or_404(Cohort.objects.filter(training_body__in=bodies).select_related("track", "training_body"),
                             pk=cohort_id)


@login_required
def cohort_detail(request, cohort_id):
    """A cohort's progress at a glance: a learners × modules grid (and the same as a table), with each learner's
    share of work done and pace against the cohort's calendar."""
    cohort = _staff_cohort(request.user, cohort_id)
    today = legal_today()
    structure = track_structure(cohort.track_id)
    enrolments = list(Enrolment.objects.filter(cohort=cohort).exclude(status=EnrolmentStatus.WITHDRAWN)
                      .select_related("trainee").order_by("trainee__last_name", "trainee__first_name", "pk"))
    columns, learners, lines = [], [], []
    if structure is not None:
        columns = [(_("M%(n)s") % {"n": i}, module.title) for i, module in enumerate(structure.modules, start=1)]
        if structure.final_assessment is not None:
            columns.append((_("FA"), structure.final_assessment.title))
        done = done_items_of(e.pk for e in enrolments)
        extra = extra_durations_of(e.pk for e in enrolments)
        for enrolment in enrolments:
            progress = compute_progress(structure, *done[enrolment.pk])
            ends_on = planned_end(starts_on=enrolment.starts_on, duration_value=structure.duration_value,
                                  duration_unit=structure.duration_unit, cohort_ends_on=cohort.ends_on,
                                  extra_percent=extra.get(enrolment.pk, 0))
            pace = pace_status(share_done=progress.share_done, complete=progress.complete,
                               starts_on=enrolment.starts_on, ends_on=ends_on, today=today,
                               items_done=progress.items_done, items_total=progress.items_total)
            states = [module_state(m) for m in progress.modules]
            if structure.final_assessment is not None:
                states.append(final_state(progress.final_passed))
            name = str(enrolment.trainee)
            learners.append((name, states, progress.percent, pace.status, str(pace.label)))
            lines.append({"enrolment": enrolment, "name": name, "states": states, "percent": progress.percent,
                          "pace": pace, "planned_end": ends_on})
    return render(request, "reports/cohort_detail.html", {
        "cohort": cohort, "structure": structure, "grid": cohort_grid(columns, learners), "lines": lines,
        "columns": columns, "today": today})


@login_required
def cohort_attendance_summary(request, cohort_id, fmt):
    """The cohort's realised hours, one row per trainee, as PDF or CSV (the body's staff); another format is a 404."""
    if fmt not in COHORT_SUMMARY_FORMATS:
        raise Http404
    cohort = _staff_cohort(request.user, cohort_id)
    enrolments = Enrolment.objects.filter(cohort=cohort).select_related("trainee", "track")
    render_summary, mimetype = COHORT_SUMMARY_FORMATS[fmt]
    response = HttpResponse(render_summary(cohort_summary(cohort, enrolments)), content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="synthese-session-{cohort.pk}.{fmt}"'
    return response


@login_required
def cohort_attendance_zip(request, cohort_id):
    """Every trainee's record of a cohort in one ZIP."""
    cohort = _staff_cohort(request.user, cohort_id)
    enrolments = Enrolment.objects.filter(cohort=cohort).select_related("trainee", "training_body")
    response = HttpResponse(cohort_zip(enrolments), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="releves-session-{cohort.pk}.zip"'
    return response


@login_required
def my_data(request):
    """'Mes données': download everything as JSON, or erase the account."""
    import json


    if request.GET.get("format") == "json":
        response = HttpResponse(json.dumps(personal_data(request.user), ensure_ascii=False, indent=2),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="mes-donnees-parcours-am.json"'
        return response
    error = None
    if request.method == "POST":
        if request.POST.get("confirm") == "1" and request.user.check_password(request.POST.get("password", "")):
            from django.contrib.auth import logout

            account_erase(user=request.user)
            logout(request)
            messages.success(request, _("Your account has been erased."))
            return redirect("home")
        error = _("Tick the confirmation and give your password to erase your account.")
    return render(request, "reports/my_data.html", {"error": error, "retention_years": retention_years()},
                  status=400 if error else 200)
