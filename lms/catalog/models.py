"""The page tree of what is taught: catalogue → training body → track → module → lesson (and quizzes)."""
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.search import index

from lms.accounts.models import EntryProfile
from lms.catalog.blocks import LessonBodyBlock
from lms.core import text_search

MEDIA_SCOPE = "media"  # the cache scope of the images and documents that lesson bodies show (lms.core.cache)


class LoadedContentMixin(models.Model):
    """Where a page came from in content/, to reload it idempotently without overwriting admin edits."""

    source_key = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    loaded_revision_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def with_content_json(self, content):
        """An alias keeps its own place in content/ when Wagtail copies its source's content into it (publishing
        the source updates its aliases): the loader finds each track's alias by its own key."""
        page = super().with_content_json(content)
        if self.alias_of_id:
            page.source_key, page.source_hash, page.loaded_revision_id = (
                self.source_key, self.source_hash, self.loaded_revision_id)
        return page


def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CatalogIndexPage(Page):
    """The root of the catalogue: lists the training bodies."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]

    subpage_types = ["catalog.TrainingBodyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("catalogue")


class TrainingBodyPage(Page):
    """A training body's own subtree: its authors and managers edit only what lies below."""

    training_body = models.OneToOneField(
        "organisations.TrainingBody", on_delete=models.PROTECT, related_name="catalog_page"
    )
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["catalog.CatalogIndexPage"]
    subpage_types = ["catalog.TrackPage"]

    class Meta:
        verbose_name = _("training body space")


def hours_text(value):
    """12.5 -> '12,5' (hours in an error message, the French way whatever the reader's language)."""
    return f"{value:.1f}".replace(".", ",")


