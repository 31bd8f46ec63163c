"""Writes on attempts: start (or resume), save answers as the trainee goes, submit exactly once."""
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accommodations import selectors as accommodation_selectors
from lms.accommodations.rules import extended_minutes
from lms.core.errors import DomainError
from lms.learning import attendance, traces
from lms.learning.models import EnrolmentStatus
from lms.learning.services import exemptions_propose, quiz_completion_record
from lms.learning.selectors import track_structure
from lms.quizzes import positioning
from lms.quizzes.grading import InvalidResponse, check_response, grade
from lms.quizzes.models import Attempt, AttemptStatus, QuestionOutcome, QuizPage
from lms.quizzes.questions import draw, question_specs

# Answers saved this long after the limit still count (network latency); later ones are ignored.
DEADLINE_GRACE = timedelta(seconds=5)


def attempts_left(quiz, submitted_count):
    if quiz.is_positioning:
        return max(1 - submitted_count, 0)
    return None if quiz.max_attempts is None else max(quiz.max_attempts - submitted_count, 0)


def attempt_expired(attempt, now):
    """Past its time limit and the grace: nothing more is saved, and whoever opens it next closes it."""
    return bool(attempt.deadline_at and now > attempt.deadline_at + DEADLINE_GRACE)


# What the services and their traces read of a locked attempt's quiz: the grading's pass mark, the purpose (a
# positioning test completes nothing) and the title its statements name. The quiz is a Wagtail page of some forty
# columns; reading only these took the lock's query from 1.52 to 1.24 ms (the others load on access, if ever).
QUIZ_FIELDS_READ = ("title", "pass_mark", "purpose")
_QUIZ_FIELDS_DEFERRED = tuple(f"quiz__{field.name}" for field in QuizPage._meta.concrete_fields
                              if not field.primary_key and field.name not in QUIZ_FIELDS_READ)


def _locked(attempts):
    """Attempts read with their quiz (QUIZ_FIELDS_READ), enrolment and trainee, each row and its enrolment locked
    until the transaction ends. Only those two tables: the quiz's page rows stay free (a class submitting one quiz
    must not queue on it). Every service that reads an attempt to change it locks through here, so two take the
    rows in the same order; the enrolment is locked so that a completion the grading records sees every lesson done
    by a request committed before it."""
    return (attempts.select_for_update(of=("self", "enrolment")).select_related("quiz", "enrolment__trainee")
            .defer(*_QUIZ_FIELDS_DEFERRED))


def attempt_lock(attempt_id, **filters):
    """The attempt (with its quiz, enrolment and trainee) locked with its enrolment, in one query; DoesNotExist if
    no attempt matches `filters` (for example the trainee's own attempts only)."""
    return _locked(Attempt.objects.filter(**filters)).get(pk=attempt_id)


def attempt_close_if_expired(*, attempt, now=None):
    """An attempt in progress past its time limit, closed and graded on the answers saved in time (whichever page
    the trainee opens: the quiz, the attempt, its autosave, submit or a new start). Any other attempt is returned
    as it is; attempt_submit grades once, so two requests at the same moment close it once."""
    now = now or timezone.now()
    if attempt.status == AttemptStatus.IN_PROGRESS and attempt_expired(attempt, now):
        return attempt_submit(attempt=attempt, answers=None, now=now)
    return attempt


def allowed_minutes(enrolment, quiz):
    """The quiz's time limit for this trainee: lengthened by the extra time of their accommodation with the body
    that enrolled them (rounded up to the minute); None for an untimed quiz."""
    if not quiz.time_limit_minutes:
        return None
    percent = accommodation_selectors.extra_time_percent(enrolment.training_body_id, enrolment.trainee_id)
    return extended_minutes(quiz.time_limit_minutes, percent)


@transaction.atomic
def attempt_start(*, enrolment, quiz, now=None, rng=None):
    """Resume the attempt in progress, or start a new one if attempts remain."""
    now = now or timezone.now()
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise DomainError(_("Your enrolment in this track has ended."))
    existing = _locked(Attempt.objects.filter(enrolment=enrolment, quiz=quiz, status=AttemptStatus.IN_PROGRESS)).first()
    if existing is not None:
        if attempt_close_if_expired(attempt=existing, now=now).status == AttemptStatus.IN_PROGRESS:
            return existing
    if quiz.is_positioning:  # once per enrolment: number 1 only, which unique_attempt_number holds under a race
        positioning.positioning_start_check(enrolment=enrolment, quiz=quiz)
    submitted = Attempt.objects.filter(enrolment=enrolment, quiz=quiz, status=AttemptStatus.SUBMITTED).count()
    if attempts_left(quiz, submitted) == 0:
        raise DomainError(_("You have used all the attempts allowed for this quiz."))
    specs = question_specs(quiz)
    if not specs:
        raise DomainError(_("This quiz has no question yet."))
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                enrolment=enrolment, quiz=quiz, number=submitted + 1, started_at=now,
                deadline_at=now + timedelta(minutes=allowed_minutes(enrolment, quiz)) if quiz.time_limit_minutes
                else None,
                questions=draw(specs, count=quiz.draw_count, shuffle_choices=quiz.shuffle_choices, rng=rng),
            )
        traces.attempt_started(attempt)
        return attempt
    except IntegrityError:  # the same trainee started it from another tab at the same moment
        current = Attempt.objects.filter(enrolment=enrolment, quiz=quiz, status=AttemptStatus.IN_PROGRESS).first()
        if current is None:  # a positioning test submitted in the meantime
            raise DomainError(_("The positioning test can be taken once per enrolment.")) from None
        return current


