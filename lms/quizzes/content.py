"""Quizzes in content/ (quiz.yaml, assessment.yaml): validation and loading into QuizPages."""
import uuid
from decimal import Decimal

from lms.quizzes.grading import MULTIPLE, NUMERIC, ORDERING, SINGLE, TEXT, TRUEFALSE, TYPES
from lms.quizzes.models import FeedbackMode, QuestionBankPage, QuizPage, QuizPurpose

NAMESPACE = uuid.UUID("6f1d2a52-9a0e-4c55-9a59-0b5c3f7b8e11")
SETTINGS = {"pass_mark", "max_attempts", "time_limit_minutes", "draw_count", "shuffle_choices", "feedback_mode"}


def validate_questions(data, path, problems, *, with_settings):
    """Add a (file, field, message) problem for every inconsistent question or setting."""
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.add(path, "questions", "a non-empty list of questions is required")
        return
    if with_settings:
        if not str(data.get("title", "")).strip():
            problems.add(path, "title", "required")
        mark = data.get("pass_mark", 70)
        if not isinstance(mark, int) or not 0 < mark <= 100:
            problems.add(path, "pass_mark", "a whole percentage between 1 and 100")
    for index, question in enumerate(questions):
        field = f"questions[{index}]"
        if not isinstance(question, dict):
            problems.add(path, field, "expected a mapping")
            continue
        kind = question.get("type")
        if kind not in TYPES:
            problems.add(path, f"{field}.type", f"one of {', '.join(TYPES)}")
            continue
        if not str(question.get("prompt", "")).strip():
            problems.add(path, f"{field}.prompt", "required")
        points = question.get("points", 1)
        if not isinstance(points, (int, float)) or points <= 0:
            problems.add(path, f"{field}.points", "a positive number")
        if kind in (SINGLE, MULTIPLE):
            choices = question.get("choices")
            if not isinstance(choices, list) or len(choices) < 2 or not all(isinstance(c, dict) and c.get("text") for c in choices):
                problems.add(path, f"{field}.choices", "at least two choices, each with a text")
                continue
            right = sum(1 for c in choices if c.get("correct") is True)
            if kind == SINGLE and right != 1:
                problems.add(path, f"{field}.choices", f"a single-choice question needs exactly one right answer ({right} given)")
            if kind == MULTIPLE and right < 1:
                problems.add(path, f"{field}.choices", "a multiple-choice question needs at least one right answer")
            if kind == MULTIPLE and question.get("scoring", "all_or_nothing") not in ("all_or_nothing", "partial"):
                problems.add(path, f"{field}.scoring", "all_or_nothing or partial")
        elif kind == TRUEFALSE and not isinstance(question.get("answer"), bool):
            problems.add(path, f"{field}.answer", "true or false")
        elif kind == NUMERIC:
            if not isinstance(question.get("value"), (int, float)):
                problems.add(path, f"{field}.value", "a numeric question needs an expected value")
            if not isinstance(question.get("tolerance", 0), (int, float)) or question.get("tolerance", 0) < 0:
                problems.add(path, f"{field}.tolerance", "a number >= 0")
        elif kind == TEXT:
            accepted = question.get("accepted")
            if not isinstance(accepted, list) or not accepted or not all(str(a).strip() for a in accepted):
                problems.add(path, f"{field}.accepted", "at least one accepted answer")
        elif kind == ORDERING:
            items = question.get("items")
            if not isinstance(items, list) or len(items) < 2:
                problems.add(path, f"{field}.items", "at least two steps, in the right order")


def _id(source_key, *parts):
    return str(uuid.uuid5(NAMESPACE, "/".join([source_key, *map(str, parts)])))


def question_blocks(questions, source_key):
    """StreamField raw data for the questions, with ids derived from the source (stable across reloads)."""
    blocks = []
    for index, q in enumerate(questions):
        qid = _id(source_key, index, q["prompt"])
        value = {"prompt": q["prompt"], "points": q.get("points", 1), "feedback": q.get("feedback", "")}
        if q.get("module_id"):  # a positioning question: the id of the module page it assesses
            value["module"] = q["module_id"]
        kind = q["type"]
        if kind in (SINGLE, MULTIPLE):
            value["choices"] = [{"type": "item", "id": _id(qid, n, c["text"]),
                                 "value": {"text": c["text"], "correct": bool(c.get("correct")), "feedback": c.get("feedback", "")}}
                                for n, c in enumerate(q["choices"])]
            if kind == MULTIPLE:
                value["scoring"] = q.get("scoring", "all_or_nothing")
        elif kind == TRUEFALSE:
            value["answer"] = q["answer"]
        elif kind == NUMERIC:
            value.update(value=q["value"], tolerance=q.get("tolerance", 0), unit=q.get("unit", ""))
        elif kind == TEXT:
            value["accepted"] = [{"type": "item", "id": _id(qid, "a", n), "value": str(a)} for n, a in enumerate(q["accepted"])]
        elif kind == ORDERING:
            value["items"] = [{"type": "item", "id": _id(qid, "i", n, text), "value": text} for n, text in enumerate(q["items"])]
        blocks.append({"type": kind, "value": value, "id": qid})
    return blocks


