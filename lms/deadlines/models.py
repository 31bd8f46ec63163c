"""Deadline rule sets (data, not constants), training declared outside the platform, reminders, calendar tokens."""
import hashlib
import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import EntryProfile
from lms.core.display import long_date


class PeriodUnit(models.TextChoices):
    """How a period of a rule set is counted: in calendar months or in years (same day-number, else month end)."""

    MONTHS = "months", _("months")
    YEARS = "years", _("years")


def _months(prefix):
    """A period in months, computed by the database (for the constraint that qualification comes after enrolment)."""
    return models.Case(models.When(**{f"{prefix}_unit": PeriodUnit.YEARS}, then=models.F(f"{prefix}_period") * 12),
                       default=models.F(f"{prefix}_period"), output_field=models.IntegerField())


class DeadlineRuleSet(models.Model):
    """The periods that apply to assistants hired within a range of dates (and of given entry profiles), with
    the legal text they come from. Added by a platform admin in the Django admin; no code change
    (README.md, "Ajouter une règle d'échéance")."""

    name = models.CharField(_("name"), max_length=120,
                            help_text=_("Shown to employers and training bodies beside each deadline, for example "
                                        "\"Avenant 7 — art. 9-2\"."))
    legal_source = models.CharField(_("legal source"), max_length=255,
                                    help_text=_("The text and its article, as they are cited."))
    source_url = models.URLField(_("address of the source text"), blank=True,
                                 help_text=_("Optional: where the text can be read (Légifrance, ameli.fr…)."))
    source_excerpt = models.TextField(_("passage of the text read"), blank=True,
                                      help_text=_("The sentence of the article that sets the periods, quoted."))
    takes_effect_on = models.DateField(_("date the text took effect"), null=True, blank=True,
                                       help_text=_("For the record; which assistants the rule applies to is "
                                                   "decided by the hire dates below."))
    applies_from = models.DateField(_("applies to hires from"), null=True, blank=True,
                                    help_text=_("Leave empty: applies to every earlier hire date."))
    applies_until = models.DateField(_("applies to hires until"), null=True, blank=True,
                                     help_text=_("Leave empty: no end."))
    applies_to_profiles = models.JSONField(_("entry profiles"), default=list, blank=True,
                                           help_text=_("Leave empty: applies to every entry profile. A rule for "
                                                       "given profiles takes precedence over a rule for all."))
    # Avenant 7 (2019), art. 9-2: start a training within 2 years of hiring, obtain the qualification within 3.
    enrolment_period = models.PositiveSmallIntegerField(_("period to start a training"),
                                                        validators=[MinValueValidator(1)])
    enrolment_unit = models.CharField(_("unit of the period to start a training"), max_length=6,
                                      choices=PeriodUnit.choices, default=PeriodUnit.YEARS)
    qualification_period = models.PositiveSmallIntegerField(_("period to obtain the qualification"),
                                                            validators=[MinValueValidator(1)])
    qualification_unit = models.CharField(_("unit of the period to obtain the qualification"), max_length=6,
                                          choices=PeriodUnit.choices, default=PeriodUnit.YEARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline rule set")
        verbose_name_plural = _("deadline rule sets")
        ordering = ["-applies_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(enrolment_period__gte=1, qualification_period__gte=1),
                                   name="deadline_periods_positive"),
            models.CheckConstraint(condition=models.Q(GreaterThanOrEqual(_months("qualification"),
                                                                         _months("enrolment"))),
                                   name="qualification_period_after_enrolment_period"),
            models.CheckConstraint(condition=models.Q(applies_from__isnull=True) | models.Q(applies_until__isnull=True)
                                   | models.Q(applies_until__gte=models.F("applies_from")),
                                   name="deadline_rule_until_after_from"),
        ]

    def __str__(self):
        return self.name

    @property
    def enrolment_months(self):
        return period_months(self.enrolment_period, self.enrolment_unit)

    @property
    def qualification_months(self):
        return period_months(self.qualification_period, self.qualification_unit)

    def covers_dates_of(self, hired_on):
        return (self.applies_from is None or hired_on >= self.applies_from) and \
            (self.applies_until is None or hired_on <= self.applies_until)

    def applies_to(self, hired_on, entry_profile=None):
        """Whether the rule covers a hire date and an entry profile (a rule for given profiles covers only them;
        an assistant without a known profile falls under the rules for every profile)."""
        return self.covers_dates_of(hired_on) and (not self.applies_to_profiles
                                                   or entry_profile in self.applies_to_profiles)

    def clean(self):
        """French errors for the admin: periods in order, dates in order, known profiles, no overlap."""
        errors = {}
        if self.applies_from and self.applies_until and self.applies_until < self.applies_from:
            errors["applies_until"] = _("The last hire date must be on or after the first one.")
        profiles = self.applies_to_profiles or []
        known = set(EntryProfile.values)
        if not isinstance(profiles, list) or any(p not in known for p in profiles):
            errors["applies_to_profiles"] = _("Choose entry profiles from the list.")
        if (self.enrolment_period and self.qualification_period
                and self.qualification_months < self.enrolment_months):
            errors["qualification_period"] = _("The period to obtain the qualification cannot be shorter than the "
                                               "period to start a training.")
        if errors:
            raise ValidationError(errors)
        other = self.overlapping_rule()
        if other is not None:
            raise ValidationError(_("These hire dates and profiles overlap those of the rule \u201c%(other)s\u201d "
                                    "(%(dates)s). Change its dates or profiles first, so that one rule applies to "
                                    "each assistant.") % {"other": other.name, "dates": other.hire_dates_text()})

    def hire_dates_text(self):
        """The hire dates covered, in words (for errors and the admin list)."""
        if self.applies_from and self.applies_until:
            return _("hires from %(start)s to %(end)s") % {"start": long_date(self.applies_from),
                                                           "end": long_date(self.applies_until)}
        if self.applies_from:
            return _("hires from %(start)s") % {"start": long_date(self.applies_from)}
        if self.applies_until:
            return _("hires until %(end)s") % {"end": long_date(self.applies_until)}
        return _("every hire date")

    def overlapping_rule(self):
        """Another rule of the same reach that covers a hire date this one covers, or None.

        Two rules for every profile overlap when their hire dates do; two rules for given profiles when they
        share a profile and hire dates. A rule for given profiles may sit inside a rule for all: it takes
        precedence there (lms.deadlines.rules.rule_for).
        """
        for other in DeadlineRuleSet.objects.exclude(pk=self.pk).order_by("applies_from", "pk"):
            same_reach = (not other.applies_to_profiles and not self.applies_to_profiles) or (
                set(other.applies_to_profiles or []) & set(self.applies_to_profiles or []))
            if same_reach and _ranges_meet(self.applies_from, self.applies_until,
                                           other.applies_from, other.applies_until):
                return other
        return None


def period_months(amount, unit):
    """A period in months: 2 years are 24 months (29 February + 24 months lands on 28 February, as + 2 years)."""
    return amount * 12 if unit == PeriodUnit.YEARS else amount


def _ranges_meet(start, end, other_start, other_end):
    """Whether two ranges of dates (None: open) share a day."""
    return (end is None or other_start is None or other_start <= end) and \
        (other_end is None or start is None or start <= other_end)


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
