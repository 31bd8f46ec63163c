"""Employer portal (assistants and their deadlines), exports, and the training body's deadline report."""
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core.errors import DomainError
from lms.core.forms import valid_id
from lms.core.pagination import page_of
from lms.deadlines import services as deadline_services
from lms.deadlines.ical import calendar
from lms.deadlines.rules import LABELS
from lms.deadlines.selectors import deadline_rows, employment_rows, unsettled
from lms.learning.models import Enrolment
from lms.organisations import selectors as org_selectors
from lms.organisations.models import Employment
from lms.core.exports import csv_bytes
from lms.reports import tables
from lms.reports.forms import DeclarationForm

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
    """The download link of each row's current certificate, by enrolment id, in one query."""
    from lms.certificates.models import Certificate, CertificateStatus

    enrolment_ids = [r.enrolment.pk for r in rows if r.enrolment]
    if not enrolment_ids:
        return {}
    return {c.enrolment_id: reverse("certificate_download", args=[c.pk])
            for c in Certificate.objects.filter(enrolment_id__in=enrolment_ids)
            .exclude(status=CertificateStatus.SUPERSEDED).only("id", "enrolment_id")}


@login_required
def employer_dashboard(request):
    """One table of the practice's assistants: progress, both deadlines, status and risk; sortable, filterable.

    Fifty to a page, as Moodle and Open edX list participants: sorting, filtering and the counts cover every
    assistant (light rows, no model instances), and only the page shown gets its cells formatted.
    """
    today = timezone.localdate()
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
    """An employment of one of the user's practices, or of a trainee enrolled with the user's training body."""
    employment = get_object_or_404(Employment.objects.select_related("trainee", "trainee__trainee_profile", "practice"),
                                   pk=employment_id)
    if org_selectors.practices_of(user).filter(pk=employment.practice_id).exists():
        return employment, "employer"
    bodies = org_selectors.training_bodies_of(user)
    if Enrolment.objects.filter(trainee_id=employment.trainee_id, training_body__in=bodies).exists():
        return employment, "training_body"
    raise Http404


@login_required
def employment_detail(request, employment_id):
    """An assistant's timeline: hired, enrolled, modules done, qualification, each deadline."""
    employment, role = _employment_for(request.user, employment_id)
    today = timezone.localdate()
    row = employment_rows([employment], today)[0]
    events = [(employment.hired_on, _("Hired by %(practice)s") % {"practice": employment.practice.name}, "done")]
    enrolments = Enrolment.objects.filter(trainee=employment.trainee).order_by("starts_on")
    if role == "training_body":  # a training body sees its own trainings only, not those of other bodies
        from lms.learning.views import enrolment_summary

        enrolments = list(enrolments.filter(training_body__in=org_selectors.training_bodies_of(request.user)))
        own = enrolments[-1] if enrolments else None
        summary = enrolment_summary(own) if own else None
        row.enrolment = own
        row.track_title = summary["structure"].title if summary else ""
        row.percent = summary["progress"].percent if summary else 0
    for enrolment in enrolments:
        from lms.learning.selectors import track_structure

        structure = track_structure(enrolment.track_id)
        title = structure.title if structure else ""
        events.append((enrolment.starts_on, _("Training started: %(track)s") % {"track": title}, "done"))
        if enrolment.completed_at:
            events.append((enrolment.completed_at.date(), _("Track completed: %(track)s") % {"track": title}, "done"))
    declarations = employment.trainee.declared_trainings.all() if role == "employer" else []
    for declaration in declarations:
        events.append((declaration.occurred_on, _("%(kind)s — %(organisation)s (declared)") % {
            "kind": declaration.get_kind_display(), "organisation": declaration.organisation}, "done"))
    events.append((row.deadline.enrolment_deadline, _("Deadline to start a training"), "deadline"))
    events.append((row.deadline.qualification_deadline, _("Deadline to obtain the qualification"), "deadline"))
    if row.planned_end:
        events.append((row.planned_end, _("Planned end of the current track"), "planned"))
    if employment.ended_on:
        events.append((employment.ended_on, _("End of employment"), "done"))
    events.sort(key=lambda e: e[0])
    return render(request, "reports/employment_detail.html", {"row": row, "events": events, "today": today,
                                                              "role": role})


@login_required
def declaration_create(request, employment_id):
    """Record a training start or a qualification obtained outside the platform (employer or training body)."""
    employment, role = _employment_for(request.user, employment_id)
    form = DeclarationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deadline_services.declared_training_create(
                trainee=employment.trainee, kind=data["kind"], occurred_on=data["occurred_on"],
                organisation=data["organisation"], evidence=data["evidence"], declared_by=request.user)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("The declaration has been recorded."))
            return redirect("employment_detail", employment.pk)
    return render(request, "reports/declaration_form.html", {"form": form, "employment": employment})


