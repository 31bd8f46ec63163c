"""Grading is exact: every question type, normalisation, bounds (property-based)."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.quizzes.grading import InvalidResponse, check_response, grade, grade_question, normalise_text

SINGLE = {"id": "q1", "type": "single", "points": 2, "choices": [{"id": "a", "correct": False}, {"id": "b", "correct": True}]}
MULTI = {"id": "q2", "type": "multiple", "points": 3, "scoring": "all_or_nothing",
         "choices": [{"id": "a", "correct": True}, {"id": "b", "correct": True}, {"id": "c", "correct": False}]}
TF = {"id": "q3", "type": "truefalse", "points": 1, "answer": False}
NUM = {"id": "q4", "type": "numeric", "points": 2, "value": 24.2, "tolerance": 0.1, "unit": "kg/m²"}
TEXT = {"id": "q5", "type": "text", "points": 1, "accepted": ["Carte Vitale"]}
ORDER = {"id": "q6", "type": "ordering", "points": 2,
         "items": [{"id": "x", "position": 0}, {"id": "y", "position": 1}, {"id": "z", "position": 2}]}
ALL = [SINGLE, MULTI, TF, NUM, TEXT, ORDER]
PERFECT = {"q1": "b", "q2": ["a", "b"], "q3": "false", "q4": "24,2", "q5": "carte vitale", "q6": ["x", "y", "z"]}


def test_perfect_answers_get_the_maximum():
    result = grade(ALL, PERFECT)
    assert result.score == result.max_score == 11
    assert result.percent == 100 and result.passed(100)


def test_single_and_truefalse():
    assert grade_question(SINGLE, "a").awarded == 0
    assert grade_question(SINGLE, "b").awarded == 2
    assert grade_question(TF, "true").awarded == 0 and grade_question(TF, "false").correct


def test_multiple_all_or_nothing_and_partial():
    assert grade_question(MULTI, ["a"]).awarded == 0
    partial = dict(MULTI, scoring="partial")
    assert grade_question(partial, ["a"]).awarded == 1.5
    assert grade_question(partial, ["a", "c"]).awarded == 0  # a wrong choice cancels a right one
    assert grade_question(partial, ["a", "b", "c"]).awarded == 1.5
    assert grade_question(partial, ["c"]).awarded == 0


@pytest.mark.parametrize("response,awarded", [("24.2", 2), ("24,3", 2), ("24,1", 2), ("24,31", 0), ("24.09", 0),
                                              (" 24,2 ", 2), ("abc", 0), ("", 0), ("1e400", 0)])
def test_numeric_with_tolerance_and_french_decimal(response, awarded):
    assert grade_question(NUM, response).awarded == awarded


@pytest.mark.parametrize("response", ["carte vitale", "CARTE  VITALE", "Carte Vitale.", " carte\u00a0vitale "])
def test_text_normalises_case_spaces_punctuation(response):
    assert grade_question(TEXT, response).correct


def test_text_normalises_accents():
    question = {"id": "t", "type": "text", "points": 1, "accepted": ["électrocardiogramme"]}
    assert grade_question(question, "Electrocardiogramme").correct
    assert normalise_text("  Sécurité   Sociale ") == "securite sociale"


def test_ordering_all_or_nothing():
    assert grade_question(ORDER, ["x", "y", "z"]).awarded == 2
    assert grade_question(ORDER, ["y", "x", "z"]).awarded == 0


def test_missing_answers_score_zero():
    assert grade(ALL, {}).score == 0


def test_forged_responses_are_rejected():
    with pytest.raises(InvalidResponse):
        check_response(SINGLE, "zz")
    with pytest.raises(InvalidResponse):
        check_response(MULTI, ["a", "forged"])
    with pytest.raises(InvalidResponse):
        check_response(ORDER, ["x", "y"])
    with pytest.raises(InvalidResponse):
        check_response(TF, "maybe")
    with pytest.raises(InvalidResponse):
        check_response(TEXT, "x" * 501)
    assert check_response(MULTI, ["b", "a", "a"]) == ["a", "b"]


responses = st.fixed_dictionaries({
    "q1": st.sampled_from(["a", "b", None]),
    "q2": st.lists(st.sampled_from(["a", "b", "c"]), unique=True),
    "q3": st.sampled_from(["true", "false", None]),
    "q4": st.one_of(st.none(), st.text(max_size=10), st.floats(allow_nan=True).map(str)),
    "q5": st.one_of(st.none(), st.text(max_size=20)),
    "q6": st.permutations(["x", "y", "z"]).map(list),
})


@given(responses, st.booleans())
def test_score_is_always_between_zero_and_maximum(answers, partial):
    questions = [dict(MULTI, scoring="partial") if q is MULTI and partial else q for q in ALL]
    result = grade(questions, answers)
    assert 0 <= result.score <= result.max_score
    for r in result.results:
        assert 0 <= r.awarded <= r.max_points


@given(st.integers(min_value=2, max_value=8), st.data())
def test_perfect_answer_always_gets_the_maximum(n, data):
    right = data.draw(st.sets(st.integers(min_value=0, max_value=n - 1), min_size=1))
    question = {"id": "m", "type": "multiple", "points": n, "scoring": data.draw(st.sampled_from(["partial", "all_or_nothing"])),
                "choices": [{"id": str(i), "correct": i in right} for i in range(n)]}
    assert grade_question(question, sorted(str(i) for i in right)).awarded == n


@pytest.mark.parametrize("response", ["1e1000000", "-1e1000000", "1E+999999999999999999", "1e-1000000", "9" * 400,
                                      "inf", "-Infinity", "NaN", "sNaN", "0e1000000"])
def test_numbers_out_of_any_measure_are_wrong_answers_not_errors(response):
    """'1e1000000' parses as a decimal, but its difference with the expected value overflows: it is simply wrong."""
    result = grade_question(NUM, response)
    assert result.awarded == 0 and not result.correct


@given(st.from_regex(r"\A-?[0-9]{0,6}([.,][0-9]{0,6})?([eE][-+]?[0-9]{1,25})?\Z"))
def test_any_number_typed_is_graded(response):
    assert grade_question(NUM, response).awarded in (0, 2)


def test_a_question_with_an_unreadable_expected_value_grades_zero():
    """A snapshot holding NaN or infinity (an author's slip) grades every answer 0 rather than failing the attempt."""
    for value in (float("nan"), float("inf")):
        assert grade_question(dict(NUM, value=value), "24,2").awarded == 0


def test_a_stored_response_of_the_wrong_shape_scores_zero():
    """Grading never raises on what an attempt stored: it must always be able to close the attempt."""
    assert grade_question(MULTI, "a").awarded == 0 and grade_question(ORDER, ["x"]).awarded == 0
    assert grade_question(NUM, 24.2).awarded == 0 and grade_question(SINGLE, ["b"]).awarded == 0