class TrackPageForm(WagtailAdminPageForm):
    entry_profiles = forms.MultipleChoiceField(
        label=_("Entry profiles served"), choices=EntryProfile.choices, widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        """The nominal hours of a track are those of its modules: once it has modules, they must add up."""
        cleaned = super().clean()
        hours = cleaned.get("nominal_hours")
        if self.instance.pk and hours is not None:
            total = modules_hours(self.instance)
            if total is not None and total != hours:
                self.add_error("nominal_hours", _("The modules of this track add up to %(modules)s h; its nominal "
                                                  "hours must be the same.") % {"modules": hours_text(total)})
        return cleaned


def modules_hours(track):
    """The sum of the nominal hours of the track's modules (drafts included), None if it has none yet."""
    values = list(ModulePage.objects.child_of(track).values_list("nominal_hours", flat=True))
    return sum(values) if values else None


class ModulePageForm(WagtailAdminPageForm):
    def clean(self):
        """A module's nominal hours are the sum of its declared breakdown (D6313-3-1: the average duration of each
        activity): reading, exercises and quizzes, tutored work, in-person hours."""
        cleaned = super().clean()
        parts = [cleaned.get(name) for name in HOURS_BREAKDOWN]
        hours = cleaned.get("nominal_hours")
        if hours is not None and None not in parts and sum(parts) != hours:
            self.add_error("nominal_hours", _("The breakdown adds up to %(total)s h, not %(hours)s h: reading, exercises "
                                              "and quizzes, tutored work and in-person hours must add up to the "
                                              "module's nominal hours.") % {"total": hours_text(sum(parts)),
                                                                            "hours": hours_text(hours)})
        return cleaned


# How a module's nominal hours break down, in this order (ModulePage fields, and `hours:` in content/ track.yaml).
HOURS_BREAKDOWN = ("reading_hours", "exercise_hours", "tutored_hours", "in_person_hours")


class DurationUnit(models.TextChoices):
    DAYS = "days", _("training days")
    MONTHS = "months", _("months")


class TrackOutcome(models.TextChoices):
    """What finishing a track leads to. Only a certification, awarded by its certifying body after an exam, or
    the formation d'adaptation à l'emploi (DEI/DEAS/DEAP holders) is the qualification Avenant 7 (2019), art. 9-2
    asks for; finishing the course itself never is (lms.learning.qualification)."""

    CERTIFICATION = "certification", _("A certification (prepares for its exam)")
    ADAPTATION = "adaptation", _("A training step: the formation d'adaptation à l'emploi")
    MODULE = "module", _("A training step: a module towards a qualification")


class TrackPage(LoadedContentMixin, Page):
    """A training track (parcours) for one or more entry profiles; made of modules and a final assessment."""

    summary = models.TextField(_("summary"), blank=True)
    entry_profiles = models.JSONField(_("entry profiles served"), default=list)
    duration_value = models.PositiveSmallIntegerField(_("duration"))
    duration_unit = models.CharField(_("duration unit"), max_length=8, choices=DurationUnit.choices)
    nominal_hours = models.DecimalField(_("nominal hours"), max_digits=6, decimal_places=1)
    objectives = models.TextField(
        _("objectives"), help_text=_("One observable skill per line, starting with a verb.")
    )
    training_body = models.ForeignKey(
        "organisations.TrainingBody", on_delete=models.PROTECT, related_name="tracks", editable=False, null=True
    )
    outcome = models.CharField(_("leads to"), max_length=16, choices=TrackOutcome.choices,
                               default=TrackOutcome.MODULE,
                               help_text=_("Finishing a track is never the qualification by itself: a certification "
                                           "is obtained when its result is recorded."))
    certification_name = models.CharField(_("certification"), max_length=200, blank=True)
    rncp_code = models.CharField(_("RNCP code"), max_length=16, blank=True,
                                 validators=[RegexValidator(r"^RNCP\d{3,6}$", _("Write it as RNCP followed by "
                                                                                  "digits, e.g. RNCP40913."))])
    certifying_body = models.CharField(_("certifying body"), max_length=200, blank=True)
    # The assistance a distance training must state (Code du travail D6313-3-1; Qualiopi indicator 12): who helps
    # with the content and with the platform, how to reach them, and how soon they answer (lms.support).
    support_pedagogical_contact = models.CharField(
        _("pedagogical contact"), max_length=200, blank=True,
        help_text=_("Name or role of the person who answers questions on the content, e.g. "
                    "“The tutor of your cohort”."))
    support_pedagogical_email = models.EmailField(_("pedagogical contact's email"), blank=True)
    support_technical_email = models.EmailField(_("technical support email"), blank=True)
    support_response_hours = models.PositiveSmallIntegerField(
        _("response time (working hours)"), default=48, validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("The longest time, in working hours (Monday to Friday), before a trainee's question is answered."))
    min_realised_share = models.PositiveSmallIntegerField(
        _("minimum realised share (%)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The share of the nominal hours a trainee must have realised (active time recorded and in-person "
                    "hours attended) before the track is completed. Leave blank for none."))

    base_form_class = TrackPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("entry_profiles"),
        MultiFieldPanel([FieldPanel("duration_value"), FieldPanel("duration_unit"), FieldPanel("nominal_hours"),
                         FieldPanel("min_realised_share")], heading=_("Duration")),
        FieldPanel("objectives"),
        MultiFieldPanel([FieldPanel("outcome"), FieldPanel("certification_name"), FieldPanel("rncp_code"),
                         FieldPanel("certifying_body")], heading=_("What the track leads to")),
        MultiFieldPanel([FieldPanel("support_pedagogical_contact"), FieldPanel("support_pedagogical_email"),
                         FieldPanel("support_technical_email"), FieldPanel("support_response_hours")],
                        heading=_("Support for trainees")),
    ]
    parent_page_types = ["catalog.TrainingBodyPage"]
    subpage_types = ["catalog.ModulePage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.pk or self.path else None
        if parent is not None:
            body_page = parent.specific
            if isinstance(body_page, TrainingBodyPage):
                self.training_body_id = body_page.training_body_id
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.outcome == TrackOutcome.CERTIFICATION:
            missing = {name: _("Required for a track leading to a certification.")
                       for name in ("certification_name", "rncp_code", "certifying_body") if not getattr(self, name)}
            if missing:
                raise ValidationError(missing)

    @property
    def leads_to_certification(self):
        return self.outcome == TrackOutcome.CERTIFICATION

    @property
    def objectives_list(self):
        return lines(self.objectives)

    def get_entry_profiles_display(self):
        labels = dict(EntryProfile.choices)
        return [labels.get(p, p) for p in self.entry_profiles]

    @property
    def duration_display(self):
        return f"{self.duration_value} {self.get_duration_unit_display()}"

    def serve(self, request, *args, **kwargs):
        # Trainees read a track at its learning URL, which checks their enrolment.
        return redirect("track_outline", self.pk)

    def serve_preview(self, request, mode_name):
        """The outline as the catalogue knows it (catalog's own template: no progress, nobody is enrolled)."""
        return render(request, "catalog/track_page_preview.html", {"page": self, **_outline(self)})


class ModulePage(LoadedContentMixin, Page):
    """A module of a track: lessons and usually a quiz; complete when both are done."""

    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("One observable skill per line."))
    nominal_hours = models.DecimalField(_("nominal hours"), max_digits=5, decimal_places=1, default=0)
    reading_hours = models.DecimalField(_("reading (hours)"), max_digits=5, decimal_places=1, default=0,
                                        help_text=_("Close to the sum of the lessons' estimated times."))
    exercise_hours = models.DecimalField(_("exercises and quizzes (hours)"), max_digits=5, decimal_places=1, default=0)
    tutored_hours = models.DecimalField(_("tutored work (hours)"), max_digits=5, decimal_places=1, default=0)
    in_person_hours = models.DecimalField(_("in-person hours"), max_digits=5, decimal_places=1, default=0)
    day_offset = models.PositiveSmallIntegerField(
        _("planned start"), default=0,
        help_text=_("Planned start, in days after the start of the track (training days for a day-based track)."),
    )
    # Qualiopi indicator 8: a trainee positioned before the track may be exempted from a module they already master.
    exemption_threshold = models.PositiveSmallIntegerField(
        _("exemption threshold (%)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The score on this module's questions of the track's positioning test from which an exemption "
                    "is proposed to the tutor. Leave blank: never exempted."))

    base_form_class = ModulePageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"), FieldPanel("objectives"),
        MultiFieldPanel([FieldPanel("nominal_hours"), *(FieldPanel(name) for name in HOURS_BREAKDOWN)],
                        heading=_("Nominal hours and their breakdown")),
        FieldPanel("day_offset"), FieldPanel("exemption_threshold"),
    ]
    parent_page_types = ["catalog.TrackPage"]
    subpage_types = ["catalog.LessonPage", "scorm.ScormLessonPage", "quizzes.QuizPage", "quizzes.QuestionBankPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    @property
    def objectives_list(self):
        return lines(self.objectives)

    @property
    def hours_breakdown(self):
        """[(label, hours)] of the declared breakdown, in the order of HOURS_BREAKDOWN."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in HOURS_BREAKDOWN]

    def serve(self, request, *args, **kwargs):
        # A module has no page of its own: its place is the track outline.
        return redirect(reverse("track_outline", args=[self.get_parent().pk]) + f"#module-{self.pk}")

    def serve_preview(self, request, mode_name):
        """The track's outline with this module as edited."""
        track = self.get_parent().specific
        return render(request, "catalog/track_page_preview.html", {"page": track, **_outline(track, draft=self)})


class LessonPage(LoadedContentMixin, Page):
    """A lesson a trainee reads and marks as done."""

    duration_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=20)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("duration_minutes"), FieldPanel("body")]
    # search_terms: the body's words as light French stems, so that SQLite, which has no French stemmer, finds
    # "tensions" in "tension" and "arterielle" in "artérielle" as PostgreSQL's french_unaccent configuration does.
    search_fields = Page.search_fields + [index.SearchField("body"), index.SearchField("search_terms")]
    parent_page_types = ["catalog.ModulePage"]
    subpage_types = []
    completed_by_trainee = True  # "Mark as done"; a SCORM lesson (lms.scorm) is done when its SCO says so

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        return redirect("lesson", self.pk)

    def plain_text(self):
        """The body's text without markup, in one line: what the search indexes and quotes."""
        return " ".join(" ".join(self.body.stream_block.get_searchable_content(self.body)).split())

    def search_terms(self):
        return text_search.index_terms(self.plain_text())

    def serve_preview(self, request, mode_name):
        """The lesson with its draft body, in catalog's own template (no progress, no 'mark as done')."""
        module = self.get_parent()
        return render(request, "catalog/lesson_page_preview.html",
                      {"page": self, "module": module, "track": module.get_parent() if module else None})

    def render_body(self):
        return str(self.body.render_as_block())


