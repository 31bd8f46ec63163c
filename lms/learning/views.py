"""The trainee's pages: my track, the track outline, a lesson, marking it done, searching the track; answering a
training body's offer to enrol."""
from datetime import datetime
from pathlib import PurePosixPath
from datetime import timezone as dt_timezone

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lms.accommodations import selectors as accommodation_selectors
from lms.core.background import background_request
from lms.core.cache import TRAINEES_SCOPE, read_stamped, store_stamped, trainee_scope, versions
from lms.core.dates import legal_today
from lms.core.errors import DomainError
from lms.core.forms import SearchForm
from lms.learning import attendance, selectors, services
from lms.learning.access import (LoginRequired, restriction_holds, track_access, view_restriction_response,
                                 view_restrictions)
from lms.core.protected_media import stored_file_response
from lms.learning.models import EnrolmentOffer, QualificationResult
from lms.learning.qualification import may_download_result, results_shown
from lms.learning.search import lesson_search
from lms.learning.outline import outline_html, render_shared_outline, shared_outline_key
from lms.learning.progress import compute_progress, pace_status, planned_end


def enrolment_summary(enrolment, structure=None, today=None, done=None, extra_percent=None):
    """Progress, planned end and pace of one enrolment; `done`: its done items if already read (done_items_of),
    `extra_percent`: its accommodation's longer duration if already read (extra_durations_of; or the enrolment's own
    `extra_percent`, as track_enrolment and enrolments_of read it)."""
    if extra_percent is None:
        extra_percent = getattr(enrolment, "extra_percent", None)
    today = today or legal_today()
    structure = structure or selectors.track_structure(enrolment.track_id)
    progress = compute_progress(structure, *(done or selectors.done_items(enrolment)))
    ends_on = planned_end(starts_on=enrolment.starts_on, duration_value=structure.duration_value,
                          duration_unit=structure.duration_unit,
                          cohort_ends_on=enrolment.cohort.ends_on if enrolment.cohort else None,
                          extra_percent=selectors.extra_duration_of(enrolment) if extra_percent is None
                          else extra_percent)
    pace = pace_status(share_done=progress.share_done, complete=progress.complete, starts_on=enrolment.starts_on,
                       ends_on=ends_on, today=today, items_done=progress.items_done, items_total=progress.items_total)
    return {"enrolment": enrolment, "track": structure, "structure": structure, "progress": progress,
            "planned_end": ends_on, "pace": pace, "waiting_for_time": services.waiting_for_time(enrolment, progress)}


def _complete_if_time_met(summary):
    """All done and the realised share now met (time counted since the last event): the track is completed now."""
    waiting = summary.get("waiting_for_time") if summary else None
    if waiting is not None and waiting.share_met:
        with transaction.atomic():
            services.enrolment_refresh_completion(enrolment=summary["enrolment"])
        summary["enrolment"].refresh_from_db()
        summary["waiting_for_time"] = None


KEPT_PAGE_SECONDS = 24 * 3600


def _kept_page_key(page, user_id, today, *parts):
    """The shared cache's key of a page kept for one reader: one per day (Europe/Paris) and language, as the pace
    and the days left move with the date and the text with the language."""
    return ":".join([page, "v1", str(user_id), *map(str, parts), get_language(), today.isoformat()])


@login_required
def my_track(request):
    """'Mon parcours': current track, progress, next lesson, planned end date, certificates and deadlines.

    What it shows depends on the trainee's own rows, a few shared ones and the day: it is kept in the shared cache
    for the day and the language, stamped with the trainee's scope and the shared one (lms.core.cache), whose tokens
    change when any of those rows changes. A reload reads it in two cache round trips and no query.
    """
    user, today = request.user, legal_today()
    key = _kept_page_key("my-track", user.pk, today)
    content, stamp = read_stamped(key, [trainee_scope(user.pk), TRAINEES_SCOPE])
    if content is None:
        content, lasting = _my_track_content(user, today, stamp)
        if lasting:
            store_stamped(key, content, stamp, KEPT_PAGE_SECONDS)
    return render(request, "learning/my_track.html", {"content": mark_safe(content)})


