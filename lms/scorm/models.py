"""SCORM 1.2 packages as lessons (issue 18, point 1): the packages a training body uploads, the lesson page that
plays one, and each trainee's tracking data (the cmi data model, saved on commit).

A package is kept as the zip itself on the default storage (object storage where configured) and served member
by member from it (lms.scorm.views.content): one object per package, written once after validation, so that a
failed upload leaves nothing behind and every node reads the same bytes; no extracted tree to keep in step.
"""
import uuid

from django.conf import settings
from django.db import models
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel

from lms.catalog.models import LessonPage
from lms.organisations.selectors import training_bodies_of


def package_upload_to(instance, filename):
    return f"scorm/{uuid.uuid4().hex}.zip"  # never the uploader's name, never overwritten


class ScormPackage(models.Model):
    """A SCORM 1.2 package (zip) of a training body, validated on upload (lms.scorm.validation)."""

    training_body = models.ForeignKey("organisations.TrainingBody", on_delete=models.PROTECT,
                                      related_name="scorm_packages", verbose_name=_("training body"))
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("SCORM 1.2 package (zip)"), upload_to=package_upload_to, max_length=255)
    identifier = models.CharField(_("manifest identifier"), max_length=255, blank=True)
    launch_path = models.CharField(_("launch file"), max_length=1000)
    launch_query = models.CharField(max_length=1000, blank=True)
    mastery_score = models.DecimalField(_("mastery score"), max_digits=5, decimal_places=2, null=True, blank=True)
    launch_data = models.TextField(blank=True)
    max_time_allowed = models.CharField(max_length=20, blank=True)
    time_limit_action = models.CharField(max_length=30, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    uncompressed_size = models.PositiveBigIntegerField(_("uncompressed size (bytes)"), default=0)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["-uploaded_at", "pk"]

    def __str__(self):
        return self.title


class ScormLessonPageForm(WagtailAdminPageForm):
    """The package chooser lists only the packages of the author's training bodies, and of the body owning the
    track when it is known: another body's package can be neither seen nor chosen (nor posted: not a choice)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("package")
        if field is None or self.for_user is None:
            return
        packages = ScormPackage.objects.all()
        if not self.for_user.is_superuser:
            packages = packages.filter(training_body__in=training_bodies_of(self.for_user))
        track = self.parent_page.get_parent() if self.parent_page is not None else None
        body_id = getattr(track.specific, "training_body_id", None) if track is not None else None
        if body_id:
            packages = packages.filter(training_body_id=body_id)
        field.queryset = packages


class ScormLessonPage(LessonPage):
    """A lesson played from a SCORM 1.2 package: done when the SCO reports it completed or passed."""

    package = models.ForeignKey(ScormPackage, on_delete=models.PROTECT, related_name="lessons",
                                verbose_name=_("SCORM package"))

    content_panels = LessonPage.content_panels[:2] + [FieldPanel("package")] + LessonPage.content_panels[2:]
    base_form_class = ScormLessonPageForm
    parent_page_types = ["catalog.ModulePage"]
    subpage_types = []
    completed_by_trainee = False  # the SCO says when it is done, not a button

    class Meta:
        verbose_name = _("SCORM lesson")
        verbose_name_plural = _("SCORM lessons")

    def render_body(self):
        """The player (shared by every reader: the trainee's own data is fetched by static/scorm/runtime.js), then
        the body the author wrote, if any."""
        return render_to_string("scorm/player.html", {"lesson": self, "package": self.package}) + super().render_body()

    def serve_preview(self, request, mode_name):
        """The author's preview: the SCO plays in browse mode, nothing is recorded."""
        module = self.get_parent()
        return render(request, "scorm/lesson_preview.html",
                      {"page": self, "module": module, "player_html": self.render_body(),
                       "track": module.get_parent() if module else None})


# cmi.core.lesson_status (SCORM 1.2 RTE 3.4.4), as the relevé and the pages say it.
LESSON_STATUS_LABELS = {
    "passed": _("Passed"), "completed": _("Completed"), "failed": _("Failed"), "incomplete": _("Incomplete"),
    "browsed": _("Browsed"), "not attempted": _("Not attempted"),
}


class ScormAttempt(models.Model):
    """A trainee's tracking data for one SCORM lesson of one enrolment (SCORM 1.2: one attempt, resumable)."""

    enrolment = models.ForeignKey("learning.Enrolment", on_delete=models.CASCADE, related_name="scorm_attempts")
    lesson = models.ForeignKey(ScormLessonPage, on_delete=models.CASCADE, related_name="attempts")
    lesson_status = models.CharField(_("status"), max_length=16, default="not attempted")
    score_raw = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    score_min = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    score_max = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    lesson_location = models.CharField(max_length=255, blank=True)
    suspend_data = models.TextField(blank=True)
    comments = models.TextField(blank=True)
    exit = models.CharField(max_length=16, blank=True)
    preferences = models.JSONField(default=dict, blank=True)
    objectives = models.JSONField(default=list, blank=True)
    interactions = models.JSONField(default=list, blank=True)
    total_seconds = models.PositiveIntegerField(_("time (closed sessions)"), default=0)
    # The session in progress: its key (a commit of an older session is refused), when it started on the server
    # (the session time a SCO reports is capped by it) and the seconds it reported so far.
    session_key = models.UUIDField(null=True, blank=True)
    session_started_at = models.DateTimeField(null=True, blank=True)
    session_seconds = models.PositiveIntegerField(default=0)
    session_finished = models.BooleanField(default=False)
    sessions = models.PositiveIntegerField(default=0)
    first_launched_at = models.DateTimeField(null=True, blank=True)
    last_commit_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_scorm_attempt_per_lesson")]

    @property
    def seconds(self):
        """The time spent in the SCO: the closed sessions and the one in progress."""
        return self.total_seconds + self.session_seconds

    @property
    def status_label(self):
        return LESSON_STATUS_LABELS.get(self.lesson_status, self.lesson_status)

    @property
    def done(self):
        return self.lesson_status in ("passed", "completed")
