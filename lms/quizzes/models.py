"""Quizzes (module quizzes and final assessments) and the trainees' attempts."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from lms.catalog.models import AssessmentPage, LoadedContentMixin, TrackPage
from lms.quizzes.blocks import QuestionStreamBlock
from lms.quizzes.panels import QuestionPoolPanel


class FeedbackMode(models.TextChoices):
    AFTER_EACH = "after_each", _("After each attempt")
    AFTER_LAST = "after_last", _("After the last attempt (or once passed)")
    NEVER = "never", _("Never (score only)")


class QuizPurpose(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment (module quiz or final assessment)")
    POSITIONING = "positioning", _("Positioning test, taken once before the track")


class QuizPageForm(WagtailAdminPageForm):
    """A quiz's editor asks what its place allows. The purpose (assessment or positioning test) and "add the
    modules' questions" belong to a quiz directly under a track (a final assessment or a positioning test); a module
    quiz has neither field, which Wagtail then does not draw (the page keeps an assessment that adds nothing)."""

    TRACK_LEVEL_FIELDS = ("purpose", "include_module_questions")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        if parent is not None and parent.specific_class is not TrackPage:
            for name in self.TRACK_LEVEL_FIELDS:
                self.fields.pop(name, None)


class QuizPage(AssessmentPage):
    """A quiz: under a module it is the module quiz, directly under a track the final assessment."""

    intro = models.TextField(_("introduction"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    max_attempts = models.PositiveSmallIntegerField(_("number of attempts"), null=True, blank=True,
                                                    help_text=_("Leave empty for unlimited attempts."))
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"), null=True, blank=True,
        help_text=_("Draw this many questions at random from the pool; leave empty to ask them all."))
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    feedback_mode = models.CharField(_("feedback and right answers shown"), max_length=16,
                                     choices=FeedbackMode.choices, default=FeedbackMode.AFTER_EACH)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"), blank=True)
    # The question bank (issue 16, point 9): a final assessment draws the questions of its modules' banks
    # (QuestionBankPage) instead of holding copies, so that each question is edited once, in a page of a few.
    include_module_questions = models.BooleanField(
        _("add the modules' questions"), default=False,
        help_text=_("In a final assessment: its pool also holds the questions of each module's bank of questions for "
                    "the final assessment, as published, in the order of the modules."))
    # Qualiopi indicator 8: directly under a track, a positioning test proposes module exemptions (lms.quizzes.positioning).
    purpose = models.CharField(_("purpose"), max_length=16, choices=QuizPurpose.choices,
                               default=QuizPurpose.ASSESSMENT,
                               help_text=_("A positioning test sits directly under the track; each of its questions "
                                           "names the module it assesses."))

    content_panels = Page.content_panels + [
        FieldPanel("intro"), FieldPanel("purpose"),
        MultiFieldPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts"), FieldPanel("time_limit_minutes"),
                         FieldPanel("draw_count"), FieldPanel("shuffle_choices"), FieldPanel("feedback_mode")],
                        heading=_("Settings")),
        FieldPanel("include_module_questions"),
        QuestionPoolPanel(heading=_("Questions drawn")),
        FieldPanel("questions"),
    ]
    parent_page_types = ["catalog.ModulePage", "catalog.TrackPage"]
    subpage_types = []
    base_form_class = QuizPageForm

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self):
        super().clean()
        if not 0 < self.pass_mark <= 100:
            raise ValidationError({"pass_mark": _("The pass mark is a percentage between 1 and 100.")})
        if self.purpose == QuizPurpose.POSITIONING and self.draw_count:
            raise ValidationError({"draw_count": _("A positioning test asks every question.")})
        if self.purpose == QuizPurpose.POSITIONING and self.include_module_questions:
            raise ValidationError({"include_module_questions": _(
                "A positioning test asks its own questions, each naming the module it assesses.")})
        if self.include_module_questions and self.path and not self.is_final_position():
            raise ValidationError({"include_module_questions": _(
                "Only a final assessment, directly under its track, adds its modules' questions.")})
        if self.draw_count and self.draw_count > self.question_count:
            raise ValidationError({"draw_count": _("Cannot draw more questions than the pool holds (%(n)s).")
                                   % {"n": self.question_count}})

    def serve(self, request, *args, **kwargs):
        return redirect("quiz", self.pk)

    def is_final_position(self):
        """Directly under a track (a final assessment or a positioning test), not under a module."""
        return self.get_parent().specific_class is TrackPage

    def module_banks(self):
        """The live banks of the track's modules whose questions this final assessment adds to its pool, in the
        order of the modules; none unless it is a final assessment that says so."""
        if not self.include_module_questions or not self.path:
            return []
        # The banks sit one level below this page (track > module > bank), under its parent.
        return list(QuestionBankPage.objects.live().filter(path__startswith=self.path[:-self.steplen],
                                                           depth=self.depth + 1).order_by("path"))

    def question_pool(self):
        """The StreamField blocks of every question an attempt may draw: its own, then its modules' banks' (if it
        adds them)."""
        pool = list(self.questions)
        for bank in self.module_banks():
            pool.extend(bank.questions)
        return pool

    @property
    def question_count(self):
        return len(self.questions) + sum(len(bank.questions) for bank in self.module_banks())

    @property
    def is_positioning(self):
        return self.purpose == QuizPurpose.POSITIONING

    @property
    def attempts_allowed(self):
        """The number of attempts a trainee may make, None for unlimited: a positioning test is taken once."""
        return 1 if self.is_positioning else self.max_attempts


class QuestionBankPage(LoadedContentMixin, Page):
    """A module's questions for the final assessment of every track that includes it (its assessment.yaml).

    Not a page trainees see: the final assessments that add their modules' questions draw from it. A module shared by
    several tracks has one bank, aliased in the other tracks like its lessons and quiz.
    """

    intro = models.TextField(_("note for authors"), blank=True)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("questions")]
    preview_modes = []
    parent_page_types = ["catalog.ModulePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("bank of questions for the final assessment")
        verbose_name_plural = _("banks of questions for the final assessment")

    def serve(self, request, *args, **kwargs):
        raise Http404  # the questions are asked in the final assessment, never shown on their own


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Attempt(models.Model):
    """One attempt at a quiz: the questions drawn (a frozen snapshot), the answers saved, the grade."""

    enrolment = models.ForeignKey("learning.Enrolment", on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(QuizPage, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS)
    started_at = models.DateTimeField(_("started at"))
    deadline_at = models.DateTimeField(_("time limit"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    questions = models.JSONField(default=list, editable=False)  # snapshot, server side only
    answers = models.JSONField(default=dict, editable=False)
    answers_saved_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(default=False)
    late = models.BooleanField(_("submitted after the time limit"), default=False)
    # Time spent answering, counted by the attempt page's heartbeats on the person's clock (learning.attendance).
    active_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["quiz_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "quiz", "number"], name="unique_attempt_number"),
            models.UniqueConstraint(fields=["enrolment", "quiz"], condition=Q(status="in_progress"),
                                    name="one_attempt_in_progress"),
        ]
        indexes = [models.Index(fields=["enrolment", "passed"])]

    def __str__(self):
        return f"{self.enrolment} — {self.quiz.title} #{self.number}"


class QuestionOutcome(models.Model):
    """How one question of a submitted attempt went; aggregated for per-question success rates."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="outcomes")
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="+")
    question_id = models.CharField(max_length=64)
    awarded = models.DecimalField(max_digits=7, decimal_places=2)
    max_points = models.DecimalField(max_digits=7, decimal_places=2)
    correct = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["quiz", "question_id"])]
        constraints = [models.UniqueConstraint(fields=["attempt", "question_id"], name="one_outcome_per_question")]


