"""The deadline status of many employments at once, in a constant number of queries."""
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count

from lms.deadlines.models import DeadlineRuleSet, DeclarationKind, DeclaredTraining
from lms.deadlines.rules import STATUS_ORDER, DeadlineStatus, deadline_status, rule_for
from lms.learning.models import Enrolment, EnrolmentStatus
from lms.learning.progress import planned_end
from lms.learning.selectors import track_structure


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
        starts = [(e.starts_on, False) for e in own] + [
            (d.occurred_on, True) for d in declared.get(employment.trainee_id, []) if d.kind == DeclarationKind.TRAINING_START]
        qualifications = [(e.completed_at.date(), False) for e in own if e.status == EnrolmentStatus.COMPLETED and e.completed_at] + [
            (d.occurred_on, True) for d in declared.get(employment.trainee_id, []) if d.kind == DeclarationKind.QUALIFICATION]
        started_on, started_declared = min(starts) if starts else (None, False)
        qualified_on, qualified_declared = min(qualifications) if qualifications else (None, False)
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