def _my_track_content(user, today, stamp):
    """(HTML, whether it holds until a row changes): the content of 'Mon parcours'. `stamp`: the scope tokens read
    before the rows, to which the tokens of the tracks are added before their structures are read."""
    # With what counts of each (a certification result in force among it): the results' list costs a query only
    # when there is one.
    enrolments = selectors.enrolments_of(user, with_counts=True)
    qualifying = {e.pk for e in enrolments if e.qualified_on}
    stamp.update(versions(selectors.track_scope(e.track_id) for e in enrolments))
    structures = selectors.track_structures(e.track_id for e in enrolments)
    shown = [e for e in enrolments if structures[e.track_id] is not None]  # an unpublished track is not shown
    done = selectors.done_items_of(e.pk for e in shown)
    summaries = [enrolment_summary(e, structures[e.track_id], done=done[e.pk], today=today) for e in shown]
    # waiting for the realised time, the page changes as time is counted: it is built at each request
    lasting = not any(summary["waiting_for_time"] for summary in summaries)
    for summary in summaries:
        _complete_if_time_met(summary)
    return render_to_string("learning/_my_track.html", {
        "user": user,
        "current": summaries[0] if summaries else None, "others": summaries[1:], "enrolments": enrolments,
        "structures": structures,
        # the disability referent of the current track's body, whose contact every trainee sees (lms.accommodations)
        "referent": accommodation_selectors.referent_of_body(summaries[0]["enrolment"].training_body)
                    if summaries else None,
        # the results that qualify (one a revoked certificate withdrew does not: lms.learning.qualification)
        "qualification_results": [r for r in results_shown(user.pk) if r.enrolment_id in qualifying]
                                 if qualifying else [],
    }), lasting


@login_required
@require_safe
def qualification_document(request, pk):
    """The document of a certification result (the jury's decision), to those lms.learning.qualification
    .may_download_result allows; a 404 for anyone else, as if it did not exist."""
    result = get_object_or_404(QualificationResult.objects.select_related("enrolment"), pk=pk)
    if not may_download_result(request.user, result) or not result.document:
        raise Http404
    extension = PurePosixPath(result.document.name).suffix.lower()
    return stored_file_response(result.document.name,
                                content_disposition=f'attachment; filename="certification-{result.pk}{extension}"')


def track_outline(request, track_id):
    """The outline of a track with each lesson's status.

    An enrolled trainee's outline is kept in the shared cache for the day and the language, as 'Mon parcours' is,
    stamped with their scope, the shared one, the track's and the page restrictions' (lms.core.cache): a reload reads
    it in two cache round trips and no query, and checks the page restrictions only when one held on the track.
    """
    user, today = request.user, legal_today()
    if user.is_authenticated:
        key = _kept_page_key("track-outline", user.pk, today, int(track_id))
        kept, stamp = read_stamped(key, [trainee_scope(user.pk), TRAINEES_SCOPE, selectors.track_scope(track_id),
                                         selectors.RESTRICTIONS_SCOPE])
        if kept is not None:
            title, content, restricted_path = kept
            return ((restricted_path and view_restriction_response(request, track_id, restricted_path))
                    or render(request, "learning/track_outline.html", {"title": title, "content": mark_safe(content)}))
    structure, holders, shared_html = selectors.outline_parts(track_id, shared_outline_key, render_shared_outline)
    enrolment = selectors.track_enrolment(user, track_id) if structure else None
    try:
        enrolment, is_staff = track_access(request, structure, enrolment)
    except LoginRequired as login:
        return login.response
    refused = view_restriction_response(request, track_id, structure.path, holders)
    if refused:
        return refused
    content, lasting = _outline_content(user, structure, enrolment, is_staff, shared_html, today)
    if lasting and enrolment is not None:  # the staff's outline, without statuses, is not kept
        restricted = restriction_holds(structure.path, holders)
        store_stamped(key, (structure.title, content, structure.path if restricted else ""), stamp,
                      KEPT_PAGE_SECONDS)
    return render(request, "learning/track_outline.html", {"title": structure.title, "content": content})


def _outline_content(user, structure, enrolment, is_staff, shared_html=None, today=None):
    """(HTML, whether it holds until a row changes): the outline for its reader (without statuses for the staff)."""
    context = {"user": user, "track": structure, "structure": structure, "is_staff": is_staff, "enrolment": enrolment}
    lasting = True
    if enrolment is not None:
        context.update(enrolment_summary(enrolment, structure, today=today))
        # waiting for the realised time, the outline changes as time is counted: it is built at each request
        lasting = context["waiting_for_time"] is None
        _complete_if_time_met(context)
    exempted_on = ({e.module_id: e.decided_at for e in selectors.exemptions_confirmed(enrolment.pk)}
                   if enrolment is not None and context["progress"].modules and any(
                       m.exempted for m in context["progress"].modules) else None)
    context["outline_html"] = outline_html(structure, context.get("progress"), shared_html, exempted_on)
    return render_to_string("learning/_track_outline.html", context), lasting


