"""Accommodations for disability (Qualiopi indicator 26): each training body names its disability referent, who
sets per trainee the accommodations that timed quizzes and the pace then apply. An accommodation is read by the
trainee, the referent and the body's tutors only; it appears in no export, no employer page, no certificate."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 1000
CONTACT_MAX_LENGTH = 500
MAX_PERCENT = 100  # at most double the time or the duration


class DisabilityReferent(models.Model):
    """The *référent·e handicap* of a training body: a staff member of it, with the contact shown to trainees."""

    training_body = models.OneToOneField("organisations.TrainingBody", on_delete=models.CASCADE,
                                         related_name="disability_referent", verbose_name=_("training body"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("referent"))
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact = models.TextField(_("how to reach them"), max_length=CONTACT_MAX_LENGTH, blank=True)
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    named_at = models.DateTimeField(_("named on"))

    class Meta:
        verbose_name = _("disability referent")
        verbose_name_plural = _("disability referents")

    def __str__(self):
        return f"{self.user} — {self.training_body}"

    @property
    def name(self):
        return self.user.get_full_name() or self.user.email

    @property
    def contact_email(self):
        return self.email or self.user.email


class Accommodation(models.Model):
    """What the referent set for one trainee of the body: extra time on timed quizzes, a longer planned duration
    for the pace, and a note for the tutors."""

    training_body = models.ForeignKey("organisations.TrainingBody", on_delete=models.CASCADE,
                                      related_name="accommodations", verbose_name=_("training body"))
    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accommodations",
                                verbose_name=_("trainee"))
    extra_time_percent = models.PositiveSmallIntegerField(
        _("extra time on timed quizzes (%)"), default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PERCENT)])
    extra_duration_percent = models.PositiveSmallIntegerField(
        _("longer planned duration (%)"), default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PERCENT)])
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("set by"))
    updated_at = models.DateTimeField(_("updated on"))

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        constraints = [
            models.UniqueConstraint(fields=["training_body", "trainee"], name="one_accommodation_per_body_trainee"),
            models.CheckConstraint(condition=models.Q(extra_time_percent__lte=MAX_PERCENT)
                                   & models.Q(extra_duration_percent__lte=MAX_PERCENT),
                                   name="accommodation_percents_bounded"),
        ]

    def __str__(self):
        return f"{self.trainee} — {self.training_body}"


class AccommodationChange(models.Model):
    """One change of an accommodation, for the auditor: who set which values, when (the note is not copied)."""

    accommodation = models.ForeignKey(Accommodation, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField()
    extra_time_percent = models.PositiveSmallIntegerField()
    extra_duration_percent = models.PositiveSmallIntegerField()
    note_changed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-changed_at", "-pk"]
