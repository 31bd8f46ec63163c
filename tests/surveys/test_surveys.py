"""Satisfaction, hot and cold (issue 17, point 4): the trainee answers at completion and three months later (asked
by email, once); the body reads response rates, averages and comments per track and cohort, and exports them."""
import csv
import io
from datetime import date, datetime, timedelta, timezone as dt_timezone

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from lms.learning.models import EnrolmentStatus
from lms.learning.services import cohort_create
from lms.surveys.models import ColdSurveyRequest, SurveyKind, SurveyResponse
from lms.surveys.services import results, send_cold_surveys
from tests.factories import make_enrolment, make_staff, make_track, make_trainee, make_training_body

pytestmark = pytest.mark.django_db

ANSWERS = {"overall": "5", "content": "4", "support": "5", "platform": "3", "comment": "Très concret."}


def completed(track=None, on=datetime(2026, 6, 1, 10, tzinfo=dt_timezone.utc), cohort=None, **kwargs):
    enrolment = make_enrolment(trainee=make_trainee(**kwargs), track=track or make_track(),
                               starts_on=date(2026, 3, 1))
    enrolment.status, enrolment.completed_at, enrolment.cohort = EnrolmentStatus.COMPLETED, on, cohort
    enrolment.save()
    return enrolment


def test_the_trainee_answers_the_end_of_training_survey_once(client):
    enrolment = completed()
    client.force_login(enrolment.trainee)
    url = reverse("survey", args=[enrolment.pk, "fin"])
    page = client.get(url).content.decode()
    assert "ensemble, êtes-vous satisfait·e de cette formation ?" in page
    assert "Mettez-vous en pratique" not in page  # the cold survey's question only
    assert client.post(url, ANSWERS).status_code == 302
    response = SurveyResponse.objects.get()
    assert (response.kind, response.overall, response.platform, response.applied, response.comment) == (
        SurveyKind.HOT, 5, 3, None, "Très concret.")
    assert client.post(url, ANSWERS).status_code == 400  # answered already
    assert SurveyResponse.objects.count() == 1
    assert "déjà répondu" in client.get(url).content.decode()


@pytest.mark.parametrize(("answers", "message"), [
    ({**ANSWERS, "overall": "6"}, "Sélectionnez un choix valide"),
    ({**ANSWERS, "overall": ""}, "Champ requis."),
    ({**ANSWERS, "comment": "<a href='x'>pub</a>"}, "sans balises HTML"),
    ({**ANSWERS, "comment": "x" * 2001}, "2000 caractères au plus"),
])
def test_bad_answers_are_refused_in_french_and_nothing_is_written(client, answers, message):
    enrolment = completed()
    client.force_login(enrolment.trainee)
    response = client.post(reverse("survey", args=[enrolment.pk, "fin"]), answers)
    assert response.status_code == 400 and message in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_no_survey_before_completion_nor_the_cold_one_before_three_months(client):
    active = make_enrolment(trainee=make_trainee())
    client.force_login(active.trainee)
    response = client.post(reverse("survey", args=[active.pk, "fin"]), ANSWERS)
    assert response.status_code == 400 and "une fois votre parcours terminé" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    recent = completed(on=datetime.now(dt_timezone.utc) - timedelta(days=10))
    client.force_login(recent.trainee)
    cold = {**ANSWERS, "applied": "4"}
    response = client.post(reverse("survey", args=[recent.pk, "trois-mois"]), cold)
    assert response.status_code == 400 and not SurveyResponse.objects.exists()
    assert "Cette enquête s'ouvre le" in client.get(reverse("survey", args=[recent.pk, "trois-mois"])).content.decode()


