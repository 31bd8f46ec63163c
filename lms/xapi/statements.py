"""xAPI 1.0.3 statements, named verb + object. Builders take plain values, never models of other apps."""
import uuid
from dataclasses import dataclass
from datetime import timezone as dt_timezone

from django.conf import settings

from lms.xapi import vocabulary as v


@dataclass(frozen=True)
class Activity:
    kind: str  # path segment: parcours, module, lecon, quiz (and its questions), attestation
    key: str
    name: str
    type: str

    @property
    def iri(self):
        return f"{settings.LMS_BASE_URL.rstrip('/')}/xapi/activites/{self.kind}/{self.key}"

    def as_object(self, **definition):
        return {"objectType": "Activity", "id": self.iri,
                "definition": {"type": self.type, "name": {v.LANGUAGE: self.name[:250]}, **definition}}

    def as_reference(self):
        return {"objectType": "Activity", "id": self.iri}


def track_activity(track_id, title):
    return Activity("parcours", str(track_id), title, v.COURSE)


def module_activity(module_id, title):
    return Activity("module", str(module_id), title, v.MODULE)


def lesson_activity(lesson_id, title):
    return Activity("lecon", str(lesson_id), title, v.LESSON)


def quiz_activity(quiz_id, title):
    return Activity("quiz", str(quiz_id), title, v.ASSESSMENT)


def question_activity(quiz_id, question_id, prompt):
    """A question of one quiz page. Its block id alone is not enough: a quiz copied to another page (Wagtail's copy,
    or the same curriculum loaded for another training body) keeps its questions' ids."""
    return Activity("quiz", f"{quiz_id}/question/{question_id}", prompt, v.INTERACTION)


def certificate_activity(code, title):
    return Activity("attestation", code, title, v.CERTIFICATE)


def certification_activity(track_id, name):
    """The certification a track leads to (its exam, passed before the certifying body's jury)."""
    return Activity("certification", str(track_id), name, v.CERTIFICATION)


def session_activity(session_id, title):
    """A séance (half-day, in person or virtual class) of a cohort."""
    return Activity("seance", str(session_id), title, v.MEETING)


def actor(public_id):
    """An account on the platform: home page = the site, name = an opaque stable id (never the email)."""
    return {"objectType": "Agent", "account": {"homePage": settings.LMS_BASE_URL.rstrip("/"), "name": str(public_id)}}


