"""Complaints and incidents (Qualiopi indicator 31): what a trainee or an employer reports to a training body, and
how and when the body answered, kept as the body's register."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SUBJECT_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 4000  # characters of a complaint or of its answer


class ComplaintCategory(models.TextChoices):
    TRAINING = "training", _("Content or running of the training")
    SUPPORT = "support", _("Tutoring and support")
    PLATFORM = "platform", _("Platform, access, technical incident")
    ADMINISTRATIVE = "administrative", _("Enrolment, funding, documents")
    OTHER = "other", _("Other")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    ANSWERED = "answered", _("Answered")


class AuthorKind(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    EMPLOYER = "employer", _("Employer")


class Complaint(models.Model):
    training_body = models.ForeignKey("organisations.TrainingBody", on_delete=models.PROTECT,
                                      related_name="complaints", verbose_name=_("training body"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Who filed it, as the register shows it even after the account is deleted.
    author_name = models.CharField(_("filed by"), max_length=255)
    author_kind = models.CharField(_("as"), max_length=16, choices=AuthorKind.choices)
    practice = models.ForeignKey("organisations.Practice", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("practice"))
    category = models.CharField(_("category"), max_length=32, choices=ComplaintCategory.choices)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_LENGTH)
    text = models.TextField(_("complaint"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=16, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.RECEIVED)
    created_at = models.DateTimeField(_("received on"))
    taken_at = models.DateTimeField(_("handled from"), null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=TEXT_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("answered by"))
    # The form's one-time key: a double submit of the same form files one complaint (lms.complaints.services).
    submission_key = models.UUIDField(editable=False)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["author", "submission_key"],
                                               name="one_complaint_per_submission")]

    def __str__(self):
        return self.subject
