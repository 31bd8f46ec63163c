"""The positioning test of a track (Qualiopi indicator 8): taken once per enrolment, before the training; its score
on each module's questions proposes that module's exemption to the tutors (lms.learning.services).

Rules a body would apply: the test is recommended before the first lesson, never blocking; once the trainee has
done a lesson or passed a quiz it is no longer offered (it would no longer position them *before* the training),
though an attempt already started may still be submitted.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from lms.core.errors import DomainError
from lms.learning import selectors as learning_selectors
from lms.quizzes.models import Attempt, AttemptStatus


@dataclass(frozen=True)
class ModuleScore:
    """The points a positioning attempt earned on one module's questions, of those possible."""

    module_id: int
    title: str
    awarded: Decimal
    possible: Decimal

    @property
    def percent(self):
        """Points earned / points possible, in percent with two decimals (0 without questions)."""
        if not self.possible:
            return Decimal(0)
        return (self.awarded * 100 / self.possible).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def module_scores(questions, awarded_by_question, structure):
    """[ModuleScore] for every module of the track, in its order, from an attempt's frozen questions (each naming
    its module) and {question id: points awarded}. A question naming no module of the track counts for none."""
    awarded, possible = {}, {}
    for question in questions:
        module_id = question.get("module")
        if module_id is None:
            continue
        possible[module_id] = possible.get(module_id, Decimal(0)) + Decimal(str(question["points"]))
        awarded[module_id] = (awarded.get(module_id, Decimal(0))
                              + Decimal(str(awarded_by_question.get(question["id"], 0))))
    return [ModuleScore(m.id, m.title, awarded.get(m.id, Decimal(0)), possible.get(m.id, Decimal(0)))
            for m in structure.modules]


def attempt_module_scores(attempt, structure=None):
    """The module scores of a submitted positioning attempt, from its recorded question outcomes."""
    structure = structure or learning_selectors.track_structure(attempt.enrolment.track_id)
    if structure is None:
        return []
    outcomes = dict(attempt.outcomes.values_list("question_id", "awarded"))
    return module_scores(attempt.questions, outcomes, structure)


def positioning_start_check(*, enrolment, quiz):
    """Refuse a new positioning attempt: once per enrolment, and only before the training is started."""
    if Attempt.objects.filter(enrolment=enrolment, quiz=quiz, status=AttemptStatus.SUBMITTED).exists():
        raise DomainError(_("The positioning test can be taken once per enrolment."))
    if learning_selectors.has_started_track(enrolment.pk):
        raise DomainError(_("The positioning test is taken before the training: you have already started it."))


def positioning_attempt(enrolment, quiz_id):
    """The enrolment's one positioning attempt at this test (in progress or submitted), or None."""
    return (Attempt.objects.filter(enrolment=enrolment, quiz_id=quiz_id).select_related("quiz")
            .order_by("number").first())


@dataclass(frozen=True)
class PositioningSummary:
    """An enrolment's positioning: its attempt (None if not taken) and, once submitted, a row per module assessed
    with its score and the exemption proposed (None if not proposed)."""

    attempt: object
    rows: list

    @property
    def submitted(self):
        return self.attempt is not None and self.attempt.status == AttemptStatus.SUBMITTED


def positioning_summary(enrolment, structure):
    """The PositioningSummary of an enrolment in a track with a positioning test (None without one)."""
    if structure is None or structure.positioning is None:
        return None
    attempt = positioning_attempt(enrolment, structure.positioning.id)
    if attempt is None or attempt.status != AttemptStatus.SUBMITTED:
        return PositioningSummary(attempt, [])
    exemptions = {e.module_id: e for e in learning_selectors.exemptions_of(enrolment.pk)}
    return PositioningSummary(attempt, [{"score": s, "exemption": exemptions.get(s.module_id)}
                                        for s in attempt_module_scores(attempt, structure) if s.possible])