def test_nobody_answers_for_someone_else(client):
    enrolment = completed()
    client.force_login(make_trainee())
    assert client.get(reverse("survey", args=[enrolment.pk, "fin"])).status_code == 404
    assert client.post(reverse("survey", args=[enrolment.pk, "fin"]), ANSWERS).status_code == 404
    client.force_login(enrolment.trainee)
    assert client.get(reverse("survey", args=[enrolment.pk, "tiede"])).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_the_cold_survey_is_emailed_once_three_months_after_completion(client, django_capture_on_commit_callbacks):
    due = completed(on=datetime(2026, 6, 1, 10, tzinfo=dt_timezone.utc), email="due@example.org")
    completed(on=datetime(2026, 9, 15, 10, tzinfo=dt_timezone.utc), email="tooearly@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_cold_surveys(today=date(2026, 8, 30), base_url="http://testserver") == 1
        assert send_cold_surveys(today=date(2026, 8, 30), base_url="http://testserver") == 0  # once
    assert [m.to for m in mail.outbox] == [["due@example.org"]]
    assert f"/espace/satisfaction/{due.pk}/trois-mois/" in mail.outbox[0].body
    assert ColdSurveyRequest.objects.filter(enrolment=due).count() == 1
    client.force_login(due.trainee)
    assert client.post(reverse("survey", args=[due.pk, "trois-mois"]), {**ANSWERS, "applied": "4"}).status_code == 302
    assert SurveyResponse.objects.get(kind=SurveyKind.COLD).applied == 4
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_cold_surveys", stdout=out)  # today: the first was asked, the second completed < 90 days
    assert ColdSurveyRequest.objects.count() == ColdSurveyRequest.objects.filter(enrolment=due).count() + (
        1 if "Cold surveys sent: 1" in out.getvalue() else 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_cold_surveys(today=date(2026, 12, 14), base_url="http://testserver") in (0, 1)
    assert ColdSurveyRequest.objects.count() == 2 and len(mail.outbox) == 2  # each trainee asked once in all


def test_the_body_reads_rates_averages_and_comments_per_track_and_cohort(client, django_assert_max_num_queries):
    body = make_training_body()
    track = make_track(training_body=body, title="Parcours mesuré")
    cohort = cohort_create(training_body=body, track=track, name="Session Nord", starts_on=date(2026, 3, 1))
    answered = [completed(track, cohort=cohort) for _ in range(3)]
    completed(track)  # completed, not answered, no cohort
    for enrolment, overall in zip(answered, (5, 4, 3)):
        SurveyResponse.objects.create(enrolment=enrolment, kind=SurveyKind.HOT, overall=overall, content=4,
                                      support=5, platform=2, comment="Bien." if overall == 5 else "",
                                      submitted_at=datetime(2026, 6, 2, tzinfo=dt_timezone.utc))
    from lms.learning.models import Enrolment

    with django_assert_max_num_queries(3):
        rows = results(Enrolment.objects.filter(training_body=body), SurveyKind.HOT)
    by_label = {r.label: r for r in rows}
    track_row, cohort_row = by_label["Parcours mesuré"], by_label["Session Nord"]
    assert (track_row.completed, track_row.answers, track_row.response_rate) == (4, 3, 75)
    assert (cohort_row.completed, cohort_row.answers, cohort_row.response_rate) == (3, 3, 100)
    assert track_row.shown["overall"] == "4,0 / 5" and track_row.shown["platform"] == "2,0 / 5"

    tutor = make_staff(training_body=body, role="tutor")
    client.force_login(tutor)
    page = client.get(reverse("survey_results")).content.decode()
    assert "Parcours mesuré" in page and "75 %" in page and "Bien." in page
    csv_rows = list(csv.reader(io.StringIO(client.get(reverse("survey_results_csv")).content.decode("utf-8-sig")),
                               delimiter=";"))
    assert csv_rows[0][:4] == ["Parcours", "Session", "Enquête", "Répondue le"]
    assert len(csv_rows) == 4 and {row[4] for row in csv_rows[1:]} == {"5", "4", "3"}
    assert all(answered[0].trainee.last_name not in ";".join(row) for row in csv_rows)  # no names

    other = make_staff(training_body=make_training_body(), role="manager")
    client.force_login(other)
    assert "Parcours mesuré" not in client.get(reverse("survey_results")).content.decode()
    client.force_login(answered[0].trainee)
    assert client.get(reverse("survey_results")).status_code == 403


def test_the_tracks_public_page_publishes_the_satisfaction_rate_from_five_answers(client):
    from lms.catalog.models import TrainingBodyPage

    body = make_training_body(name="Organisme Satisfait")
    track = make_track(training_body=body)
    for overall in (5, 4, 4, 2):
        SurveyResponse.objects.create(enrolment=completed(track), kind=SurveyKind.HOT, overall=overall, content=4,
                                      support=4, platform=4, submitted_at=datetime(2026, 6, 2, tzinfo=dt_timezone.utc))
    url = TrainingBodyPage.objects.get(training_body=body).url
    assert "trop peu de réponses à l" in client.get(url).content.decode()
    SurveyResponse.objects.create(enrolment=completed(track), kind=SurveyKind.COLD, overall=5, content=4, support=4,
                                  platform=4, applied=5, submitted_at=datetime(2026, 9, 2, tzinfo=dt_timezone.utc))
    assert "trop peu de réponses à l" in client.get(url).content.decode()  # a cold answer does not count here
    SurveyResponse.objects.create(enrolment=completed(track), kind=SurveyKind.HOT, overall=3, content=4, support=4,
                                  platform=4, submitted_at=datetime(2026, 6, 2, tzinfo=dt_timezone.utc))
    page = client.get(url).content.decode()
    assert "60 %" in page and "satisfait·es ou très satisfait·es, sur 5 réponses en fin de formation" in page
