"""Attendance evidence (Code du travail D6313-3-1): sessions and active time, measured honestly.

A lesson page, and a quiz attempt page, send a heartbeat while visible. Active time is counted per person, not per
page: one clock per person (ActivityClock) holds the instant up to which their time has been counted; a heartbeat
counts the time from that instant to its own instant (capped) and moves the clock there. Ten tabs in two browsers
over 45 seconds therefore count 45 seconds, not 900; the seconds counted go to the page that sent the heartbeat (its
lesson or attempt) and to the session it came from. A page that opens or becomes visible again counts nothing: the
time away is not study time. The person's first heartbeat ever counts nothing. Without JavaScript, marking a lesson
done counts the time since it was opened (capped) on the same clock, so that lessons opened side by side do not each
claim the same time.

Heartbeats are frequent (every 30 s from every visible page: most of a class's requests), so a heartbeat only
appends a row to a log (ActivityBeat: one INSERT, nothing read, nothing updated). `settle` counts a person's logged
beats, in time order, on their clock and adds the result to their sessions, lessons and attempts, then deletes the
beats — in one transaction holding the person's clock row, so that two settlements never count a beat twice. Every
reader of the time settles first (the attendance record, the personal-data export, a lesson marked done), and
`manage.py settle_attendance` settles everyone periodically so that the log stays short.
"""
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lms.learning.models import ActivityBeat, ActivityClock, LessonTime, SessionEnrolmentTime, StudySession

HEARTBEAT_SECONDS = 30
MAX_GAP_SECONDS = 45  # a heartbeat later than this after the last instant counted counts only this much
MAX_LESSON_SECONDS = 3 * 3600  # without JavaScript: a tab left open overnight is not study time
DELETE_BATCH = 1000  # settled beats deleted by this many ids at a time, one statement each (no signal listens)

_attempt_time_receivers = []


def register_attempt_time(receiver):
    """`receiver({attempt_id: seconds})` adds settled active time to quiz attempts.

    Registered by the quizzes app (learning does not know attempts); called inside the settlement's transaction.
    """
    if receiver not in _attempt_time_receivers:
        _attempt_time_receivers.append(receiver)


def _key_hash(session_key):
    return hashlib.sha256((session_key or "").encode()).hexdigest()


def session_start(*, user, session_key, now=None):
    now = now or timezone.now()
    return StudySession.objects.create(user=user, session_key_hash=_key_hash(session_key), started_at=now,
                                       last_activity_at=now)


def clock_read(user):
    """The instant up to which the person's settled active time has been counted (None before their first)."""
    return ActivityClock.objects.filter(user=user).values_list("counted_until", flat=True).first()


# --- Heartbeats: one INSERT each -------------------------------------------------------------------------------

def beat(*, user_id, session_key, resume=False, now=None, enrolment=None, lesson_id=None, attempt_id=None):
    """Log one heartbeat of a page (a lesson of an enrolment, or an attempt by id): one INSERT, counted when settled."""
    return ActivityBeat.objects.create(
        user_id=user_id, at=now or timezone.now(), session_key_hash=_key_hash(session_key), resume=bool(resume),
        enrolment_id=enrolment.pk if enrolment is not None else None, lesson_id=lesson_id, attempt_id=attempt_id)


def lesson_heartbeat(*, user, session_key, enrolment, lesson_id, resume=False, now=None):
    """A heartbeat of a lesson page: the seconds it counts, once settled, go to this lesson."""
    return beat(user_id=user.pk, session_key=session_key, resume=resume, now=now, enrolment=enrolment,
                lesson_id=lesson_id)


# --- The clock: a pure function --------------------------------------------------------------------------------

def clock_step(last, *, at, resume=False, cap=MAX_GAP_SECONDS, since=None):
    """One heartbeat at `at` on a clock standing at `last`: (the clock's new instant, the whole seconds counted).

    Within the cap the clock moves by the seconds counted, keeping the fraction for the next heartbeat; past it, the
    gap is time away. A beat at or before the clock counts nothing (another page has counted that instant). The
    person's first count starts at `since` if known (when the page was opened), else counts nothing.
    """
    if resume:
        return (at if last is None or last < at else last), 0
    if last is None:
        if since is None:
            return at, 0  # the first heartbeat ever starts the count
        last = since
    gap = (at - last).total_seconds()
    if gap <= 0:
        return last, 0
    seconds = int(min(gap, cap))
    if not seconds and gap <= cap:
        return last, 0  # less than a second since the last count: left for the next heartbeat
    return (last + timedelta(seconds=seconds) if gap <= cap else at), seconds


