"""Trainee quiz pages (overview, attempt, result) and training-body reports."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from lms.core.background import background_request
from lms.core.errors import DomainError
from lms.core.pagination import page_of
from lms.learning import selectors as learning_selectors
from lms.learning.models import Enrolment, EnrolmentStatus
from lms.learning.access import view_restriction_response
from lms.organisations.selectors import is_staff_of
from lms.quizzes import positioning as positioning_rules
from lms.quizzes import selectors, services
from lms.quizzes.forms import answers_from_post
from lms.quizzes.models import Attempt, AttemptStatus, QuizPage
from lms.quizzes.questions import public_view


def _own_attempt(request, attempt_id):
    """The user's own attempt; anyone else gets a 404."""
    return get_object_or_404(Attempt.objects.select_related("quiz", "enrolment"), pk=attempt_id,
                             enrolment__trainee=request.user)


LATE_MESSAGE = gettext_lazy("The time limit had passed: your attempt was graded on the answers saved before the "
                            "limit.")
OVERVIEW_FIELDS = ("intro", "pass_mark", "max_attempts", "time_limit_minutes", "draw_count", "purpose")


@login_required
def quiz(request, quiz_id):
    """A quiz's settings, the trainee's attempts and the button to start or resume."""
    quiz_page, enrolment, _ = learning_selectors.page_for_reader(QuizPage, request.user, quiz_id, OVERVIEW_FIELDS)
    structure = learning_selectors.track_structure(
        enrolment.track_id if enrolment else learning_selectors.track_of(quiz_page).pk)
    if enrolment is None and not (structure and is_staff_of(request.user, structure.training_body_id)):
        raise Http404
    restricted = view_restriction_response(request, quiz_page.pk, quiz_page.path)
    if restricted is not None:
        return restricted
    context = {"quiz": quiz_page, "track": structure, "enrolment": enrolment,
               "question_count": quiz_page.draw_count or _pool_size(structure, quiz_page),
               # the trainee's own time limit, lengthened by their accommodation (staff see the quiz's own)
               "allowed_minutes": (services.allowed_minutes(enrolment, quiz_page) if enrolment is not None
                                   else quiz_page.time_limit_minutes)}
    if enrolment is not None:
        summary = selectors.attempt_summary(enrolment, quiz_page)
        if summary.in_progress is not None and services.attempt_expired(summary.in_progress, timezone.now()):
            services.attempt_close_if_expired(attempt=summary.in_progress)  # shown as the result it now is
            summary = selectors.attempt_summary(enrolment, quiz_page)
        attempts = summary.attempts
        if summary.to_page is not None:
            context.update(page_of(summary.to_page, request, per_page=selectors.HISTORY_PAGE,
                                   count=summary.submitted_count))
            attempts = list(context["page"].object_list)
        context.update(summary=summary, attempts=attempts,
                       attempts_left=services.attempts_left(quiz_page, summary.submitted_count))
    return render(request, "quizzes/quiz.html", context)


def _pool_size(structure, quiz_page):
    item = structure.quiz(quiz_page.pk) if structure else None
    return item.question_count if item else QuizPage.objects.get(pk=quiz_page.pk).question_count


@login_required
@require_POST
def quiz_start(request, quiz_id):
    quiz_page = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    enrolment = learning_selectors.enrolment_for_page(request.user, quiz_page)
    if enrolment is None:
        raise Http404
    restricted = view_restriction_response(request, quiz_page.pk, quiz_page.path)
    if restricted is not None:
        return restricted
    try:
        attempt = services.attempt_start(enrolment=enrolment, quiz=quiz_page)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("quiz", quiz_page.pk)
    return redirect("attempt", attempt.pk)


