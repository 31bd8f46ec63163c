"""Attendance evidence (Code du travail D6313-3-1): sessions and active time, measured honestly.

The lesson page sends a heartbeat while it is visible; each heartbeat counts the time since the previous
one, capped, so a page left open in a background tab counts nothing. Without JavaScript, the time between
opening a lesson and marking it done is used, capped (see learning.views).
"""
import hashlib

from django.db.models import F
from django.utils import timezone

from lms.learning.models import LessonTime, StudySession

HEARTBEAT_SECONDS = 30
MAX_GAP_SECONDS = 45  # a heartbeat later than this after the previous one counts only this much


def _key_hash(session_key):
    return hashlib.sha256((session_key or "").encode()).hexdigest()


def session_start(*, user, session_key, now=None):
    now = now or timezone.now()
    return StudySession.objects.create(user=user, session_key_hash=_key_hash(session_key), started_at=now,
                                       last_activity_at=now)


def heartbeat(*, user, session_key, enrolment, lesson, last_beat, now=None):
    """Count the active time since the previous heartbeat of this page (capped); return the time counted."""
    now = now or timezone.now()
    seconds = 0 if last_beat is None else int(min(max(now.timestamp() - last_beat, 0), MAX_GAP_SECONDS))
    session = StudySession.objects.filter(user=user, session_key_hash=_key_hash(session_key)).order_by("-started_at").first()
    if session is None:
        session = session_start(user=user, session_key=session_key, now=now)
    StudySession.objects.filter(pk=session.pk).update(last_activity_at=now, active_seconds=F("active_seconds") + seconds)
    updated = LessonTime.objects.filter(enrolment=enrolment, lesson=lesson).update(
        active_seconds=F("active_seconds") + seconds, last_seen_at=now)
    if not updated:
        LessonTime.objects.get_or_create(enrolment=enrolment, lesson=lesson, defaults={
            "active_seconds": seconds, "first_seen_at": now, "last_seen_at": now})
    return seconds