# --- Settlement ------------------------------------------------------------------------------------------------

@dataclass
class Beat:
    """A heartbeat being counted: a logged ActivityBeat, or the one a lesson marked done brings without JavaScript."""

    at: datetime
    session_key_hash: str
    resume: bool = False
    enrolment_id: int = None
    lesson_id: int = None
    attempt_id: int = None
    id: int = None  # None: not logged (nothing to delete)
    cap: float = MAX_GAP_SECONDS
    since: datetime = None
    counted: int = 0


BEAT_FIELDS = ("id", "at", "session_key_hash", "resume", "enrolment_id", "lesson_id", "attempt_id")


def settle(users):
    """Count the logged heartbeats of these people (users or their ids); return the seconds counted in all.

    One transaction per person; a person without logged beats costs nothing more than the first query.
    """
    ids = {getattr(user, "pk", user) for user in users}
    pending = set(ActivityBeat.objects.filter(user_id__in=ids).values_list("user_id", flat=True).distinct())
    return sum(settle_person(user_id) for user_id in sorted(pending))


def settle_all():
    """Count everyone's logged heartbeats (the periodic job); return (people settled, seconds counted)."""
    pending = sorted(set(ActivityBeat.objects.values_list("user_id", flat=True).distinct()))
    return len(pending), sum(settle_person(user_id) for user_id in pending)


@transaction.atomic
def settle_person(user_id, extra=()):
    """Count the person's logged heartbeats (and `extra` Beats) in time order on their clock; return the seconds.

    The person's clock row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite runs one writer at a time):
    a concurrent settlement of the same person waits, then finds the beats counted here already deleted.
    """
    clock = ActivityClock.objects.select_for_update().filter(user_id=user_id).values_list("counted_until", flat=True)
    rows = list(clock)
    if not rows:  # never settled: create the row to lock (a concurrent settlement's insert is ignored)
        ActivityClock.objects.bulk_create([ActivityClock(user_id=user_id, counted_until=None)], ignore_conflicts=True)
        rows = list(clock.all())  # read again (and lock) once it exists
    started = last = rows[0]
    logged = [Beat(**row) for row in ActivityBeat.objects.filter(user_id=user_id).values(*BEAT_FIELDS)]
    beats = sorted([*logged, *extra], key=lambda b: (b.at, b.id is None, b.id or 0))
    for item in beats:
        last, item.counted = clock_step(last, at=item.at, resume=item.resume, cap=item.cap, since=item.since)
    if not beats:
        return 0
    if last != started:
        ActivityClock.objects.filter(user_id=user_id).update(counted_until=last)
    _add_to_sessions(user_id, beats)
    _add_to_lessons(beats)
    attempts = defaultdict(int)
    for item in beats:
        if item.attempt_id is not None and item.counted:
            attempts[item.attempt_id] += item.counted
    if attempts:
        for receiver in _attempt_time_receivers:
            receiver(dict(attempts))
    ids = [item.id for item in logged]
    for start in range(0, len(ids), DELETE_BATCH):
        ActivityBeat.objects.filter(pk__in=ids[start:start + DELETE_BATCH]).delete()
    return sum(item.counted for item in beats)


def _spans(beats, key):
    """{key(beat): [first instant, last instant, seconds counted]} over the beats that have a key."""
    spans = {}
    for item in beats:
        k = key(item)
        if k is None:
            continue
        span = spans.setdefault(k, [item.at, item.at, 0])
        span[0], span[1], span[2] = min(span[0], item.at), max(span[1], item.at), span[2] + item.counted
    return spans


