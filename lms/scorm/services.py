"""Writes of the SCORM app: a package uploaded, a SCO session launched, its data committed."""
import uuid
from datetime import timedelta
from decimal import Decimal

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core.errors import DomainError
from lms.learning import services as learning_services
from lms.learning.models import EnrolmentStatus
from lms.scorm import traces
from lms.scorm.cmi import DONE_STATUSES, CmiError, clean_commit, seconds_timespan
from lms.scorm.models import ScormAttempt, ScormPackage
from lms.scorm.validation import inspect_package

MAX_INTERACTIONS_KEPT = 1000  # over every session of an attempt
SESSION_SLACK = timedelta(minutes=1)  # a session's reported time may exceed the server's clock by this much


def package_create(*, training_body, title, upload, uploaded_by):
    """Validate an uploaded zip (lms.scorm.validation; PackageError otherwise), then store it and its row.

    Nothing is stored for a refused package; if the row cannot be written, the stored file is deleted again.
    """
    info = inspect_package(upload)
    package = ScormPackage(training_body=training_body, title=title or info.title or _("SCORM package"),
                           identifier=info.identifier, launch_path=info.launch_path, launch_query=info.launch_query,
                           mastery_score=info.mastery_score, launch_data=info.launch_data,
                           max_time_allowed=info.max_time_allowed, time_limit_action=info.time_limit_action,
                           size=upload.size, uncompressed_size=info.uncompressed_size, file_count=info.file_count,
                           uploaded_by=uploaded_by)
    package.file.save("package.zip", upload, save=False)
    try:
        with transaction.atomic():
            package.save()
    except Exception:
        default_storage.delete(package.file.name)
        raise
    return package


def _student_name(user):
    """SCORM 1.2 writes the learner's name "Last, First"."""
    return ", ".join(part for part in (user.last_name, user.first_name) if part)[:255] or str(user.public_id)


def _locked_attempt(enrolment, lesson):
    attempt, _created = ScormAttempt.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    return ScormAttempt.objects.select_for_update().get(pk=attempt.pk)


@transaction.atomic
def attempt_launch(*, enrolment, lesson, now=None):
    """Open a new session of the SCO for this enrolment and return what the runtime API hands it (cmi.*).

    The previous session's time is closed into the total; `cmi.core.entry` is "ab-initio" the first time, "resume"
    after a session that exited with "suspend" (then the location and suspend data come back), "" otherwise.
    """
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise DomainError(_("Your enrolment in this track has ended."))
    now = now or timezone.now()
    attempt = _locked_attempt(enrolment, lesson)
    entry = "ab-initio" if attempt.sessions == 0 else ("resume" if attempt.exit == "suspend" else "")
    attempt.total_seconds += attempt.session_seconds
    attempt.session_seconds = 0
    attempt.session_key = uuid.uuid4()
    attempt.session_started_at = now
    attempt.session_finished = False
    attempt.sessions += 1
    attempt.first_launched_at = attempt.first_launched_at or now
    attempt.exit = ""
    attempt.save()
    traces.sco_initialized(enrolment, lesson, now)
    package = lesson.package
    user = enrolment.trainee
    values = {
        "cmi.core.student_id": str(user.public_id),
        "cmi.core.student_name": _student_name(user),
        "cmi.core.lesson_location": attempt.lesson_location if entry == "resume" else "",
        "cmi.core.credit": "credit",
        "cmi.core.lesson_status": attempt.lesson_status,
        "cmi.core.entry": entry,
        "cmi.core.score.raw": "" if attempt.score_raw is None else f"{attempt.score_raw.normalize():f}",
        "cmi.core.score.min": "" if attempt.score_min is None else f"{attempt.score_min.normalize():f}",
        "cmi.core.score.max": "" if attempt.score_max is None else f"{attempt.score_max.normalize():f}",
        "cmi.core.total_time": seconds_timespan(attempt.total_seconds),
        "cmi.core.lesson_mode": "normal",
        "cmi.suspend_data": attempt.suspend_data if entry == "resume" else "",
        "cmi.launch_data": package.launch_data,
        "cmi.comments": attempt.comments,
        "cmi.comments_from_lms": "",
        "cmi.student_data.mastery_score": "" if package.mastery_score is None
        else f"{package.mastery_score.normalize():f}",
        "cmi.student_data.max_time_allowed": package.max_time_allowed,
        "cmi.student_data.time_limit_action": package.time_limit_action,
        "cmi.student_preference.audio": attempt.preferences.get("audio", "0"),
        "cmi.student_preference.language": attempt.preferences.get("language", ""),
        "cmi.student_preference.speed": attempt.preferences.get("speed", "0"),
        "cmi.student_preference.text": attempt.preferences.get("text", "0"),
    }
    objectives = attempt.objectives if entry == "resume" else []
    return {"session": str(attempt.session_key), "values": values, "objectives": objectives}