class AssessmentPage(LoadedContentMixin, Page):
    """What assesses a trainee in a track: under a module its quiz, directly under a track the final assessment.

    The concrete page (lms.quizzes.QuizPage) lives above the catalogue, which never imports it: learning finds
    assessments through this base (assessment_page_models) and the loader through lms.catalog.loader's hooks.
    """

    class Meta:
        abstract = True

    @property
    def question_count(self):
        raise NotImplementedError

    @property
    def is_positioning(self):
        """A positioning test (taken before the track, never its final assessment); the concrete page says."""
        return False


def assessment_page_models():
    """The concrete page models that assess a trainee (today: the quizzes app's QuizPage)."""
    return [model for model in get_page_models() if issubclass(model, AssessmentPage)]


def _outline(track, draft=None):
    """Modules (with their lessons and quiz) and final assessment of a track, live pages only, for a preview.

    `draft`: a module being edited, shown in place of its published version.
    """
    pages = list(track.get_descendants().live().order_by("path").specific()) if track.pk else []
    if draft is not None:
        pages = [draft if page.pk == draft.pk and draft.pk else page for page in pages]
        if not any(page is draft for page in pages):
            pages.append(draft)  # a module being added: last, where Wagtail will put it
    modules = [{"page": page, "lessons": [], "quiz": None} for page in pages if isinstance(page, ModulePage)]
    final = None
    for page in pages:
        if isinstance(page, AssessmentPage) and page.depth == track.depth + 1:
            if not page.is_positioning:
                final = page
            continue
        module = next((m for m in modules if page.depth == m["page"].depth + 1
                       and page.path.startswith(m["page"].path)), None)
        if module is not None and isinstance(page, AssessmentPage):
            module["quiz"] = page
        elif module is not None and isinstance(page, LessonPage):
            module["lessons"].append(page)
    return {"modules": modules, "final_assessment": final}
