"""The deadline status of many employments at once, in a constant number of queries."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone as dt_timezone
from itertools import repeat
from typing import NamedTuple

from django.apps import apps
from django.db.models import Case, Count, DateTimeField, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When

from lms.core.cache import forget, shared_get
from lms.core.prepared import Prepared
from lms.deadlines.models import DeadlineRuleSet, DeclarationKind, DeclaredTraining
from lms.deadlines.rules import STATUS_ORDER, DeadlineStatus, deadline_status, first_reminder_hire_date, rule_for
from lms.learning.models import Enrolment, EnrolmentStatus, LessonCompletion
from lms.learning.progress import planned_end
from lms.learning.selectors import track_structure
from lms.organisations.models import Employment


RULE_SETS_KEY = "deadline-rule-sets:v1"


def rule_sets():
    """Every deadline rule set, cached (lms.core.cache): they change when an admin edits one, seldom."""
    return shared_get(RULE_SETS_KEY, lambda: list(DeadlineRuleSet.objects.all()), timeout=24 * 3600)


def forget_rule_sets():
    forget([RULE_SETS_KEY])


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


def _qualifying():
    """The enrolments whose completion is a qualification: completed, and their certificate not revoked.

    The one place where the platform decides that a trainee holds the qualification (a qualification obtained
    elsewhere is a DeclaredTraining). A revoked certificate is no qualification; its re-issue is valid again.
    Certificates are read by app label, not imported: they sit beside deadlines, not under it (DESIGN.md).
    """
    condition = Q(status=EnrolmentStatus.COMPLETED, completed_at__isnull=False)
    if apps.is_installed("lms.certificates"):
        Certificate = apps.get_model("certificates", "Certificate")
        condition &= ~Exists(Certificate.objects.filter(enrolment=OuterRef("pk"), status="revoked"))
    return condition


def _qualified_at():
    """When an enrolment qualified its trainee (its completion), or None: an expression on Enrolment."""
    return Case(When(_qualifying(), then=F("completed_at")), default=None, output_field=DateTimeField())


class EnrolmentFacts(NamedTuple):
    """What the deadline tables read of an enrolment: a tuple, not a model instance (1,000 rows stay cheap)."""

    id: int
    trainee_id: int
    track_id: int
    status: str
    starts_on: date
    qualified_at: datetime | None  # its completion, if it counts as a qualification (_qualifying)
    cohort_ends_on: date | None
    lessons_done: int | None  # None: not counted, or nothing done
    quizzes_passed: int | None

    @property
    def pk(self):
        return self.id


def _enrolment_facts(trainee_filter, *, lessons, quizzes):
    """The trainees' enrolments but withdrawn ones, oldest start first, with their counts, in one query.

    `trainee_filter` is a list of ids or a subquery (a list of 1,000 ids costs more to prepare than the query
    takes). Lessons done and quizzes passed are counted by subqueries of the same query when asked.
    """
    def count(queryset, expression):
        return Subquery(queryset.filter(enrolment=OuterRef("pk")).order_by().values("enrolment")
                        .annotate(n=expression).values("n"))

    nothing = Value(None, output_field=IntegerField())
    lessons_done = count(LessonCompletion.objects.all(), Count("pk")) if lessons else nothing
    quizzes_passed = nothing
    if quizzes and apps.is_installed("lms.quizzes"):
        Attempt = apps.get_model("quizzes", "Attempt")
        quizzes_passed = count(Attempt.objects.filter(passed=True), Count("quiz_id", distinct=True))
    rows = (Enrolment.objects.filter(trainee_id__in=trainee_filter).exclude(status=EnrolmentStatus.WITHDRAWN)
            .order_by("starts_on", "pk")
            .values_list("pk", "trainee_id", "track_id", "status", "starts_on", _qualified_at(), "cohort__ends_on",
                         lessons_done, quizzes_passed))
    return [EnrolmentFacts._make(row) for row in rows]


def _first_dates(enrolments, declarations):
    """The earliest training start and qualification, each as (date, declared rather than on the platform)."""
    starts = [(e.starts_on, False) for e in enrolments] + [
        (d.occurred_on, True) for d in declarations if d.kind == DeclarationKind.TRAINING_START]
    qualifications = [(e.qualified_at.date(), False) for e in enrolments if e.qualified_at] + [
        (d.occurred_on, True) for d in declarations if d.kind == DeclarationKind.QUALIFICATION]
    return (min(starts) if starts else (None, False)), (min(qualifications) if qualifications else (None, False))


def employment_rows(employments, today, with_progress=True):
    """Rows for the given employments (select_related trainee and profile beforehand).

    Without progress, quiz passes are not counted (one subquery less) and `percent` is lessons only.
    A row's `enrolment` is the current enrolment's EnrolmentFacts, not a model instance.
    """
    employments = list(employments)
    return _rows(employments, [e.trainee for e in employments], list({e.trainee_id for e in employments}), today,
                 lessons=True, quizzes=with_progress)


def deadline_rows(employments, today, *, progress=True, fields=()):
    """Rows of every employment of a queryset, without model instances, in four queries.

    For the tables that filter, sort and count all their assistants before showing one page of them: model
    instances would cost more than the rest together. A row's `employment` is a named record of pk, trainee_id,
    hired_on, ended_on and the extra `fields` (values_list names such as "trainee__last_name"); its `trainee` is
    None. Without progress nothing is counted and `percent` is 0 (the status never depends on it).
    """
    records = list(employments.values_list("pk", "trainee_id", "hired_on", "ended_on", *fields, named=True))
    return _rows(records, repeat(None), employments.values("trainee_id"), today, lessons=progress, quizzes=progress)


def unsettled(employments, today):
    """The employments whose deadlines are still open on `today`: not ended, the assistant not qualified.

    What deadline_status calls ended or qualified is never at risk, so a report of the assistants at risk reads
    only these (in a training body that has run for years, most of its learners are qualified).
    """
    # Completed up to the end of today as the rows count it: completed_at.date(), a UTC date, on or before today.
    tomorrow = datetime.combine(today + timedelta(days=1), time.min, tzinfo=dt_timezone.utc)
    completed = Enrolment.objects.filter(_qualifying(), completed_at__lt=tomorrow)
    declared = DeclaredTraining.objects.filter(kind=DeclarationKind.QUALIFICATION, occurred_on__lte=today)
    return (employments.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
            .exclude(trainee_id__in=completed.values("trainee_id"))
            .exclude(trainee_id__in=declared.values("trainee_id")))


def _own_employments(trainee_id):
    """The trainee's employments, each with the earliest declared training start and qualification (or None)."""
    declared = DeclaredTraining.objects.filter(trainee_id=OuterRef("trainee_id")).order_by("occurred_on", "pk")
    return (Employment.objects.filter(trainee_id=trainee_id).select_related("practice").order_by("-hired_on", "-pk")
            .annotate(declared_start=Subquery(declared.filter(kind=DeclarationKind.TRAINING_START)
                                              .values("occurred_on")[:1]),
                      declared_qualification=Subquery(declared.filter(kind=DeclarationKind.QUALIFICATION)
                                                      .values("occurred_on")[:1])))


