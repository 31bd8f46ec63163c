"""Training-body pages for enrolments and cohorts, scoped to the bodies the user works for."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lms.accounts.models import EntryProfile, User
from lms.catalog.models import TrackPage
from lms.core.display import DateText, choice_labels, full_name
from lms.core.errors import DomainError
from lms.core.forms import SearchForm, valid_id
from lms.core.pagination import page_of
from lms.learning import services
from lms.learning.forms import CohortForm, EnrolmentForm, EnrolmentImportForm
from lms.learning.models import Cohort, Enrolment, EnrolmentStatus
from lms.organisations.models import StaffRole
from lms.organisations.selectors import training_bodies_of

IMPORT_SESSION_KEY = "enrolment_import"
ENROLLING_ROLES = [StaffRole.MANAGER, StaffRole.TUTOR]


def _body(request, roles=None):
    """The training body the user works for (the first one; staff of several bodies pick with ?organisme=)."""
    bodies = training_bodies_of(request.user, roles=roles)
    wanted = request.GET.get("organisme") or request.POST.get("organisme")
    body = bodies.filter(pk=wanted).first() if wanted and valid_id(wanted) else bodies.first()
    if body is None:
        raise PermissionDenied
    return body


def _tracks(body):
    return TrackPage.objects.live().filter(training_body=body).order_by("title")


def _cohorts(body):
    return Cohort.objects.filter(training_body=body).select_related("track")


@login_required
def enrolment_list(request):
    """The body's learners and their tracks, searchable by name or email, filterable by track and cohort.

    Fifty to a page (a count and a slice of the query); plain values, not Wagtail page and user instances.
    """
    body = _body(request)
    enrolments = Enrolment.objects.filter(training_body=body)
    track_id, cohort_id = request.GET.get("parcours", ""), request.GET.get("session", "")
    search = SearchForm(request.GET, label=_("Name or email address"))
    query = search.query
    if valid_id(track_id):
        enrolments = enrolments.filter(track_id=track_id)
    if valid_id(cohort_id):
        enrolments = enrolments.filter(cohort_id=cohort_id)
    for word in query.split()[:5]:
        enrolments = enrolments.filter(Q(trainee__last_name__icontains=word) | Q(trainee__first_name__icontains=word)
                                       | Q(trainee__email__icontains=word))
    enrolments = enrolments.order_by("trainee__last_name", "trainee__first_name", "pk").values_list(
        "pk", "trainee__first_name", "trainee__last_name", "trainee__email", "trainee__trainee_profile__entry_profile",
        "track__title", "cohort__name", "starts_on", "status", named=True)
    pagination = page_of(enrolments, request)
    return render(request, "learning/staff/enrolment_list.html", {
        "body": body, "learners": _learner_lines(pagination["page"].object_list), "tracks": _tracks(body),
        "cohorts": _cohorts(body), "track_id": track_id, "cohort_id": cohort_id, "query": query, "search": search,
        "can_enrol": request.user.training_body_memberships.filter(training_body=body, role__in=ENROLLING_ROLES).exists(),
        **pagination,
    }, status=400 if search.errors else 200)


def _learner_lines(enrolments):
    """The cells of one page of the learners list, formatted once (plain dicts: a template finds their keys first)."""
    fmt, profiles, statuses = DateText(), choice_labels(EntryProfile), choice_labels(EnrolmentStatus)
    return [{
        "pk": e.pk,
        "name": full_name(e.trainee__first_name, e.trainee__last_name, e.trainee__email),
        "email": e.trainee__email,
        "entry_profile": profiles.get(e.trainee__trainee_profile__entry_profile, ""),
        "track": e.track__title,
        "cohort": e.cohort__name or "—",
        "starts_on": fmt(e.starts_on),
        "status": statuses.get(e.status, e.status),
    } for e in enrolments]


@login_required
def enrolment_create(request):
    """Enrol one trainee (an account is created and emailed when the address is new)."""
    body = _body(request, roles=ENROLLING_ROLES)
    tracks = _tracks(body)
    form = EnrolmentForm(request.POST or None, tracks=tracks, cohorts=_cohorts(body))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        track = data["track"] or (data["cohort"].track if data["cohort"] else None) \
            or services.track_for_profile(list(tracks), data["entry_profile"])
        if track is None:
            form.add_error("track", _("No track of your training body serves this entry profile: choose one."))
        else:
            try:
                user = User.objects.filter(email=data["email"].lower()).first()
                created = user is None
                if user is None:
                    user, _created = services.trainee_get_or_create(
                        email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
                        entry_profile=data["entry_profile"])
                else:
                    services.trainee_get_or_create(email=user.email, first_name=user.first_name,
                                                   last_name=user.last_name, entry_profile=data["entry_profile"])
                services.enrolment_create(trainee=user, track=track, training_body=body, starts_on=data["starts_on"],
                                          cohort=data["cohort"], enrolled_by=request.user)
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                if created:
                    services.send_account_setup_email(request, user)
                messages.success(request, _("%(name)s is enrolled in “%(track)s”.") % {"name": user, "track": track.title})
                return redirect("enrolment_list")
    return render(request, "learning/staff/enrolment_form.html", {"form": form, "body": body})


@login_required
def enrolment_import(request):
    """Import enrolments from CSV: a preview lists each row's problems; nothing is saved before confirming."""
    body = _body(request, roles=ENROLLING_ROLES)
    tracks, cohorts = list(_tracks(body)), _cohorts(body)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        pending = request.session.get(IMPORT_SESSION_KEY)
        if not pending or pending.get("body") != body.pk:
            messages.error(request, _("The import has expired: upload the file again."))
            return redirect("enrolment_import")
        cohort = cohorts.filter(pk=pending["cohort"]).first() if pending["cohort"] else None
        from datetime import date

        try:
            rows = services.parse_enrolment_csv(pending["text"], tracks=tracks, cohort=cohort,
                                                default_starts_on=date.fromisoformat(pending["starts_on"]))
            created = services.enrolments_import(rows=rows, training_body=body, cohort=cohort, enrolled_by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("enrolment_import")
        del request.session[IMPORT_SESSION_KEY]
        for user, is_new in created:
            if is_new:
                services.send_account_setup_email(request, user)
        messages.success(request, _("%(count)s trainees enrolled.") % {"count": len(created)})
        return redirect("enrolment_list")

    form = EnrolmentImportForm(request.POST or None, request.FILES or None, cohorts=cohorts)
    rows = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rows = services.parse_enrolment_csv(data["file"], tracks=tracks, cohort=data["cohort"],
                                                default_starts_on=data["starts_on"])
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            request.session[IMPORT_SESSION_KEY] = {
                "body": body.pk, "text": data["file"], "cohort": data["cohort"].pk if data["cohort"] else None,
                "starts_on": data["starts_on"].isoformat()}
    return render(request, "learning/staff/enrolment_import.html", {
        "form": form, "body": body, "rows": rows, "has_problems": rows is not None and any(r.problems for r in rows)})


@login_required
def cohort_list(request):
    body = _body(request)
    is_manager = request.user.training_body_memberships.filter(training_body=body, role=StaffRole.MANAGER).exists()
    form = None
    if is_manager:
        form = CohortForm(request.POST or None, tracks=_tracks(body),
                          staff=User.objects.filter(training_body_memberships__training_body=body))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.cohort_create(training_body=body, track=data["track"], name=data["name"],
                                       starts_on=data["starts_on"], ends_on=data["ends_on"], place=data["place"],
                                       tutors=data["tutors"])
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Cohort “%(name)s” created.") % {"name": data["name"]})
                return redirect("cohort_list")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "learning/staff/cohort_list.html", {
        "body": body, "form": form,
        "cohorts": _cohorts(body).prefetch_related("tutors").order_by("-starts_on"),
    })