def _add_to_sessions(user_id, beats):
    """The seconds and last activity go to the latest study session of each session the beats came from."""
    spans = _spans(beats, lambda item: item.session_key_hash)
    sessions = StudySession.objects.filter(user_id=user_id, session_key_hash__in=list(spans))
    latest = {session.session_key_hash: session for session in sessions.order_by("started_at", "pk")}
    changed, new = [], []
    for key_hash, (first, last, seconds) in spans.items():
        session = latest.get(key_hash)
        if session is None:
            new.append(StudySession(user_id=user_id, session_key_hash=key_hash, started_at=first,
                                    last_activity_at=last, active_seconds=seconds))
            continue
        session.last_activity_at = max(session.last_activity_at, last)
        session.active_seconds = F("active_seconds") + seconds
        changed.append(session)
    StudySession.objects.bulk_update(changed, ["last_activity_at", "active_seconds"])
    StudySession.objects.bulk_create(new)
    _add_to_session_enrolments(user_id, beats, {**latest, **{s.session_key_hash: s for s in new}})


def _add_to_session_enrolments(user_id, beats, sessions):
    """The seconds of each enrolment's beats go to the session they came from (SessionEnrolmentTime)."""
    spans = _spans(beats, lambda item: (item.session_key_hash, item.enrolment_id)
                   if item.enrolment_id is not None and item.counted else None)
    if not spans:
        return
    if any(session.pk is None for session in sessions.values()):  # bulk_create sets no pk on some databases
        sessions = {s.session_key_hash: s for s in StudySession.objects.filter(
            user_id=user_id, session_key_hash__in=list(sessions)).order_by("started_at", "pk")}
    ids = {(sessions[key].pk, enrolment_id): seconds for (key, enrolment_id), (_f, _l, seconds) in spans.items()}
    existing = {(t.session_id, t.enrolment_id): t for t in SessionEnrolmentTime.objects.filter(
        session_id__in={k[0] for k in ids}, enrolment_id__in={k[1] for k in ids})}
    changed, new = [], []
    for (session_id, enrolment_id), seconds in ids.items():
        time = existing.get((session_id, enrolment_id))
        if time is None:
            new.append(SessionEnrolmentTime(session_id=session_id, enrolment_id=enrolment_id, active_seconds=seconds))
            continue
        time.active_seconds = F("active_seconds") + seconds
        changed.append(time)
    SessionEnrolmentTime.objects.bulk_update(changed, ["active_seconds"])
    SessionEnrolmentTime.objects.bulk_create(new)


def _add_to_lessons(beats):
    """The seconds go to the lesson of the enrolment each beat came from (a row from the lesson's first beat)."""
    spans = _spans(beats, lambda item: (item.enrolment_id, item.lesson_id) if item.lesson_id is not None else None)
    if not spans:
        return
    existing = {(t.enrolment_id, t.lesson_id): t for t in LessonTime.objects.filter(
        enrolment_id__in={k[0] for k in spans}, lesson_id__in={k[1] for k in spans})}
    changed, new = [], []
    for (enrolment_id, lesson_id), (first, last, seconds) in spans.items():
        time = existing.get((enrolment_id, lesson_id))
        if time is None:
            new.append(LessonTime(enrolment_id=enrolment_id, lesson_id=lesson_id, active_seconds=seconds,
                                  first_seen_at=first, last_seen_at=last))
            continue
        time.last_seen_at = max(time.last_seen_at, last)
        time.active_seconds = F("active_seconds") + seconds
        changed.append(time)
    LessonTime.objects.bulk_update(changed, ["last_seen_at", "active_seconds"])
    LessonTime.objects.bulk_create(new)


@transaction.atomic
def lesson_done_seconds(*, user, session_key, enrolment, lesson, opened_at, now=None):
    """The time spent on a lesson being marked done (its xAPI duration): what its page measured while visible;
    without JavaScript, the time since it was opened (capped), counted on the person's clock like a heartbeat."""
    now = now or timezone.now()
    settle_person(user.pk)
    measured = (LessonTime.objects.filter(enrolment=enrolment, lesson=lesson)
                .values_list("active_seconds", flat=True).first())
    if measured:
        return measured
    if opened_at is None or opened_at >= now:
        return 0
    done = Beat(at=now, session_key_hash=_key_hash(session_key), enrolment_id=enrolment.pk, lesson_id=lesson.pk,
                cap=min((now - opened_at).total_seconds(), MAX_LESSON_SECONDS), since=opened_at)
    settle_person(user.pk, extra=[done])
    return done.counted
