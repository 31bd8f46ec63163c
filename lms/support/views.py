"""The support pages: a trainee asks the tutors from a lesson or a quiz result, reads and follows up their
questions ('Mes questions'); the tutors of the trainee's cohort and the body's managers answer from their inbox
('Questions des apprenants'). Anyone else gets a 404, whatever the id they type."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.catalog.models import LessonPage
from lms.core.errors import DomainError
from lms.core.pagination import page_of
from lms.core.site import base_url
from lms.learning import selectors as learning_selectors
from lms.quizzes.models import Attempt, AttemptStatus
from lms.support import selectors, services
from lms.support.forms import MessageForm, ThreadForm
from lms.support.models import ThreadStatus
from lms.support.rules import answer_due, is_late, response_time_display


def _ask(request, enrolment, *, lesson=None, attempt=None, context_title, context_url):
    """The 'ask the tutor' form for a context of one of the user's enrolments; the thread once sent."""
    if not selectors.may_write(enrolment):
        raise Http404
    structure = learning_selectors.track_structure(enrolment.track_id)
    if request.method == "POST":
        form = ThreadForm(request.POST)
        if form.is_valid():
            try:
                thread = services.thread_create(
                    enrolment=enrolment, author=request.user, subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"], submission_key=form.cleaned_data["submission_key"],
                    lesson=lesson, attempt=attempt, context_title=context_title, base_url=base_url(request))
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your question was sent to your tutors."))
                return redirect("my_question", thread.pk)
    else:
        form = ThreadForm(initial={"subject": (_("Question about “%(title)s”") % {"title": context_title})[:200]})
    return render(request, "support/ask.html", {
        "form": form, "context_title": context_title, "context_url": context_url, "track": structure,
        "response_time": response_time_display(structure.support_response_hours) if structure else "",
    }, status=400 if form.errors else 200)


@login_required
def ask_from_lesson(request, lesson_id):
    """'Poser une question au tuteur' from a lesson of the user's track."""
    enrolment = learning_selectors.enrolment_for_lesson(request.user, lesson_id)
    if enrolment is None:
        raise Http404
    lesson = get_object_or_404(LessonPage.objects.live().only("id", "title"), pk=lesson_id)
    return _ask(request, enrolment, lesson=lesson, context_title=lesson.title,
                context_url=reverse("lesson", args=[lesson.pk]))


@login_required
def ask_from_attempt(request, attempt_id):
    """'Poser une question au tuteur' from the result of one of the user's quiz attempts."""
    attempt = get_object_or_404(Attempt.objects.select_related("quiz", "enrolment"), pk=attempt_id,
                                enrolment__trainee_id=request.user.pk, status=AttemptStatus.SUBMITTED)
    title = _("%(quiz)s, attempt %(number)s") % {"quiz": attempt.quiz.title, "number": attempt.number}
    return _ask(request, attempt.enrolment, attempt=attempt, context_title=title,
                context_url=reverse("attempt_result", args=[attempt.pk]))


@require_GET
@login_required
def my_questions(request):
    """'Mes questions': the user's questions and where each stands."""
    threads = selectors.threads_of_trainee(request.user)
    return render(request, "support/my_questions.html", {**page_of(threads, request, per_page=30)})


@login_required
def my_question(request, thread_id):
    """One of the user's questions: the exchange, a reply form while it is open, the button to close it."""
    thread = selectors.thread_of_trainee(request.user, thread_id)
    return _thread_page(request, thread, from_staff=False, template="support/my_question.html",
                        redirect_to="my_question")


@require_POST
@login_required
def my_question_close(request, thread_id):
    thread = selectors.thread_of_trainee(request.user, thread_id)
    services.thread_close(thread=thread, by=request.user)
    messages.success(request, _("The question is closed."))
    return redirect("my_question", thread.pk)


@require_GET
@login_required
def inbox(request):
    """'Questions des apprenants': the questions of the trainees the user tutors or whose body they manage,
    unanswered first, each against its track's response time (late ones flagged)."""
    if not selectors.answers_questions(request.user):
        raise PermissionDenied
    status = request.GET.get("statut", "")
    now = timezone.now()
    pagination = page_of(selectors.inbox_threads(request.user, status), request)
    return render(request, "support/inbox.html", {
        "status": status, "statuses": ThreadStatus.choices, "late_count": selectors.late_count(request.user, now),
        "lines": selectors.inbox_lines(pagination["page"].object_list, now), **pagination})


@login_required
def staff_thread(request, thread_id):
    """A trainee's question, for a tutor of their cohort or a manager of the body: read, answer, close."""
    thread = selectors.thread_for_staff(request.user, thread_id)
    return _thread_page(request, thread, from_staff=True, template="support/staff_thread.html",
                        redirect_to="support_thread")


@require_POST
@login_required
def staff_thread_close(request, thread_id):
    thread = selectors.thread_for_staff(request.user, thread_id)
    services.thread_close(thread=thread, by=request.user)
    messages.success(request, _("The question is closed."))
    return redirect("support_thread", thread.pk)


def _thread_page(request, thread, *, from_staff, template, redirect_to):
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_post(thread=thread, author=request.user, body=form.cleaned_data["body"],
                                  submission_key=form.cleaned_data["submission_key"], from_staff=from_staff,
                                  base_url=base_url(request))
        except DomainError as error:
            form.add_error("body" if error.field else None, error.message)
        else:
            messages.success(request, _("Your answer was sent.") if from_staff else _("Your message was sent."))
            return redirect(redirect_to, thread.pk)
    track = thread.enrolment.track
    now = timezone.now()
    return render(request, template, {
        "thread": thread, "messages_list": selectors.messages_of(thread), "form": form,
        "may_write": thread.status != ThreadStatus.CLOSED and (from_staff or selectors.may_write(thread.enrolment)),
        "track": track, "response_time": response_time_display(track.support_response_hours),
        "due_at": answer_due(thread.awaiting_since, track.support_response_hours) if thread.awaiting_since else None,
        "late": is_late(thread.awaiting_since, track.support_response_hours, now),
    }, status=400 if form.errors else 200)
