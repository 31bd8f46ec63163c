"""The shipped lessons and questions say what the law and the tracks' own profiles say: the two
official routes by name, the tracks as the body's offer, the deadlines and the 2024 convention, the assistant's
scope, and one identity check order everywhere."""
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

CONTENT = Path(settings.BASE_DIR) / "content"
LESSONS = sorted(CONTENT.glob("modules/*/lessons/*.md"))
QUESTION_FILES = sorted(CONTENT.glob("modules/*/quiz.yaml")) + sorted(CONTENT.glob("modules/*/assessment.yaml"))


def _questions():
    for path in QUESTION_FILES:
        for question in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            yield path, question


def _question_text(question):
    """Everything a trainee reads for a question: prompt, feedback, choices and their feedback, items."""
    parts = [question.get("prompt", ""), question.get("feedback", "")]
    for choice in question.get("choices", []):
        parts += [choice.get("text", ""), choice.get("feedback", "")]
    parts += question.get("items", []) + question.get("accepted", [])
    return "\n".join(parts)


def _lesson(module, prefix):
    return next((CONTENT / "modules" / module / "lessons").glob(f"{prefix}-*.md")).read_text(encoding="utf-8")


def _steps(text):
    """The numbered steps of each :::etapes block of a lesson."""
    for block in re.findall(r"^:::etapes[^\n]*\n(.*?)^:::$", text, re.S | re.M):
        yield [re.sub(r"^\s*\d+[.)]\s+", "", line) for line in block.splitlines() if re.match(r"^\s*\d+[.)]\s", line)]


def _sequences():
    """Every ordered sequence a trainee learns: lesson procedures and ordering questions."""
    for path in LESSONS:
        for steps in _steps(path.read_text(encoding="utf-8")):
            yield path.name, steps
    for path, question in _questions():
        if question["type"] == "ordering":
            yield f"{path.parent.name}/{path.name}: {question['prompt']}", question["items"]


def test_the_two_official_routes_are_named_with_their_references():
    """CQP AM with its RNCP number for non-carers; the adaptation course (arrêté of 7 November 2019) for carers."""
    lesson = _lesson("metier-cadre", "03")
    assert "RNCP 40913" in lesson and "CQP assistant médical" in lesson
    assert "formation d'adaptation à l'emploi" in lesson and "arrêté du 7 novembre 2019" in lesson
    for path in LESSONS:
        if "CQP" in path.read_text(encoding="utf-8"):
            assert "RNCP 40913" in path.read_text(encoding="utf-8"), path.name
    for path, question in _questions():
        if "CQP" in _question_text(question):
            assert "RNCP 40913" in _question_text(question), (path.name, question["prompt"])


def test_diagnosis_is_tied_to_the_article_on_illegal_practice_of_medicine():
    assert "L4161-1" in _lesson("metier-cadre", "02")


def test_the_tracks_durations_are_the_bodys_offer_not_law():
    """A line that names the 12-day track says it is the training body's offer."""
    for path in LESSONS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "12 jours" in line:
                assert "organisme" in line, (path.name, line)
    lesson = _lesson("metier-cadre", "03")
    assert "pas des durées fixées par la loi" in lesson


def test_no_question_expects_the_12_days_as_an_answer():
    for path, question in _questions():
        where = (path.name, question["prompt"])
        if question["type"] == "numeric":
            assert not (question["value"] == 12 and "jour" in question.get("unit", "")), where
        if question["type"] == "text":
            assert not any(re.search(r"\b12\b|douze", answer) for answer in question["accepted"]), where
        if question["type"] in ("single", "multiple"):
            assert not any(c["correct"] and "12 jours" in c["text"] for c in question["choices"]), where
        if question["type"] == "truefalse" and "12 jours" in question["prompt"]:
            assert question["answer"] is False, where


def test_the_deadlines_and_the_2024_convention_with_its_date_of_effect():
    lesson = _lesson("metier-cadre", "03")
    assert "dans les 2 ans" in lesson and "dans les 3 ans" in lesson and "avenant 7" in lesson
    assert "convention médicale 2024-2029" in lesson and "entrée en vigueur le 22 juin 2024" in lesson
    assert "Ces délais peuvent changer" in lesson


# The identity check, in the order the identitovigilance lesson teaches: look for an existing record, read the
# carte Vitale and query INSi, then check the identity document.
IDENTITY_ORDER = [
    ("search for an existing record", re.compile(r"\brecherch", re.I)),
    ("carte Vitale / INSi",
     re.compile(r"\b(lisez|lire|lit) la carte Vitale|\bINSi\b|(récupér|interroge)\w*[^.]*téléservice", re.I)),
    ("identity document", re.compile(r"pièce d'identité", re.I)),
]
SAID_THEN_COMPARED = [
    ("the patient says who they are", re.compile(r"faites-lui dire|lui faire dire|donner lui-même", re.I)),
    ("compared with the record", re.compile(r"\bcompar", re.I)),
]


@pytest.mark.parametrize("order,minimum", [(IDENTITY_ORDER, 4), (SAID_THEN_COMPARED, 3)])
def test_every_procedure_and_ordering_question_checks_identity_in_the_same_order(order, minimum):
    checked = 0
    for name, steps in _sequences():
        first = [next((i for i, step in enumerate(steps) if pattern.search(step)), None) for _, pattern in order]
        present = [(index, label) for index, (label, _) in zip(first, order) if index is not None]
        if len(present) < 2:
            continue
        checked += 1
        assert [index for index, _ in present] == sorted(index for index, _ in present), (name, present)
    assert checked >= minimum


def test_the_assistant_never_takes_the_strep_swab():
    """The doctor swabs and reads the rapid strep test; the assistant prepares, installs, disposes and traces."""
    swab = re.compile(r"(réalis|frott|fai|prélev)\w*[^.]*(prélèvement|écouvillon)"
                      r"|écouvillon[^.]*(gorge|amygdale)", re.I)
    for name, steps in _sequences():
        for step in steps:
            if swab.search(step):
                assert "médecin" in step.lower(), (name, step)
    lesson = _lesson("prevention", "05")
    assert "L'assistant médical n'en fait pas partie" in lesson and "vous ne réalisez pas le prélèvement" in lesson
    assert any(question["type"] == "truefalse" and question["answer"] is False
               and "prélèvement de gorge" in question["prompt"] for _, question in _questions())


def test_manual_blood_pressure_only_within_the_doctors_delegation():
    texts = [line for path in LESSONS for line in path.read_text(encoding="utf-8").splitlines()]
    texts += [_question_text(question) for _, question in _questions()]
    manual = [text for text in texts if "mesure manuelle" in text]
    assert len(manual) >= 2
    for text in manual:
        assert "délégu" in text, text