@login_required
def employer_csv(request):
    """The employer table as CSV for French spreadsheets: every assistant, not a page."""
    today = timezone.localdate()
    _practices, employments = _practice_employments(request.user)
    rows = deadline_rows(employments, today, fields=tables.FIELDS)
    profiles = tables.entry_profiles()
    yes, no = _("yes"), _("no")
    header = [_("Last name"), _("First name"), _("Email address"), _("Practice"), _("Entry profile"), _("Hire date"),
              _("Track"), _("Progress (%)"), _("Enrolment deadline"), _("Days left"), _("Qualification deadline"),
              _("Days left"), _("Status"), _("At risk"), _("Reason"), _("Rule")]
    data = [[e.trainee__last_name, e.trainee__first_name, e.trainee__email, e.practice__name,
             profiles.get(e.trainee__trainee_profile__entry_profile, ""),
             e.hired_on.strftime("%d/%m/%Y"), r.track_title, r.percent,
             r.deadline.enrolment_deadline.strftime("%d/%m/%Y"), r.deadline.enrolment_days_left,
             r.deadline.qualification_deadline.strftime("%d/%m/%Y"), r.deadline.qualification_days_left,
             r.deadline.label, yes if r.deadline.at_risk else no, r.deadline.risk_reason, r.deadline.rule_name]
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
            deadline_services.calendar_token_revoke(user=request.user)
            messages.success(request, _("The calendar address has been revoked."))
            return redirect("calendar_settings")
        token = deadline_services.calendar_token_create(user=request.user)
        url = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
    active = request.user.calendar_tokens.filter(revoked_at__isnull=True).exists()
    return render(request, "reports/calendar_settings.html", {"url": url, "active": active})


def calendar_feed(request, token):
    """The iCalendar feed (no login: the unguessable token is the key; revocable)."""
    user = deadline_services.calendar_user(token)
    if user is None:
        raise Http404
    today = timezone.localdate()
    _practices, employments = _practice_employments(user)
    rows = employment_rows(employments, today, with_progress=False)
    events = []
    for row in rows:
        if row.deadline.status in ("qualified", "ended"):
            continue
        name = str(row.trainee)
        if row.training_started_on is None:
            events.append((f"enrolment-{row.employment.pk}", row.deadline.enrolment_deadline,
                           _("%(name)s: start of training deadline") % {"name": name}, row.deadline.rule_source))
        events.append((f"qualification-{row.employment.pk}", row.deadline.qualification_deadline,
                       _("%(name)s: qualification deadline") % {"name": name}, row.deadline.rule_source))
    body = calendar(events, name=_("Medical assistants' deadlines"), now=timezone.now(), domain=request.get_host())
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
def training_body_deadlines(request):
    """Training body: its learners at risk, soonest deadline first, fifty to a page.

    Early filtering: ended employments and qualified assistants (never at risk) are left out in the database;
    the status of the others is computed without progress (the status never depends on it) and those at risk
    kept; only the page shown is read again with progress and names.
    """
    bodies = org_selectors.training_bodies_of(request.user)
    if not bodies.exists():
        raise PermissionDenied
    today = timezone.localdate()
    trainee_ids = Enrolment.objects.filter(training_body__in=bodies).values("trainee_id")
    employments = unsettled(Employment.objects.filter(trainee_id__in=trainee_ids), today).order_by("pk")
    at_risk = [r for r in deadline_rows(employments, today, progress=False) if r.deadline.at_risk]
    at_risk.sort(key=lambda r: r.deadline.soonest_open_deadline or r.deadline.qualification_deadline)
    pagination = page_of(at_risk, request)
    place = {r.employment.pk: i for i, r in enumerate(pagination["page"].object_list)}
    shown = deadline_rows(Employment.objects.filter(pk__in=list(place)), today, fields=tables.FIELDS)
    shown.sort(key=lambda r: place[r.employment.pk])
    return render(request, "reports/training_body_deadlines.html", {
        "lines": tables.lines(shown), "today": today, **pagination})


@login_required
def learner_detail(request, enrolment_id):
    """Training body: one learner's progress, attempts and certificate."""
    from lms.certificates.services import current_certificate
    from lms.learning.views import enrolment_summary
    from lms.quizzes.models import Attempt

    enrolment = get_object_or_404(Enrolment.objects.select_related("trainee", "cohort"), pk=enrolment_id)
    memberships = request.user.training_body_memberships.filter(training_body_id=enrolment.training_body_id)
    if not memberships.exists() and not request.user.is_superuser:
        raise Http404
    context = enrolment_summary(enrolment)
    context.update({
        "learner": enrolment.trainee,
        "attempts": Attempt.objects.filter(enrolment=enrolment).select_related("quiz").order_by("quiz__path", "number"),
        "certificate": current_certificate(enrolment),
        "is_manager": memberships.filter(role="manager").exists(),
    })
    return render(request, "reports/learner.html", context)


@login_required
def reminder_settings(request):
    """An employer chooses which advance reminders they receive (the missed-deadline notice always goes)."""
    from lms.deadlines.models import ALL_THRESHOLDS, ReminderPreference

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
    from lms.reports.attendance import RECORD_FORMATS, attendance_record

    if fmt not in RECORD_FORMATS:  # nor does the name typed reach the response's headers
        raise Http404
    enrolment = _staff_enrolment(request.user, enrolment_id)
    render_record, mimetype = RECORD_FORMATS[fmt]
    response = HttpResponse(render_record(attendance_record(enrolment)), content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="releve-activite-{enrolment.pk}.{fmt}"'
    return response


@login_required
def cohort_attendance_zip(request, cohort_id):
    """Every trainee's record of a cohort in one ZIP."""
    from lms.learning.models import Cohort
    from lms.reports.attendance import cohort_zip

    bodies = org_selectors.training_bodies_of(request.user)
    cohort = get_object_or_404(Cohort.objects.filter(training_body__in=bodies), pk=cohort_id)
    enrolments = Enrolment.objects.filter(cohort=cohort).select_related("trainee", "training_body")
    response = HttpResponse(cohort_zip(enrolments), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="releves-session-{cohort.pk}.zip"'
    return response


@login_required
def my_data(request):
    """'Mes données': download everything as JSON, or erase the account."""
    import json

    from lms.reports.personal_data import account_erase, personal_data, retention_years

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
