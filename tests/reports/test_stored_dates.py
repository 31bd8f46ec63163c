"""Dates at the calendar's end: refused where they are typed, and a page never fails on one already stored.

A training start of 31/12/9999 used to be accepted, and then every page computing a planned end answered 500.
"""
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.deadlines.models import DeclaredTraining
from lms.deadlines.services import calendar_token_create
from lms.learning.models import Cohort, Enrolment
from lms.organisations.models import Employment, Invitation
from tests.factories import make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db
LAST_DAY = date(9999, 12, 31)


@pytest.fixture(params=["days", "months"])
def far_start(request):
    """A trainee employed by a practice, enrolled by a body on a start of 31/12/9999 (12-day or 4-month track)."""
    practice = make_practice()
    trainee = make_trainee(first_name="Lointaine", last_name="Date", practice=practice,
                           hired_on=timezone.localdate() - timedelta(days=200))
    track = make_track(modules=1, lessons=1, duration_value=12 if request.param == "days" else 4,
                       duration_unit=request.param)
    enrolment = make_enrolment(trainee=trainee, track=track, starts_on=LAST_DAY)
    return {"trainee": trainee, "employer": make_employer(practice=practice), "enrolment": enrolment,
            "staff": make_staff(training_body=track.training_body), "track": track,
            "employment": Employment.objects.get(trainee=trainee)}


def pages(world):
    """Every page that computes a planned end or a deadline, by who may open it."""
    enrolment, employment = world["enrolment"], world["employment"]
    return {
        "employer": [reverse("practice_home"), reverse("employer_csv"),
                     reverse("employment_detail", args=[employment.pk]),
                     reverse("calendar_feed", args=[calendar_token_create(user=world["employer"])])],
        "staff": [reverse("enrolment_list"), reverse("training_body_deadlines"),
                  reverse("learner_detail", args=[enrolment.pk]),
                  reverse("attendance_download", args=[enrolment.pk, "csv"]),
                  reverse("attendance_download", args=[enrolment.pk, "pdf"])],
        "trainee": [reverse("my_track"), reverse("track_outline", args=[world["track"].pk]), reverse("my_data")],
    }


def test_a_stored_start_on_the_last_day_never_fails_a_page(client, far_start):
    for role, urls in pages(far_start).items():
        client.force_login(far_start[role])
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    client.force_login(far_start["employer"])
    html = client.get(reverse("employment_detail", args=[far_start["employment"].pk])).content.decode()
    assert "31 décembre 9999" in html  # the planned end, clamped to the calendar's last day


def test_other_stored_dates_on_the_last_day_never_fail_a_page(client, far_start):
    """A hire date, a cohort's end and a declaration on 31/12/9999 (stored before the bounds, or by hand)."""
    enrolment = far_start["enrolment"]
    Enrolment.objects.filter(pk=enrolment.pk).update(
        starts_on=date(2026, 1, 5), cohort=Cohort.objects.create(training_body=enrolment.training_body,
                                                                 track=enrolment.track, name="Fin des temps",
                                                                 starts_on=date(2026, 1, 5), ends_on=LAST_DAY))
    Employment.objects.filter(pk=far_start["employment"].pk).update(hired_on=LAST_DAY)
    DeclaredTraining.objects.create(trainee=far_start["trainee"], kind="start", occurred_on=LAST_DAY,
                                    organisation="Ailleurs", declared_by=far_start["employer"])
    for role, urls in pages(far_start).items():
        client.force_login(far_start[role])
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)


def test_a_start_on_the_last_day_is_refused_where_it_is_typed(client):
    """Enrolment, import (form and file), cohort, invitation and declaration: a French field error, nothing written."""
    staff = make_staff()
    body = staff.training_body_memberships.get().training_body
    track = make_track(training_body=body)
    client.force_login(staff)
    message = "Saisissez une date comprise entre le 1er janvier 2000 et le"
    response = client.post(reverse("enrolment_create"), {
        "email": "loin@example.org", "first_name": "Loin", "last_name": "Tain", "entry_profile": "secretary",
        "track": track.pk, "starts_on": "9999-12-31"})
    assert response.status_code == 200 and message in response.content.decode()
    response = client.post(reverse("cohort_list"), {"name": "Session", "track": track.pk, "starts_on": "2026-03-02",
                                                    "ends_on": "31/12/9999"})
    assert response.status_code == 200 and message in response.content.decode()
    csv = SimpleUploadedFile("import.csv", "email;prenom;nom;profil;debut\nloin@example.org;Loin;Tain;secrétaire;"
                                           "31/12/9999\n".encode())
    response = client.post(reverse("enrolment_import"), {"file": csv, "starts_on": "2026-03-02"})
    assert "debut : " + message in response.content.decode()
    client.post(reverse("enrolment_import"), {"confirm": "1"})
    response = client.post(reverse("enrolment_import"), {"file": SimpleUploadedFile("i.csv", b"email;prenom;nom;profil\n"),
                                                         "starts_on": "9999-12-31"})
    assert message in response.content.decode()
    assert not Enrolment.objects.exists() and not Cohort.objects.exists()

    employer = make_employer()
    trainee = make_trainee(practice=employer.practice_memberships.get().practice)
    client.force_login(employer)
    response = client.post(reverse("practice_invite"), {
        "practice": employer.practice_memberships.get().practice_id, "first_name": "A", "last_name": "B",
        "email": "b@example.org", "entry_profile": "secretary", "hired_on": "9999-12-31", "working_time": "full"})
    assert "La date de recrutement ne peut pas dépasser d&#x27;un an" in response.content.decode()
    response = client.post(reverse("declaration_create", args=[Employment.objects.get(trainee=trainee).pk]), {
        "kind": "start", "occurred_on": "0001-01-01", "organisation": "X",
        "evidence": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")})
    assert message in response.content.decode()
    assert not Invitation.objects.exists() and not DeclaredTraining.objects.exists()


def test_stored_dates_on_the_first_day_never_fail_a_page(client, far_start):
    """A start, a hire date and a declaration on 01/01/0001: the attendance record built a datetime from the start,
    which the database could not store in UTC."""
    Enrolment.objects.filter(pk=far_start["enrolment"].pk).update(starts_on=date.min)
    Employment.objects.filter(pk=far_start["employment"].pk).update(hired_on=date.min)
    DeclaredTraining.objects.create(trainee=far_start["trainee"], kind="qualification", occurred_on=date.min,
                                    organisation="Ailleurs", declared_by=far_start["employer"])
    for role, urls in pages(far_start).items():
        client.force_login(far_start[role])
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
