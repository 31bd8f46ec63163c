"""What a trainee does: enrolments in tracks (optionally in a cohort) and completed lessons."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.core.display import long_date


class Cohort(models.Model):
    """A session of a track run by a training body: start date, place or remote, tutors."""

    training_body = models.ForeignKey("organisations.TrainingBody", on_delete=models.CASCADE, related_name="cohorts")
    track = models.ForeignKey("catalog.TrackPage", on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("planned end date"), null=True, blank=True,
                               help_text=_("Leave empty to use the track's duration."))
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Leave empty for remote training."))
    tutors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="tutored_cohorts",
                                    verbose_name=_("tutors"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                                   name="cohort_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.name} ({long_date(self.starts_on)})"

    @property
    def place_display(self):
        return self.place or _("Remote")

    @property
    def label(self):
        """The name with the place, unless the name already says it ('Session — Lyon', not 'Session — Lyon (Lyon)')."""
        place = str(self.place_display)
        return self.name if place.casefold() in self.name.casefold() else f"{self.name} ({place})"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("In training")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    """A trainee registered in a track; at most one per trainee and track."""

    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    track = models.ForeignKey("catalog.TrackPage", on_delete=models.PROTECT, related_name="enrolments")
    training_body = models.ForeignKey("organisations.TrainingBody", on_delete=models.PROTECT, related_name="enrolments")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments")
    starts_on = models.DateField(_("start date"))
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The xAPI registration: groups every statement of this enrolment.
    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["trainee", "track"], name="one_enrolment_per_trainee_and_track")]

    def __str__(self):
        return f"{self.trainee} — {self.track.title}"


class LessonCompletion(models.Model):
    """A lesson the trainee marked as done."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey("catalog.LessonPage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("completed lesson")
        verbose_name_plural = _("completed lessons")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_completion_per_lesson")]


