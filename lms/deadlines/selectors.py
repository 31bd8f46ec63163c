"""The deadline status of many employments at once, in a constant number of queries."""
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Q

from lms.deadlines.models import DeadlineRuleSet, DeclarationKind, DeclaredTraining
from lms.deadlines.rules import STATUS_ORDER, DeadlineStatus, deadline_status, first_reminder_hire_date, rule_for
from lms.learning.models import Enrolment, EnrolmentStatus
from lms.learning.progress import planned_end
from lms.learning.selectors import track_structure
from lms.organisations.models import Employment


@dataclass
class EmploymentRow:
    employment: object
    trainee: object
    enrolment: object | None
    track_title: str
    percent: int
    planned_end: object
    training_started_on: object
    training_started_declared: bool
    qualified_on: object
    qualified_declared: bool
    deadline: DeadlineStatus

    @property
    def status_rank(self):
        return STATUS_ORDER.index(self.deadline.status)


def _passed_counts(enrolment_ids):
    if not enrolment_ids or not apps.is_installed("lms.quizzes"):
        return {}
    Attempt = apps.get_model("quizzes", "Attempt")
    return dict(Attempt.objects.filter(enrolment_id__in=enrolment_ids, passed=True).values("enrolment_id")
                .annotate(n=Count("quiz_id", distinct=True)).values_list("enrolment_id", "n"))


def _first_dates(enrolments, declarations):
    """The earliest training start and qualification, each as (date, declared rather than on the platform)."""
    starts = [(e.starts_on, False) for e in enrolments] + [
        (d.occurred_on, True) for d in declarations if d.kind == DeclarationKind.TRAINING_START]
    qualifications = [(e.completed_at.date(), False) for e in enrolments
                      if e.status == EnrolmentStatus.COMPLETED and e.completed_at] + [
        (d.occurred_on, True) for d in declarations if d.kind == DeclarationKind.QUALIFICATION]
    return (min(starts) if starts else (None, False)), (min(qualifications) if qualifications else (None, False))


def employment_rows(employments, today, with_progress=True):
    """Rows for the given employments (select_related trainee and profile beforehand).

    Without progress, quiz passes are not counted (one query less) and `percent` is lessons only.
    """
    employments = list(employments)
    trainee_ids = {e.trainee_id for e in employments}
    rules = list(DeadlineRuleSet.objects.all())
    enrolments = defaultdict(list)
    for enrolment in (Enrolment.objects.filter(trainee_id__in=trainee_ids).exclude(status=EnrolmentStatus.WITHDRAWN)
                      .select_related("cohort").annotate(lessons_done=Count("lesson_completions"))
                      .order_by("starts_on")):
        enrolments[enrolment.trainee_id].append(enrolment)
    declared = defaultdict(list)
    for declaration in DeclaredTraining.objects.filter(trainee_id__in=trainee_ids).order_by("occurred_on"):
        declared[declaration.trainee_id].append(declaration)
    passed = _passed_counts([e.pk for items in enrolments.values() for e in items]) if with_progress else {}
    structures = {track_id: track_structure(track_id)  # one cache read per track, not per assistant
                  for track_id in {e.track_id for items in enrolments.values() for e in items}}
    rows = []
    for employment in employments:
        own = enrolments.get(employment.trainee_id, [])
        current = next((e for e in reversed(own) if e.status == EnrolmentStatus.ACTIVE), own[-1] if own else None)
        (started_on, started_declared), (qualified_on, qualified_declared) = _first_dates(
            own, declared.get(employment.trainee_id, []))
        structure = structures.get(current.track_id) if current else None
        percent, end = 0, None
        if current and structure:
            total = len(structure.lessons) + sum(1 for m in structure.modules if m.quiz) + (1 if structure.final_assessment else 0)
            done = min(current.lessons_done + passed.get(current.pk, 0), total)
            percent = 100 if current.status == EnrolmentStatus.COMPLETED else (round(100 * done / total) if total else 0)
            end = planned_end(starts_on=current.starts_on, duration_value=structure.duration_value,
                              duration_unit=structure.duration_unit,
                              cohort_ends_on=current.cohort.ends_on if current.cohort else None)
        status = deadline_status(hired_on=employment.hired_on, today=today, rule=rule_for(employment.hired_on, rules),
                                 ended_on=employment.ended_on, training_started_on=started_on, qualified_on=qualified_on,
                                 planned_end=end if current and current.status == EnrolmentStatus.ACTIVE else None)
        rows.append(EmploymentRow(employment, employment.trainee, current, structure.title if structure else "",
                                  percent, end, started_on, started_declared, qualified_on, qualified_declared, status))
    return rows


def reminder_candidates(today, rules, chunk_size=500):
    """Employments that may owe a reminder on `today`, in chunks of lightweight rows, three queries a chunk.

    Only employments not ended and hired early enough for a first reminder are read (a bound the rules
    refine); each row carries what the rules need. Pages go by primary key, so memory stays flat and a
    page's related rows are read through a subquery on its key range, not a list of ids.
    """
    employments = Employment.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today),
                                            hired_on__lte=first_reminder_hire_date(today, rules)).order_by("pk")
    last = 0
    while page := list(employments.filter(pk__gt=last)[:chunk_size]
                       .values_list("pk", "trainee_id", "practice_id", "hired_on", "ended_on", named=True)):
        trainees = employments.filter(pk__gt=last, pk__lte=page[-1].pk).values("trainee_id")
        last = page[-1].pk
        enrolments, declared = defaultdict(list), defaultdict(list)
        for enrolment in (Enrolment.objects.filter(trainee_id__in=trainees).exclude(status=EnrolmentStatus.WITHDRAWN)
                          .order_by().values_list("trainee_id", "starts_on", "status", "completed_at", named=True)):
            enrolments[enrolment.trainee_id].append(enrolment)
        for declaration in (DeclaredTraining.objects.filter(trainee_id__in=trainees).order_by()
                            .values_list("trainee_id", "kind", "occurred_on", named=True)):
            declared[declaration.trainee_id].append(declaration)
        chunk = []
        for e in page:
            started, qualified = _first_dates(enrolments.get(e.trainee_id, []), declared.get(e.trainee_id, []))
            chunk.append(ReminderCandidate(e.pk, e.trainee_id, e.practice_id, e.hired_on, e.ended_on, started[0],
                                           qualified[0], e.trainee_id in enrolments))
        yield chunk


@dataclass(frozen=True)
class ReminderCandidate:
    """An employment as the reminders job first reads it: its dates, and its trainee's training dates."""

    id: int
    trainee_id: int
    practice_id: int
    hired_on: object
    ended_on: object
    started_on: object
    qualified_on: object
    enrolled: bool  # on the platform, so with a track to mention
