"""The xAPI statements of a SCO's sessions, in the transaction of the commit that causes them."""
from lms.learning.selectors import track_structure
from lms.xapi import statements as xs
from lms.xapi.services import record


def _context(enrolment, lesson):
    structure = track_structure(enrolment.track_id)
    track = xs.track_activity(structure.id, structure.title)
    module = next((m for m in structure.modules if any(item.id == lesson.pk for item in m.lessons)), None)
    return {"actor_id": enrolment.trainee.public_id, "registration": enrolment.registration,
            "sco": xs.sco_activity(lesson.pk, lesson.title), "track": track,
            "module": xs.module_activity(module.id, module.title) if module else track}


def sco_initialized(enrolment, lesson, now):
    record([xs.sco_initialized(**_context(enrolment, lesson), timestamp=now)], actor=enrolment.trainee)


def sco_events(enrolment, lesson, attempt, *, result, left, now):
    """`result`: the status just reported (completed, passed, failed) or None; `left`: the session ended."""
    context = _context(enrolment, lesson)
    statements = []
    if result:
        statements.append(xs.sco_result(**context, status=result, raw=attempt.score_raw, low=attempt.score_min,
                                        high=attempt.score_max, duration_seconds=attempt.seconds, timestamp=now))
    if left:
        statements.append(xs.sco_left(**context, suspended=attempt.exit == "suspend",
                                      duration_seconds=attempt.session_seconds, timestamp=now))
    if statements:
        record(statements, actor=enrolment.trainee)
