"""The deadline status of many employments at once, in a constant number of queries."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import repeat
from typing import NamedTuple

from django.db.models import Count, DateField, Exists, F, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext as _

from lms.core.cache import TRAINEES_SCOPE, get_or_build, invalidate, versions
from lms.core.dates import legal_date, legal_day, legal_day_start
from lms.core.display import long_date
from lms.accounts.models import TraineeProfile
from lms.deadlines.models import DeadlineRuleSet, DeclarationKind, DeclaredTraining
from lms.deadlines.rules import STATUS_ORDER, DeadlineStatus, deadline_status, first_reminder_hire_date, rule_for
from lms.learning.models import Enrolment, EnrolmentStatus, LessonCompletion, QuizCompletion
from lms.learning.progress import planned_end
from lms.learning.qualification import completion_counted_at
from lms.learning.qualification import qualified_on as result_date
from lms.learning.selectors import track_structures
from lms.organisations.models import Employment
from lms.organisations.selectors import within_employment


RULE_SETS_SCOPE = "deadline-rules"
PROFILE = "trainee__trainee_profile__entry_profile"  # what picks a rule set, with the hire date


def entry_profiles(trainee_ids):
    """{trainee id: entry profile} in one query (a trainee without a profile is left out)."""
    return dict(TraineeProfile.objects.filter(user_id__in=trainee_ids).values_list("user_id", "entry_profile"))


def rule_sets():
    """Every deadline rule set, from the shared cache (lms.core.cache): they change when an admin edits one, seldom."""
    token = versions([RULE_SETS_SCOPE])[RULE_SETS_SCOPE]
    return get_or_build(f"deadline-rule-sets:v3:{token}", lambda: list(DeadlineRuleSet.objects.all()),
                        timeout=24 * 3600)


def forget_rule_sets():
    """Every node reads the rule sets again once the change commits (and builds the trainees' pages again, which
    show the deadlines they set)."""
    invalidate([RULE_SETS_SCOPE, TRAINEES_SCOPE])


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
    enrolments: list = ()  # the enrolments the employing practice sees, oldest start first (EnrolmentFacts)

    @property
    def status_rank(self):
        return STATUS_ORDER.index(self.deadline.status)


def _qualified_on():
    """When an enrolment qualified its trainee (its recorded result, never its completion), or None."""
    return result_date()


class EnrolmentFacts(NamedTuple):
    """What the deadline tables read of an enrolment: a tuple, not a model instance (1,000 rows stay cheap)."""

    id: int
    trainee_id: int
    track_id: int
    status: str
    starts_on: date
    completed_at: datetime | None
    qualified_on: date | None  # the date of its recorded result in force (learning's `qualifying`), or None
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
    quizzes_passed = count(QuizCompletion.objects.all(), Count("pk")) if quizzes else nothing
    rows = (Enrolment.objects.filter(trainee_id__in=trainee_filter).exclude(status=EnrolmentStatus.WITHDRAWN)
            .order_by("starts_on", "pk")
            .values_list("pk", "trainee_id", "track_id", "status", "starts_on", completion_counted_at(), _qualified_on(),
                         "cohort__ends_on",
                         lessons_done, quizzes_passed))
    return [EnrolmentFacts._make(row) for row in rows]


def _first_dates(enrolments, declared_start, declared_qualification):
    """The earliest training start and qualification, each as (date, declared rather than on the platform).

    `declared_start`, `declared_qualification`: the earliest declared dates that count for the employment, or
    None.
    """
    starts = [(e.starts_on, False) for e in enrolments] + (
        [(declared_start, True)] if declared_start is not None else [])
    qualifications = [(e.qualified_on, False) for e in enrolments if e.qualified_on] + (
        [(declared_qualification, True)] if declared_qualification is not None else [])
    return (min(starts) if starts else (None, False)), (min(qualifications) if qualifications else (None, False))


# --- What the practice of an employment sees: up to the end of the employment (lms.organisations.selectors) ---

FAR_FUTURE = date(9999, 12, 31)  # the end of an open employment, for comparisons in the database


def _counting_for(employment_id, trainee_id, until):
    """The declarations that count for an employment: a filter on DeclaredTraining.

    Arguments are values, or expressions on an outer query of employments (OuterRef) or on employments joined
    to the declarations (F; `trainee_id` None: the join already says it). A declaration belongs to the
    employment on which it was filed and counts for it. It counts for the assistant's other employments too
    (qualification is a fact about the person), but only if it was filed while its own employment ran: what a
    former practice files after the end, for its own records, stays on its record. And the practice of an
    ended employment sees nothing after the end: no fact dated after it, no declaration filed after it.
    """
    declared_on = legal_day("declared_at")  # the day in Paris, whatever the connection's time zone
    filed_while_employed = (Q(employment__isnull=True) | Q(employment__ended_on__isnull=True)
                            | Q(GreaterThanOrEqual(F("employment__ended_on"), declared_on)))
    same_trainee = Q(trainee_id=trainee_id) if trainee_id is not None else Q()
    return (same_trainee & Q(occurred_on__lte=until)
            & (Q(employment_id=employment_id) | (filed_while_employed & Q(LessThanOrEqual(declared_on, until)))))


def declarations_for(employment):
    """The declared trainings that count for an employment (and that its practice sees), oldest first."""
    return (DeclaredTraining.objects.filter(_counting_for(employment.pk, employment.trainee_id,
                                                          employment.ended_on or FAR_FUTURE))
            .order_by("occurred_on", "pk"))


def declarations_of_employments(employment_ids):
    """{employment id: [DeclaredTraining, oldest first]} that count for each employment (as declarations_for), in one
    query: the declarations joined to their trainee's employments, each row tagged with the employment it counts for."""
    joined = "trainee__employments__pk"
    until = Coalesce(F("trainee__employments__ended_on"), Value(FAR_FUTURE), output_field=DateField())
    found = defaultdict(list)
    for declaration in (DeclaredTraining.objects.filter(Q(**{f"{joined}__in": list(employment_ids)})
                                                        & _counting_for(F(joined), None, until))
                        .annotate(counted_for=F(joined)).order_by("occurred_on", "pk")):
        found[declaration.counted_for].append(declaration)
    return found


