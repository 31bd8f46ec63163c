"""Grading as pure functions: a question snapshot and a response in, points out. No database, no clock.

A question is a dict as snapshotted in an attempt (see lms.quizzes.questions.snapshot):
  {"id", "type", "points", "choices": [{"id", "correct"}], "scoring", "answer", "value", "tolerance",
   "accepted": [...], "items": [{"id", "position"}]}
Responses: a choice id (single), a list of choice ids (multiple), "true"/"false" (truefalse), a string
(numeric, text), a list of item ids in the chosen order (ordering). A missing response scores 0.
"""
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SINGLE, MULTIPLE, TRUEFALSE, NUMERIC, TEXT, ORDERING = "single", "multiple", "truefalse", "numeric", "text", "ordering"
TYPES = (SINGLE, MULTIPLE, TRUEFALSE, NUMERIC, TEXT, ORDERING)
MAX_EXPONENT = 100  # numbers read in answers lie between 1e-100 and 1e100 (a measure, a dose, a count…)


class InvalidResponse(ValueError):
    """A response that cannot belong to its question (forged choice id, wrong shape)."""


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    awarded: float
    max_points: float
    correct: bool


@dataclass(frozen=True)
class GradeResult:
    score: float
    max_score: float
    results: tuple

    @property
    def percent(self):
        return round(100 * self.score / self.max_score, 2) if self.max_score else 0.0

    def passed(self, pass_mark):
        return self.max_score > 0 and self.percent >= pass_mark


def normalise_text(value):
    """Lower case, no accents, single spaces, no surrounding punctuation: 'Carte  Vitale.' -> 'carte vitale'."""
    value = unicodedata.normalize("NFKD", str(value))
    value = "".join(c for c in value if not unicodedata.combining(c)).lower()
    value = re.sub(r"[\s\u00a0]+", " ", value).strip()
    return value.strip(" .,;:!?'\"«»()")


def parse_number(value):
    """Read a French or English decimal ('24,2', '24.2', ' 1 250 '); None when it is not a number.

    Nor is anything beyond MAX_EXPONENT orders of magnitude, infinite or NaN: such an answer is wrong, not an
    error ('1e1000000' parses, but its difference with the expected value overflows Python's decimal context).
    """
    if value is None:
        return None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or (number and abs(number.adjusted()) > MAX_EXPONENT):
        return None
    return number


def check_response(question, response):
    """Raise InvalidResponse when a response cannot belong to the question; return it cleaned."""
    kind = question["type"]
    if response in (None, "", []):
        return None
    if kind == SINGLE:
        if not isinstance(response, str) or response not in {c["id"] for c in question["choices"]}:
            raise InvalidResponse(question["id"])
        return response
    if kind == MULTIPLE:
        ids = {c["id"] for c in question["choices"]}
        if not isinstance(response, (list, tuple)) or not all(isinstance(r, str) and r in ids for r in response):
            raise InvalidResponse(question["id"])
        return sorted(set(response))
    if kind == TRUEFALSE:
        if response not in ("true", "false"):
            raise InvalidResponse(question["id"])
        return response
    if kind in (NUMERIC, TEXT):
        if not isinstance(response, str) or len(response) > 500:
            raise InvalidResponse(question["id"])
        return response.strip()
    if kind == ORDERING:
        ids = [item["id"] for item in question["items"]]
        if not isinstance(response, (list, tuple)) or sorted(response) != sorted(ids):
            raise InvalidResponse(question["id"])
        return list(response)
    raise InvalidResponse(question["id"])


def grade_question(question, response):
    """Points for one response; never below 0 nor above the question's points.

    A stored response that cannot belong to its question (a shape changed since it was saved) scores 0: grading
    never raises, so an attempt can always be closed.
    """
    points = float(question["points"])
    kind = question["type"]
    fraction = 0.0
    try:
        response = check_response(question, response)
    except InvalidResponse:
        response = None
    if response not in (None, "", []):
        if kind == SINGLE:
            fraction = 1.0 if any(c["id"] == response and c["correct"] for c in question["choices"]) else 0.0
        elif kind == MULTIPLE:
            right = {c["id"] for c in question["choices"] if c["correct"]}
            chosen = set(response)
            if question.get("scoring") == "partial":
                fraction = max(0.0, (len(chosen & right) - len(chosen - right)) / len(right)) if right else 0.0
            else:
                fraction = 1.0 if chosen == right else 0.0
        elif kind == TRUEFALSE:
            fraction = 1.0 if (response == "true") == bool(question["answer"]) else 0.0
        elif kind == NUMERIC:
            number, expected = parse_number(response), parse_number(question["value"])
            tolerance = parse_number(question.get("tolerance") or 0) or Decimal(0)
            if number is not None and expected is not None:
                fraction = 1.0 if abs(number - expected) <= abs(tolerance) else 0.0
        elif kind == TEXT:
            accepted = {normalise_text(a) for a in question["accepted"]}
            fraction = 1.0 if normalise_text(response) in accepted else 0.0
        elif kind == ORDERING:
            expected = [item["id"] for item in sorted(question["items"], key=lambda i: i["position"])]
            fraction = 1.0 if list(response) == expected else 0.0
    awarded = round(points * min(max(fraction, 0.0), 1.0), 4)
    return QuestionResult(question["id"], awarded, points, math.isclose(awarded, points))


def grade(questions, responses):
    """Grade every question of an attempt; `responses` maps question id to response."""
    results = tuple(grade_question(q, responses.get(q["id"])) for q in questions)
    return GradeResult(round(sum(r.awarded for r in results), 4), round(sum(r.max_points for r in results), 4), results)


def right_response(question):
    """The response that earns full points (used by the demo data and tests; never sent to a page)."""
    kind = question["type"]
    if kind == SINGLE:
        return next(c["id"] for c in question["choices"] if c["correct"])
    if kind == MULTIPLE:
        return [c["id"] for c in question["choices"] if c["correct"]]
    if kind == TRUEFALSE:
        return "true" if question["answer"] else "false"
    if kind == NUMERIC:
        return str(question["value"])
    if kind == TEXT:
        return question["accepted"][0]
    return [item["id"] for item in sorted(question["items"], key=lambda i: i["position"])]
