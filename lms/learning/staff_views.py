"""Training-body pages for enrolments and cohorts, scoped to the bodies the user works for."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from lms.accounts.models import EntryProfile, User
from lms.catalog.models import TrackPage
from lms.core.confirm import confirmation_page, confirmed
from lms.core.dates import legal_date, legal_today
from lms.core.display import DateText, choice_labels, full_name
from lms.core.errors import DomainError
from lms.core.forms import SearchForm, valid_id
from lms.core.pagination import page_of
from lms.core.site import base_url
from lms.learning import selectors, services
from lms.learning.forms import (
    CohortForm,
    EnrolmentForm,
    EnrolmentImportForm,
    ExemptionDecisionForm,
    QualificationResultForm,
    QualificationResultRevokeForm,
)
from lms.learning.progress import items_text, pace_text
from lms.learning.models import (
    Cohort,
    Enrolment,
    EnrolmentOffer,
    EnrolmentStatus,
    ExemptionStatus,
    ModuleExemption,
    OfferStatus,
    QualificationResult,
    offer_status,
)
from lms.organisations.models import StaffRole
from lms.organisations.selectors import is_staff_of, training_bodies_of

IMPORT_SESSION_KEY = "enrolment_import"
ENROLLING_ROLES = [StaffRole.MANAGER, StaffRole.TUTOR]
OFFERS_SHOWN = 100  # the most recent invitations listed with the learners (accepted or cancelled ones leave the list)


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
        "track__title", "cohort__name", "starts_on", "status", "trainee__erased_at", "track_id", "cohort__ends_on",
        named=True)
    pagination = page_of(enrolments, request)
    offers = selectors.offers_sent_by(body)
    if valid_id(track_id):
        offers = offers.filter(track_id=track_id)
    if valid_id(cohort_id):
        offers = offers.filter(cohort_id=cohort_id)
    for word in query.split()[:5]:
        offers = offers.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word) | Q(email__icontains=word))
    offers = list(offers[:OFFERS_SHOWN + 1])
    return render(request, "learning/staff/enrolment_list.html", {
        "body": body, "learners": _learner_lines(pagination["page"].object_list), "tracks": _tracks(body),
        "cohorts": _cohorts(body), "track_id": track_id, "cohort_id": cohort_id, "query": query, "search": search,
        "can_enrol": request.user.training_body_memberships.filter(training_body=body, role__in=ENROLLING_ROLES).exists(),
        "offers": _offer_lines(offers[:OFFERS_SHOWN]), "more_offers": len(offers) > OFFERS_SHOWN,
        "offers_shown": OFFERS_SHOWN,
        **pagination,
    }, status=400 if search.errors else 200)


def _offer_lines(offers):
    """The cells of the body's pending invitations: what it typed, and the answer."""
    fmt, profiles, statuses, now = DateText(), choice_labels(EntryProfile), choice_labels(OfferStatus), timezone.now()
    lines = []
    for offer in offers:
        status = offer_status(offer["status"], offer["expires_at"], now)
        lines.append({
            "pk": offer["pk"], "email": offer["email"],
            "name": full_name(offer["first_name"], offer["last_name"], offer["email"]),
            "entry_profile": profiles.get(offer["entry_profile"], ""), "track": offer["track__title"],
            "cohort": offer["cohort__name"] or "—", "starts_on": fmt(offer["starts_on"]),
            "status": statuses[status], "pending": status == OfferStatus.PENDING,
        })
    return lines


def _learner_lines(enrolments):
    """The cells of one page of the learners list, formatted once (plain dicts: a template finds their keys first).

    Progress and pace are those of 'Mon parcours', computed for the whole page at once (selectors.paces_of).
    """
    fmt, profiles, statuses = DateText(), choice_labels(EntryProfile), choice_labels(EnrolmentStatus)
    enrolments = list(enrolments)
    paces = selectors.paces_of(enrolments, legal_today())
    return [{
        "pk": e.pk,
        "name": full_name(e.trainee__first_name, e.trainee__last_name, e.trainee__email),
        # An erased account keeps only the name its evidence needs (lms.reports.personal_data): no address.
        "email": "" if e.trainee__erased_at else e.trainee__email,
        "erased_on": fmt(legal_date(e.trainee__erased_at)) if e.trainee__erased_at else "",
        "entry_profile": profiles.get(e.trainee__trainee_profile__entry_profile, ""),
        "track": e.track__title,
        "cohort": e.cohort__name or "—",
        "starts_on": fmt(e.starts_on),
        "status": statuses.get(e.status, e.status),
        **_progress_cells(paces[e.pk], withdrawn=e.status == EnrolmentStatus.WITHDRAWN),
    } for e in enrolments]