def clean_answers(attempt, answers):
    """Check every posted answer against its question; refuse the lot on a forged one."""
    by_id = {q["id"]: q for q in attempt.questions}
    cleaned = {}
    for question_id, response in (answers or {}).items():
        if question_id not in by_id:
            raise DomainError(_("An answer refers to a question that is not part of this attempt."))
        try:
            value = check_response(by_id[question_id], response)
        except InvalidResponse:
            raise DomainError(_("An answer does not belong to its question.")) from None
        if value is not None:
            cleaned[question_id] = value
    return cleaned


@transaction.atomic
def attempt_save(*, attempt, answers, now=None):
    """Save answers as the trainee goes; after the time limit nothing more is saved."""
    now = now or timezone.now()
    attempt = attempt_lock(attempt.pk)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise DomainError(_("This attempt has already been submitted."))
    if attempt_expired(attempt, now):
        return attempt_submit(attempt=attempt, answers=None, now=now, locked=True)
    cleaned = clean_answers(attempt, answers)
    attempt.answers = {**attempt.answers, **cleaned}
    for question_id, response in (answers or {}).items():
        if question_id not in cleaned:
            attempt.answers.pop(question_id, None)  # an answer cleared by the trainee
    attempt.answers_saved_at = now
    attempt.save(update_fields=["answers", "answers_saved_at"])
    return attempt


GRADED_FIELDS = ["status", "submitted_at", "late", "answers", "score", "max_score", "percent", "passed"]


def attempt_submit(*, attempt, answers, now=None, locked=False):
    """Grade the attempt once. A second submission (double click, other tab, replay) returns the first result.

    After the time limit the posted answers are ignored: the attempt is graded on what was saved in time.
    One pass whatever the number of questions: the attempt's row updated, its question outcomes inserted in one
    statement, its statements in another; a passed quiz then tells learning, which may complete the module or the
    track (a failed one completes nothing). `locked`: the caller read the attempt with attempt_lock in this
    transaction (the submit page does, to read it once); otherwise it is read again here, locked.
    """
    # A caller holding the lock holds the transaction: no savepoint of ours, its error undoes its whole transaction.
    with transaction.atomic(savepoint=not locked):
        return _submit_locked(attempt if locked else attempt_lock(attempt.pk), answers, now or timezone.now())


def _submit_locked(attempt, answers, now):
    if attempt.status == AttemptStatus.SUBMITTED:
        return attempt
    late = attempt_expired(attempt, now)
    if not late and answers is not None:
        attempt.answers = {**attempt.answers, **clean_answers(attempt, answers)}
    result = grade(attempt.questions, attempt.answers)
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = now
    attempt.late = late
    attempt.score, attempt.max_score = Decimal(str(result.score)), Decimal(str(result.max_score))
    attempt.percent = Decimal(str(result.percent))
    attempt.passed = result.passed(attempt.quiz.pass_mark)
    attempt.save(update_fields=GRADED_FIELDS)  # not the questions' snapshot, unchanged
    QuestionOutcome.objects.bulk_create([
        QuestionOutcome(attempt=attempt, quiz_id=attempt.quiz_id, question_id=r.question_id,
                        awarded=Decimal(str(r.awarded)), max_points=Decimal(str(r.max_points)), correct=r.correct)
        for r in result.results
    ])
    structure = track_structure(attempt.enrolment.track_id)  # read once for the statements and the completion
    traces.attempt_graded(attempt, result.results, structure=structure)
    if attempt.quiz.is_positioning:  # positions the trainee: proposes exemptions, completes nothing
        scores = positioning.module_scores(attempt.questions, {r.question_id: r.awarded for r in result.results},
                                           structure) if structure else []
        traces.modules_scored(attempt, scores, structure=structure)
        exemptions_propose(enrolment=attempt.enrolment, scores={s.module_id: s.percent for s in scores if s.possible},
                           now=now)
        return attempt
    if attempt.passed:  # the enrolment was read locked with the attempt (attempt_lock)
        quiz_completion_record(enrolment=attempt.enrolment, quiz=attempt.quiz, now=now, locked=True,
                               structure=structure)
    return attempt


def attempt_heartbeat(*, attempt, session_key, resume=False, now=None):
    """A heartbeat of the attempt page: logged (one INSERT); once settled, the person's active time (one clock for
    every page) goes to this attempt (attempts_time_add).

    A submitted attempt still takes the heartbeat its page sends as it closes: those seconds were spent answering.
    """
    return attendance.beat(user_id=attempt.enrolment.trainee_id, session_key=session_key, resume=resume, now=now,
                           enrolment=attempt.enrolment, attempt_id=attempt.pk)


def attempts_seconds(enrolment_ids):
    """{enrolment id: active seconds of all its attempts}: a source of the realised duration (learning.realised).
    Every attempt counts, submitted or not: the time was spent answering."""
    rows = (Attempt.objects.filter(enrolment_id__in=enrolment_ids).values("enrolment_id")
            .annotate(seconds=Sum("active_seconds")).values_list("enrolment_id", "seconds"))
    return dict(rows)


def attempts_time_add(seconds_by_attempt):
    """Settled active time added to the attempts ({attempt id: seconds}): learning.attendance calls it, inside the
    settlement's transaction, for the heartbeats of attempt pages."""
    for attempt_id, seconds in seconds_by_attempt.items():
        Attempt.objects.filter(pk=attempt_id).update(active_seconds=F("active_seconds") + seconds)