def _declared(kind=None):
    """The declarations that count for the employment of the outer query (of one kind), oldest first."""
    until = Coalesce(OuterRef("ended_on"), Value(FAR_FUTURE), output_field=DateField())
    declared = DeclaredTraining.objects.filter(_counting_for(OuterRef("pk"), OuterRef("trainee_id"), until))
    return (declared.filter(kind=kind) if kind else declared).order_by("occurred_on", "pk")


def _no_declared_dates():
    """What _declared_dates gives for employments without declarations: (None, None) for any of them."""
    return defaultdict(lambda: [None, None])


def _declared_dates(employment_filter):
    """{employment id: (earliest declared training start, earliest declared qualification)} that count for each
    of the employments (a queryset or a list of ids), in one query that grows with the declarations, not with
    the employments (a subquery per employment would): the declarations joined to their trainee's employments."""
    joined = "trainee__employments__pk"
    until = Coalesce(F("trainee__employments__ended_on"), Value(FAR_FUTURE), output_field=DateField())
    dates = _no_declared_dates()
    for employment_id, kind, first in (
            DeclaredTraining.objects.filter(Q(**{f"{joined}__in": employment_filter})
                                            & _counting_for(F(joined), None, until))
            .order_by().values(joined, "kind").annotate(first=Min("occurred_on")).values_list(joined, "kind", "first")):
        dates[employment_id][kind == DeclarationKind.QUALIFICATION] = first
    return dates


def seen_until(enrolments, until):
    """The enrolments as the practice of an employment ending on `until` sees them (None: all, as they stand).

    Those started by the end, and as they stood then: a completion after the end has not happened for it.
    `enrolments`: named tuples with starts_on, status and completed_at (EnrolmentFacts or values_list rows).
    """
    if until is None:
        return enrolments
    seen = []
    for e in enrolments:
        if e.starts_on > until:
            continue
        if e.completed_at is not None and not within_employment(legal_date(e.completed_at), until):
            e = e._replace(status=EnrolmentStatus.ACTIVE, completed_at=None)
        if e.qualified_on is not None and not within_employment(e.qualified_on, until):
            e = e._replace(qualified_on=None)
        seen.append(e)
    return seen


def _day_after(day):
    """The first moment after a day in Paris: a moment is on or before `day` when it is earlier than this."""
    return legal_day_start(day + timedelta(days=1))


