"""From a quiz's StreamField to the frozen questions of one attempt (drawn, shuffled, with stable ids)."""
import random

from lms.quizzes.grading import MULTIPLE, ORDERING, SINGLE


def question_specs(quiz):
    """Every question of the quiz's pool (its own and, for a final assessment, its modules') as a plain dict (ids are
    the StreamField blocks' ids)."""
    specs = []
    for block in quiz.question_pool():
        value, kind = block.value, block.block_type
        spec = {"id": block.id, "type": kind, "prompt": value["prompt"], "points": float(value["points"]),
                "feedback": value.get("feedback") or ""}
        if value.get("module") is not None:  # the module a positioning question assesses (lms.quizzes.positioning)
            spec["module"] = value["module"].pk
        if kind in (SINGLE, MULTIPLE):
            spec["choices"] = [{"id": choice.id, "text": choice.value["text"], "correct": bool(choice.value["correct"]),
                                "feedback": choice.value.get("feedback") or ""}
                               for choice in value["choices"].bound_blocks]
            if kind == MULTIPLE:
                spec["scoring"] = value.get("scoring") or "all_or_nothing"
        elif kind == "truefalse":
            spec["answer"] = bool(value["answer"])
        elif kind == "numeric":
            spec.update(value=float(value["value"]), tolerance=float(value.get("tolerance") or 0), unit=value.get("unit") or "")
        elif kind == "text":
            spec["accepted"] = list(value["accepted"])
        elif kind == ORDERING:
            spec["items"] = [{"id": item.id, "text": item.value, "position": index}
                             for index, item in enumerate(value["items"].bound_blocks)]
        specs.append(spec)
    return specs


def draw(specs, *, count=None, shuffle_choices=True, rng=None):
    """The questions of a new attempt: `count` drawn at random (all if None), choices shuffled if asked.

    Ordering items are always shuffled, and never left in the right order when there are several.
    """
    rng = rng or random.SystemRandom()
    chosen = rng.sample(specs, count) if count and count < len(specs) else list(specs)
    if count and count < len(specs):
        order = {spec["id"]: index for index, spec in enumerate(specs)}
        chosen.sort(key=lambda spec: order[spec["id"]])
    drawn = []
    for spec in chosen:
        spec = dict(spec)
        if "choices" in spec and shuffle_choices:
            spec["choices"] = rng.sample(spec["choices"], len(spec["choices"]))
        if "items" in spec:
            items = list(spec["items"])
            for _ in range(10):
                rng.shuffle(items)
                if len(items) < 2 or [i["position"] for i in items] != sorted(i["position"] for i in items):
                    break
            spec["items"] = items
        drawn.append(spec)
    return drawn


PUBLIC_KEYS = {"id", "type", "prompt", "points", "unit"}


def public_view(question):
    """What the attempt page may show before submission: never right answers nor feedback."""
    shown = {key: question[key] for key in PUBLIC_KEYS if key in question}
    if "choices" in question:
        shown["choices"] = [{"id": c["id"], "text": c["text"]} for c in question["choices"]]
    if "items" in question:
        shown["items"] = [{"id": i["id"], "text": i["text"]} for i in question["items"]]
    return shown
