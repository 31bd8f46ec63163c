"""Time on task is counted once per interval of wall-clock time, whatever the tabs, sessions, lessons or quizzes open."""
import io
import math
import random
import threading
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.catalog.models import LessonPage, ModulePage
from lms.learning import attendance
from lms.learning.models import ActivityBeat, ActivityClock, LessonTime, StudySession
from lms.organisations import middleware
from lms.quizzes.models import Attempt
from lms.quizzes.services import attempt_heartbeat, attempt_start
from lms.reports.attendance import attendance_record
from lms.xapi.models import Statement
from tests.factories import make_enrolment, make_quiz, make_track

pytestmark = pytest.mark.django_db


class Clock:
    """Wall-clock time under the test's control."""

    def __init__(self, now):
        self.now = now

    def at(self, seconds):
        return self.start + timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    """What `timezone.now()` answers in the views, set by the test: no sleeping."""
    current = Clock(timezone.now().replace(microsecond=0))
    current.start = current.now
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


def recorded(enrolment):
    """(active time of the person's sessions, active time on the lessons, active time on the attempts), in seconds,
    once the logged heartbeats are settled."""
    attendance.settle([enrolment.trainee])
    return (sum(StudySession.objects.filter(user=enrolment.trainee).values_list("active_seconds", flat=True)),
            sum(LessonTime.objects.filter(enrolment=enrolment).values_list("active_seconds", flat=True)),
            sum(Attempt.objects.filter(enrolment=enrolment).values_list("active_seconds", flat=True)))


def logged_in(user):
    client = Client()
    client.force_login(user)  # opens a study session, as a login does
    client.user = user
    return client


def beat(client, url, **data):
    """Send a heartbeat, then settle the person's log: the seconds this heartbeat counted."""
    response = client.post(url, data)
    assert response.status_code == 200 and response.json() == {"recorded": True}
    return attendance.settle([client.user])


def test_ten_tabs_in_two_sessions_record_the_interval_once(clock):
    """Two browsers with ten lesson tabs each, all beating for 45 s, record 45 s of study, not 900."""
    enrolment = make_enrolment(track=make_track(modules=2, lessons=5))
    lessons = list(LessonPage.objects.descendant_of(enrolment.track).order_by("path"))
    assert len(lessons) == 10
    sessions = [logged_in(enrolment.trainee), logged_in(enrolment.trainee)]
    tabs = [(client, reverse("lesson_heartbeat", args=[lesson.pk])) for client in sessions for lesson in lessons]
    for client, url in tabs:  # every page opens: nothing counted yet
        assert beat(client, url, resume="1") == 0
    for elapsed in (15, 30, 45):  # every tab beats every 15 seconds (a page beats every 30 s: this is worse)
        clock.now = clock.at(elapsed)
        for client, url in tabs:
            assert client.post(url).status_code == 200
    assert ActivityBeat.objects.filter(user=enrolment.trainee).count() == 60  # logged, not yet counted
    record = attendance_record(enrolment, now=clock.now)  # the record settles what is logged
    assert sum(session.active_seconds for session in record.sessions) == 45
    assert sum(module.realised_seconds for module in record.modules) == 45
    assert not ActivityBeat.objects.exists()
    assert recorded(enrolment) == (45, 45, 0)
    assert StudySession.objects.filter(user=enrolment.trainee).count() == 2


def test_many_tabs_settled_at_any_moment_never_record_more_than_the_interval(clock):
    """Twenty tabs in two sessions beating every 10 s for ten minutes, settled at irregular moments (and twice in a
    row): the person's time is the ten minutes, once."""
    enrolment = make_enrolment(track=make_track(modules=2, lessons=5))
    lessons = list(LessonPage.objects.descendant_of(enrolment.track))
    sessions = [logged_in(enrolment.trainee), logged_in(enrolment.trainee)]
    tabs = [(client, reverse("lesson_heartbeat", args=[lesson.pk])) for client in sessions for lesson in lessons]
    for client, url in tabs:
        client.post(url, {"resume": "1"})
    rng = random.Random(7)
    for elapsed in range(10, 601, 10):
        clock.now = clock.at(elapsed)
        for client, url in rng.sample(tabs, len(tabs)):
            client.post(url)
        if rng.random() < 0.3:
            attendance.settle([enrolment.trainee])
            attendance.settle([enrolment.trainee])
    assert recorded(enrolment) == (600, 600, 0)
    assert recorded(enrolment) == (600, 600, 0)  # settling again counts nothing more