def _done_until(employments, enrolments, today, *, lessons, quizzes):
    """Lessons done and quizzes passed up to the end of ended employments, by (enrolment id, end date).

    Only for the enrolments a former practice sees still in progress at the end date: nothing to read (and no
    query) when the employments listed are open. Two queries at most; moments are compared in Python with the
    end of the day in Paris (no conversion of each row's time zone in the database).
    """
    pairs = {(e.id, employment.ended_on) for employment in employments
             if employment.ended_on is not None and employment.ended_on < today
             for e in seen_until(enrolments.get(employment.trainee_id, []), employment.ended_on)
             if e.status == EnrolmentStatus.ACTIVE}
    if not pairs or not (lessons or quizzes):
        return {}
    ids = {enrolment_id for enrolment_id, _until in pairs}
    latest = _day_after(max(until for _id, until in pairs))
    done = defaultdict(list)  # enrolment id -> moments lessons were done
    if lessons:
        for enrolment_id, moment in (LessonCompletion.objects.filter(enrolment_id__in=ids, completed_at__lt=latest)
                                     .order_by().values_list("enrolment_id", "completed_at")):
            done[enrolment_id].append(moment)
    passed = defaultdict(list)  # enrolment id -> the moment each quiz was first passed
    if quizzes:
        for enrolment_id, first in (QuizCompletion.objects.filter(enrolment_id__in=ids, completed_at__lt=latest)
                                    .order_by().values_list("enrolment_id", "completed_at")):
            passed[enrolment_id].append(first)
    counts = {}
    for enrolment_id, until in pairs:
        end = _day_after(until)
        counts[enrolment_id, until] = (sum(1 for moment in done[enrolment_id] if moment < end) if lessons else None,
                                       sum(1 for moment in passed[enrolment_id] if moment < end) if quizzes else None)
    return counts


def employment_rows(employments, today, with_progress=True):
    """Rows for the given employments (select_related trainee and profile beforehand).

    Without progress, quiz passes are not counted (one subquery less) and `percent` is lessons only. A queryset
    reads its trainees' entry profiles in its own query; a list of instances costs one query more.
    A row's `enrolment` is the current enrolment's EnrolmentFacts, not a model instance.
    """
    if isinstance(employments, QuerySet):  # the entry profiles in the same query
        employments = list(employments.annotate(rule_entry_profile=F(PROFILE)))
        profiles = {e.trainee_id: e.rule_entry_profile for e in employments}
    else:
        employments = list(employments)
        profiles = entry_profiles({e.trainee_id for e in employments})
    trainee_ids = list({e.trainee_id for e in employments})
    return _rows(employments, [e.trainee for e in employments], trainee_ids, [e.pk for e in employments], today,
                 lessons=True, quizzes=with_progress, profiles=profiles)


def deadline_rows(employments, today, *, progress=True, fields=()):
    """Rows of every employment of a queryset, without model instances, in four queries.

    For the tables that filter, sort and count all their assistants before showing one page of them: model
    instances would cost more than the rest together. A row's `employment` is a named record of pk, trainee_id,
    hired_on, ended_on and the extra `fields` (values_list names such as "trainee__last_name"); its `trainee` is
    None. Without progress nothing is counted and `percent` is 0 (the status never depends on it).
    """
    fields = [f for f in fields if f != PROFILE]
    records = list(employments.values_list("pk", "trainee_id", "hired_on", "ended_on", PROFILE, *fields, named=True))
    profiles = {r.trainee_id: getattr(r, PROFILE) for r in records}
    return _rows(records, repeat(None), employments.values("trainee_id"), employments.values("pk"), today,
                 lessons=progress, quizzes=progress, profiles=profiles)


def unsettled(employments, today):
    """The employments whose deadlines are still open on `today`: not ended, the assistant not qualified.

    What deadline_status calls ended or qualified is never at risk, so a report of the assistants at risk reads
    only these (in a training body that has run for years, most of its learners are qualified).
    """
    # Completed up to the end of today as the rows count it (a local day); an employment kept here ends today
    # or later, so its practice sees every completion and declaration up to today.
    qualified = Enrolment.objects.annotate(qualified_on=_qualified_on()).filter(qualified_on__lte=today)
    declared = _declared(DeclarationKind.QUALIFICATION).filter(occurred_on__lte=today)
    return (employments.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
            .exclude(trainee_id__in=qualified.values("trainee_id"))
            .exclude(Exists(declared)))


def own_employments(trainee_id):
    """The trainee's employments with their practices, newest first."""
    return Employment.objects.filter(trainee_id=trainee_id).select_related("practice").order_by("-hired_on", "-pk")


