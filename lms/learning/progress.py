"""Completion, progress and pace as pure functions of a track's structure, what was done and today."""
import math
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lms.accommodations.rules import extended_end
from lms.catalog.models import DurationUnit
from lms.core.dates import add_months, add_working_days

# A trainee is 'behind' when the share of time elapsed exceeds the share of work done by more than this.
PACE_TOLERANCE = 0.10


@dataclass(frozen=True)
class LessonItem:
    id: int
    title: str
    url: str
    duration_minutes: int
    path: str = ""  # the page's tree path (page privacy is read by path)

    @property
    def pk(self):
        return self.id


@dataclass(frozen=True)
class QuizItem:
    id: int
    title: str
    url: str
    question_count: int = 0  # questions in the pool


@dataclass(frozen=True)
class ModuleItem:
    id: int
    title: str
    summary: str
    lessons: tuple
    quiz: QuizItem | None = None
    # Nominal hours and their declared breakdown (catalog.HOURS_BREAKDOWN): (nominal, reading, exercises and quizzes,
    # tutored, in person); empty for a structure cached before they were kept.
    hours: tuple = ()

    @property
    def hours_parts(self):
        """{'nominal': …, 'reading': …, 'exercises': …, 'tutored': …, 'in_person': …} for the outline."""
        return dict(zip(("nominal", "reading", "exercises", "tutored", "in_person"), self.hours))


@dataclass(frozen=True)
class TrackStructure:
    """A track's description and its live modules, lessons and quizzes, in tree order."""

    id: int
    modules: tuple
    final_assessment: QuizItem | None = None
    title: str = ""
    url: str = ""
    summary: str = ""
    objectives: tuple = ()
    duration_value: int = 0
    duration_unit: str = "days"
    nominal_hours: float = 0
    positioning: QuizItem | None = None  # the track's positioning test, taken before it (lms.quizzes.positioning)
    training_body_id: int | None = None
    version: str = ""  # new at each build: keys what is derived from this structure (the outline's HTML)
    path: str = ""  # the track page's tree path (Wagtail's page privacy is read by path)
    # The support the track states (Code du travail D6313-3-1): shown on the trainee's pages.
    support_contact: str = ""
    support_email: str = ""
    support_technical_email: str = ""
    support_response_hours: int = 48

    @property
    def lessons(self):
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def sequence(self):
        """Every item in the order a trainee follows them: each module's lessons then its quiz, then the final
        assessment."""
        items = []
        for module in self.modules:
            items.extend(module.lessons)
            if module.quiz is not None:
                items.append(module.quiz)
        if self.final_assessment is not None:
            items.append(self.final_assessment)
        return items

    def neighbours(self, item_id):
        """(the item before, the item after) the item with this id in `sequence` (None at either end)."""
        items = self.sequence
        position = next((i for i, item in enumerate(items) if item.id == item_id), None)
        if position is None:
            return None, None
        return (items[position - 1] if position else None,
                items[position + 1] if position + 1 < len(items) else None)

    @property
    def item_count(self):
        """The items of work progress counts: every lesson, every module quiz and the final assessment."""
        return (sum(len(module.lessons) + (module.quiz is not None) for module in self.modules)
                + (self.final_assessment is not None))

    def quiz(self, quiz_id):
        """The module quiz or final assessment with this id, or None."""
        quizzes = [module.quiz for module in self.modules] + [self.final_assessment]
        return next((quiz for quiz in quizzes if quiz is not None and quiz.id == quiz_id), None)

    @property
    def duration_display(self):
        return f"{self.duration_value} {DurationUnit(self.duration_unit).label}"


@dataclass(frozen=True)
class ModuleProgress:
    module: ModuleItem
    lessons_done: int
    lessons_total: int
    quiz_passed: bool | None  # None when the module has no quiz
    completed_lesson_ids: frozenset = field(default_factory=frozenset)
    exempted: bool = False  # a tutor confirmed the module's exemption after the positioning test

    @property
    def complete(self):
        """All lessons done and the quiz passed (a failed or merely attempted quiz never completes a module), or
        the module exempted."""
        return self.exempted or (self.lessons_done == self.lessons_total and self.quiz_passed is not False)


@dataclass(frozen=True)
class TrackProgress:
    modules: tuple
    items_done: int
    items_total: int
    final_passed: bool | None
    next_lesson: LessonItem | None

    @property
    def percent(self):
        return round(100 * self.items_done / self.items_total) if self.items_total else 0

    @property
    def share_done(self):
        return self.items_done / self.items_total if self.items_total else 0.0

    @property
    def complete(self):
        """All modules complete and the final assessment passed."""
        return all(m.complete for m in self.modules) and self.final_passed is not False

    @property
    def lessons_done(self):
        return sum(m.lessons_done for m in self.modules)

    @property
    def lessons_total(self):
        return sum(m.lessons_total for m in self.modules)


