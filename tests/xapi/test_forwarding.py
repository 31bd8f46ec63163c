"""Forwarding the outbox to a real Ralph LRS: sent, already stored, rejected, and nothing lost while it is down."""
import copy
import importlib
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from lms.catalog.models import LessonPage
from lms.learning.services import enrolment_create, lesson_complete
from lms.xapi.models import Statement
from lms.xapi.services import InvalidStatement, forward_batch, record
from tests.factories import make_track, make_trainee

pytestmark = pytest.mark.django_db


def some_statements(n=3):
    track = make_track(modules=1, lessons=n)
    trainee = make_trainee()
    enrolment = enrolment_create(trainee=trainee, track=track, training_body=track.training_body,
                                 starts_on=timezone.localdate())
    for lesson in LessonPage.objects.descendant_of(track):
        lesson_complete(enrolment=enrolment, lesson=lesson, duration_seconds=60)
    return enrolment


def test_statements_reach_the_lrs_with_the_version_header(ralph):
    ralph.start()
    some_statements()
    pending = set(str(pk) for pk in Statement.objects.values_list("id", flat=True))
    assert Statement.objects.filter(status="pending").count() == len(pending) > 3
    out = StringIO()
    call_command("forward_statements", stdout=out)
    assert out.getvalue().startswith(f"sent {len(pending)}, rejected 0")
    assert Statement.objects.filter(status="sent").count() == len(pending)
    assert pending <= ralph.stored_ids()


def test_lrs_down_for_the_whole_test_loses_nothing_then_everything_arrives(ralph):
    some_statements()
    total = Statement.objects.count()
    counts = forward_batch(timeout=2)  # nothing listens on the port yet
    assert counts == {"sent": 0, "rejected": 0, "retry": total}
    retried = Statement.objects.get(pk=Statement.objects.first().pk)
    assert retried.status == "pending" and retried.attempts == 1 and "Error" in retried.last_error
    assert forward_batch(timeout=2)["retry"] == 0  # not due yet: growing delays
    later = timezone.now() + timedelta(minutes=2)
    forward_batch(timeout=2, now=later)
    assert Statement.objects.first().attempts == 2
    ralph.start()
    assert forward_batch(timeout=5, now=later + timedelta(minutes=5))["sent"] == total
    assert Statement.objects.filter(status="sent").count() == total
    assert {str(pk) for pk in Statement.objects.values_list("id", flat=True)} <= ralph.stored_ids()


def test_already_stored_counts_as_sent_and_invalid_is_rejected_before_it_is_sent(ralph):
    ralph.start()
    enrolment = some_statements(1)
    call_command("forward_statements", stdout=StringIO())
    original = Statement.objects.order_by("timestamp").first()
    # Same id, different body: the LRS answers 409 — it already holds this statement.
    clash = copy.deepcopy(original.data)
    clash["timestamp"] = "2020-01-01T00:00:00.000Z"
    Statement.objects.filter(pk=original.pk).update(status="pending", data=clash, next_attempt_at=timezone.now())
    # A statement that is not valid xAPI (no actor): ralph's models refuse it before it is sent.
    broken = copy.deepcopy(original.data)
    broken["id"] = "11111111-1111-4111-8111-111111111111"
    del broken["actor"]
    Statement.objects.create(id=broken["id"], actor=enrolment.trainee, registration=enrolment.registration,
                             verb=broken["verb"]["id"], object_id=broken["object"]["id"], timestamp=timezone.now(),
                             data=broken, status="pending", next_attempt_at=timezone.now())
    counts = forward_batch(timeout=5)
    assert counts == {"sent": 1, "rejected": 1, "retry": 0}
    rejected = Statement.objects.get(pk=broken["id"])
    assert rejected.status == "rejected" and rejected.last_error.startswith("invalid xAPI 1.0.3 (ralph)")
    assert "actor" in rejected.last_error  # ralph's message names the missing field
    assert broken["id"] not in ralph.stored_ids()  # never sent
    assert Statement.objects.get(pk=original.pk).status == "sent"
    assert forward_batch(timeout=5) == {"sent": 0, "rejected": 0, "retry": 0}  # never retried blindly


def test_learner_never_waits_for_the_lrs(client, settings):
    """With an LRS that does not answer, marking a lesson done stays instant and the statement waits."""
    settings.LRS_ENDPOINT = "http://127.0.0.1:9/xAPI/"
    track = make_track(modules=1, lessons=2)
    trainee = make_trainee()
    enrolment = enrolment_create(trainee=trainee, track=track, training_body=track.training_body,
                                 starts_on=timezone.localdate())
    client.force_login(trainee)
    lesson = LessonPage.objects.descendant_of(track).first()
    started = timezone.now()
    assert client.post(reverse("lesson_mark_done", args=[lesson.pk])).status_code == 302
    assert (timezone.now() - started).total_seconds() < 2
    assert Statement.objects.filter(actor=trainee, status="pending").count() == 2