def test_one_honest_tab_records_the_whole_interval_and_not_the_time_away(clock):
    """A single lesson tab visible for ten minutes records ten minutes; hidden for five more, it records nothing more."""
    enrolment = make_enrolment()
    lesson = LessonPage.objects.descendant_of(enrolment.track).first()
    client, url = logged_in(enrolment.trainee), reverse("lesson_heartbeat", args=[lesson.pk])
    assert beat(client, url, resume="1") == 0
    for elapsed in range(30, 601, 30):
        clock.now = clock.at(elapsed)
        assert beat(client, url) == 30
    assert recorded(enrolment) == (600, 600, 0)
    clock.now = clock.at(610)
    assert beat(client, url) == 10  # hidden: counts up to now
    clock.now = clock.at(910)
    assert beat(client, url, resume="1") == 0  # visible again after 5 minutes away
    clock.now = clock.at(940)
    assert beat(client, url) == 30
    clock.now = clock.at(940 + 7200)  # the computer slept with the page visible: a beat that late counts the cap
    assert beat(client, url) == attendance.MAX_GAP_SECONDS
    assert recorded(enrolment)[0] == 640 + attendance.MAX_GAP_SECONDS


def test_time_answering_a_quiz_counts_once_beside_the_lesson_tabs(clock):
    """The attempt page beats like a lesson page; its time goes to the attempt and the module, on the same clock."""
    track = make_track(modules=1, lessons=2)
    quiz = make_quiz(parent=ModulePage.objects.child_of(track).get())
    enrolment = make_enrolment(track=track)
    lessons = list(LessonPage.objects.descendant_of(track))
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    client = logged_in(enrolment.trainee)
    page = client.get(reverse("attempt", args=[attempt.pk])).content.decode()
    quiz_url = reverse("attempt_heartbeat", args=[attempt.pk])
    assert f'data-heartbeat="{quiz_url}"' in page and "js/heartbeat.js" in page
    other = logged_in(enrolment.trainee)
    lesson_urls = [reverse("lesson_heartbeat", args=[lesson.pk]) for lesson in lessons]
    client.post(quiz_url, {"resume": "1"})
    for url in lesson_urls:
        other.post(url, {"resume": "1"})
    for elapsed in range(30, 301, 30):  # five minutes answering, two lessons left open in another browser
        clock.now = clock.at(elapsed)
        assert client.post(quiz_url).status_code == 200
        for url in lesson_urls:
            other.post(url)
    sessions, on_lessons, on_attempts = recorded(enrolment)
    assert sessions == on_lessons + on_attempts == 300
    assert on_attempts == 300  # the quiz page beat first at each instant: the time is the quiz's
    assert attendance_record(enrolment, now=clock.now).modules[0][2] == 300  # module time includes its quiz


def experienced_durations(enrolment):
    return [s.data["result"]["duration"] for s in Statement.objects.filter(
        registration=enrolment.registration, verb="http://adlnet.gov/expapi/verbs/experienced").order_by("timestamp")]


def test_lessons_read_side_by_side_without_javascript_share_the_time(clock):
    """Two lessons opened together and marked done ten minutes later: 10 minutes of study in the traces, not 20."""
    enrolment = make_enrolment()
    first, second = list(LessonPage.objects.descendant_of(enrolment.track).order_by("path"))[:2]
    client = logged_in(enrolment.trainee)
    for lesson in (first, second):
        assert client.get(reverse("lesson", args=[lesson.pk])).status_code == 200
    clock.now = clock.at(600)
    client.post(reverse("lesson_mark_done", args=[first.pk]))
    clock.now = clock.at(601)
    client.post(reverse("lesson_mark_done", args=[second.pk]))
    assert experienced_durations(enrolment) == ["PT10M0S", "PT1S"]
    assert recorded(enrolment) == (601, 601, 0)


