"""The learning events told to the xAPI store, in the transaction of the event itself."""
import uuid

from django.utils import timezone

from lms.core.dates import legal_day_start

from lms.learning.selectors import track_structure
from lms.xapi import statements as xs
from lms.xapi.models import Statement
from lms.xapi.services import record


def _track(structure):
    return xs.track_activity(structure.id, structure.title)


def _module_of(structure, page_id):
    """The module item holding a lesson or a quiz (None for the final assessment)."""
    for module in structure.modules:
        if module.quiz and module.quiz.id == page_id or any(lesson.id == page_id for lesson in module.lessons):
            return module
    return None


def enrolled(enrolment):
    structure = track_structure(enrolment.track_id)
    if structure is None:
        return
    record([xs.registered(actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
                          track=_track(structure), timestamp=timezone.now())], actor=enrolment.trainee)


def lesson_experienced(enrolment, lesson, duration_seconds):
    structure = track_structure(enrolment.track_id)
    module = _module_of(structure, lesson.pk)
    record([xs.lesson_experienced(
        actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
        lesson=xs.lesson_activity(lesson.pk, lesson.title),
        module=xs.module_activity(module.id, module.title) if module else _track(structure),
        track=_track(structure), duration_seconds=duration_seconds, timestamp=timezone.now())], actor=enrolment.trainee)


def modules_completed(enrolment, modules, now):
    structure = track_structure(enrolment.track_id)
    record([xs.module_completed(actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
                                module=xs.module_activity(m.id, m.title), track=_track(structure), timestamp=now)
            for m in modules], actor=enrolment.trainee)


def track_completed(enrolment, now):
    structure = track_structure(enrolment.track_id)
    record([xs.track_completed(actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
                               track=_track(structure), timestamp=now)], actor=enrolment.trainee)


def quiz_parent(structure, quiz_id):
    module = _module_of(structure, quiz_id)
    return xs.module_activity(module.id, module.title) if module else _track(structure)


def attempt_started(attempt):
    enrolment = attempt.enrolment
    structure = track_structure(enrolment.track_id)
    record([xs.quiz_attempted(actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
                              quiz=xs.quiz_activity(attempt.quiz_id, attempt.quiz.title),
                              parent=quiz_parent(structure, attempt.quiz_id), track=_track(structure),
                              timestamp=attempt.started_at)], actor=enrolment.trainee)


def attempt_graded(attempt, results, structure=None):
    """One 'answered' statement per question, then 'passed' or 'failed' with the score (`structure`: the track's,
    when the caller has read it)."""
    enrolment = attempt.enrolment
    structure = structure or track_structure(enrolment.track_id)
    quiz = xs.quiz_activity(attempt.quiz_id, attempt.quiz.title)
    track = _track(structure)
    by_id = {q["id"]: q for q in attempt.questions}
    statements = [xs.question_answered(
        actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
        question=xs.question_activity(attempt.quiz_id, r.question_id, by_id[r.question_id]["prompt"]),
        question_type=by_id[r.question_id]["type"], response=attempt.answers.get(r.question_id), success=r.correct,
        raw=r.awarded, max_points=r.max_points, quiz=quiz, track=track, timestamp=attempt.submitted_at)
        for r in results]
    statements.append(xs.quiz_result(
        actor_id=enrolment.trainee.public_id, registration=enrolment.registration, quiz=quiz,
        parent=quiz_parent(structure, attempt.quiz_id), track=track, raw=attempt.score, max_score=attempt.max_score,
        passed=attempt.passed, duration_seconds=(attempt.submitted_at - attempt.started_at).total_seconds(),
        timestamp=attempt.submitted_at))
    record(statements, actor=enrolment.trainee)


def certificate_earned(certificate):
    enrolment = certificate.enrolment
    structure = track_structure(enrolment.track_id)
    record([xs.certificate_earned(actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
                                  certificate=xs.certificate_activity(certificate.code, certificate.track_title),
                                  track=_track(structure), timestamp=certificate.issued_at)], actor=enrolment.trainee)


# Statement ids of certification results derive from the result, so that revoking one voids exactly its statement.
RESULT_STATEMENTS = uuid.UUID("0b6f3d0e-5a51-4c55-9a53-8a3c1e0d2f41")


def result_statement_id(result):
    return uuid.uuid5(RESULT_STATEMENTS, f"qualification-result:{result.pk}")


def certification_passed(result):
    """A certification result recorded: the trainee passed the certification their track prepared for (on the
    day the jury's decision gives; the legal day's start, in Paris)."""
    enrolment = result.enrolment
    track = enrolment.track
    statement = xs.certification_passed(
        actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
        certification=xs.certification_activity(track.pk, track.certification_name or track.title),
        track=xs.track_activity(track.pk, track.title), timestamp=legal_day_start(result.obtained_on),
        jury_reference=result.jury_reference)
    statement["id"] = str(result_statement_id(result))
    record([statement], actor=enrolment.trainee)


def certification_revoked(result):
    """A result revoked: its statement is voided (the trace of the revocation itself); a result recorded before
    results had statements has none to void."""
    if not Statement.objects.filter(id=result_statement_id(result)).exists():
        return
    enrolment = result.enrolment
    record([xs.statement_voided(actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
                                statement_id=result_statement_id(result), timestamp=result.revoked_at)],
           actor=enrolment.trainee)


def module_waived(exemption):
    """A module exemption confirmed by a tutor (a refused one changes nothing the learner did: no statement)."""
    enrolment = exemption.enrolment
    structure = track_structure(enrolment.track_id)
    record([xs.module_waived(actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
                             module=xs.module_activity(exemption.module_id, exemption.module.title),
                             track=_track(structure), timestamp=exemption.decided_at, reason=exemption.reason)],
           actor=enrolment.trainee)


def modules_scored(attempt, scores, structure=None):
    """The positioning test's score on each module (`scores`: ModuleScore items of lms.quizzes.positioning)."""
    enrolment = attempt.enrolment
    structure = structure or track_structure(enrolment.track_id)
    quiz = xs.quiz_activity(attempt.quiz_id, attempt.quiz.title)
    record([xs.module_scored(actor_id=enrolment.trainee.public_id, registration=enrolment.registration,
                             module=xs.module_activity(s.module_id, s.title), quiz=quiz, track=_track(structure),
                             raw=s.awarded, max_score=s.possible, timestamp=attempt.submitted_at)
            for s in scores if s.possible], actor=enrolment.trainee)
