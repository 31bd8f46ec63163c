"""Writes of the support exchanges: a trainee asks, a tutor answers, either closes; each in a transaction, the
emails sent once it commits. A double submit of the same form writes once (its one-time key)."""
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import override

from lms.core.errors import DomainError
from lms.core.mail import send_on_commit
from lms.support.models import Message, Thread, ThreadStatus
from lms.support.selectors import may_write, notified_staff

EXCERPT_CHARS = 200  # what an email shows of a message: the rest is read on the platform


def _excerpt(body):
    return Truncator(" ".join(body.split())).chars(EXCERPT_CHARS)


def thread_create(*, enrolment, author, subject, body, submission_key, lesson=None, attempt=None, base_url,
                  context_title=None, now=None):
    """The trainee asks a question (from a lesson or a quiz attempt of this enrolment, or none): a thread and its
    first message; the tutors hear of it. The same `submission_key` again returns the thread it opened."""
    if author.pk != enrolment.trainee_id or not may_write(enrolment):
        raise DomainError(_("You can no longer ask questions in this track."))
    now = now or timezone.now()
    existing = Thread.objects.filter(enrolment=enrolment, submission_key=submission_key).first()
    if existing is not None:
        return existing
    context = context_title or (lesson.title if lesson is not None else (
        attempt.quiz.title if attempt is not None else ""))
    try:
        with transaction.atomic():
            thread = Thread.objects.create(enrolment=enrolment, subject=subject, lesson=lesson, attempt=attempt,
                                           context_title=context[:255], created_at=now, awaiting_since=now,
                                           last_message_at=now, submission_key=submission_key)
            message = Message.objects.create(thread=thread, author=author, body=body, created_at=now,
                                             submission_key=submission_key)
    except IntegrityError:  # the same form, submitted twice at once: the first one won
        return Thread.objects.get(enrolment=enrolment, submission_key=submission_key)
    _notify_staff(thread, message, base_url)
    return thread


def message_post(*, thread, author, body, submission_key, from_staff, base_url, now=None):
    """A message in an open thread: the trainee's (the thread waits for an answer again; the tutors hear of it) or
    a tutor's or manager's answer (the trainee hears of it). The same `submission_key` again writes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        thread = Thread.objects.select_for_update().select_related("enrolment").get(pk=thread.pk)
        existing = Message.objects.filter(thread=thread, submission_key=submission_key).first()
        if existing is not None:
            return existing
        if thread.status == ThreadStatus.CLOSED:
            raise DomainError(_("This question is closed: ask a new one if you need to."), field="body")
        if not from_staff and (author.pk != thread.enrolment.trainee_id or not may_write(thread.enrolment)):
            raise DomainError(_("You can no longer ask questions in this track."), field="body")
        message = Message.objects.create(thread=thread, author=author, body=body, created_at=now,
                                         from_staff=from_staff, submission_key=submission_key)
        if from_staff:
            thread.status, thread.awaiting_since = ThreadStatus.ANSWERED, None
        else:
            thread.status, thread.awaiting_since = ThreadStatus.OPEN, thread.awaiting_since or now
        thread.last_message_at = now
        thread.save(update_fields=["status", "awaiting_since", "last_message_at"])
    if from_staff:
        _notify_trainee(thread, message, base_url)
    else:
        _notify_staff(thread, message, base_url)
    return message


@transaction.atomic
def thread_close(*, thread, by, now=None):
    """The trainee or a tutor closes the question: nobody waits for an answer any more; closing twice is a no-op."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.status != ThreadStatus.CLOSED:
        thread.status, thread.awaiting_since = ThreadStatus.CLOSED, None
        thread.closed_at, thread.closed_by = now or timezone.now(), by
        thread.save(update_fields=["status", "awaiting_since", "closed_at", "closed_by"])
    return thread



def _notify_staff(thread, message, base_url):
    """To the tutors of the trainee's cohort (else the body's managers): who asks, on what, a link; an excerpt."""
    enrolment = thread.enrolment
    with override("fr"):
        trainee = message.author.get_full_name() if message.author else ""
        subject = _("[%(site)s] New question from %(trainee)s") % {"site": settings.LMS_SITE_NAME, "trainee": trainee}
        context = {"trainee": trainee, "subject": thread.subject, "context": thread.context_title,
                   "track": enrolment.track.title, "excerpt": _excerpt(message.body),
                   "response_hours": enrolment.track.support_response_hours,
                   "url": base_url.rstrip("/") + reverse("support_thread", args=[thread.pk])}
        send_on_commit(subject, "support/email/to_staff.txt", context,
                        [user.email for user in notified_staff(enrolment)])


def _notify_trainee(thread, message, base_url):
    """To the trainee: their question was answered, by whom, a link; an excerpt."""
    trainee = thread.enrolment.trainee
    with override("fr"):
        subject = _("[%(site)s] Your tutor answered your question") % {"site": settings.LMS_SITE_NAME}
        context = {"author": message.author.get_full_name() if message.author else "", "subject": thread.subject,
                   "excerpt": _excerpt(message.body),
                   "url": base_url.rstrip("/") + reverse("my_question", args=[thread.pk])}
        send_on_commit(subject, "support/email/to_trainee.txt", context, [trainee.email] if trainee.is_active else [])