def _mastered(package, attempt, status):
    """SCORM 1.2 RTE 3.4.4: with a mastery score and a raw score, in credit mode, the LMS decides passed/failed."""
    if package.mastery_score is None or attempt.score_raw is None or status not in ("completed", "passed", "failed"):
        return status
    return "passed" if attempt.score_raw >= package.mastery_score else "failed"


@transaction.atomic
def attempt_commit(*, enrolment, lesson, session, values, finished, now=None):
    """Save what the SCO set in its session (LMSCommit, LMSFinish, or the page left), validated again here.

    CmiError and DomainError leave the attempt as it was. A status completed or passed marks the lesson done
    (lms.learning.services.lesson_complete); the session's time, capped by the time elapsed since its launch on
    the server, counts in the realised duration (lms.scorm.apps).
    """
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise DomainError(_("Your enrolment in this track has ended."))
    now = now or timezone.now()
    try:
        cleaned = clean_commit(values)
    except CmiError as error:
        raise DomainError(_("SCORM data refused (%(element)s: %(problem)s).")
                          % {"element": error.element, "problem": error.message}) from None
    attempt = _locked_attempt(enrolment, lesson)
    if attempt.session_key is None or str(attempt.session_key) != str(session):
        raise DomainError(_("This session of the activity is no longer the current one: reload the page."),
                          field="session")
    if attempt.session_finished:
        raise DomainError(_("This session of the activity has already ended: reload the page."), field="session")
    core = cleaned["core"]
    before = attempt.lesson_status
    attempt.lesson_location = core.get("cmi.core.lesson_location", attempt.lesson_location)
    attempt.suspend_data = core.get("cmi.suspend_data", attempt.suspend_data)
    attempt.comments = core.get("cmi.comments", attempt.comments)
    attempt.exit = core.get("cmi.core.exit", attempt.exit)
    for name in ("raw", "min", "max"):
        key = f"cmi.core.score.{name}"
        if key in core:
            setattr(attempt, f"score_{name}", Decimal(core[key]) if core[key] else None)
    prefs = {key.rsplit(".", 1)[1]: value for key, value in core.items() if key.startswith("cmi.student_preference.")}
    if prefs:
        attempt.preferences = {**attempt.preferences, **prefs}
    if "cmi.core.session_time" in core:
        elapsed = (now - attempt.session_started_at + SESSION_SLACK).total_seconds()
        attempt.session_seconds = int(max(0, min(core["cmi.core.session_time"], elapsed)))
    if cleaned["objectives"]:
        merged = list(attempt.objectives)
        for index, row in enumerate(cleaned["objectives"]):
            if index < len(merged):
                merged[index] = {**merged[index], **row}
            else:
                merged.append(row)
        attempt.objectives = merged
    if cleaned["interactions"]:
        earlier = [row for row in attempt.interactions if row.get("session") != str(attempt.session_key)]
        mine = [{**row, "session": str(attempt.session_key)} for row in cleaned["interactions"]]
        if len(earlier) + len(mine) > MAX_INTERACTIONS_KEPT:
            raise DomainError(_("Too many interactions recorded for this activity."))
        attempt.interactions = earlier + mine
    status = core.get("cmi.core.lesson_status", attempt.lesson_status)
    if finished and status == "not attempted":
        status = "incomplete"
    status = _mastered(lesson.package, attempt, status)
    if attempt.done and status not in DONE_STATUSES:
        status = attempt.lesson_status  # a lesson done stays done (learning never takes a completion back)
    attempt.lesson_status = status
    attempt.session_finished = bool(finished)
    attempt.last_commit_at = now
    newly_done = attempt.done and attempt.completed_at is None
    if newly_done:
        attempt.completed_at = now
    attempt.save()
    result = status if status != before and status in ("completed", "passed", "failed") else None
    traces.sco_events(enrolment, lesson, attempt, result=result, left=bool(finished), now=now)
    if newly_done:
        learning_services.lesson_complete(enrolment=enrolment, lesson=lesson, duration_seconds=attempt.seconds)
    return attempt
