"""The results each track publishes on its body's public page (issue 17, point 6): computed from the records, with
their period; no rate below MIN_OUTCOMES."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from lms.learning.indicators import MIN_OUTCOMES, track_indicators
from lms.learning.models import EnrolmentStatus
from tests.factories import make_enrolment, make_track, make_trainee, make_training_body, record_result

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


def enrol(track, status, starts_on=date(2026, 1, 5)):
    enrolment = make_enrolment(trainee=make_trainee(), track=track, starts_on=starts_on)
    if status != EnrolmentStatus.ACTIVE:
        enrolment.status = status
        enrolment.completed_at = timezone.now() if status == EnrolmentStatus.COMPLETED else None
        enrolment.save(update_fields=["status", "completed_at"])
    return enrolment


def test_rates_count_what_was_recorded_over_the_period(django_assert_num_queries):
    track = make_track()
    done = [enrol(track, EnrolmentStatus.COMPLETED, date(2026, 2, 1)) for _ in range(4)]
    enrol(track, EnrolmentStatus.WITHDRAWN)
    enrol(track, EnrolmentStatus.ACTIVE)
    enrol(track, EnrolmentStatus.ACTIVE, starts_on=TODAY + timedelta(days=3))  # not started: not counted
    other = make_track()
    with django_assert_num_queries(2):  # the enrolments' counts, the satisfaction answers (lms.surveys)
        found = track_indicators([track.pk, other.pk], today=TODAY)
    ind = found[track.pk]
    assert (ind.since, ind.until, ind.trainees, ind.outcomes, ind.completed) == (date(2026, 1, 5), TODAY, 6, 5, 4)
    assert ind.completion_rate == 80 and ind.qualification_rate is None  # 4 of 5; no result recorded
    assert found[other.pk].trainees == 0 and found[other.pk].completion_rate is None
    assert done


def test_no_rate_below_the_minimum_number_of_outcomes():
    track = make_track()
    for _ in range(MIN_OUTCOMES - 1):
        enrol(track, EnrolmentStatus.COMPLETED)
    assert track_indicators([track.pk], today=TODAY)[track.pk].completion_rate is None
    enrol(track, EnrolmentStatus.WITHDRAWN)
    assert track_indicators([track.pk], today=TODAY)[track.pk].completion_rate == 80


def test_the_qualification_rate_counts_results_in_force():
    track = make_track(certification=True)
    completed = [enrol(track, EnrolmentStatus.COMPLETED) for _ in range(5)]
    for enrolment in completed[:3]:
        record_result(enrolment, obtained_on=date(2026, 6, 1))
    completed[2].qualification_results.update(revoked_at=timezone.now())
    ind = track_indicators([track.pk], today=TODAY)[track.pk]
    assert (ind.completed, ind.qualified, ind.qualification_rate) == (5, 2, 40)


def test_the_public_page_of_the_body_shows_each_tracks_results(client):
    from lms.catalog.models import TrainingBodyPage

    body = make_training_body(name="Organisme Publié")
    track = make_track(training_body=body, title="Parcours publié")
    for status in [EnrolmentStatus.COMPLETED] * 3 + [EnrolmentStatus.WITHDRAWN] * 2:
        enrol(track, status)
    page = TrainingBodyPage.objects.get(training_body=body)
    html = client.get(page.url).content.decode()
    assert "Parcours publié" in html and "Taux d'achèvement" in html
    assert "60 %" in html and "3 ont terminé sur 5 parcours terminés ou arrêtés" in html
    assert "du 5 janvier 2026 au" in html
