"""The surveys' rules and writes: when each survey is open to a trainee, an answer recorded once, the cold survey's
email sent once per enrolment, and the results a training body reads."""
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lms.core.dates import legal_date
from lms.core.display import french_number
from lms.core.errors import DomainError
from lms.core.mail import send_on_commit
from lms.learning.models import Enrolment, EnrolmentStatus
from lms.surveys.models import COLD_AFTER_DAYS, ColdSurveyRequest, SurveyKind, SurveyResponse

SCORES = ("overall", "content", "support", "platform", "applied")
URL_KINDS = {"fin": SurveyKind.HOT, "trois-mois": SurveyKind.COLD}  # the survey's slug in its address
KIND_SLUGS = {kind: slug for slug, kind in URL_KINDS.items()}
MIN_ANSWERS = 5  # below, no satisfaction rate is published


def opens_on(enrolment, kind):
    """The day a survey opens to the trainee: the completion day (hot), 90 days later (cold); None before
    completion."""
    if enrolment.status != EnrolmentStatus.COMPLETED or enrolment.completed_at is None:
        return None
    day = legal_date(enrolment.completed_at)
    return day if kind == SurveyKind.HOT else day + timedelta(days=COLD_AFTER_DAYS)


def survey_submit(*, enrolment, kind, answers, now=None):
    """Record the trainee's answer; refused before the survey opens or when it was answered already."""
    now = now or timezone.now()
    opening = opens_on(enrolment, kind)
    if opening is None or legal_date(now) < opening:
        raise DomainError(_("This survey is not open yet."))
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(enrolment=enrolment, kind=kind, submitted_at=now,
                                                 **{k: answers.get(k) for k in (*SCORES, "comment")})
    except IntegrityError:  # answered already (or the same form twice at once)
        raise DomainError(_("You have already answered this survey: thank you.")) from None


def send_cold_surveys(*, today, base_url, now=None):
    """Email each trainee whose track was completed COLD_AFTER_DAYS days ago or more and who was not asked yet;
    the number of emails. Safe on several nodes at once: the request row is created before the email, once."""
    now = now or timezone.now()
    limit = today - timedelta(days=COLD_AFTER_DAYS)
    asked = ColdSurveyRequest.objects.values("enrolment_id")
    answered = SurveyResponse.objects.filter(kind=SurveyKind.COLD).values("enrolment_id")
    due = (Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED, completed_at__date__lte=limit,
                                    trainee__is_active=True)
           .exclude(pk__in=asked).exclude(pk__in=answered).select_related("trainee", "track", "training_body"))
    sent = 0
    for enrolment in due:
        try:
            with transaction.atomic():
                ColdSurveyRequest.objects.create(enrolment=enrolment, sent_at=now)
                with override("fr"):
                    send_on_commit(
                        _("[%(site)s] Three months on: how useful was your training?")
                        % {"site": settings.LMS_SITE_NAME},
                        "surveys/email/cold.txt",
                        {"track": enrolment.track.title, "body": enrolment.training_body.name,
                         "url": base_url.rstrip("/") + reverse("survey", args=[enrolment.pk,
                                                                               KIND_SLUGS[SurveyKind.COLD]])},
                        [enrolment.trainee.email])
        except IntegrityError:  # another node asked first
            continue
        sent += 1
    return sent


@dataclass
class SurveyResults:
    """The results of one survey for one group (a track, or a cohort of it)."""

    label: str
    completed: int = 0
    answers: int = 0
    averages: dict = field(default_factory=dict)

    @property
    def shown(self):
        """The averages as read: '4,2 / 5', or '—' without answers."""
        return {score: f"{french_number(self.averages[score])} / 5" if self.averages.get(score) is not None else "—"
                for score in SCORES}

    @property
    def response_rate(self):
        if not self.completed:
            return None
        return (Decimal(100 * self.answers) / self.completed).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def results(enrolments, kind):
    """[SurveyResults] per track, then per cohort of each track, for the survey `kind` over `enrolments` (a
    queryset): completions, answers, the response rate and the average of each score. Three queries."""
    completed = enrolments.filter(status=EnrolmentStatus.COMPLETED)
    groups = {}
    for row in completed.values("track_id", "track__title", "cohort_id", "cohort__name").annotate(n=Count("pk")):
        groups.setdefault((row["track_id"], None), SurveyResults(row["track__title"])).completed += row["n"]
        if row["cohort_id"] is not None:
            cohort = groups.setdefault((row["track_id"], row["cohort_id"]), SurveyResults(row["cohort__name"]))
            cohort.completed += row["n"]
    answers = SurveyResponse.objects.filter(kind=kind, enrolment__in=completed)
    averages = {f"avg_{s}": Avg(s) for s in SCORES}
    for level in ("track", "cohort"):
        keys = ["enrolment__track_id"] + (["enrolment__cohort_id"] if level == "cohort" else [])
        rows = answers.values(*keys).annotate(n=Count("pk"), **averages)
        if level == "cohort":
            rows = rows.filter(enrolment__cohort_id__isnull=False)
        for row in rows:
            key = (row["enrolment__track_id"], row.get("enrolment__cohort_id"))
            group = groups.get(key)
            if group is None:
                continue
            group.answers = row["n"]
            group.averages = {s: (Decimal(str(row[f"avg_{s}"])).quantize(Decimal("0.1"))
                                  if row[f"avg_{s}"] is not None else None) for s in SCORES}
    return [groups[key] for key in sorted(groups, key=lambda k: (k[0], k[1] is not None, groups[k].label))]


def satisfaction_rates(track_ids):
    """{track id: (rate %, answers)}: the share of end-of-training answers rating the training 4 or 5 out of 5 overall,
    published on the track's page (lms.learning.indicators) once MIN_ANSWERS have answered. One query."""
    rows = (SurveyResponse.objects.filter(kind=SurveyKind.HOT, enrolment__track_id__in=track_ids)
            .values("enrolment__track_id").annotate(n=Count("pk"), satisfied=Count("pk", filter=Q(overall__gte=4))))
    return {row["enrolment__track_id"]: ((Decimal(100 * row["satisfied"]) / row["n"]).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP), row["n"]) for row in rows if row["n"] >= MIN_ANSWERS}


def comments(enrolments, kind):
    """The free comments of a survey, newest first, with the track (not the trainee's name: the survey is
    anonymous to the body's reports)."""
    return (SurveyResponse.objects.filter(kind=kind, enrolment__in=enrolments).exclude(comment="")
            .select_related("enrolment__track", "enrolment__cohort").order_by("-submitted_at"))