def compute_progress(structure: TrackStructure, completed_lesson_ids, passed_quiz_ids=frozenset(),
                     exempted_module_ids=frozenset()) -> TrackProgress:
    """Progress counts lessons done and quizzes passed, each as one item of work; every item of an exempted
    module counts as done (the module is complete, its lessons are not offered as the next one)."""
    completed_lesson_ids = frozenset(completed_lesson_ids)
    passed_quiz_ids = frozenset(passed_quiz_ids)
    exempted_module_ids = frozenset(exempted_module_ids)
    modules, done, next_lesson = [], 0, None
    for module in structure.modules:
        lesson_ids = {lesson.id for lesson in module.lessons}
        if module.id in exempted_module_ids:
            modules.append(ModuleProgress(module, len(lesson_ids), len(lesson_ids),
                                          None if module.quiz is None else True, frozenset(lesson_ids), exempted=True))
            done += len(lesson_ids) + (module.quiz is not None)
            continue
        lessons_done = len(lesson_ids & completed_lesson_ids)
        quiz_passed = None if module.quiz is None else module.quiz.id in passed_quiz_ids
        modules.append(ModuleProgress(module, lessons_done, len(lesson_ids), quiz_passed,
                                      frozenset(lesson_ids & completed_lesson_ids)))
        done += lessons_done + (1 if quiz_passed else 0)
        if next_lesson is None:
            next_lesson = next((lesson for lesson in module.lessons if lesson.id not in completed_lesson_ids), None)
    final = structure.final_assessment
    final_passed = None if final is None else final.id in passed_quiz_ids
    done += 1 if final_passed else 0
    return TrackProgress(tuple(modules), done, structure.item_count, final_passed, next_lesson)


def planned_end(*, starts_on: date, duration_value: int, duration_unit: str, cohort_ends_on: date | None = None,
                extra_percent: int = 0) -> date:
    """The cohort's calendar when it has one; otherwise the start plus the track's duration. An accommodation's
    longer duration (`extra_percent`, lms.accommodations) lengthens the span from the start by that share."""
    if cohort_ends_on:
        end = cohort_ends_on
    elif duration_unit == "days":
        end = add_working_days(starts_on, duration_value)
    else:
        end = add_months(starts_on, duration_value)
    return extended_end(starts_on, end, extra_percent)


@dataclass(frozen=True)
class Pace:
    status: str  # "not_started", "on_time", "behind", "complete"
    label: str
    share_elapsed: float
    # Behind: how far, and what it takes to finish by the planned end (counted in items of work: lessons, quizzes)
    behind_by: int = 0  # items the planned pace would have done by today, not done yet
    remaining: int = 0  # items left
    per_week: int = 0  # items a week from today to finish by the planned end (0 once it has passed)
    ends_on: date | None = None


def pace_status(*, share_done: float, complete: bool, starts_on: date, ends_on: date, today: date,
                items_done: int = 0, items_total: int = 0) -> Pace:
    """On time or behind: compare the share of work done with the share of time elapsed.

    Behind, the pace also says by how many items of work (of `items_total`, `items_done` done) and how many a
    week it takes from today to finish by the planned end.
    """
    if complete:
        return Pace("complete", _("Completed"), 1.0)
    if today < starts_on:
        return Pace("not_started", _("Not started yet"), 0.0)
    span = max((ends_on - starts_on).days, 1)
    elapsed = min(max((today - starts_on).days / span, 0.0), 1.0)
    if today <= ends_on and elapsed - share_done <= PACE_TOLERANCE:
        return Pace("on_time", _("On time"), elapsed)
    remaining = max(items_total - items_done, 0)
    behind_by = max(math.ceil(elapsed * items_total - 1e-9) - items_done, 0)
    days_left = (ends_on - today).days
    per_week = math.ceil(remaining * 7 / max(days_left, 1)) if days_left > 0 else 0
    return Pace("behind", _("Behind schedule"), elapsed, behind_by=behind_by, remaining=remaining,
                per_week=per_week, ends_on=ends_on)


def pace_text(pace: Pace) -> str:
    """The pace in a few words for a table cell: 'On time', 'Behind by 4 items'…"""
    if pace.status == "behind" and pace.behind_by:
        return ngettext("Behind by %(count)s item", "Behind by %(count)s items", pace.behind_by) % {
            "count": pace.behind_by}
    return str(pace.label)


def items_text(items_done: int, items_total: int) -> str:
    """'3 / 12 items': the items of work (lessons and quizzes) done, of the track's."""
    return ngettext("%(done)s / %(total)s item", "%(done)s / %(total)s items", items_total) % {
        "done": items_done, "total": items_total}
