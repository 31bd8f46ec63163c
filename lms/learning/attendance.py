"""Attendance evidence (Code du travail D6313-3-1): sessions and active time, measured honestly.

A lesson page, and a quiz attempt page, send a heartbeat while visible. Active time is counted per person, not per
page: one clock per person (ActivityClock) holds the instant up to which their time has been counted; a heartbeat
counts the time from that instant to now (capped) and moves the clock to now. Ten tabs in two browsers over 45
seconds therefore count 45 seconds, not 900; the seconds counted go to the page that sent the heartbeat (its lesson
or attempt) and to the session it came from. A page that opens or becomes visible again counts nothing: the time
away is not study time. Without JavaScript, marking a lesson done counts the time since it was opened (capped) on
the same clock, so that lessons opened side by side do not each claim the same time.
"""
import hashlib
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lms.learning.models import ActivityClock, LessonTime, StudySession

HEARTBEAT_SECONDS = 30
MAX_GAP_SECONDS = 45  # a heartbeat later than this after the last instant counted counts only this much
MAX_LESSON_SECONDS = 3 * 3600  # without JavaScript: a tab left open overnight is not study time
CLOCK_TRIES = 3  # concurrent heartbeats of one person: the losers re-read the clock (then count what is left)


def _key_hash(session_key):
    return hashlib.sha256((session_key or "").encode()).hexdigest()


def session_start(*, user, session_key, now=None):
    now = now or timezone.now()
    return StudySession.objects.create(user=user, session_key_hash=_key_hash(session_key), started_at=now,
                                       last_activity_at=now)


def clock_read(user):
    """The instant up to which the person's active time has been counted (None before their first heartbeat)."""
    return ActivityClock.objects.filter(user=user).values_list("counted_until", flat=True).first()


def clock_advance(*, user, now, resume=False, cap=MAX_GAP_SECONDS, since=None):
    """Move the person's clock to `now` and return the whole seconds this counts (0 when already counted).

    A compare-and-set on the clock's row (read, then update only if unchanged), so two heartbeats of the same person
    never count the same instant twice, on SQLite and PostgreSQL alike, without holding a lock. Within the cap the
    clock moves by the seconds counted, keeping the fraction for the next heartbeat; past it, the gap is time away.
    The person's first count starts at `since` if known (when the page was opened), else counts nothing.
    """
    clock = ActivityClock.objects.filter(user=user)
    if resume:
        if not clock.filter(counted_until__lt=now).update(counted_until=now):
            ActivityClock.objects.get_or_create(user=user, defaults={"counted_until": now})
        return 0
    for _try in range(CLOCK_TRIES):
        last = clock_read(user)
        if last is None:
            created = ActivityClock.objects.get_or_create(user=user, defaults={"counted_until": since or now})[1]
            if created and since is None:
                return 0  # the first heartbeat ever starts the count
            continue  # count from `since`, or from the clock another page has just created
        gap = (now - last).total_seconds()
        if gap <= 0:
            return 0  # another page of the same person has already counted this instant
        seconds = int(min(gap, cap))
        if not seconds and gap <= cap:
            return 0  # less than a second since the last count: left for the next heartbeat
        until = last + timedelta(seconds=seconds) if gap <= cap else now
        if clock.filter(counted_until=last).update(counted_until=until):
            return seconds
    return 0


def heartbeat(*, user, session_key, resume=False, now=None, cap=MAX_GAP_SECONDS, since=None):
    """Count the person's active time up to now, once whatever page or session sends it; return the seconds counted.

    The seconds are added to the study session the heartbeat comes from; the caller adds them to its page, in the
    same transaction (see lesson_heartbeat, and quizzes.services.attempt_heartbeat).
    """
    now = now or timezone.now()
    seconds = clock_advance(user=user, now=now, resume=resume, cap=cap, since=since)
    key_hash = _key_hash(session_key)
    latest = StudySession.objects.filter(user=user, session_key_hash=key_hash).order_by("-started_at").values("pk")[:1]
    if not StudySession.objects.filter(pk__in=latest).update(last_activity_at=now,
                                                             active_seconds=F("active_seconds") + seconds):
        StudySession.objects.create(user=user, session_key_hash=key_hash, started_at=now, last_activity_at=now,
                                    active_seconds=seconds)
    return seconds


@transaction.atomic
def lesson_heartbeat(*, user, session_key, enrolment, lesson_id, resume=False, now=None, cap=MAX_GAP_SECONDS,
                     since=None):
    """A heartbeat of a lesson page: the seconds counted for the person go to this lesson."""
    now = now or timezone.now()
    seconds = heartbeat(user=user, session_key=session_key, resume=resume, now=now, cap=cap, since=since)
    updated = LessonTime.objects.filter(enrolment=enrolment, lesson_id=lesson_id).update(
        active_seconds=F("active_seconds") + seconds, last_seen_at=now)
    if not updated:
        LessonTime.objects.get_or_create(enrolment=enrolment, lesson_id=lesson_id, defaults={
            "active_seconds": seconds, "first_seen_at": now, "last_seen_at": now})
    return seconds


@transaction.atomic
def lesson_done_seconds(*, user, session_key, enrolment, lesson, opened_at, now=None):
    """The time spent on a lesson being marked done (its xAPI duration): what its page measured while visible;
    without JavaScript, the time since it was opened (capped), counted on the person's clock like a heartbeat."""
    now = now or timezone.now()
    measured = (LessonTime.objects.filter(enrolment=enrolment, lesson=lesson)
                .values_list("active_seconds", flat=True).first())
    if measured:
        return measured
    if opened_at is None or opened_at >= now:
        return 0
    return lesson_heartbeat(user=user, session_key=session_key, enrolment=enrolment, lesson_id=lesson.pk, now=now,
                            cap=min((now - opened_at).total_seconds(), MAX_LESSON_SECONDS), since=opened_at)
