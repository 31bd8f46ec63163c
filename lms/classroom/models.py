"""In-person and virtual-class séances of a cohort (issue 17, point 3) and their sign-in sheets.

A séance is one half-day of a cohort (the French UI's "session" is a Cohort, hence "séance" here). Each trainee
of the cohort signs it from their own account, the trainer signs it and marks absences; the signed presences
add their hours to the realised duration (lms.classroom.apps registers the time source).

E-émargement: a signature is the click on "Je signe" by the authenticated account holder, within the half-day's
window (lms.classroom.rules). The row keeps who signed and when, never the IP address; its `proof` is the
SHA-256 of the séance, the signer and the moment, so that an altered row no longer matches.
"""
import hashlib
from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class HalfDay(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")


# The usual times of each half-day, proposed when a séance is created (editable).
DEFAULT_TIMES = {HalfDay.MORNING: (time(9, 0), time(12, 30)), HalfDay.AFTERNOON: (time(13, 30), time(17, 0))}


class SessionKind(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual class")


class ClassSession(models.Model):
    """A half-day séance of a cohort: in person (a place) or a virtual class (a video link), with its trainer and
    the hours it counts for."""

    cohort = models.ForeignKey("learning.Cohort", on_delete=models.CASCADE, related_name="class_sessions",
                               verbose_name=_("cohort"))
    title = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"))
    half_day = models.CharField(_("half-day"), max_length=16, choices=HalfDay.choices)
    starts_at = models.TimeField(_("start time"))
    ends_at = models.TimeField(_("end time"))
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices, default=SessionKind.IN_PERSON)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trained_sessions",
                                verbose_name=_("trainer"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0.25"))])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "date", "half_day"], name="one_seance_per_cohort_half_day"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="seance_ends_after_start"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="seance_hours_positive"),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y}, {self.get_half_day_display()})"

    @property
    def length_hours(self):
        """The half-day's length from its times, in hours: the most it can count for."""
        minutes = (self.ends_at.hour * 60 + self.ends_at.minute) - (self.starts_at.hour * 60 + self.starts_at.minute)
        return Decimal(minutes) / 60

    @property
    def seconds(self):
        return int(self.hours * 3600)


class PresenceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused absence")


def signature_proof(session_id, user_id, moment):
    """The SHA-256 kept with a signature: séance, signer and moment, so that an edited row no longer matches."""
    return hashlib.sha256(f"{session_id}:{user_id}:{moment.isoformat()}".encode()).hexdigest()


class Presence(models.Model):
    """A trainee's line on a séance's sheet: signed (present) by the trainee, or marked absent by the trainer."""

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="presences")
    enrolment = models.ForeignKey("learning.Enrolment", on_delete=models.CASCADE, related_name="class_presences")
    status = models.CharField(_("status"), max_length=16, choices=PresenceStatus.choices)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    proof = models.CharField(max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Who marked the absence and when (a correction after the window is allowed to the staff, and traced here).
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("marked by"))
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="one_presence_per_seance_and_enrolment"),
            models.CheckConstraint(
                condition=(models.Q(status="present", signed_at__isnull=False)
                           | (~models.Q(status="present") & models.Q(signed_at__isnull=True))),
                name="presence_signed_iff_present"),
        ]


class TrainerSignature(models.Model):
    """The trainer's own signature of a séance's sheet."""

    session = models.OneToOneField(ClassSession, on_delete=models.CASCADE, related_name="trainer_signature")
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"))
    proof = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("trainer's signature")
        verbose_name_plural = _("trainers' signatures")
