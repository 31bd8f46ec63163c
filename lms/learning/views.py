"""The trainee's pages: my track, the track outline, a lesson, marking it done, searching the track."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.catalog.models import LessonPage
from lms.core.errors import DomainError
from lms.learning import selectors, services
from lms.learning.access import LoginRequired, track_access
from lms.learning.progress import compute_progress, pace_status, planned_end


def enrolment_summary(enrolment, today=None):
    """Progress, planned end and pace of one enrolment."""
    today = today or timezone.localdate()
    track = enrolment.track
    structure = selectors.track_structure(track)
    progress = compute_progress(structure, selectors.completed_lesson_ids(enrolment), selectors.passed_quiz_ids(enrolment))
    ends_on = planned_end(starts_on=enrolment.starts_on, duration_value=track.duration_value,
                          duration_unit=track.duration_unit,
                          cohort_ends_on=enrolment.cohort.ends_on if enrolment.cohort else None)
    pace = pace_status(share_done=progress.share_done, complete=progress.complete, starts_on=enrolment.starts_on,
                       ends_on=ends_on, today=today)
    return {"enrolment": enrolment, "track": track, "structure": structure, "progress": progress,
            "planned_end": ends_on, "pace": pace}


@login_required
def my_track(request):
    """'Mon parcours': current track, progress, next lesson, planned end date."""
    enrolments = list(selectors.enrolments_of(request.user))
    summaries = [enrolment_summary(e) for e in enrolments]
    return render(request, "learning/my_track.html", {
        "current": summaries[0] if summaries else None, "others": summaries[1:],
    })


def track_outline(request, track, preview=False):
    """The outline of a track with each lesson's status (served by TrackPage)."""
    try:
        enrolment, is_staff = (None, True) if preview else track_access(request, track)
    except LoginRequired as login:
        return login.response
    structure = selectors.track_structure(track)
    context = {"page": track, "track": track, "structure": structure, "is_staff": is_staff, "enrolment": enrolment}
    module_progress = [None] * len(structure.modules)
    if enrolment is not None:
        context.update(enrolment_summary(enrolment))
        module_progress = context["progress"].modules
    context["rows"] = list(zip(structure.modules, module_progress))
    return render(request, "learning/track_outline.html", context)


def lesson(request, lesson_page, preview=False):
    """A lesson with previous/next, 'Marquer comme terminée' and its time estimate (served by LessonPage)."""
    track = selectors.track_of(lesson_page)
    try:
        enrolment, is_staff = (None, True) if preview else track_access(request, track)
    except LoginRequired as login:
        return login.response
    structure = selectors.track_structure(track)
    lessons = structure.lessons
    position = next((i for i, item in enumerate(lessons) if item.id == lesson_page.pk), None)
    if position is None and not preview:
        raise Http404  # not live
    previous_item = lessons[position - 1] if position else None
    next_item = lessons[position + 1] if position is not None and position + 1 < len(lessons) else None
    module = next((m for m in structure.modules if any(item.id == lesson_page.pk for item in m.lessons)), None)
    done = enrolment is not None and lesson_page.pk in selectors.completed_lesson_ids(enrolment)
    return render(request, "learning/lesson.html", {
        "page": lesson_page, "lesson": lesson_page, "track": track, "module": module, "enrolment": enrolment,
        "is_staff": is_staff, "done": done, "previous_item": previous_item, "next_item": next_item,
        "position": (position or 0) + 1, "count": len(lessons),
    })


@login_required
@require_POST
def lesson_mark_done(request, lesson_id):
    """Mark a lesson done for the current user's enrolment in its track, then go to the next lesson."""
    lesson_page = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    track = selectors.track_of(lesson_page)
    enrolment = selectors.active_enrolment(request.user, track.pk)
    if enrolment is None:
        raise Http404
    try:
        services.lesson_complete(enrolment=enrolment, lesson=lesson_page)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(lesson_page.get_url(request))
    messages.success(request, _("Lesson “%(title)s” marked as done.") % {"title": lesson_page.title})
    lessons = selectors.track_structure(track).lessons
    ids = [item.id for item in lessons]
    position = ids.index(lesson_page.pk) if lesson_page.pk in ids else -1
    if request.POST.get("next") == "1" and 0 <= position < len(lessons) - 1:
        return redirect(lessons[position + 1].url)
    return redirect(lesson_page.get_url(request))


@login_required
def track_search(request, enrolment_id):
    """Search the lessons of one of the user's tracks."""
    enrolment = get_object_or_404(selectors.enrolments_of(request.user), pk=enrolment_id)
    query = request.GET.get("q", "").strip()[:200]
    results = []
    if query:
        results = LessonPage.objects.live().descendant_of(enrolment.track).search(query)[:30]
    return render(request, "learning/search.html", {"enrolment": enrolment, "track": enrolment.track,
                                                    "query": query, "results": results})
