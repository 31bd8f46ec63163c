"""Reads on quizzes: passes, histories, per-question success rates."""
from django.db.models import Count, Q

from lms.quizzes.models import Attempt, AttemptStatus, FeedbackMode, QuestionOutcome, QuizPage


def attempts_of(enrolment, quiz):
    """The attempts' history, without their question snapshots and answers (10 kB each)."""
    return list(Attempt.objects.filter(enrolment=enrolment, quiz=quiz).defer("questions", "answers").order_by("number"))


def best_attempt(attempts):
    submitted = [a for a in attempts if a.status == AttemptStatus.SUBMITTED]
    return max(submitted, key=lambda a: (a.percent, -a.number), default=None)


def feedback_visible(quiz, attempts):
    """Whether right answers and feedback may be shown, per the quiz's setting."""
    if quiz.feedback_mode == FeedbackMode.AFTER_EACH:
        return True
    if quiz.feedback_mode == FeedbackMode.NEVER:
        return False
    submitted = [a for a in attempts if a.status == AttemptStatus.SUBMITTED]
    exhausted = quiz.max_attempts is not None and len(submitted) >= quiz.max_attempts
    return exhausted or any(a.passed for a in submitted)


def question_success_rates(quiz):
    """For each question of the pool: how often it was asked and answered right."""
    from lms.quizzes.questions import question_specs

    rows = {r["question_id"]: r for r in QuestionOutcome.objects.filter(quiz=quiz).values("question_id").annotate(
        asked=Count("id"), right=Count("id", filter=Q(correct=True)))}
    result = []
    for spec in question_specs(quiz):
        row = rows.get(spec["id"], {"asked": 0, "right": 0})
        rate = round(100 * row["right"] / row["asked"]) if row["asked"] else None
        result.append({"question": spec, "asked": row["asked"], "right": row["right"], "rate": rate})
    return result


def quiz_stats(track):
    """Counts for content_stats: quizzes under the track and their questions."""
    quizzes = list(QuizPage.objects.live().descendant_of(track))
    return {"quizzes": len(quizzes), "questions": sum(len(q.questions) for q in quizzes),
            "final_assessment_questions": sum(len(q.questions) for q in quizzes if q.depth == track.depth + 1),
            "min_questions_per_module_quiz": min((len(q.questions) for q in quizzes if q.depth > track.depth + 1), default=0)}