def test_statements_recorded_without_an_lrs_are_forwarded_once_one_is_configured(ralph, settings):
    """Recorded while no LRS is configured, they wait in the store; configured later, the forwarder sends them."""
    endpoint = settings.LRS_ENDPOINT
    settings.LRS_ENDPOINT = ""
    some_statements(1)
    assert record([], actor=make_trainee()) == []
    recorded = {str(pk) for pk in Statement.objects.values_list("id", flat=True)}
    assert len(recorded) > 3 and set(Statement.objects.values_list("status", flat=True)) == {"pending"}
    with pytest.raises(CommandError):  # no LRS: nothing to forward to, nothing lost
        call_command("forward_statements", stdout=StringIO())
    settings.LRS_ENDPOINT = endpoint
    ralph.start()
    out = StringIO()
    call_command("forward_statements", stdout=out)
    assert out.getvalue().startswith(f"sent {len(recorded)}, rejected 0")
    assert set(Statement.objects.values_list("status", flat=True)) == {"sent"}
    assert recorded <= ralph.stored_ids()


def test_statements_kept_local_by_the_previous_version_are_forwarded_after_the_migration(ralph):
    """The previous version stored them as 'local', never due: the migration makes them due like the others."""
    to_send = importlib.import_module("lms.xapi.migrations.0002_forward_statements_recorded_without_lrs").to_send
    some_statements(1)
    Statement.objects.update(status="local", next_attempt_at=None)
    ralph.start()
    assert forward_batch(timeout=5)["sent"] == 0
    to_send(django_apps, None)
    assert forward_batch(timeout=5) == {"sent": Statement.objects.count(), "rejected": 0, "retry": 0}
    assert {str(pk) for pk in Statement.objects.values_list("id", flat=True)} <= ralph.stored_ids()


def test_whole_journey_reaches_ralph_even_when_it_stops_midway(ralph):
    """A trainee's whole journey is forwarded; Ralph stops in the middle; the outbox catches up once it is back."""
    from lms.catalog.models import ModulePage
    from lms.quizzes.services import attempt_start, attempt_submit
    from tests.factories import make_quiz, perfect_answers

    ralph.start()
    track = make_track(modules=1, lessons=2)
    module = ModulePage.objects.child_of(track).get()
    quiz, final = make_quiz(parent=module), make_quiz(parent=track, title="Évaluation finale")
    trainee = make_trainee()
    enrolment = enrolment_create(trainee=trainee, track=track, training_body=track.training_body,
                                 starts_on=timezone.localdate())
    first, second = LessonPage.objects.descendant_of(track)
    lesson_complete(enrolment=enrolment, lesson=first, duration_seconds=300)
    assert forward_batch(timeout=5)["sent"] == 2  # registered, experienced
    ralph.stop()
    lesson_complete(enrolment=enrolment, lesson=second, duration_seconds=420)
    for q in (quiz, final):
        attempt = attempt_start(enrolment=enrolment, quiz=q)
        attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    waiting = Statement.objects.filter(status="pending").count()
    assert waiting > 10 and forward_batch(timeout=2)["retry"] == waiting
    ralph.start()
    forward_batch(timeout=5, now=timezone.now() + timedelta(hours=2))
    assert not Statement.objects.exclude(status="sent").exists()
    verbs = {s.verb.rsplit("/", 1)[-1] for s in Statement.objects.all()}
    assert {"registered", "experienced", "attempted", "answered", "passed", "completed", "earned"} <= verbs
    assert {str(pk) for pk in Statement.objects.values_list("id", flat=True)} <= ralph.stored_ids()


def test_production_records_without_ralph_and_the_forwarder_refuses_an_invalid_statement(ralph, settings):
    """In production (XAPI_VALIDATE_ON_RECORD off) a statement of a wrong shape does not undo the event that
    recorded it: it is stored, then refused by ralph's models in the forwarder, never sent; the valid ones of the same
    batch go. In development and the tests the same statement fails at once, and nothing is stored."""
    enrolment = some_statements(1)
    good = copy.deepcopy(Statement.objects.order_by("timestamp").first().data)
    good["id"] = "22222222-2222-4222-8222-222222222222"
    broken = copy.deepcopy(good)
    broken["id"] = "33333333-3333-4333-8333-333333333333"
    broken["verb"]["id"] = "not an IRI"
    before = Statement.objects.count()
    with pytest.raises(InvalidStatement):
        record([good, broken], actor=enrolment.trainee)  # the test settings check on record
    assert Statement.objects.count() == before
    settings.XAPI_VALIDATE_ON_RECORD = False  # as in production
    record([good, broken], actor=enrolment.trainee)
    assert Statement.objects.count() == before + 2
    ralph.start()
    counts = forward_batch(timeout=5)
    assert counts == {"sent": before + 1, "rejected": 1, "retry": 0}
    refused = Statement.objects.get(pk=broken["id"])
    assert refused.status == "rejected" and "invalid xAPI 1.0.3 (ralph)" in refused.last_error
    assert refused.sent_at is None and refused.next_attempt_at is None  # never retried
    stored = ralph.stored_ids()
    assert good["id"] in stored and broken["id"] not in stored