def lesson(request, lesson_id):
    """A lesson with previous/next, 'Marquer comme terminée' and its time estimate.

    An enrolled reader costs one query (their enrolment, found through the live lesson, with its done flag) and one
    cache round trip: the page's content, the same for every enrolled reader in the same state (lesson done or not)
    and language, is kept in the shared cache stamped with the track's, the media's and the page restrictions'
    scopes (lms.core.cache); a restriction that held on the lesson is checked at each read. Only the form and the
    heartbeat, which carry the reader's CSRF token, are rendered per request. Anyone else (the body's staff, a
    stranger) goes through the page itself, and nothing is kept for them.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    lesson_id = int(lesson_id)
    enrolment, done = selectors.reader_enrolment(request.user, lesson_id)
    kept = None
    if enrolment is not None:
        key = f"lesson-page:v1:{enrolment.track_id}:{lesson_id}:{int(done)}:{get_language()}"
        kept, stamp = read_stamped(key, selectors.lesson_scopes(enrolment.track_id))
        if kept is not None and kept["restricted_path"]:
            refused = view_restriction_response(request, lesson_id, kept["restricted_path"])
            if refused:
                return refused
    if kept is None:
        track_id = (enrolment.track_id if enrolment is not None else  # 404 unless live
                    selectors.track_of(selectors.lesson_for_reader(request.user, lesson_id)[0]).pk)
        kept = _lesson_parts(request, track_id, lesson_id, enrolment, done)
        if isinstance(kept, HttpResponse):
            return kept  # refused: page privacy, or the login
        if enrolment is not None:  # the staff's page is not kept
            store_stamped(key, kept, stamp, KEPT_PAGE_SECONDS)
    if enrolment is not None and not done:
        opened = f"lesson-opened-{lesson_id}"
        if opened not in request.session:  # time spent, for the attendance record (xAPI duration)
            request.session[opened] = timezone.now().timestamp()
    return render(request, "learning/lesson.html", {
        **kept, "head": mark_safe(kept["head"]), "foot": mark_safe(kept["foot"]), "lesson_id": lesson_id,
        "enrolment": enrolment, "done": done})


def _lesson_parts(request, track_id, lesson_id, enrolment, done):
    """The lesson page's parts for its reader, or the response that refuses it: its title, its content before and
    after the form (HTML), what the form and the scripts depend on, and `restricted_path`: the lesson's tree path
    when a page restriction held on it, "" when none did."""
    structure, body_html, holders = selectors.structure_and_body(track_id, lesson_id)
    item = next((item for item in structure.lessons if item.id == lesson_id), None) if structure else None
    if item is None or body_html is None:
        raise Http404  # unpublished since the first read
    try:
        enrolment, _is_staff = track_access(request, structure, enrolment)
    except LoginRequired as login:
        return login.response
    refused = view_restriction_response(request, item.id, item.path, holders)
    if refused:
        return refused
    previous_item, next_item = structure.neighbours(item.id)  # a module's quiz comes after its last lesson
    position = next(i for i, lesson in enumerate(structure.lessons) if lesson.id == item.id)
    context = {
        "user": request.user, "lesson": item, "body_html": body_html, "track": structure,
        "enrolled": enrolment is not None,
        "module": next((m for m in structure.modules if any(lesson.id == item.id for lesson in m.lessons)), None),
        "done": done, "previous_item": previous_item, "next_item": next_item, "position": position + 1,
        "count": len(structure.lessons),
    }
    return {"title": item.title, "head": render_to_string("learning/_lesson_head.html", context),
            "foot": render_to_string("learning/_lesson_foot.html", context),
            "has_next": next_item is not None, "scorm": "data-scorm-player" in body_html,
            "video": "data-video-load" in body_html,
            "restricted_path": item.path if restriction_holds(item.path, holders) else ""}


@login_required
@require_POST
def lesson_mark_done(request, lesson_id):
    """Mark a lesson done for the current user's enrolment in its track, then go to the next item of the track
    (the next lesson; after a module's last lesson, its quiz; after the last module, the final assessment)."""
    lesson_page, enrolment, _done = selectors.lesson_for_reader(request.user, lesson_id)
    if enrolment is None or not lesson_page.specific_class.completed_by_trainee:
        raise Http404  # a SCORM lesson (lms.scorm) is done when its SCO says so
    restricted = view_restriction_response(request, lesson_page.pk, lesson_page.path)
    if restricted is not None:
        return restricted
    opened = request.session.pop(f"lesson-opened-{lesson_page.pk}", None)
    try:
        with transaction.atomic():
            seconds = attendance.lesson_done_seconds(
                user=request.user, session_key=request.session.session_key, enrolment=enrolment, lesson=lesson_page,
                opened_at=datetime.fromtimestamp(opened, tz=dt_timezone.utc) if opened else None)
            services.lesson_complete(enrolment=enrolment, lesson=lesson_page, duration_seconds=seconds)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("lesson", lesson_page.pk)
    messages.success(request, _("Lesson “%(title)s” marked as done.") % {"title": lesson_page.title})
    _previous, next_item = selectors.track_structure(enrolment.track_id).neighbours(lesson_page.pk)
    if request.POST.get("next") == "1" and next_item is not None:  # the next lesson, or the module's quiz
        return redirect(next_item.url)
    return redirect("lesson", lesson_page.pk)


@login_required
def track_search(request, enrolment_id):
    """Search the lessons of one of the user's tracks: each lesson found with its module and an excerpt where the
    words are marked. Page privacy: a restricted track asks for its password first; a restricted lesson the reader
    has not passed is listed without an excerpt (its title only, as on the outline)."""
    enrolment = get_object_or_404(selectors.enrolments_of(request.user), pk=enrolment_id)
    search = SearchForm(request.GET, max_length=200, label=_("Words to search for"))
    structure = selectors.track_structure(enrolment.track_id)
    if structure is None:
        raise Http404  # the track is no longer published
    holders = selectors.restriction_holders()
    restricted = view_restriction_response(request, structure.id, structure.path, holders)
    if restricted is not None:  # a track under page privacy: its password (or login) first, as on its outline
        return restricted
    results = []
    if search.words:  # words only: the search engine's own syntax (quotes, operators) is not the trainee's

        def quotable(hit):
            return all(restriction.accept_request(request)
                       for restriction in view_restrictions(hit.lesson_id, hit.path, holders))

        results = lesson_search(structure=structure, words=search.words, quotable=quotable)
    return render(request, "learning/search.html", {"enrolment": enrolment, "track": structure,
                                                    "query": search.query, "search": search, "results": results},
                  status=400 if search.errors else 200)


@background_request
@login_required
@require_POST
def lesson_heartbeat(request, lesson_id):
    """Sent every 30 s by the lesson page while it is visible: the person's active time (attendance record).

    Cheap, as most of a class's requests are heartbeats: the enrolment read, one row appended to the heartbeat log
    (counted later, see learning.attendance), no session write.
    """
    from django.http import JsonResponse

    enrolment = selectors.enrolment_for_lesson(request.user, lesson_id)
    if enrolment is None:
        raise Http404
    attendance.lesson_heartbeat(user=request.user, session_key=request.session.session_key, enrolment=enrolment,
                                lesson_id=int(lesson_id), resume=bool(request.POST.get("resume")))
    return JsonResponse({"recorded": True})


def _own_offer(request, offer_id):
    """An enrolment offer addressed to the user (404 for anyone else's, whatever its state)."""
    return get_object_or_404(EnrolmentOffer.objects.filter(invitee=request.user), pk=offer_id)


@login_required
@require_POST
def enrolment_offer_accept(request, offer_id):
    """The person accepts a training body's offer: they are enrolled and find the track in 'My track'."""
    offer = _own_offer(request, offer_id)
    try:
        enrolment = services.enrolment_offer_accept(offer=offer, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts_dashboard")
    messages.success(request, _("You are enrolled in “%(track)s” with %(body)s.")
                     % {"track": enrolment.track.title, "body": offer.training_body.name})
    return redirect("my_track")


@login_required
@require_POST
def enrolment_offer_refuse(request, offer_id):
    """The person declines a training body's offer: nothing changes on their account."""
    offer = _own_offer(request, offer_id)
    try:
        services.enrolment_offer_refuse(offer=offer, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have declined the invitation of %(body)s.") % {"body": offer.training_body.name})
    return redirect("accounts_dashboard")