def trainee_rows(user, enrolments, today, structures=None):
    """The rows of the trainee's own employments ('Mon parcours'), from the enrolments the page already read.

    `enrolments`: the trainee's enrolments but withdrawn ones (cohort selected; read `with_counts` by
    learning.selectors.enrolments_of, or their counts are read here in one more query). `structures`: their tracks'
    structures, when the page has read them. One query for the employments (with whether the trainee declared
    anything), one for their declarations' dates when they did (as for the employer's table); the rule sets come
    from the cache. Each row states that employment's deadlines, as its practice sees them.
    """
    employments = list(own_employments(user.pk).annotate(
        rule_entry_profile=F(PROFILE),
        # most trainees declared nothing: then their declarations' dates are not asked for (one query fewer)
        has_declarations=Exists(DeclaredTraining.objects.filter(trainee_id=OuterRef("trainee_id")))))
    if not employments:
        return []
    if all(hasattr(e, "counted_at") for e in enrolments):
        counted = {e.pk: (e.counted_at, e.qualified_on) for e in enrolments}
    else:  # what counts of each enrolment (a completion a revoked certificate withdrew does not; a result)
        ids = [e.pk for e in enrolments]
        counted = {pk: (done, qualified) for pk, done, qualified in Enrolment.objects.filter(pk__in=ids).values_list(
            "pk", completion_counted_at(), _qualified_on())} if ids else {}
    facts = [EnrolmentFacts(e.pk, e.trainee_id, e.track_id, e.status, e.starts_on, *counted.get(e.pk, (None, None)),
                            e.cohort.ends_on if e.cohort_id else None, None, None)
             for e in sorted(enrolments, key=lambda e: (e.starts_on, e.pk))]
    declared = (_declared_dates([e.pk for e in employments]) if employments[0].has_declarations
                else _no_declared_dates())
    return _build_rows(employments, repeat(user), {user.pk: facts}, declared, today,
                       profiles={user.pk: employments[0].rule_entry_profile}, structures=structures)


def _rows(employments, trainees, trainee_filter, employment_filter, today, *, lessons, quizzes, profiles):
    """Rows of employments; `trainee_filter`, `employment_filter`: their trainees' and their own ids (lists or
    subqueries); `profiles`: entry profile by trainee id."""
    enrolments = defaultdict(list)
    for enrolment in _enrolment_facts(trainee_filter, lessons=lessons, quizzes=quizzes):
        enrolments[enrolment.trainee_id].append(enrolment)
    done_until = _done_until(employments, enrolments, today, lessons=lessons, quizzes=quizzes)
    return _build_rows(employments, trainees, enrolments, _declared_dates(employment_filter), today, done_until,
                       profiles)


def _build_rows(employments, trainees, enrolments, declared, today, done_until=None, profiles=None,
                structures=None):
    """Rows from enrolments grouped by trainee id (oldest first) and the declared dates that count for each
    employment (by employment id: earliest training start and qualification, or None).

    Each employment sees its trainee's enrolments up to its end date (`seen_until`), with the progress of that
    day (`done_until`, from _done_until). The rule set of each employment is chosen by its hire date and its
    trainee's entry profile (`profiles`, by trainee id) among the cached rule sets: no query per row.
    """
    done_until, profiles = done_until or {}, profiles or {}
    rules = rule_sets()
    # the tracks' structures in one cache read, not one per assistant; the number of items counted once per track
    track_ids = {e.track_id for items in enrolments.values() for e in items}
    if structures is None or not track_ids <= structures.keys():
        structures = track_structures(track_ids)
    tracks = {track_id: (structure, structure.item_count) for track_id, structure in structures.items()
              if structure is not None}
    active, completed = EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED
    rows = []
    for employment, trainee in zip(employments, trainees):
        own = seen_until(enrolments.get(employment.trainee_id, []), employment.ended_on)
        current = next((e for e in reversed(own) if e.status == active), own[-1] if own else None)
        (started_on, started_declared), (qualified_on, qualified_declared) = _first_dates(
            own, *declared.get(employment.pk, (None, None)))
        track = tracks.get(current.track_id) if current else None
        percent, end, title = 0, None, ""
        if track:
            structure, total = track
            title = structure.title
            lessons_done, quizzes_passed = done_until.get((current.id, employment.ended_on),
                                                          (current.lessons_done, current.quizzes_passed))
            done = min((lessons_done or 0) + (quizzes_passed or 0), total)
            percent = 100 if current.status == completed else (round(100 * done / total) if total else 0)
            end = planned_end(starts_on=current.starts_on, duration_value=structure.duration_value,
                              duration_unit=structure.duration_unit, cohort_ends_on=current.cohort_ends_on)
        finished = (legal_date(current.completed_at) if current and current.status == completed and current.completed_at
                    else None)
        rule = rule_for(employment.hired_on, rules, profiles.get(employment.trainee_id))
        status = deadline_status(hired_on=employment.hired_on, today=today, rule=rule,
                                 ended_on=employment.ended_on, training_started_on=started_on, qualified_on=qualified_on,
                                 planned_end=end if current and current.status == active else None,
                                 training_completed_on=finished)
        rows.append(EmploymentRow(employment, trainee, current, title, percent, end, started_on, started_declared,
                                  qualified_on, qualified_declared, status, own))
    return rows


