"""Realised hours (issue 15, point 3): one function is the realised duration of an enrolment, a track may require a
minimum realised share before completion, and the trainee is told why the track is not completed yet."""
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.catalog.models import LessonPage, ModulePage
from lms.certificates.models import Certificate
from lms.learning import realised
from lms.learning.models import EnrolmentStatus, LessonTime
from lms.learning.realised import TimeSource, realised_duration, register_time_source
from lms.learning.services import enrolment_refresh_completion, enrolments_complete_when_time_met, lesson_complete
from lms.quizzes.models import Attempt
from lms.quizzes.services import attempt_start
from tests.factories import make_enrolment, make_quiz, make_staff, make_track

pytestmark = pytest.mark.django_db


def spend(enrolment, lesson, seconds):
    now = timezone.now()
    LessonTime.objects.update_or_create(enrolment=enrolment, lesson=lesson, defaults={
        "active_seconds": seconds, "first_seen_at": now, "last_seen_at": now})


def test_realised_duration_is_lesson_time_plus_attempt_time():
    """Lessons' active time and every attempt's active time (quizzes register their source), nothing else."""
    track = make_track(modules=1, lessons=2)
    quiz = make_quiz(parent=ModulePage.objects.child_of(track).get())
    enrolment = make_enrolment(track=track)
    lessons = list(LessonPage.objects.descendant_of(track))
    spend(enrolment, lessons[0], 3600)
    spend(enrolment, lessons[1], 1800)
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(active_seconds=900)
    other = make_enrolment(track=track)  # another trainee's time counts for nobody else
    spend(other, lessons[0], 7200)
    duration = realised_duration(enrolment)
    assert duration.parts == {"lessons": 5400, "quizzes": 900, "seances": 0, "scorm": 0}
    assert duration.seconds == 6300 and duration.hours == Decimal("1.8")  # 1.75 h rounded half up
    assert duration.nominal_hours == 84 and duration.share == Decimal("2.1")
    assert [label for label, _s in duration.rows] == ["Leçons (temps actif)", "Quiz et évaluations (temps actif)",
                                                    "Séances suivies (en présentiel ou en classe virtuelle)",
                                                    "Activités SCORM (temps des sessions)"]


def test_a_registered_source_adds_its_time(monkeypatch):
    """The extension point for in-person hours (issue 17): a source registered once adds its seconds."""
    monkeypatch.setattr(realised, "_sources", list(realised.time_sources()))
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1))
    source = TimeSource("in_person", "Présentiel", lambda ids: {pk: 7 * 3600 for pk in ids})
    register_time_source(source)
    register_time_source(source)  # twice: once
    duration = realised_duration(enrolment)
    assert duration.parts["in_person"] == 25200 and duration.hours == Decimal("7.0")
    assert sum(1 for s in realised.time_sources() if s.key == "in_person") == 1


def test_minimum_share_blocks_completion_until_met(client):
    """All done but 10 % of 84 h required (8,4 h): the track stays active, no certificate, and 'Mon parcours' and the
    outline say why (realised against required, French numbers); once the time is there, opening the page completes
    it and the attestation is issued."""
    track = make_track(modules=1, lessons=2)
    track.min_realised_share = 10
    track.save()
    enrolment = make_enrolment(track=track)
    lessons = list(LessonPage.objects.descendant_of(track))
    spend(enrolment, lessons[0], 3 * 3600)
    for lesson in lessons:
        lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.completed_at is None
    assert not Certificate.objects.filter(enrolment=enrolment).exists()
    client.force_login(enrolment.trainee)
    for url in (reverse("my_track"), reverse("track_outline", args=[track.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert "Votre parcours n’est pas encore terminé" in page, url
        assert "au moins 10 % des 84 h du parcours" in page and "(8,4 h)" in page and "3,0 h" in page
    assert enrolments_complete_when_time_met() == 0  # the periodic job: not yet
    spend(enrolment, lessons[1], int(5.4 * 3600))  # 8,4 h in all
    page = client.get(reverse("my_track"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "pas encore terminé" not in page
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.realised_hours == Decimal("8.4") and certificate.nominal_hours == 84


def test_the_periodic_job_completes_when_the_share_is_met():
    track = make_track(modules=1, lessons=1)
    track.min_realised_share = 1
    track.save()
    enrolment = make_enrolment(track=track)
    lesson = LessonPage.objects.descendant_of(track).get()
    lesson_complete(enrolment=enrolment, lesson=lesson)
    assert not enrolment_refresh_completion(enrolment=enrolment)
    spend(enrolment, lesson, 3600)  # 1 h of 84 h: 1,2 %
    assert enrolments_complete_when_time_met() == 1
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_without_a_required_share_completion_does_not_wait():
    enrolment = make_enrolment(track=make_track(modules=1, lessons=1))
    lesson_complete(enrolment=enrolment, lesson=LessonPage.objects.descendant_of(enrolment.track).get())
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert Certificate.objects.get(enrolment=enrolment).realised_hours == Decimal("0.0")


def test_the_learner_page_shows_realised_against_planned(client):
    track = make_track(modules=1, lessons=1)
    enrolment = make_enrolment(track=track)
    spend(enrolment, LessonPage.objects.descendant_of(track).get(), 4500)
    client.force_login(make_staff(training_body=track.training_body, role="tutor"))
    page = client.get(reverse("learner_detail", args=[enrolment.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Durée réalisée" in page and "1,3 h sur 84 h prévues" in page
    assert reverse("realisation_certificate", args=[enrolment.pk]) in page
