"""Reads on quizzes: passes, histories, per-question success rates."""
from dataclasses import dataclass

from django.db.models import Count, Q

from lms.quizzes.models import Attempt, AttemptStatus, FeedbackMode, QuestionOutcome
from lms.quizzes.questions import question_specs


HISTORY_PAGE = 10  # attempts shown per page of a quiz's history
BEST_FIRST = ("-percent", "number")  # the best attempt: highest score, the earliest of equals


@dataclass
class AttemptSummary:
    """A trainee's attempts at one quiz: what the quiz and result pages need, whatever their number."""

    submitted_count: int
    passed: bool
    best: "Attempt | None"
    in_progress: "Attempt | None"
    attempts: list  # the submitted attempts, newest first, when they fit on one page
    to_page: object = None  # else the query of every submitted attempt, newest first, to be paged


def attempt_summary(enrolment, quiz):
    """Most trainees have a few attempts: one query reads them all (without their question snapshots and answers,
    10 kB each). Past a page, the counts and the best come from the database and the history is to be paged."""
    attempts = Attempt.objects.filter(enrolment=enrolment, quiz=quiz).defer("questions", "answers")
    limit = HISTORY_PAGE + 2  # a page of submitted attempts, the one in progress, and one to tell there are more
    newest = list(attempts.order_by("-number")[:limit])
    in_progress = next((a for a in newest if a.status == AttemptStatus.IN_PROGRESS), None)
    submitted = [a for a in newest if a.status == AttemptStatus.SUBMITTED]
    if len(newest) < limit and len(submitted) <= HISTORY_PAGE:
        best = max(submitted, key=lambda a: (a.percent, -a.number), default=None)  # as BEST_FIRST below
        return AttemptSummary(len(submitted), any(a.passed for a in submitted), best, in_progress, submitted)
    all_submitted = attempts.filter(status=AttemptStatus.SUBMITTED).order_by("-number")
    counts = all_submitted.aggregate(count=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    best = all_submitted.order_by(*BEST_FIRST).first()
    return AttemptSummary(counts["count"], counts["passed"] > 0, best, in_progress, [], all_submitted)


def feedback_visible(quiz, summary):
    """Whether right answers and feedback may be shown, per the quiz's setting (`summary`: attempt_summary)."""
    if quiz.feedback_mode == FeedbackMode.AFTER_EACH:
        return True
    if quiz.feedback_mode == FeedbackMode.NEVER:
        return False
    exhausted = quiz.max_attempts is not None and summary.submitted_count >= quiz.max_attempts
    return exhausted or summary.passed


def question_success_rates(quiz):
    """For each question of the pool: how often it was asked and answered right."""
    rows = {r["question_id"]: r for r in QuestionOutcome.objects.filter(quiz=quiz).values("question_id").annotate(
        asked=Count("id"), right=Count("id", filter=Q(correct=True)))}
    result = []
    for spec in question_specs(quiz):
        row = rows.get(spec["id"], {"asked": 0, "right": 0})
        rate = round(100 * row["right"] / row["asked"]) if row["asked"] else None
        result.append({"question": spec, "asked": row["asked"], "right": row["right"], "rate": rate})
    return result
