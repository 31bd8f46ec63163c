"""The support a distance training owes its trainees (Code du travail D6313-3-1; Qualiopi indicator 12): a trainee's
questions to the tutors of their track, written from a lesson or a quiz result, and the answers, kept with their
dates as evidence of the assistance given."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 5000  # characters of one message
SUBJECT_MAX_LENGTH = 200


class ThreadStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Thread(models.Model):
    """A trainee's question to the tutors of their track, and the exchange that follows; written from a lesson or a
    quiz attempt (its context), or from the trainee's space."""

    enrolment = models.ForeignKey("learning.Enrolment", on_delete=models.CASCADE, related_name="support_threads")
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    lesson = models.ForeignKey("catalog.LessonPage", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("lesson"))
    attempt = models.ForeignKey("quizzes.Attempt", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("quiz attempt"))
    # The title of the context when the question was asked: still shown if the page is deleted later.
    context_title = models.CharField(max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ThreadStatus.choices, default=ThreadStatus.OPEN)
    created_at = models.DateTimeField(_("asked at"))
    # Since when the trainee waits for an answer (their first message not yet answered); None when nobody waits.
    awaiting_since = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField()
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    # The asking form's one-time key: a double submit of the same form opens one thread (lms.support.services).
    submission_key = models.UUIDField(editable=False)

    class Meta:
        verbose_name = _("question to the tutor")
        verbose_name_plural = _("questions to the tutor")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["status", "awaiting_since"])]
        constraints = [models.UniqueConstraint(fields=["enrolment", "submission_key"],
                                               name="one_thread_per_submission")]

    def __str__(self):
        return self.subject


class Message(models.Model):
    """One message of a thread: the trainee's or a tutor's (or manager's) answer."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_staff = models.BooleanField(default=False)
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("sent at"))
    # The form's one-time key: a double submit of the same form writes one message (lms.support.services).
    submission_key = models.UUIDField(editable=False)
    erased_at = models.DateTimeField(null=True, blank=True)  # the body erased with the trainee's account

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["thread", "submission_key"], name="one_message_per_submission")]