def upsert_quiz(*, parent, source_key, spec, report, force, upsert_page, slug="quiz"):
    """Create or update the quiz page described by `spec` under `parent` (module or track)."""
    is_final = slug == "evaluation-finale"
    fields = {
        "title": spec["title"], "slug": slug, "intro": spec.get("intro", ""),
        "pass_mark": spec.get("pass_mark", 70),
        "max_attempts": spec.get("max_attempts", 3 if is_final else None),
        "time_limit_minutes": spec.get("time_limit_minutes"),
        "draw_count": spec.get("draw_count"),
        "shuffle_choices": spec.get("shuffle_choices", True),
        "feedback_mode": spec.get("feedback_mode", FeedbackMode.AFTER_LAST if is_final else FeedbackMode.AFTER_EACH),
        "questions": question_blocks(spec["questions"], source_key),
        "include_module_questions": bool(spec.get("include_module_questions")),
    }
    return upsert_page(parent=parent, model=QuizPage, source_key=source_key, fields=fields, report=report, force=force)


BANK_TITLE = "Questions pour l'évaluation finale"


def upsert_bank(*, parent, source_key, questions, report, force, upsert_page):
    """Create or update the module's bank of questions for the final assessment (its assessment.yaml) under `parent`."""
    fields = {"title": f"{BANK_TITLE} — {parent.title}", "slug": "questions-evaluation-finale",
              "questions": question_blocks(questions, source_key)}
    return upsert_page(parent=parent, model=QuestionBankPage, source_key=source_key, fields=fields, report=report,
                       force=force)


# --- Export (lms.catalog.exporter): a QuizPage back to the data of quiz.yaml / assessment.yaml ------------------

def _number(value):
    """A number of the StreamField (int, float, Decimal or its string) as YAML writes it: 2, not 2.0."""
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _items(raw):
    """The values of a ListBlock's raw data, whether stored as [{"type": "item", "value": …}] or as plain values."""
    return [item["value"] if isinstance(item, dict) and "value" in item and "type" in item else item
            for item in raw or []]


def _question_data(kind, value):
    question = {"type": kind}
    if kind == MULTIPLE:
        question["scoring"] = value.get("scoring") or "all_or_nothing"
    question.update(prompt=value.get("prompt", ""), points=_number(value.get("points") or 1))
    if kind in (SINGLE, MULTIPLE):
        question["choices"] = [{"text": c.get("text", ""), "correct": bool(c.get("correct")),
                                "feedback": c.get("feedback") or ""} for c in _items(value.get("choices"))]
    elif kind == TRUEFALSE:
        question["answer"] = bool(value.get("answer"))
    elif kind == NUMERIC:
        question.update(value=_number(value.get("value") or 0), tolerance=_number(value.get("tolerance") or 0),
                        unit=value.get("unit") or "")
    elif kind == TEXT:
        question["accepted"] = [str(a) for a in _items(value.get("accepted"))]
    elif kind == ORDERING:
        question["items"] = [str(i) for i in _items(value.get("items"))]
    question["feedback"] = value.get("feedback") or ""
    return question


def dump_quiz(page, *, final):
    """The data of a quiz page as content/ holds it: (settings, [(module page id or None, question)]), or None for a
    positioning test, which content/ has no file for.

    Settings are those of quiz.yaml (the final assessment's go to track.yaml); a setting equal to the loader's
    default is left out, except the title and pass mark (and a final assessment's number of attempts).
    """
    if page.purpose == QuizPurpose.POSITIONING:
        return None
    settings = {"title": page.title}
    if page.intro:
        settings["intro"] = page.intro
    settings["pass_mark"] = page.pass_mark
    if final or page.max_attempts is not None:
        settings["max_attempts"] = page.max_attempts
    for name in ("time_limit_minutes", "draw_count"):
        if getattr(page, name) is not None:
            settings[name] = getattr(page, name)
    if not page.shuffle_choices:
        settings["shuffle_choices"] = False
    if page.feedback_mode != (FeedbackMode.AFTER_LAST if final else FeedbackMode.AFTER_EACH):
        settings["feedback_mode"] = page.feedback_mode
    questions = [(block["value"].get("module"), _question_data(block["type"], block["value"]))
                 for block in page.questions.raw_data]
    return settings, questions


def dump_bank(module_page):
    """The questions of the module's live bank for the final assessment, as its assessment.yaml holds them."""
    bank = QuestionBankPage.objects.live().child_of(module_page).first()
    return [_question_data(block["type"], block["value"]) for block in bank.questions.raw_data] if bank else []