_OWN_EMPLOYMENTS = Prepared(_own_employments, trainee_id=int)  # read on each visit of 'Mon parcours'


class Declaration(NamedTuple):
    trainee_id: int
    kind: str
    occurred_on: date


def trainee_rows(user, enrolments, today):
    """The rows of the trainee's own employments ('Mon parcours'), from the enrolments the page already read.

    `enrolments`: the trainee's enrolments but withdrawn ones (cohort selected). One query for the employments and
    their declarations; the rule sets come from the cache.
    """
    employments = _OWN_EMPLOYMENTS(trainee_id=user.pk)
    if not employments:
        return []
    completed = [e.pk for e in enrolments if e.status == EnrolmentStatus.COMPLETED]
    qualified = dict(Enrolment.objects.filter(pk__in=completed).annotate(qualified_at=_qualified_at())
                     .values_list("pk", "qualified_at")) if completed else {}  # a query only once one is completed
    facts = [EnrolmentFacts(e.pk, e.trainee_id, e.track_id, e.status, e.starts_on, qualified.get(e.pk),
                            e.cohort.ends_on if e.cohort_id else None, None, None)
             for e in sorted(enrolments, key=lambda e: (e.starts_on, e.pk))]
    first = employments[0]  # only the earliest declaration of each kind counts (_first_dates)
    declarations = [Declaration(user.pk, kind, occurred_on) for kind, occurred_on in (
        (DeclarationKind.TRAINING_START, first.declared_start), (DeclarationKind.QUALIFICATION, first.declared_qualification))
        if occurred_on is not None]
    return _build_rows(employments, repeat(user), {user.pk: facts}, {user.pk: declarations}, today)


def _rows(employments, trainees, trainee_filter, today, *, lessons, quizzes):
    enrolments = defaultdict(list)
    for enrolment in _enrolment_facts(trainee_filter, lessons=lessons, quizzes=quizzes):
        enrolments[enrolment.trainee_id].append(enrolment)
    declared = defaultdict(list)
    for declaration in (DeclaredTraining.objects.filter(trainee_id__in=trainee_filter).order_by("occurred_on", "pk")
                        .values_list("trainee_id", "kind", "occurred_on", named=True)):
        declared[declaration.trainee_id].append(declaration)
    return _build_rows(employments, trainees, enrolments, declared, today)


def _build_rows(employments, trainees, enrolments, declared, today):
    """Rows from enrolments and declarations grouped by trainee id (oldest first)."""
    rules = rule_sets()
    tracks = {}  # one cache read per track, not per assistant; the number of items counted once per track
    for track_id in {e.track_id for items in enrolments.values() for e in items}:
        structure = track_structure(track_id)
        if structure is not None:
            tracks[track_id] = (structure, structure.item_count)
    active, completed = EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED
    rows = []
    for employment, trainee in zip(employments, trainees):
        own = enrolments.get(employment.trainee_id, [])
        current = next((e for e in reversed(own) if e.status == active), own[-1] if own else None)
        (started_on, started_declared), (qualified_on, qualified_declared) = _first_dates(
            own, declared.get(employment.trainee_id, []))
        track = tracks.get(current.track_id) if current else None
        percent, end, title = 0, None, ""
        if track:
            structure, total = track
            title = structure.title
            done = min((current.lessons_done or 0) + (current.quizzes_passed or 0), total)
            percent = 100 if current.status == completed else (round(100 * done / total) if total else 0)
            end = planned_end(starts_on=current.starts_on, duration_value=structure.duration_value,
                              duration_unit=structure.duration_unit, cohort_ends_on=current.cohort_ends_on)
        status = deadline_status(hired_on=employment.hired_on, today=today, rule=rule_for(employment.hired_on, rules),
                                 ended_on=employment.ended_on, training_started_on=started_on, qualified_on=qualified_on,
                                 planned_end=end if current and current.status == active else None)
        rows.append(EmploymentRow(employment, trainee, current, title, percent, end, started_on, started_declared,
                                  qualified_on, qualified_declared, status))
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
                          .annotate(qualified_at=_qualified_at())
                          .order_by().values_list("trainee_id", "starts_on", "qualified_at", named=True)):
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