class QuizCompletion(models.Model):
    """A quiz of the track (module quiz or final assessment) passed, recorded once, at its first pass.

    Learning owns this record of what the quiz engine decided: the quizzes app writes it through
    lms.learning.services.quiz_completion_record, so that progress never reads the quiz engine's tables.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_completions")
    quiz = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("passed quiz")
        verbose_name_plural = _("passed quizzes")
        constraints = [models.UniqueConstraint(fields=["enrolment", "quiz"], name="one_completion_per_quiz")]


class ModuleCompletion(models.Model):
    """A module completed (all lessons done and its quiz passed), recorded once when it happens."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="module_completions")
    module = models.ForeignKey("catalog.ModulePage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("completed module")
        verbose_name_plural = _("completed modules")
        constraints = [models.UniqueConstraint(fields=["enrolment", "module"], name="one_completion_per_module")]


class StudySession(models.Model):
    """One login session on the platform: when it started, its last activity, the active time measured."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_sessions")
    session_key_hash = models.CharField(max_length=64, db_index=True)
    started_at = models.DateTimeField(_("login"))
    last_activity_at = models.DateTimeField(_("last activity"))
    active_seconds = models.PositiveIntegerField(_("active time (seconds)"), default=0)

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["started_at"]


class SessionEnrolmentTime(models.Model):
    """The active time a study session gave to one enrolment: what ties a login session to the enrolments worked on
    in it (a person enrolled in two tracks may work on both in one session).

    Written when heartbeats settle (learning.attendance), from the enrolment each beat came from: a lesson page's
    beat names its enrolment, an attempt page's beat its attempt's enrolment. A session in which nothing of an
    enrolment was open has no row for it; sessions settled before this table existed have none at all.
    """

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="enrolment_times")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="session_times")
    active_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="one_time_per_session_enrolment")]


class ActivityClock(models.Model):
    """The instant up to which a person's active time has been counted: one row per person.

    Every heartbeat of the person (any tab, session, lesson or quiz), when settled, counts from this instant and moves
    it forward, so an interval of wall-clock time is counted once however many pages are open; settlements lock this
    row (see learning.attendance).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # None until the person's first heartbeat is settled (the row exists so that settlements can lock it).
    counted_until = models.DateTimeField(null=True)


class ActivityBeat(models.Model):
    """One heartbeat of a page, as it arrived: the log that attendance.settle folds into the person's time.

    Append-only and short-lived: a heartbeat is one INSERT here (nothing read, nothing updated), and settlement
    counts the person's beats in time order on their clock, then deletes them. The page is a lesson of an
    enrolment, or a quiz attempt by its id (learning knows no attempts: the quizzes app settles their time).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    session_key_hash = models.CharField(max_length=64)
    resume = models.BooleanField(default=False)  # the page opened or became visible again: counts nothing
    # One index only (the user's): each heartbeat pays for the indexes of this table.
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    lesson = models.ForeignKey("catalog.LessonPage", on_delete=models.CASCADE, null=True, related_name="+",
                               db_index=False)
    attempt_id = models.PositiveBigIntegerField(null=True)


class LessonTime(models.Model):
    """Active time spent on a lesson, measured while its page is visible (heartbeats)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_times")
    lesson = models.ForeignKey("catalog.LessonPage", on_delete=models.CASCADE, related_name="+")
    active_seconds = models.PositiveIntegerField(default=0)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_time_per_lesson")]


class OfferStatus(models.TextChoices):
    """Where an offer to enrol stands (labels agree with 'invitation', feminine in French)."""

    PENDING = "pending", pgettext_lazy("invitation", "Pending")
    ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
    REFUSED = "refused", pgettext_lazy("invitation", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("invitation", "Cancelled")
    EXPIRED = "expired", pgettext_lazy("invitation", "Expired")


class EnrolmentOfferQuerySet(models.QuerySet):
    def pending(self, now):
        """Offers still waiting for an answer (not expired)."""
        return self.filter(status=OfferStatus.PENDING, expires_at__gt=now)


class EnrolmentOffer(models.Model):
    """A training body's proposal to enrol a person who already has an account: nothing changes on that account
    until they accept it from their own space. The body sees only what it typed here (email, names, profile, track,
    start date), never the account's own data, until the person accepts."""

    training_body = models.ForeignKey("organisations.TrainingBody", on_delete=models.CASCADE,
                                      related_name="enrolment_offers")
    track = models.ForeignKey("catalog.TrackPage", on_delete=models.PROTECT, related_name="enrolment_offers")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolment_offers")
    starts_on = models.DateField(_("start date"))
    invitee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_offers")
    # What the body typed, the only things it sees of the person until they accept.
    email = models.EmailField(_("email address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    entry_profile = models.CharField(_("entry profile"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.PENDING)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    enrolment = models.OneToOneField(Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="offer")

    objects = EnrolmentOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment invitation")
        verbose_name_plural = _("enrolment invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open offer per person and track: a double submit or a second click adds nothing.
            models.UniqueConstraint(fields=["invitee", "track"], condition=models.Q(status="pending"),
                                    name="one_pending_offer_per_person_and_track"),
        ]

    def __str__(self):
        return f"{self.email} — {self.track.title}"

    def current_status(self, now):
        return offer_status(self.status, self.expires_at, now)


def offer_status(status, expires_at, now):
    """An offer's stored status, or 'expired' for a pending offer past its date (for instances and plain rows)."""
    return OfferStatus.EXPIRED if status == OfferStatus.PENDING and expires_at <= now else status


class QualificationResult(models.Model):
    """The certification obtained by a trainee of a track that leads to one, as its training body records it.

    Avenant 7 (2019), art. 9-2: the assistant must obtain the qualification, not only follow a training; the
    certifying body's jury awards it after an exam, and the training body that runs the track records its
    result (lms.learning.services.qualification_result_record). A result is never deleted: a mistaken one is
    revoked with its reason (and a corrected one recorded), so the trace stays.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="qualification_results")
    obtained_on = models.DateField(_("date obtained"))
    jury_reference = models.CharField(_("jury reference"), max_length=120)
    document = models.FileField(_("document"), upload_to="qualifications/%Y/")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revocation_reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("qualification result")
        verbose_name_plural = _("qualification results")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            # At most one result in force per enrolment: correcting one revokes it first.
            models.UniqueConstraint(fields=["enrolment"], condition=models.Q(revoked_at__isnull=True),
                                    name="one_qualification_result_in_force"),
        ]

    def __str__(self):
        return f"{self.enrolment} — {long_date(self.obtained_on)} ({self.jury_reference})"


class ExemptionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Exempted")
    REFUSED = "refused", _("Refused")


class ModuleExemption(models.Model):
    """A module a trainee may skip after the track's positioning test (Qualiopi indicator 8): proposed when the
    score on the module's questions reaches its threshold, then confirmed or refused by a tutor of the body with a
    reason that is kept. A confirmed exemption counts the module as done and takes its hours off the planned ones."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="exemptions")
    module = models.ForeignKey("catalog.ModulePage", on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("score on the module (%)"), max_digits=5, decimal_places=2)
    threshold = models.PositiveSmallIntegerField(_("threshold (%)"))
    status = models.CharField(_("status"), max_length=16, choices=ExemptionStatus.choices,
                              default=ExemptionStatus.PROPOSED)
    proposed_at = models.DateTimeField(_("proposed at"))
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("module exemption")
        verbose_name_plural = _("module exemptions")
        constraints = [models.UniqueConstraint(fields=["enrolment", "module"], name="one_exemption_per_module")]

    def __str__(self):
        return f"{self.enrolment} — {self.module_id} ({self.status})"
