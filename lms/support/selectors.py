"""Reads of the support exchanges, always scoped to the person asking: a trainee reads their own threads; a tutor
of the trainee's cohort or a manager of the track's training body reads and answers them; nobody else."""
from dataclasses import dataclass

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, When
from django.http import Http404

from lms.accounts.models import User
from lms.learning.models import Cohort, EnrolmentStatus
from lms.organisations.models import StaffRole, TrainingBodyMembership
from lms.support.models import Message, Thread, ThreadStatus
from lms.support.rules import answer_due, is_late

ANSWERING_ROLES = [StaffRole.TUTOR, StaffRole.MANAGER]


def threads_of_trainee(user):
    """The user's own threads, newest exchange first, with their track."""
    return (Thread.objects.filter(enrolment__trainee_id=user.pk)
            .select_related("enrolment__track", "enrolment__training_body").order_by("-last_message_at", "-pk"))


def thread_of_trainee(user, thread_id):
    """One of the user's own threads; 404 for anyone else's."""
    thread = threads_of_trainee(user).filter(pk=thread_id).first()
    if thread is None:
        raise Http404
    return thread


def threads_answered_by(user):
    """The threads `user` may read and answer: those of the trainees of the cohorts they tutor (while they are on
    the staff of the cohort's training body) and of every enrolment of a body they manage."""
    if not user.is_authenticated:
        return Thread.objects.none()
    manages = TrainingBodyMembership.objects.filter(user_id=user.pk, role=StaffRole.MANAGER,
                                                    training_body_id=OuterRef("enrolment__training_body_id"))
    member = TrainingBodyMembership.objects.filter(user_id=user.pk, role__in=ANSWERING_ROLES,
                                                   training_body_id=OuterRef("training_body_id"))
    tutored = Cohort.objects.filter(tutors=user).filter(Exists(member)).values("pk")
    return Thread.objects.filter(Q(Exists(manages)) | Q(enrolment__cohort_id__in=tutored))


def thread_for_staff(user, thread_id):
    """A thread the user may answer, with its trainee, track and cohort; 404 otherwise."""
    thread = (threads_answered_by(user).filter(pk=thread_id)
              .select_related("enrolment__trainee", "enrolment__track", "enrolment__cohort",
                              "enrolment__training_body").first())
    if thread is None:
        raise Http404
    return thread


def answers_questions(user):
    """Whether the user is a tutor or a manager of some training body (the inbox is theirs, empty or not)."""
    return user.is_authenticated and TrainingBodyMembership.objects.filter(
        user_id=user.pk, role__in=ANSWERING_ROLES).exists()


@dataclass(frozen=True)
class InboxLine:
    thread: object
    due_at: object  # when the answer is due (None: nobody waits)
    late: bool


def inbox_threads(user, status=None):
    """The staff inbox, ordered by the database: unanswered questions first, the longest wait first, then the
    answered and the closed ones, latest exchange first (a queryset, to page)."""
    rank = Case(When(status=ThreadStatus.OPEN, then=0), When(status=ThreadStatus.ANSWERED, then=1), default=2,
                output_field=IntegerField())
    threads = (threads_answered_by(user).select_related("enrolment__trainee", "enrolment__track", "enrolment__cohort")
               .annotate(rank=rank).order_by("rank", F("awaiting_since").asc(nulls_last=True), "-last_message_at",
                                             "-pk"))
    return threads.filter(status=status) if status in ThreadStatus.values else threads


def inbox_lines(threads, now):
    """Each thread with the moment its answer is due by its track's response time, and whether it is late."""
    lines = []
    for thread in threads:
        hours = thread.enrolment.track.support_response_hours
        due = answer_due(thread.awaiting_since, hours) if thread.awaiting_since else None
        lines.append(InboxLine(thread, due, is_late(thread.awaiting_since, hours, now)))
    return lines


def inbox(user, now, status=None):
    """The whole inbox as lines (inbox_threads, inbox_lines)."""
    return inbox_lines(inbox_threads(user, status), now)


def late_count(user, now):
    """How many questions the user may answer wait past their track's response time (one query of two columns)."""
    waiting = threads_answered_by(user).filter(status=ThreadStatus.OPEN).values_list(
        "awaiting_since", "enrolment__track__support_response_hours")
    return sum(1 for since, hours in waiting if is_late(since, hours, now))


def messages_of(thread):
    return Message.objects.filter(thread=thread).select_related("author").order_by("created_at", "pk")


def notified_staff(enrolment):
    """Who hears of a trainee's message: the tutors of their cohort still on the body's staff; when there are
    none, the body's managers."""
    members = TrainingBodyMembership.objects.filter(training_body_id=enrolment.training_body_id)
    tutors = list(User.objects.filter(is_active=True, tutored_cohorts=enrolment.cohort_id,
                                      training_body_memberships__in=members.filter(role__in=ANSWERING_ROLES))
                  .distinct()) if enrolment.cohort_id else []
    return tutors or list(User.objects.filter(
        is_active=True, training_body_memberships__in=members.filter(role=StaffRole.MANAGER)).distinct())


def may_write(enrolment):
    """A withdrawn trainee no longer writes (they still read their exchanges)."""
    return enrolment.status != EnrolmentStatus.WITHDRAWN


# --- The relevé (lms.reports.attendance) -------------------------------------------------------------------

@dataclass(frozen=True)
class ExchangeRow:
    """One question of the trainee and its answer, for the record of the assistance given: dates and names only,
    never the messages' text."""

    context: str
    asked_at: object
    answered_at: object  # None: not answered
    answered_by: str


def exchanges_for_record(enrolment):
    """Each message of the trainee in their threads of this enrolment, with the first answer that followed it (its
    date and who wrote it), oldest first. Two queries."""
    threads = {t.pk: t for t in Thread.objects.filter(enrolment=enrolment)}
    rows, pending = [], {}
    for message in (Message.objects.filter(thread__enrolment=enrolment).select_related("author")
                    .order_by("created_at", "pk")):
        thread = threads[message.thread_id]
        if not message.from_staff:
            pending.setdefault(message.thread_id, []).append(message)
            continue
        for question in pending.pop(message.thread_id, []):
            rows.append(ExchangeRow(thread.context_title, question.created_at, message.created_at,
                                    message.author.get_full_name() if message.author else ""))
    for thread_id, questions in pending.items():
        for question in questions:
            rows.append(ExchangeRow(threads[thread_id].context_title,
                                    question.created_at, None, ""))
    return sorted(rows, key=lambda row: row.asked_at)
