"""Employer portal: own assistants only, status and risk, timeline, declarations, CSV, calendar, reminders."""
import csv
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lms.deadlines.models import DeclaredTraining, ReminderSent
from lms.organisations.models import Employment
from lms.core.cache import trainees_changed
from lms.core.exports import safe_cell
from tests.factories import make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal():
    today = timezone.localdate()
    practice = make_practice(name="Cabinet des Lilas")
    employer = make_employer(practice=practice)
    near = make_trainee(first_name="Proche", last_name="Echeance", practice=practice,
                        hired_on=today - timedelta(days=2 * 365 - 30))
    enrolled = make_trainee(first_name="En", last_name="Formation", practice=practice, hired_on=today - timedelta(days=100))
    make_enrolment(trainee=enrolled, track=make_track(), starts_on=today - timedelta(days=5))
    other_practice = make_practice(name="Cabinet Ailleurs")
    stranger = make_trainee(first_name="Autre", last_name="Cabinet", practice=other_practice)
    return {"employer": employer, "near": near, "enrolled": enrolled, "stranger": stranger,
            "other_employer": make_employer(practice=other_practice), "today": today}


def employment(user):
    return Employment.objects.get(trainee=user)


def test_table_lists_own_assistants_with_deadlines_status_and_risk(client, portal):
    client.force_login(portal["employer"])
    html = client.get(reverse("practice_home")).content.decode()
    assert "Proche Echeance" in html and "En Formation" in html and "Autre Cabinet" not in html
    assert "À inscrire" in html and "En risque" in html and "En formation" in html
    assert "1 assistant·e est en risque." in html
    assert "⚠" in html  # risk shown with an icon and text, not colour alone


def test_filter_by_status_and_sort(client, portal):
    client.force_login(portal["employer"])
    html = client.get(reverse("practice_home"), {"statut": "in_training"}).content.decode()
    assert "En Formation" in html and "Proche Echeance" not in html
    html = client.get(reverse("practice_home"), {"tri": "nom", "ordre": "desc"}).content.decode()
    assert html.index("En Formation") < html.index("Proche Echeance")  # Formation > Echeance
    assert 'aria-sort="descending"' in html


def test_another_practices_assistant_is_never_visible(client, portal):
    client.force_login(portal["other_employer"])
    stranger_id = employment(portal["near"]).pk
    for url in (reverse("employment_detail", args=[stranger_id]), reverse("declaration_create", args=[stranger_id])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("declaration_create", args=[stranger_id]), {}).status_code == 404
    assert "Proche" not in client.get(reverse("employer_csv")).content.decode("utf-8-sig")
    client.force_login(make_trainee())
    assert client.get(reverse("practice_home")).status_code == 403
    assert client.get(reverse("employer_csv")).status_code == 403


def test_timeline_shows_hire_training_and_deadlines(client, portal):
    client.force_login(portal["employer"])
    html = client.get(reverse("employment_detail", args=[employment(portal["enrolled"]).pk])).content.decode()
    for text in ("Recrutement par Cabinet des Lilas", "Début de formation", "Échéance d&#x27;entrée en formation",
                 "Échéance d&#x27;obtention de la qualification", "Avenant 7 — art. 9-2"):
        assert text in html
    assert '<span aria-hidden="true">●</span> En formation' in html  # the status: an icon and its label


def test_training_body_of_the_trainee_does_not_open_the_practices_record(client, portal):
    """The employment belongs to the practice: the body reads deadlines on its own pages
    (tests/reports/test_employment_ownership.py)."""
    enrolment = portal["enrolled"].enrolments.get()
    client.force_login(make_staff(training_body=enrolment.training_body, role="tutor"))
    assert client.get(reverse("employment_detail", args=[employment(portal["enrolled"]).pk])).status_code == 404
    assert client.get(reverse("employment_detail", args=[employment(portal["near"]).pk])).status_code == 404


