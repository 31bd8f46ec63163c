"""Read a quiz form post into responses, one per question of the attempt."""
import re

from django.utils.translation import gettext as _

from lms.core.errors import DomainError
from lms.quizzes.grading import MULTIPLE, ORDERING


def answers_from_post(questions, post):
    """Responses keyed by question id; unanswered questions are left out (or cleared: None)."""
    answers = {}
    for question in questions:
        name = f"q-{question['id']}"
        if question["type"] == MULTIPLE:
            answers[question["id"]] = post.getlist(name) or None
        elif question["type"] == ORDERING:
            ranks = {}
            for item in question["items"]:
                rank = post.get(f"{name}-{item['id']}", "")
                if rank:
                    if not re.fullmatch(r"[0-9]{1,3}", rank):
                        raise DomainError(_("A step rank must be a number."))
                    ranks[item["id"]] = int(rank)
            if not ranks:
                answers[question["id"]] = None
                continue
            if len(ranks) != len(question["items"]) or len(set(ranks.values())) != len(ranks):
                raise DomainError(_("Give each step of “%(prompt)s” a different rank.") % {"prompt": question["prompt"][:80]})
            answers[question["id"]] = sorted(ranks, key=ranks.get)
        else:
            value = post.get(name)
            answers[question["id"]] = value if value not in (None, "") else None
    return answers
