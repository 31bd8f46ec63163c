"""Deadline rule sets (data, not constants), training declared outside the platform, reminders, calendar tokens."""
import hashlib
import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineRuleSet(models.Model):
    """The periods that apply to assistants hired within a range of dates, with their legal source."""

    name = models.CharField(_("name"), max_length=120)
    legal_source = models.CharField(_("legal source"), max_length=255)
    applies_from = models.DateField(_("applies to hires from"), null=True, blank=True,
                                    help_text=_("Leave empty: applies to every earlier hire date."))
    applies_until = models.DateField(_("applies to hires until"), null=True, blank=True,
                                     help_text=_("Leave empty: no end."))
    enrolment_years = models.PositiveSmallIntegerField(_("years to start a training"),
                                                       validators=[MinValueValidator(1)])
    qualification_years = models.PositiveSmallIntegerField(_("years to obtain the qualification"),
                                                           validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline rule set")
        verbose_name_plural = _("deadline rule sets")
        ordering = ["-applies_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(qualification_years__gte=models.F("enrolment_years")),
                                   name="qualification_after_enrolment"),
        ]

    def __str__(self):
        return self.name

    def applies_to(self, hired_on):
        return (self.applies_from is None or hired_on >= self.applies_from) and \
            (self.applies_until is None or hired_on <= self.applies_until)


class DeclarationKind(models.TextChoices):
    TRAINING_START = "start", _("Training started elsewhere")
    QUALIFICATION = "qualification", _("Qualification obtained elsewhere")


MAX_EVIDENCE_BYTES = 5 * 1024 * 1024


class DeclaredTraining(models.Model):
    """A training start or a qualification obtained outside the platform, declared with evidence.

    It belongs to the employment on which the practice filed it (empty: declared outside any employment, by an
    admin or before declarations had one); which employments it counts for is decided in one place,
    lms.deadlines.selectors.declarations_for.
    """

    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_trainings")
    employment = models.ForeignKey("organisations.Employment", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="declarations", verbose_name=_("employment"))
    kind = models.CharField(_("what"), max_length=16, choices=DeclarationKind.choices)
    occurred_on = models.DateField(_("date"))
    organisation = models.CharField(_("training organisation"), max_length=200)
    evidence = models.FileField(_("supporting document"), upload_to="declarations/%Y/",
                                validators=[FileExtensionValidator(["pdf", "png", "jpg", "jpeg"])])
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("declared training")
        verbose_name_plural = _("declared trainings")
        ordering = ["occurred_on"]

    def __str__(self):
        return f"{self.trainee} — {self.get_kind_display()} ({self.occurred_on})"


class ReminderSent(models.Model):
    """One reminder sent; the unique constraint makes each reminder go out exactly once."""

    employment = models.ForeignKey("organisations.Employment", on_delete=models.CASCADE, related_name="reminders")
    deadline = models.CharField(max_length=16)  # "enrolment" or "qualification"
    threshold = models.SmallIntegerField()  # days before the deadline; 0 = missed
    deadline_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["employment", "deadline", "threshold", "deadline_date"],
                                               name="one_reminder_per_threshold")]


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarToken(models.Model):
    """A private, revocable address of an employer's deadline calendar (iCalendar)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)


ALL_THRESHOLDS = [180, 90, 30, 7]


class ReminderPreference(models.Model):
    """Which advance reminders an employer member wants (the one for a missed deadline always goes out)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference")
    thresholds = models.JSONField(default=list)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")