def iso_timestamp(moment):
    return moment.astimezone(dt_timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_duration(seconds):
    seconds = max(int(round(seconds)), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


def _statement(*, verb, actor_id, registration, obj, timestamp, parents=(), grouping=(), result=None):
    """A statement; its grouping never repeats the object or a parent (a final assessment's parent is the track)."""
    direct = {obj["id"], *(a.iri for a in parents)}
    grouping = [a for a in grouping if a.iri not in direct]
    statement = {
        "id": str(uuid.uuid4()),
        "actor": actor(actor_id),
        "verb": {"id": verb[0], "display": {v.LANGUAGE: verb[1]}},
        "object": obj,
        "timestamp": iso_timestamp(timestamp),
        "version": v.VERSION,
        "context": {
            "registration": str(registration),
            "platform": v.PLATFORM,
            "language": v.LANGUAGE,
            "contextActivities": {},
        },
    }
    if parents:
        statement["context"]["contextActivities"]["parent"] = [a.as_reference() for a in parents]
    if grouping:
        statement["context"]["contextActivities"]["grouping"] = [a.as_reference() for a in grouping]
    if not statement["context"]["contextActivities"]:
        del statement["context"]["contextActivities"]
    if result is not None:
        statement["result"] = result
    return statement


def registered(*, actor_id, registration, track, timestamp):
    """A trainee was enrolled in a track."""
    return _statement(verb=v.REGISTERED, actor_id=actor_id, registration=registration, obj=track.as_object(),
                      timestamp=timestamp)


def lesson_experienced(*, actor_id, registration, lesson, module, track, duration_seconds, timestamp):
    """A lesson read and marked done, with the time spent on it."""
    return _statement(verb=v.EXPERIENCED, actor_id=actor_id, registration=registration, obj=lesson.as_object(),
                      timestamp=timestamp, parents=[module], grouping=[track],
                      result={"completion": True, "duration": iso_duration(duration_seconds)})


def question_answered(*, actor_id, registration, question, question_type, response, success, raw, max_points,
                      quiz, track, timestamp):
    """One question of a submitted attempt, as a cmi.interaction (the right answer is not disclosed)."""
    result = {"success": bool(success), "score": {"raw": float(raw), "min": 0.0, "max": float(max_points)}}
    text = _response_string(response)
    if text:  # an unanswered question has no response (xAPI forbids empty values)
        result["response"] = text
    return _statement(
        verb=v.ANSWERED, actor_id=actor_id, registration=registration,
        obj=question.as_object(interactionType=v.INTERACTION_TYPES[question_type]), timestamp=timestamp,
        parents=[quiz], grouping=[track], result=result,
    )


def _response_string(response):
    """The xAPI response format: choices and sequences joined with '[,]'."""
    if response in (None, "", []):
        return ""
    if isinstance(response, (list, tuple)):
        return "[,]".join(str(r) for r in response)
    return str(response)[:500]


def quiz_result(*, actor_id, registration, quiz, parent, track, raw, max_score, passed, duration_seconds, timestamp):
    """A submitted attempt: passed or failed, with scaled, raw, min and max score."""
    scaled = round(float(raw) / float(max_score), 4) if max_score else 0.0
    return _statement(
        verb=v.PASSED if passed else v.FAILED, actor_id=actor_id, registration=registration, obj=quiz.as_object(),
        timestamp=timestamp, parents=[parent], grouping=[track],
        result={"score": {"scaled": min(max(scaled, 0.0), 1.0), "raw": float(raw), "min": 0.0, "max": float(max_score)},
                "success": bool(passed), "completion": True, "duration": iso_duration(duration_seconds)},
    )


def quiz_attempted(*, actor_id, registration, quiz, parent, track, timestamp):
    """An attempt started."""
    return _statement(verb=v.ATTEMPTED, actor_id=actor_id, registration=registration, obj=quiz.as_object(),
                      timestamp=timestamp, parents=[parent], grouping=[track])


def module_completed(*, actor_id, registration, module, track, timestamp):
    """A module completed: its parent is the track (which therefore is not also its grouping)."""
    return _statement(verb=v.COMPLETED, actor_id=actor_id, registration=registration, obj=module.as_object(),
                      timestamp=timestamp, parents=[track], result={"completion": True})


def track_completed(*, actor_id, registration, track, timestamp):
    """A track completed: the top of the tree, with neither parent nor grouping."""
    return _statement(verb=v.COMPLETED, actor_id=actor_id, registration=registration, obj=track.as_object(),
                      timestamp=timestamp, result={"completion": True, "success": True})


def certificate_earned(*, actor_id, registration, certificate, track, timestamp):
    return _statement(verb=v.EARNED, actor_id=actor_id, registration=registration, obj=certificate.as_object(),
                      timestamp=timestamp, parents=[track])


def certification_passed(*, actor_id, registration, certification, track, timestamp, jury_reference):
    """The certification obtained (the jury's decision recorded by the training body): the qualification of
    avenant 7, art. 9-2; the track it prepared for is its parent, the jury's reference its response."""
    return _statement(verb=v.PASSED, actor_id=actor_id, registration=registration, obj=certification.as_object(),
                      timestamp=timestamp, parents=[track],
                      result={"success": True, "completion": True, "response": jury_reference[:120]})


def session_attended(*, actor_id, registration, session, track, duration_seconds, timestamp):
    """A trainee signed a séance's sheet: present, for the séance's hours."""
    return _statement(verb=v.ATTENDED, actor_id=actor_id, registration=registration, obj=session.as_object(),
                      timestamp=timestamp, grouping=[track],
                      result={"completion": True, "duration": iso_duration(duration_seconds)})


def statement_voided(*, actor_id, registration, statement_id, timestamp):
    """Void a statement recorded by mistake (a certification result revoked): the LRS then ignores it."""
    return {
        "id": str(uuid.uuid4()),
        "actor": actor(actor_id),
        "verb": {"id": v.VOIDED[0], "display": {v.LANGUAGE: v.VOIDED[1]}},
        "object": {"objectType": "StatementRef", "id": str(statement_id)},
        "timestamp": iso_timestamp(timestamp),
        "version": v.VERSION,
        # No platform: xAPI allows it only when the object is an Activity (ralph refuses it on a StatementRef).
        "context": {"registration": str(registration), "language": v.LANGUAGE},
    }


def module_scored(*, actor_id, registration, module, quiz, track, raw, max_score, timestamp):
    """The positioning test's score on one module's questions (the quiz is the parent, the track the grouping)."""
    scaled = round(float(raw) / float(max_score), 4) if max_score else 0.0
    return _statement(verb=v.SCORED, actor_id=actor_id, registration=registration, obj=module.as_object(),
                      timestamp=timestamp, parents=[quiz], grouping=[track],
                      result={"score": {"scaled": min(max(scaled, 0.0), 1.0), "raw": float(raw), "min": 0.0,
                                        "max": float(max_score)}})


def module_waived(*, actor_id, registration, module, track, timestamp, reason):
    """A module exempted after the positioning test, confirmed by a tutor: the track is its parent, the tutor's
    reason the response."""
    return _statement(verb=v.WAIVED, actor_id=actor_id, registration=registration, obj=module.as_object(),
                      timestamp=timestamp, parents=[track],
                      result={"completion": True, "response": reason[:500]})


def sco_activity(lesson_id, title):
    """A SCORM lesson, played from its package's SCO: the lesson's own activity (one IRI per lesson)."""
    return lesson_activity(lesson_id, title)


def sco_initialized(*, actor_id, registration, sco, module, track, timestamp):
    """A session of a SCO began (LMSInitialize)."""
    return _statement(verb=v.INITIALIZED, actor_id=actor_id, registration=registration, obj=sco.as_object(),
                      timestamp=timestamp, parents=[module], grouping=[track])


def _sco_score(raw, low, high):
    if raw is None:
        return None
    low = float(low) if low is not None else 0.0
    high = float(high) if high is not None else 100.0
    score = {"raw": float(raw), "min": low, "max": high}
    if high > low and low <= float(raw) <= high:
        score["scaled"] = round((float(raw) - low) / (high - low), 4)
    else:
        score = {"raw": min(max(float(raw), 0.0), 100.0), "min": 0.0, "max": 100.0,
                 "scaled": round(min(max(float(raw), 0.0), 100.0) / 100, 4)}
    return score


def sco_result(*, actor_id, registration, sco, module, track, status, raw, low, high, duration_seconds, timestamp):
    """A SCO reported its outcome: completed, passed or failed (SCORM 1.2 cmi.core.lesson_status), with its score."""
    verb = {"passed": v.PASSED, "failed": v.FAILED}.get(status, v.COMPLETED)
    result = {"completion": status in ("passed", "completed", "failed"),
              "duration": iso_duration(duration_seconds)}
    if status in ("passed", "failed"):
        result["success"] = status == "passed"
    score = _sco_score(raw, low, high)
    if score is not None:
        result["score"] = score
    return _statement(verb=verb, actor_id=actor_id, registration=registration, obj=sco.as_object(),
                      timestamp=timestamp, parents=[module], grouping=[track], result=result)


def sco_left(*, actor_id, registration, sco, module, track, suspended, duration_seconds, timestamp):
    """A session of a SCO ended (LMSFinish): suspended (to resume later) or terminated."""
    return _statement(verb=v.SUSPENDED if suspended else v.TERMINATED, actor_id=actor_id, registration=registration,
                      obj=sco.as_object(), timestamp=timestamp, parents=[module], grouping=[track],
                      result={"duration": iso_duration(duration_seconds)})