def _progress_cells(summary, *, withdrawn):
    """The progress ('42 %', '5 / 12 items') and pace cells of one learner; dashes for an unpublished track, and no
    pace for a withdrawn learner."""
    if summary is None:
        return {"percent": "—", "items": "", "pace": "—", "pace_code": ""}
    progress, pace = summary.progress, summary.pace
    return {"percent": f"{progress.percent} %", "items": items_text(progress.items_done, progress.items_total),
            "pace": "—" if withdrawn else pace_text(pace), "pace_code": "" if withdrawn else pace.status}


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
                result = services.enrolment_request(
                    email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
                    entry_profile=data["entry_profile"], track=track, training_body=body, starts_on=data["starts_on"],
                    cohort=data["cohort"], requested_by=request.user, base_url=base_url(request))
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                if result.account_created:
                    services.send_welcome_email(enrolment=result.enrolment, base_url=base_url(request))
                    messages.success(request, _("%(name)s is enrolled in “%(track)s”.")
                                     % {"name": result.enrolment.trainee, "track": track.title})
                else:
                    messages.success(request, _(
                        "%(email)s already has an account: an invitation to enrol in “%(track)s” has been sent. "
                        "The enrolment will be made when they accept it.") % {"email": result.email,
                                                                              "track": track.title})
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
            results = services.enrolments_import(rows=rows, training_body=body, cohort=cohort,
                                                 enrolled_by=request.user, base_url=base_url(request))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("enrolment_import")
        del request.session[IMPORT_SESSION_KEY]
        enrolled = [r.enrolment for r in results if r.account_created]
        for enrolment in enrolled:
            services.send_welcome_email(enrolment=enrolment, base_url=base_url(request))
        offered = len(results) - len(enrolled)
        if enrolled or not offered:
            messages.success(request, _("%(count)s trainees enrolled.") % {"count": len(enrolled)})
        if offered:
            messages.success(request, ngettext(
                "%(count)s address already has an account: an invitation to enrol has been sent to it.",
                "%(count)s addresses already have an account: an invitation to enrol has been sent to each.",
                offered) % {"count": offered})
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
        "form": form, "body": body, "rows": rows, "has_problems": rows is not None and any(r.problems for r in rows),
        "columns": services.csv_columns_help()})


def _enrolling_staff_object(request, queryset, pk):
    """An object of one of the user's training bodies (404 for anyone else), for its tutors and managers only
    (403 for its authors)."""
    item = get_object_or_404(queryset.filter(training_body__in=training_bodies_of(request.user)), pk=pk)
    if not is_staff_of(request.user, item.training_body_id, roles=ENROLLING_ROLES):
        raise PermissionDenied
    return item


@login_required
@require_POST
def enrolment_offer_cancel(request, offer_id):
    """Take back an invitation to enrol that has not been answered yet."""
    offer = _enrolling_staff_object(request, EnrolmentOffer.objects.all(), offer_id)
    back = f"{reverse('enrolment_list')}?organisme={offer.training_body_id}"
    if not confirmed(request):
        return confirmation_page(
            request, title=_("Cancel the invitation"), confirm_label=_("Cancel the invitation"), cancel_url=back,
            question=_("Cancel the invitation to enrol sent to %(email)s? Its link will stop working.") % {
                "email": offer.email})
    try:
        services.enrolment_offer_cancel(offer=offer)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation to %(email)s has been cancelled.") % {"email": offer.email})
    return redirect(back)


