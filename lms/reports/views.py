"""Employer portal (assistants and their deadlines), exports, and the training body's deadline report."""
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
from lms.deadlines import services as deadline_services
from lms.deadlines.ical import calendar
from lms.deadlines.rules import LABELS
from lms.deadlines.selectors import employment_rows
from lms.learning.models import Enrolment
from lms.organisations import selectors as org_selectors
from lms.organisations.models import Employment
from lms.core.exports import csv_bytes
from lms.reports.forms import DeclarationForm

SORTS = {
    "nom": lambda r: (r.trainee.last_name.lower(), r.trainee.first_name.lower()),
    "recrutement": lambda r: r.employment.hired_on,
    "progression": lambda r: r.percent,
    "inscription": lambda r: r.deadline.enrolment_deadline,
    "qualification": lambda r: r.deadline.qualification_deadline,
    "statut": lambda r: (r.status_rank, r.deadline.soonest_open_deadline or r.deadline.qualification_deadline),
}


def _employer_rows(user, today):
    practices = org_selectors.practices_of(user)
    if not practices.exists():
        raise PermissionDenied
    employments = org_selectors.employments_of_practices(user).order_by("trainee__last_name")
    rows = employment_rows(employments, today)
    _attach_certificates(rows)
    return practices, rows


def _attach_certificates(rows):
    """Give each row the download link of its current certificate, in one query."""
    from lms.certificates.models import Certificate, CertificateStatus

    enrolment_ids = [r.enrolment.pk for r in rows if r.enrolment]
    current = {c.enrolment_id: c for c in Certificate.objects.filter(enrolment_id__in=enrolment_ids)
               .exclude(status=CertificateStatus.SUPERSEDED).only("id", "enrolment_id", "status")}
    for row in rows:
        certificate = current.get(row.enrolment.pk) if row.enrolment else None
        row.certificate_url = reverse("certificate_download", args=[certificate.pk]) if certificate else None


@login_required
def employer_dashboard(request):
    """One table of the practice's assistants: progress, both deadlines, status and risk; sortable, filterable."""
    today = timezone.localdate()
    practices, rows = _employer_rows(request.user, today)
    status = request.GET.get("statut", "")
    if status in LABELS:
        rows = [r for r in rows if r.deadline.status == status]
    sort, order = request.GET.get("tri", "statut"), request.GET.get("ordre", "asc")
    if sort not in SORTS:
        sort = "statut"
    rows.sort(key=SORTS[sort], reverse=order == "desc")
    return render(request, "reports/employer_dashboard.html", {
        "rows": rows, "practices": practices, "statuses": LABELS.items(), "status": status, "sort": sort,
        "order": order, "today": today,
        "invitations": org_selectors.invitations_visible_to(request.user).filter(practice__isnull=False).pending(),
        "at_risk": sum(1 for r in rows if r.deadline.at_risk),
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
    """The employer table as CSV for French spreadsheets."""
    today = timezone.localdate()
    _practices, rows = _employer_rows(request.user, today)
    header = [_("Last name"), _("First name"), _("Email address"), _("Practice"), _("Entry profile"), _("Hire date"),
              _("Track"), _("Progress (%)"), _("Enrolment deadline"), _("Days left"), _("Qualification deadline"),
              _("Days left"), _("Status"), _("At risk"), _("Reason"), _("Rule")]
    data = [[r.trainee.last_name, r.trainee.first_name, r.trainee.email, r.employment.practice.name,
             r.trainee.trainee_profile.get_entry_profile_display() if hasattr(r.trainee, "trainee_profile") else "",
             r.employment.hired_on.strftime("%d/%m/%Y"), r.track_title, r.percent,
             r.deadline.enrolment_deadline.strftime("%d/%m/%Y"), r.deadline.enrolment_days_left,
             r.deadline.qualification_deadline.strftime("%d/%m/%Y"), r.deadline.qualification_days_left,
             r.deadline.label, _("yes") if r.deadline.at_risk else _("no"), r.deadline.risk_reason, r.deadline.rule_name]
            for r in rows]
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
    _practices, rows = _employer_rows(user, today)
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
    """Training body: its learners at risk, soonest deadline first."""
    bodies = org_selectors.training_bodies_of(request.user)
    if not bodies.exists():
        raise PermissionDenied
    today = timezone.localdate()
    trainee_ids = Enrolment.objects.filter(training_body__in=bodies).values("trainee_id")
    employments = (Employment.objects.filter(trainee_id__in=trainee_ids)
                   .select_related("trainee", "trainee__trainee_profile", "practice"))
    rows = [r for r in employment_rows(employments, today) if r.deadline.at_risk]
    rows.sort(key=lambda r: r.deadline.soonest_open_deadline or r.deadline.qualification_deadline)
    return render(request, "reports/training_body_deadlines.html", {"rows": rows, "today": today})


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
    """The trainee's record of connections and activity, as PDF or CSV (training body staff)."""
    from lms.reports.attendance import attendance_record, record_csv, record_pdf

    enrolment = _staff_enrolment(request.user, enrolment_id)
    record = attendance_record(enrolment)
    data, mimetype = (record_pdf(record), "application/pdf") if fmt == "pdf" else (record_csv(record), "text/csv; charset=utf-8")
    response = HttpResponse(data, content_type=mimetype)
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