def pdf_upload(name="attestation.pdf", content=b"%PDF-1.4\n%test\n%%EOF\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_declared_qualification_counts_and_is_marked_declared(client, portal):
    client.force_login(portal["employer"])
    target = employment(portal["near"])
    response = client.post(reverse("declaration_create", args=[target.pk]), {
        "kind": "qualification", "occurred_on": (portal["today"] - timedelta(days=10)).isoformat(),
        "organisation": "CFA Santé", "evidence": pdf_upload()})
    assert response.status_code == 302
    html = client.get(reverse("practice_home")).content.decode()
    assert "Qualifié·e" in html and "(déclarée)" in html


@pytest.mark.parametrize("upload,message", [
    (SimpleUploadedFile("faux.pdf", b"MZ\x90\x00 not a pdf"), "PDF, PNG ou JPEG"),
    (SimpleUploadedFile("script.exe", b"%PDF-1.4"), "extension"),
    (SimpleUploadedFile("enorme.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1)), "trop volumineux"),
])
def test_bad_evidence_is_refused_and_nothing_saved(client, portal, upload, message):
    client.force_login(portal["employer"])
    response = client.post(reverse("declaration_create", args=[employment(portal["near"]).pk]), {
        "kind": "start", "occurred_on": "2025-01-01", "organisation": "X", "evidence": upload})
    assert response.status_code == 200 and message in response.content.decode()
    assert not DeclaredTraining.objects.exists()


def test_future_declaration_date_is_refused(client, portal):
    client.force_login(portal["employer"])
    response = client.post(reverse("declaration_create", args=[employment(portal["near"]).pk]), {
        "kind": "start", "occurred_on": (portal["today"] + timedelta(days=3)).isoformat(), "organisation": "X",
        "evidence": pdf_upload()})
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not DeclaredTraining.objects.exists()


def test_csv_opens_in_french_excel_and_neutralises_formulas(client, portal):
    portal["near"].last_name = "=HYPERLINK(\"http://evil\")"
    portal["near"].save()
    client.force_login(portal["employer"])
    response = client.get(reverse("employer_csv"))
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nom", "Prénom", "Adresse e-mail"]
    assert any(row[0] == "'=HYPERLINK(\"http://evil\")" for row in rows[1:])
    assert len(rows) == 3


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"), ("@SUM", "'@SUM"),
                                            ("Dupont", "Dupont"), (5, "5"), (None, "")])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_calendar_feed_is_private_and_revocable(client, portal):
    client.force_login(portal["employer"])
    html = client.post(reverse("calendar_settings"), {"action": "create"}).content.decode()
    url = html.split('readonly value="')[1].split('"')[0]
    path = url.replace("http://testserver", "")
    client.logout()
    feed = client.get(path)
    body = feed.content.decode()
    assert feed["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == 3  # 2 for the near one, 1 enrolled
    assert "Proche Echeance" in body.replace("\r\n ", "") and "Autre" not in body
    client.force_login(portal["employer"])
    asked = client.post(reverse("calendar_settings"), {"action": "revoke"}).content.decode()
    assert "Révoquer l&#x27;adresse" in asked and 'name="action" value="revoke"' in asked
    assert client.get(path).status_code == 200  # asked, not yet revoked
    client.post(reverse("calendar_settings"), {"action": "revoke", "confirmed": "yes"})
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get("/calendrier/devine.ics").status_code == 404


def test_reminders_go_out_exactly_once(portal):
    near = portal["near"]

    def to_near():
        return [m for m in mail.outbox if near.email in m.to]

    out = io.StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert len(to_near()) == 1
    assert set(to_near()[0].to) == {near.email, portal["employer"].email}
    assert "Proche Echeance : échéance dans 30 jours" in to_near()[0].subject
    assert "au plus tard le" in to_near()[0].body and "Avenant 7 — art. 9-2" in to_near()[0].body
    total = len(mail.outbox)
    call_command("send_deadline_reminders", stdout=io.StringIO())
    call_command("send_deadline_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == total
    later = (portal["today"] + timedelta(days=31)).isoformat()
    call_command("send_deadline_reminders", f"--today={later}", stdout=io.StringIO())
    assert len(to_near()) == 2 and "dépassée" in to_near()[-1].subject
    call_command("send_deadline_reminders", f"--today={later}", stdout=io.StringIO())
    assert len(to_near()) == 2
    assert ReminderSent.objects.filter(employment__trainee=near, threshold=0).count() == 1


def test_trainee_sees_own_deadlines_on_my_track(client, portal):
    client.force_login(portal["enrolled"])
    html = client.get(reverse("my_track")).content.decode()
    assert "Mes échéances" in html and "Qualification avant le" in html and "Cabinet des Lilas" in html


def test_my_track_shows_the_earliest_declared_start_and_qualification(client, portal, django_assert_max_num_queries):
    near, today = portal["near"], portal["today"]
    for kind, days_ago in (("start", 200), ("start", 300), ("qualification", 20), ("qualification", 10)):
        DeclaredTraining.objects.create(trainee=near, kind=kind, occurred_on=today - timedelta(days=days_ago),
                                        organisation="Organisme extérieur", evidence="declarations/x.pdf")
    DeclaredTraining.objects.create(trainee=portal["stranger"], kind="qualification", occurred_on=today - timedelta(days=400),
                                    organisation="Ailleurs", evidence="declarations/y.pdf")
    client.force_login(near)
    client.get(reverse("my_track"))
    with django_assert_max_num_queries(5):
        html = client.get(reverse("my_track")).content.decode()
    from django.utils.formats import date_format

    started, obtained = today - timedelta(days=300), today - timedelta(days=20)
    assert f"respectée le {date_format(started, 'j F Y')}" in html  # the enrolment deadline met (issue 15, point 2)
    assert f"obtenue le {date_format(obtained, 'j F Y')}" in html
    assert date_format(today - timedelta(days=200), "j F Y") not in html  # a later start does not count
    assert date_format(today - timedelta(days=10), "j F Y") not in html
    assert date_format(today - timedelta(days=400), "j F Y") not in html  # someone else's


def test_my_track_asks_for_declared_dates_only_of_a_trainee_who_declared(client, portal,
                                                                     django_capture_on_commit_callbacks):
    """The dates of declared trainings are one query, asked only when the trainee declared something (most did
    not); the employments' query says which (an EXISTS on the declarations)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def declared_dates_queries(user):
        client.force_login(user)
        client.get(reverse("my_track"))
        with django_capture_on_commit_callbacks(execute=True):
            trainees_changed([user.pk])  # the page kept in the cache is built again, as after a change of her rows
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("my_track")).content.decode()
        assert "Mes échéances" in html
        return [q["sql"] for q in queries.captured_queries if 'MIN("deadlines_declaredtraining"' in q["sql"]]

    near, today = portal["near"], portal["today"]
    assert declared_dates_queries(near) == []
    DeclaredTraining.objects.create(trainee=portal["stranger"], kind="start", occurred_on=today - timedelta(days=30),
                                    organisation="Ailleurs", evidence="declarations/y.pdf")
    assert declared_dates_queries(near) == []  # someone else's declaration asks nothing of hers
    DeclaredTraining.objects.create(trainee=near, kind="start", occurred_on=today - timedelta(days=30),
                                    organisation="Organisme extérieur", evidence="declarations/x.pdf")
    assert len(declared_dates_queries(near)) == 1


def test_training_body_report_lists_learners_at_risk_soonest_first(client):
    today = timezone.localdate()
    track = make_track()
    late = make_trainee(first_name="Tres", last_name="Tard", practice=make_practice(), hired_on=today - timedelta(days=3 * 365 - 20))
    make_enrolment(trainee=late, track=track, starts_on=today - timedelta(days=300))
    later = make_trainee(first_name="Moins", last_name="Tard", practice=make_practice(), hired_on=today - timedelta(days=3 * 365 - 60))
    make_enrolment(trainee=later, track=track, starts_on=today - timedelta(days=300))
    fine = make_trainee(first_name="Bien", last_name="Parti", practice=make_practice(), hired_on=today - timedelta(days=30))
    make_enrolment(trainee=fine, track=track, starts_on=today)
    client.force_login(make_staff(training_body=track.training_body, role="tutor"))
    html = client.get(reverse("training_body_deadlines")).content.decode()
    assert html.index("Tres Tard") < html.index("Moins Tard") and "Bien Parti" not in html
    client.force_login(make_staff())
    assert "Tres Tard" not in client.get(reverse("training_body_deadlines")).content.decode()


def test_employer_table_queries_do_not_grow_with_assistants(client, django_assert_max_num_queries):
    practice = make_practice()
    employer = make_employer(practice=practice)
    track = make_track()
    for i in range(30):
        trainee = make_trainee(practice=practice, hired_on=date(2025, 1, 1) + timedelta(days=i))
        if i % 2:
            make_enrolment(trainee=trainee, track=track)
    client.force_login(employer)
    client.get(reverse("practice_home"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("practice_home")).status_code == 200


def test_dry_run_sends_and_records_nothing(portal):
    out = io.StringIO()
    call_command("send_deadline_reminders", "--dry-run", stdout=out)
    assert "would send enrolment J-30" in out.getvalue() and "dry run" in out.getvalue()
    assert not mail.outbox and not ReminderSent.objects.exists()


def test_refused_mail_is_not_recorded_and_retried_next_run(portal, monkeypatch):
    from smtplib import SMTPRecipientsRefused

    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def refuse(self, *args, **kwargs):
        raise SMTPRecipientsRefused({"x@example.org": (550, b"refused")})

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    call_command("send_deadline_reminders", stdout=io.StringIO())
    assert not ReminderSent.objects.exists()
    monkeypatch.setattr(EmailMultiAlternatives, "send", original)
    call_command("send_deadline_reminders", stdout=io.StringIO())
    assert ReminderSent.objects.filter(employment__trainee=portal["near"]).count() == 1
    message = next(m for m in mail.outbox if portal["near"].email in m.to)
    assert message.alternatives and "<html" in message.alternatives[0][0]


def test_employer_chooses_thresholds_but_missed_notice_always_goes(client, portal):
    client.force_login(portal["employer"])
    client.post(reverse("reminder_settings"), {"thresholds": ["180", "7"]})
    call_command("send_deadline_reminders", stdout=io.StringIO())
    near_mail = next(m for m in mail.outbox if portal["near"].email in m.to)
    assert portal["employer"].email not in near_mail.to  # J-30 is not among the chosen thresholds
    later = (portal["today"] + timedelta(days=31)).isoformat()
    call_command("send_deadline_reminders", f"--today={later}", stdout=io.StringIO())
    missed = [m for m in mail.outbox if "dépassée" in m.subject and portal["near"].email in m.to]
    assert missed and portal["employer"].email in missed[0].to


def test_training_body_learner_page_shows_its_own_training_not_others(client, portal):
    """A body that enrols a trainee does not learn what other bodies or the employer recorded."""
    enrolled = portal["enrolled"]
    other_body_track = make_track(title="Parcours d'un autre organisme")
    make_enrolment(trainee=enrolled, track=other_body_track)
    DeclaredTraining.objects.create(trainee=enrolled, employment=employment(enrolled), kind="start",
                                    occurred_on=portal["today"] - timedelta(days=50), organisation="Organisme déclaré",
                                    evidence="declarations/x.pdf")
    own = enrolled.enrolments.exclude(track=other_body_track).get()
    client.force_login(make_staff(training_body=own.training_body, role="tutor"))
    html = client.get(reverse("learner_detail", args=[own.pk])).content.decode()
    assert own.track.title in html and "Parcours d&#x27;un autre organisme" not in html
    assert "Organisme déclaré" not in html and "Qualification avant le" in html