def employment_timeline(employment, today):
    """An employment's row and its timeline, as its practice sees it: (row, [(date, label, kind)]) by date.

    Hired, trainings started and completed, declarations, both deadlines, the planned end of the current track,
    the end of the employment; for an ended employment, nothing that happened after its end date.
    """
    row = employment_rows([employment], today)[0]
    until = employment.ended_on
    events = [(employment.hired_on, _("Hired by %(practice)s") % {"practice": employment.practice.name}, "done")]
    structures = track_structures(enrolment.track_id for enrolment in row.enrolments)
    for enrolment in row.enrolments:
        structure = structures[enrolment.track_id]
        title = structure.title if structure else ""
        events.append((enrolment.starts_on, _("Training started: %(track)s") % {"track": title}, "done"))
        if enrolment.status == EnrolmentStatus.COMPLETED and enrolment.completed_at:
            events.append((legal_date(enrolment.completed_at),
                           _("Track completed: %(track)s") % {"track": title}, "done"))
        if enrolment.qualified_on:
            events.append((enrolment.qualified_on, _("Qualification obtained (result recorded by the training body): "
                                                     "%(track)s") % {"track": title}, "done"))
    for declaration in declarations_for(employment):
        events.append((declaration.occurred_on, _("%(kind)s — %(organisation)s (declared)") % {
            "kind": declaration.get_kind_display(), "organisation": declaration.organisation}, "done"))
    # A deadline met reads as met, with the day it was (never "passed" once a training started).
    for deadline, label, met_on, late in (
            (row.deadline.enrolment_deadline, _("Deadline to start a training"), row.deadline.enrolment_met_on,
             row.deadline.enrolment_met_late),
            (row.deadline.qualification_deadline, _("Deadline to obtain the qualification"),
             row.deadline.qualification_met_on, False)):
        if met_on is not None:
            label = "%s — %s" % (label, (_("met late, on %(d)s") if late else _("met on %(d)s")) % {
                "d": long_date(met_on)})
        events.append((deadline, label, "deadline"))
    if row.planned_end and row.enrolment.status == EnrolmentStatus.ACTIVE and within_employment(row.planned_end, until):
        events.append((row.planned_end, _("Planned end of the current track"), "planned"))
    if until:
        events.append((until, _("End of employment"), "done"))
    events.sort(key=lambda e: e[0])
    return row, events


def reminder_candidates(today, rules, chunk_size=500):
    """Employments that may owe a reminder on `today`, in chunks of lightweight rows, three queries a chunk.

    Only employments not ended and hired early enough for a first reminder are read (a bound the rules
    refine); each row carries what the rules need (with the declarations that count for it). Pages go by
    primary key, so memory stays flat and a page's related rows are read through a subquery on its key range,
    not a list of ids.
    """
    employments = Employment.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today),
                                            hired_on__lte=first_reminder_hire_date(today, rules)).order_by("pk")
    last = 0
    while page := list(employments.filter(pk__gt=last)[:chunk_size]
                       .values_list("pk", "trainee_id", "practice_id", "hired_on", "ended_on", PROFILE, named=True)):
        trainees = employments.filter(pk__gt=last, pk__lte=page[-1].pk).values("trainee_id")
        declared = _declared_dates(employments.filter(pk__gt=last, pk__lte=page[-1].pk).values("pk"))
        last = page[-1].pk
        enrolments = defaultdict(list)
        for enrolment in (Enrolment.objects.filter(trainee_id__in=trainees).exclude(status=EnrolmentStatus.WITHDRAWN)
                          .annotate(qualified_on=_qualified_on())
                          .order_by().values_list("trainee_id", "starts_on", "status", "completed_at", "qualified_on",
                                                  named=True)):
            enrolments[enrolment.trainee_id].append(enrolment)
        chunk = []
        for e in page:
            started, qualified = _first_dates(seen_until(enrolments.get(e.trainee_id, []), e.ended_on),
                                              *declared.get(e.pk, (None, None)))
            chunk.append(ReminderCandidate(e.pk, e.trainee_id, e.practice_id, e.hired_on, e.ended_on, started[0],
                                           qualified[0], e.trainee_id in enrolments, getattr(e, PROFILE)))
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
    entry_profile: str | None = None  # with the hire date, picks the rule set