@login_required
def attempt(request, attempt_id):
    """Answer the questions; answers are saved as the trainee goes and graded on submission."""
    now = timezone.now()
    error = None
    if request.method == "POST" and request.POST.get("action") == "submit":
        try:
            return _submit(request, attempt_id, now)
        except DomainError as exc:  # nothing was written: the page is shown again with the message
            error = exc.message
    current = _own_attempt(request, attempt_id)
    if current.status == AttemptStatus.IN_PROGRESS:
        current = services.attempt_close_if_expired(attempt=current, now=now)
        if current.status == AttemptStatus.SUBMITTED and current.late:
            messages.warning(request, LATE_MESSAGE)
    if current.status == AttemptStatus.SUBMITTED:
        return redirect("attempt_result", current.pk)
    if request.method == "POST" and error is None:
        try:
            answers = answers_from_post(current.questions, request.POST)
            current = services.attempt_save(attempt=current, answers=answers, now=now)
            if current.status == AttemptStatus.SUBMITTED:
                return redirect("attempt_result", current.pk)
            messages.success(request, _("Your answers have been saved."))
            return redirect("attempt", current.pk)
        except DomainError as exc:
            error = exc.message
    questions = [_with_saved(public_view(q), current.answers.get(q["id"])) for q in current.questions]
    remaining = int((current.deadline_at - now).total_seconds()) if current.deadline_at else None
    return render(request, "quizzes/attempt.html", {
        "attempt": current, "quiz": current.quiz, "questions": questions, "error": error,
        "remaining_minutes": max(remaining // 60, 0) if remaining is not None else None,
        # the time this attempt allows (the quiz's limit, lengthened by the trainee's accommodation if any)
        "allowed_minutes": (round((current.deadline_at - current.started_at).total_seconds() / 60)
                            if current.deadline_at else None),
        "remaining_seconds": max(remaining, 0) if remaining is not None else None,
    }, status=400 if error else 200)


@transaction.atomic
def _submit(request, attempt_id, now):
    """Grade the trainee's attempt, read once and locked (a double click waits, then finds it graded); past the
    time limit the posted answers are ignored, as attempt_submit says."""
    try:
        current = services.attempt_lock(attempt_id, enrolment__trainee=request.user)
    except Attempt.DoesNotExist:
        raise Http404 from None
    if current.status == AttemptStatus.IN_PROGRESS:
        answers = None if services.attempt_expired(current, now) else answers_from_post(current.questions, request.POST)
        current = services.attempt_submit(attempt=current, answers=answers, now=now, locked=True)
        if current.late:
            messages.warning(request, LATE_MESSAGE)
    return redirect("attempt_result", current.pk)


def _with_saved(question, saved):
    """The public question with the trainee's saved answer (and, for ordering, each step's saved rank)."""
    question["saved"] = saved
    if question["type"] == "ordering":
        ranks = {item_id: rank for rank, item_id in enumerate(saved or [], start=1)}
        question["items"] = [dict(item, rank=ranks.get(item["id"])) for item in question["items"]]
    return question


@background_request
@login_required
@require_POST
def attempt_autosave(request, attempt_id):
    """Save answers in the background (JavaScript); answers 400 with a message on a bad answer."""
    current = _own_attempt(request, attempt_id)
    try:
        current = services.attempt_save(attempt=current, answers=answers_from_post(current.questions, request.POST))
    except DomainError as error:
        return JsonResponse({"error": error.message}, status=400)
    if current.status == AttemptStatus.SUBMITTED:
        return JsonResponse({"submitted": True, "result_url": reverse("attempt_result", args=[current.pk])}, status=409)
    return JsonResponse({"saved_at": current.answers_saved_at.isoformat()})


@background_request
@login_required
@require_POST
def attempt_heartbeat(request, attempt_id):
    """Sent by the attempt page while it is visible, like the lesson page's: time spent answering is active time."""
    current = get_object_or_404(Attempt.objects.select_related("enrolment").only("id", "enrolment__trainee"),
                                pk=attempt_id, enrolment__trainee=request.user)
    services.attempt_heartbeat(attempt=current, session_key=request.session.session_key,
                               resume=bool(request.POST.get("resume")))
    return JsonResponse({"recorded": True})


@login_required
def attempt_result(request, attempt_id):
    """Score, pass or fail, and feedback if the quiz's setting allows it now."""
    current = get_object_or_404(Attempt.objects.select_related("quiz", "enrolment"), pk=attempt_id)
    is_owner = current.enrolment.trainee_id == request.user.pk
    if not is_owner and not is_staff_of(request.user, current.enrolment.training_body_id):
        raise Http404
    if current.status != AttemptStatus.SUBMITTED:
        return redirect("attempt", current.pk) if is_owner else redirect("quiz", current.quiz_id)
    summary = selectors.attempt_summary(current.enrolment, current.quiz)
    show_feedback = not is_owner or selectors.feedback_visible(current.quiz, summary)
    outcomes = {o.question_id: o for o in current.outcomes.all()}
    review = []
    for question in current.questions:
        response = current.answers.get(question["id"])
        review.append({"question": question, "response": response, "outcome": outcomes.get(question["id"]),
                       "chosen": set(response) if isinstance(response, list) else {response}})
    track = learning_selectors.track_structure(current.enrolment.track_id)
    return render(request, "quizzes/result.html", {
        "attempt": current, "quiz": current.quiz, "review": review, "show_feedback": show_feedback,
        "is_owner": is_owner, "attempts_left": services.attempts_left(current.quiz, summary.submitted_count),
        "track": track, "next_item": track.neighbours(current.quiz_id)[1] if track else None,
        "track_completed": current.enrolment.status == EnrolmentStatus.COMPLETED,
    })


@login_required
def quiz_report(request, quiz_id):
    """Training body: every learner's attempts and per-question success rates (to find bad questions)."""
    quiz_page = get_object_or_404(QuizPage, pk=quiz_id)
    track = learning_selectors.track_of(quiz_page)
    if track is None or not is_staff_of(request.user, track.training_body_id):
        raise Http404
    attempts = (Attempt.objects.filter(quiz=quiz_page, status=AttemptStatus.SUBMITTED)
                .select_related("enrolment__trainee").order_by("enrolment__trainee__last_name", "number"))
    return render(request, "quizzes/staff/quiz_report.html", {
        "quiz": quiz_page, "track": track, "attempts": attempts[:1000],
        "rates": selectors.question_success_rates(quiz_page),
    })


@login_required
@require_safe
def positioning(request, enrolment_id):
    """The trainee's positioning test of one enrolment: take it (once, before the training), then its score per
    module and the tutor's decision on each proposed exemption. The trainee's own enrolment only (404 otherwise)."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("track"), pk=enrolment_id, trainee=request.user)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise Http404
    structure = learning_selectors.track_structure(enrolment.track_id)
    if structure is None or structure.positioning is None:
        raise Http404
    attempt = positioning_rules.positioning_attempt(enrolment, structure.positioning.id)
    if attempt is not None and attempt.status == AttemptStatus.IN_PROGRESS:
        services.attempt_close_if_expired(attempt=attempt)
    summary = positioning_rules.positioning_summary(enrolment, structure)
    return render(request, "quizzes/positioning.html", {
        "enrolment": enrolment, "track": structure, "quiz": structure.positioning, "attempt": summary.attempt,
        "submitted": summary.submitted, "rows": summary.rows,
        "may_start": summary.attempt is None and not learning_selectors.has_started_track(enrolment.pk)
                     and enrolment.status == EnrolmentStatus.ACTIVE,
    })