@login_required
def enrolment_withdraw(request, enrolment_id):
    """Withdraw a trainee from a track (a mistaken enrolment, a trainee who left), after a confirmation step."""
    enrolment = _enrolling_staff_object(
        request, Enrolment.objects.select_related("trainee", "track", "cohort"), enrolment_id)
    if request.method == "POST":
        try:
            services.enrolment_withdraw(enrolment=enrolment)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s has been withdrawn from “%(track)s”.")
                             % {"name": enrolment.trainee, "track": enrolment.track.title})
        return redirect("learner_detail", enrolment.pk)
    return render(request, "learning/staff/enrolment_withdraw.html", {
        "enrolment": enrolment, "can_withdraw": enrolment.status == EnrolmentStatus.ACTIVE})


@login_required
def qualification_result(request, enrolment_id):
    """Record the certification result of one of the body's learners (its tutors and managers), or revoke it.

    Only for a track that leads to a certification: finishing a track is not the qualification, this result is.
    A result is never deleted; a revoked one stays listed with its reason.
    """
    enrolment = _enrolling_staff_object(
        request, Enrolment.objects.select_related("trainee", "track", "cohort"), enrolment_id)
    results = list(QualificationResult.objects.filter(enrolment=enrolment).select_related("recorded_by", "revoked_by"))
    in_force = next((r for r in results if r.revoked_at is None), None)
    can_record = (enrolment.track.leads_to_certification and in_force is None
                  and enrolment.status != EnrolmentStatus.WITHDRAWN)
    form, revoke_form = QualificationResultForm(), QualificationResultRevokeForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke" and in_force is not None:
            revoke_form = QualificationResultRevokeForm(request.POST)
            if revoke_form.is_valid():
                try:
                    services.qualification_result_revoke(result=in_force, reason=revoke_form.cleaned_data["reason"],
                                                         revoked_by=request.user)
                except DomainError as error:
                    revoke_form.add_error(error.field, error.message)
                else:
                    messages.success(request, _("The result has been revoked."))
                    return redirect("qualification_result", enrolment.pk)
        elif action == "record" and can_record:
            form = QualificationResultForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.qualification_result_record(
                        enrolment=enrolment, obtained_on=data["obtained_on"], jury_reference=data["jury_reference"],
                        document=data["document"], recorded_by=request.user)
                except DomainError as error:
                    form.add_error(error.field, error.message)
                else:
                    messages.success(request, _("The result has been recorded: %(name)s is qualified.")
                                     % {"name": enrolment.trainee})
                    return redirect("qualification_result", enrolment.pk)
    return render(request, "learning/staff/qualification_result.html", {
        "enrolment": enrolment, "track": enrolment.track, "results": results, "in_force": in_force,
        "form": form if can_record else None, "revoke_form": revoke_form if in_force else None})


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


@login_required
@require_safe
def exemption_list(request):
    """The module exemptions proposed after the positioning tests of the body's learners, waiting for a tutor."""
    body = _body(request, roles=ENROLLING_ROLES)
    exemptions = selectors.exemptions_waiting([body.pk])
    context = page_of(exemptions, request, per_page=50)
    return render(request, "learning/staff/exemption_list.html", {"training_body": body, **context})


@login_required
def exemption_decide(request, exemption_id):
    """Confirm or refuse one proposed exemption, with a reason (tutors and managers of the learner's body)."""
    exemption = get_object_or_404(
        ModuleExemption.objects.select_related("module", "enrolment__trainee", "enrolment__track", "decided_by")
        .filter(enrolment__training_body__in=training_bodies_of(request.user)), pk=exemption_id)
    if not is_staff_of(request.user, exemption.enrolment.training_body_id, roles=ENROLLING_ROLES):
        raise PermissionDenied
    form = ExemptionDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.exemption_decide(exemption=exemption, by=request.user,
                                          confirm=form.cleaned_data["decision"] == "confirm",
                                          reason=form.cleaned_data["reason"])
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Your decision has been recorded and sent to the learner."))
                return redirect("learner_detail", exemption.enrolment_id)
        status = 400
    return render(request, "learning/staff/exemption_decide.html", {
        "exemption": exemption, "enrolment": exemption.enrolment, "form": form,
        "decided": exemption.status != ExemptionStatus.PROPOSED}, status=status)
