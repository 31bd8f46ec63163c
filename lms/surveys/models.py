"""Satisfaction, hot and cold (Qualiopi indicators 30 and 2): what a trainee thinks of their training when they
complete it, and three months later when they have used it at work."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

COLD_AFTER_DAYS = 90  # the cold survey is asked this many days after completion
COMMENT_MAX_LENGTH = 2000
SCORE_MIN, SCORE_MAX = 1, 5


class SurveyKind(models.TextChoices):
    HOT = "hot", _("At the end of the training")
    COLD = "cold", _("Three months later")


def score_field(label, **kwargs):
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(SCORE_MIN),
                                                               MaxValueValidator(SCORE_MAX)], **kwargs)


class SurveyResponse(models.Model):
    """One trainee's answer to one survey of one enrolment: scores from 1 (not at all satisfied) to 5 (very
    satisfied) and a free comment. One per enrolment and kind."""

    enrolment = models.ForeignKey("learning.Enrolment", on_delete=models.CASCADE, related_name="survey_responses")
    kind = models.CharField(_("survey"), max_length=8, choices=SurveyKind.choices)
    overall = score_field(_("overall satisfaction"))
    content = score_field(_("content of the training"))
    support = score_field(_("support from the tutors"))
    platform = score_field(_("ease of use of the platform"))
    # Cold only: how much of the training the trainee uses at work.
    applied = score_field(_("use at work of what was learned"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    submitted_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("satisfaction survey answer")
        verbose_name_plural = _("satisfaction survey answers")
        constraints = [models.UniqueConstraint(fields=["enrolment", "kind"], name="one_answer_per_survey")]


class ColdSurveyRequest(models.Model):
    """The email that asked for the cold survey: sent once per enrolment, whatever the number of nodes."""

    enrolment = models.OneToOneField("learning.Enrolment", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()