def test_a_lesson_lasts_what_its_page_measured(clock):
    """With JavaScript, a lesson's xAPI duration is its active time, not the time since it was opened."""
    enrolment = make_enrolment()
    lesson = LessonPage.objects.descendant_of(enrolment.track).first()
    client = logged_in(enrolment.trainee)
    client.get(reverse("lesson", args=[lesson.pk]))
    url = reverse("lesson_heartbeat", args=[lesson.pk])
    client.post(url, {"resume": "1"})
    for elapsed in (30, 60, 90):
        clock.now = clock.at(elapsed)
        client.post(url)
    clock.now = clock.at(3000)  # hidden for most of the time
    client.post(reverse("lesson_mark_done", args=[lesson.pk]))
    assert experienced_durations(enrolment) == ["PT1M30S"]


def session_row(client):
    return Session.objects.filter(session_key=client.session.session_key).values("session_data", "expire_date").get()


def stale_mfa_check(client):
    """The staff-MFA check remembered in the session, older than its recheck delay: a page would check (and write
    the session) again."""
    session = client.session
    session[middleware.SESSION_KEY] = [int(session["_auth_user_id"]), 0]
    session.save()


@pytest.mark.parametrize("page", ["lesson", "attempt"])
def test_a_heartbeat_is_one_insert_and_writes_no_session(clock, settings, django_assert_num_queries, page):
    """Session (cache) and user, the page's enrolment or attempt, and one INSERT in the heartbeat log: nothing
    updated, no transaction; with the staff-MFA check on (production) and due, the session row is left as it was.
    The time is counted when settled."""
    settings.LMS_REQUIRE_STAFF_MFA = True
    track = make_track(modules=1, lessons=1)
    enrolment = make_enrolment(track=track)
    if page == "lesson":
        url = reverse("lesson_heartbeat", args=[LessonPage.objects.descendant_of(track).first().pk])
    else:
        attempt = attempt_start(enrolment=enrolment, quiz=make_quiz(parent=ModulePage.objects.child_of(track).get()))
        url = reverse("attempt_heartbeat", args=[attempt.pk])
    client = logged_in(enrolment.trainee)
    client.post(url, {"resume": "1"})
    stale_mfa_check(client)
    before = session_row(client)
    clock.now = clock.at(30)
    with django_assert_num_queries(3) as queries:  # the user, the enrolment (or attempt), the beat logged
        assert client.post(url).json() == {"recorded": True}
    writes = [query["sql"].split()[0].upper() for query in queries.captured_queries
              if not query["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == ["INSERT"]  # no UPDATE, no SAVEPOINT: one statement
    assert 'INSERT INTO "learning_activitybeat"' in queries.captured_queries[-1]["sql"]
    assert session_row(client) == before
    assert recorded(enrolment) == ((30, 30, 0) if page == "lesson" else (30, 0, 30))


def test_someone_elses_attempt_takes_no_heartbeat(client):
    attempt = attempt_start(enrolment=make_enrolment(track=(track := make_track(modules=1, lessons=1))),
                            quiz=make_quiz(parent=ModulePage.objects.child_of(track).get()))
    client.force_login(make_enrolment(track=track).trainee)
    assert client.post(reverse("attempt_heartbeat", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("attempt_heartbeat", args=[attempt.pk])).status_code == 405


def test_any_order_of_heartbeats_never_records_more_than_the_interval():
    """Heartbeats of 12 pages (lessons, an attempt) in 3 sessions, at random instants, in any order, over 10 minutes."""
    track = make_track(modules=1, lessons=3)
    quiz = make_quiz(parent=ModulePage.objects.child_of(track).get())
    enrolment = make_enrolment(track=track)
    lessons = list(LessonPage.objects.descendant_of(track))
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    start, interval = timezone.now(), 600
    rng = random.Random(13)
    pages = [(f"session-{s}", page) for s in range(3) for page in [*lessons, attempt]]
    for round_ in range(3):
        beats = [(start + timedelta(seconds=rng.uniform(0, interval)), page, rng.random() < 0.2)
                 for page in pages for _ in range(10)]
        if round_ % 2:
            beats.sort(key=lambda beat: beat[0])  # in order; the other rounds arrive in any order
        for now, (key, page), resume in beats:
            if isinstance(page, Attempt):
                attempt_heartbeat(attempt=page, session_key=key, resume=resume, now=now)
            else:
                attendance.lesson_heartbeat(user=enrolment.trainee, session_key=key, enrolment=enrolment,
                                            lesson_id=page.pk, resume=resume, now=now)
            if rng.random() < 0.05:  # settled while beats still arrive, some of them late
                attendance.settle([enrolment.trainee])
        sessions, on_lessons, on_attempts = recorded(enrolment)
        assert sessions == on_lessons + on_attempts <= interval * (round_ + 1)
        start += timedelta(seconds=interval)
    assert sessions > interval  # something was counted in each round


def test_a_beat_logged_during_a_settlement_is_counted_by_the_next_one(monkeypatch):
    """A heartbeat that arrives while a settlement runs is left in the log (it deletes only what it counted), then
    counted once by the next settlement."""
    enrolment = make_enrolment(track=make_track(modules=1, lessons=2))
    first, second = LessonPage.objects.descendant_of(enrolment.track)
    start, user = timezone.now(), enrolment.trainee
    attendance.lesson_heartbeat(user=user, session_key="a", enrolment=enrolment, lesson_id=first.pk, resume=True,
                                now=start)
    attendance.lesson_heartbeat(user=user, session_key="a", enrolment=enrolment, lesson_id=first.pk,
                                now=start + timedelta(seconds=30))
    add_to_sessions, arriving = attendance._add_to_sessions, []

    def beat_arrives(*args):
        if not arriving:
            arriving.append(attendance.lesson_heartbeat(user=user, session_key="b", enrolment=enrolment,
                                                        lesson_id=second.pk, now=start + timedelta(seconds=40)))
        return add_to_sessions(*args)

    monkeypatch.setattr(attendance, "_add_to_sessions", beat_arrives)
    assert attendance.settle([user]) == 30
    assert list(ActivityBeat.objects.values_list("pk", flat=True)) == [arriving[0].pk]
    assert attendance.settle([user]) == 10
    assert attendance.settle([user]) == 0
    assert recorded(enrolment) == (40, 40, 0)
    assert LessonTime.objects.get(lesson=second).active_seconds == 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_settlements_of_one_person_count_each_beat_once():
    """Four settlements of the same person at once (PostgreSQL: each its own connection and transaction): the
    person's clock row is locked, so the beats are counted by one of them, once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time (BEGIN IMMEDIATE): nothing can interleave")
    enrolment = make_enrolment(track=make_track(modules=1, lessons=3))
    lessons = list(LessonPage.objects.descendant_of(enrolment.track))
    start, user = timezone.now(), enrolment.trainee
    for elapsed in range(0, 301, 5):
        for lesson in lessons:
            attendance.lesson_heartbeat(user=user, session_key="k", enrolment=enrolment, lesson_id=lesson.pk,
                                        resume=elapsed == 0, now=start + timedelta(seconds=elapsed))
    barrier, counted, errors = threading.Barrier(4), [], []

    def settle():
        try:
            barrier.wait()
            counted.append(attendance.settle([user.pk]))
        except Exception as error:  # shown by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=settle) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(counted) == [0, 0, 0, 300]
    assert recorded(enrolment) == (300, 300, 0)
    assert not ActivityBeat.objects.exists()


def test_the_settle_command_counts_everyones_log(clock):
    """`manage.py settle_attendance` (the periodic job) settles every person with logged heartbeats."""
    enrolments = [make_enrolment(), make_enrolment()]
    clients = [(logged_in(e.trainee), reverse("lesson_heartbeat", args=[
        LessonPage.objects.descendant_of(e.track).first().pk])) for e in enrolments]
    for client, url in clients:
        client.post(url, {"resume": "1"})
    clock.now = clock.at(30)
    for client, url in clients:
        client.post(url)
    assert ActivityBeat.objects.count() == 4
    out = io.StringIO()
    call_command("settle_attendance", stdout=out)
    assert "2 person(s) settled, 60 s of active time counted" in out.getvalue()
    assert not ActivityBeat.objects.exists()
    assert ActivityClock.objects.count() == 2
    assert [sum(StudySession.objects.filter(user=e.trainee).values_list("active_seconds", flat=True))
            for e in enrolments] == [30, 30]
    call_command("settle_attendance", stdout=(out := io.StringIO()))
    assert "0 person(s) settled, 0 s" in out.getvalue()


def test_the_clock_counts_gaps_capped_and_nothing_twice():
    """The clock alone (a pure function): first beat and resume count nothing, a gap counts up to the cap, a beat
    at or before the clock counts nothing, a fraction of a second waits for the next beat."""
    start = timezone.now().replace(microsecond=0)
    at = lambda seconds: start + timedelta(seconds=seconds)  # noqa: E731
    assert attendance.clock_step(None, at=at(0)) == (at(0), 0)
    assert attendance.clock_step(None, at=at(5), resume=True) == (at(5), 0)
    assert attendance.clock_step(at(0), at=at(30)) == (at(30), 30)
    assert attendance.clock_step(at(0), at=at(30.5)) == (at(30), 30)
    assert attendance.clock_step(at(30), at=at(30.4)) == (at(30), 0)
    assert attendance.clock_step(at(30), at=at(20)) == (at(30), 0)
    assert attendance.clock_step(at(0), at=at(3600)) == (at(3600), attendance.MAX_GAP_SECONDS)
    assert attendance.clock_step(at(30), at=at(20), resume=True) == (at(30), 0)
    assert attendance.clock_step(None, at=at(600), cap=600, since=at(0)) == (at(600), 600)


@pytest.mark.parametrize("beats_per_page", [2, 40])
def test_settling_costs_the_same_statements_whatever_the_number_of_beats(django_assert_num_queries, beats_per_page):
    """Settling a person's log reads the clock (locked), the beats, the sessions and lesson times, then writes in bulk:
    the same statements for 16 beats or 320 (the settled beats deleted in one statement per 1,000)."""
    track = make_track(modules=1, lessons=3)
    enrolment = make_enrolment(track=track)
    lessons = list(LessonPage.objects.descendant_of(track))
    attempt = attempt_start(enrolment=enrolment, quiz=make_quiz(parent=ModulePage.objects.child_of(track).get()))
    user, start = enrolment.trainee, timezone.now()
    for key in ("a", "b"):
        for lesson in lessons:
            attendance.lesson_heartbeat(user=user, session_key=key, enrolment=enrolment, lesson_id=lesson.pk,
                                        resume=True, now=start)
        attempt_heartbeat(attempt=attempt, session_key=key, resume=True, now=start)
    attendance.settle([user])  # the clock, sessions and lesson times exist
    for n in range(1, beats_per_page + 1):
        for key in ("a", "b"):
            for lesson in lessons:
                attendance.lesson_heartbeat(user=user, session_key=key, enrolment=enrolment, lesson_id=lesson.pk,
                                            now=start + timedelta(seconds=10 * n))
            attempt_heartbeat(attempt=attempt, session_key=key, now=start + timedelta(seconds=10 * n + 1))
    # Which users have beats; savepoint; clock locked; beats; clock moved; sessions read and updated; lesson times
    # read and updated; each session's time per enrolment read and updated; attempt time; beats deleted (one
    # statement: no post_delete receiver listens to them); savepoint released.
    with django_assert_num_queries(13 + math.ceil(8 * beats_per_page / attendance.DELETE_BATCH)):
        assert attendance.settle([user]) == 10 * beats_per_page + 1  # the last beat is the attempt's, a second later
    assert recorded(enrolment)[0] == 10 * beats_per_page + 1
