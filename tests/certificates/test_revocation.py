"""Revocation means revoked: PDF, statuses, reminders, confirmation, public page, trainee's page, re-issue."""
import csv
import hashlib
import io
from datetime import datetime, time, timedelta, timezone as dt_timezone

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from lms.certificates.models import Certificate, CertificateLog
from lms.certificates.services import certificate_revoke
from lms.core.display import long_date
from lms.deadlines.selectors import employment_rows, unsettled
from lms.deadlines.services import reminders_send
from lms.organisations.models import Employment
from tests.certificates.test_certificates import complete, pdf_text
from tests.factories import (make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee,
                             record_result)

pytestmark = pytest.mark.django_db

REASON = "Fraude constatée à l'évaluation finale"


def french_date(day):
    with translation.override("fr"):
        return long_date(day)


@pytest.fixture
def world():
    """A trainee of a practice who completed a certification track (so holds a certificate) and whose result the body
    recorded (so qualified); the body's manager; the employer."""
    today = timezone.localdate()
    practice = make_practice()
    trainee = make_trainee(first_name="Inès", last_name="Moreau", practice=practice,
                           hired_on=today - timedelta(days=400))
    enrolment = complete(make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=2, certification=True),
                                        starts_on=today - timedelta(days=30)))
    record_result(enrolment, obtained_on=today)
    body = enrolment.training_body
    return {"today": today, "practice": practice, "trainee": trainee, "enrolment": enrolment,
            "certificate": Certificate.objects.get(enrolment=enrolment),
            "manager": make_staff(training_body=body, role="manager"),
            "tutor": make_staff(training_body=body, role="tutor"),
            "employer": make_employer(practice=practice)}


def revoke(world, *, now=None):
    """Revoke the world's certificate late in the evening (UTC): the next day in Paris, the date shown."""
    issued = world["certificate"].issued_at
    now = now or datetime.combine(issued.date() + timedelta(days=3), time(23, 30), tzinfo=dt_timezone.utc)
    certificate = certificate_revoke(certificate=world["certificate"], by=world["manager"], reason=REASON, now=now)
    return certificate, french_date(timezone.localdate(now))


def download(client, user, certificate):
    client.force_login(user)
    return client.get(reverse("certificate_download", args=[certificate.pk]))


def test_after_revocation_trainee_and_body_get_a_copy_stamped_revoked_with_the_date(client, world):
    """The stored original is never served again: the copy says 'RÉVOQUÉE' and the (Paris) date of revocation."""
    original = world["certificate"].pdf.read()
    assert download(client, world["trainee"], world["certificate"]).content == original
    certificate, revoked_on = revoke(world)
    assert revoked_on.startswith(str((certificate.issued_at + timedelta(days=4)).day))  # 23:30 UTC is tomorrow in Paris
    for user in (world["trainee"], world["tutor"]):
        response = download(client, user, certificate)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        data = response.content
        assert data != original
        assert response["X-Content-SHA256"] == hashlib.sha256(data).hexdigest() != certificate.pdf_sha256
        text = pdf_text(data)
        assert "RÉVOQUÉE" in text and revoked_on in text
        assert certificate.trainee_name in text and certificate.code in text  # still the same certificate
        assert REASON not in text
    certificate.pdf.open("rb")
    assert hashlib.sha256(certificate.pdf.read()).hexdigest() == certificate.pdf_sha256  # the original, kept as issued


def test_after_revocation_the_practice_is_refused_the_pdf(client, world):
    """The employer gets a 410 page saying since when it is revoked, without the reason, and no PDF."""
    assert download(client, world["employer"], world["certificate"]).status_code == 200
    certificate, revoked_on = revoke(world)
    response = download(client, world["employer"], certificate)
    assert response.status_code == 410 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert f"Révoquée le {revoked_on}" in html and "ne peut plus être téléchargée" in html
    assert "évaluation finale" not in html


def status_cells(html):
    return html.count('class="deadline-status deadline-qualified"')


def test_employer_table_and_csv_no_longer_show_qualified_nor_a_download_link(client, world):
    client.force_login(world["employer"])
    url = reverse("certificate_download", args=[world["certificate"].pk])
    html = client.get(reverse("practice_home")).content.decode()
    assert status_cells(html) == 1 and url in html and ">Télécharger<" in html  # before: qualified, downloadable
    revoke(world)
    html = client.get(reverse("practice_home")).content.decode()
    assert "Inès Moreau" in html
    assert status_cells(html) == 0 and 'class="deadline-status deadline-in_training"' in html
    assert url not in html and ">Télécharger<" not in html
    assert "Inès Moreau" not in client.get(reverse("practice_home"), {"statut": "qualified"}).content.decode()
    rows = list(csv.reader(io.StringIO(client.get(reverse("employer_csv")).content.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows if "Moreau" in r)
    assert "Qualifié·e" not in row and "En formation" in row
    employment = Employment.objects.get(trainee=world["trainee"])
    html = client.get(reverse("employment_detail", args=[employment.pk])).content.decode()
    assert f"Attestation révoquée : {world['certificate'].track_title}" in html  # why the track no longer counts


def test_deadline_status_falls_back_to_in_training_or_overdue(world):
    """A revoked certificate withdraws the completion and the result recorded on it: the status is computed from the
    dates (in training, not "training completed")."""
    today, employment = world["today"], Employment.objects.get(trainee=world["trainee"])
    assert employment_rows([employment], today)[0].deadline.status == "qualified"
    assert not unsettled(Employment.objects.filter(pk=employment.pk), today).exists()
    revoke(world)
    row = employment_rows([employment], today)[0]
    assert (row.deadline.status, row.qualified_on) == ("in_training", None)
    assert unsettled(Employment.objects.filter(pk=employment.pk), today).exists()  # back in the at-risk report
    Employment.objects.filter(pk=employment.pk).update(hired_on=today - timedelta(days=4 * 365))
    employment.refresh_from_db()
    assert employment_rows([employment], today)[0].deadline.status == "qualification_overdue"


def test_trainee_sees_the_revocation_its_date_and_reason_and_no_qualification(client, world,
                                                                               django_capture_on_commit_callbacks):
    client.force_login(world["trainee"])
    html = client.get(reverse("my_track")).content.decode()
    assert "obtenue le" in html  # 'Mes échéances': qualification obtained
    with django_capture_on_commit_callbacks(execute=True):  # the page kept in the cache is built again at the commit
        certificate, revoked_on = revoke(world)
    html = client.get(reverse("my_track")).content.decode()
    assert f"Révoquée le {revoked_on}" in html and "Fraude constatée à l&#x27;évaluation finale" in html
    assert "obtenue le" not in html and "Qualification avant le" in html
    assert "tamponnée « révoquée »" in html  # the stamped copy stays within reach of its holder


def test_qualification_reminders_resume_after_revocation():
    """Qualified: nothing is due. Revoked: the qualification reminder goes again, once."""
    today = timezone.localdate()
    practice = make_practice()
    make_employer(practice=practice)
    trainee = make_trainee(practice=practice, hired_on=today - timedelta(days=3 * 365 - 20))
    enrolment = complete(make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=1, certification=True),
                                        starts_on=today - timedelta(days=60)))
    record_result(enrolment, obtained_on=today)
    assert reminders_send(today=today, base_url="http://testserver") == 0
    certificate_revoke(certificate=Certificate.objects.get(enrolment=enrolment), by=make_staff(), reason=REASON)
    assert reminders_send(today=today, base_url="http://testserver") == 1
    assert trainee.email in mail.outbox[-1].to
    assert reminders_send(today=today, base_url="http://testserver") == 0


def test_revoking_asks_for_confirmation_then_revokes_once(client, world):
    """GET shows the reason field and changes nothing; a POST revokes; a second POST changes nothing."""
    certificate = world["certificate"]
    url = reverse("certificate_revoke", args=[certificate.pk])
    client.force_login(world["manager"])
    detail = client.get(reverse("certificate_detail", args=[certificate.pk])).content.decode()
    assert f'href="{url}"' in detail and f'action="{url}"' not in detail  # a link to the confirmation, not a form
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and 'name="reason"' in html and 'method="post"' in html
    assert certificate.code in html and "Inès Moreau" in html
    certificate.refresh_from_db()
    assert certificate.status == "valid" and not CertificateLog.objects.filter(action="revoked").exists()
    for bad in ("  ", "Motif\x00caché"):  # blank, or a NUL byte (a 500 on PostgreSQL if it reached the database)
        response = client.post(url, {"reason": bad})
        assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    assert client.post(url, {"reason": REASON}).status_code == 302
    certificate.refresh_from_db()
    first = (certificate.status, certificate.revoked_at, certificate.revocation_reason)
    assert first[0] == "revoked" and first[2] == REASON
    response = client.post(url, {"reason": "Autre motif"}, follow=True)
    assert response.status_code == 200 and "déjà été révoquée" in response.content.decode()
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_at, certificate.revocation_reason) == first
    assert CertificateLog.objects.filter(certificate=certificate, action="revoked").count() == 1
    client.force_login(world["tutor"])  # only a manager revokes, and only a manager sees the confirmation page
    assert client.get(url).status_code == 403


def test_public_page_says_revoked_and_since_when_but_not_why(client, world):
    certificate, revoked_on = revoke(world)
    html = client.get(reverse("certificate_verify", args=[certificate.code])).content.decode()
    assert "Attestation révoquée" in html and f"Révoquée le {revoked_on}." in html
    assert "évaluation finale" not in html and "Fraude" not in html and "Motif" not in html


def test_reissue_after_revocation_keeps_the_revocation_in_the_history_and_on_the_old_page(client, world):
    old, revoked_on = revoke(world)
    client.force_login(world["manager"])
    detail = client.get(reverse("certificate_detail", args=[old.pk])).content.decode()
    assert reverse("certificate_reissue", args=[old.pk]) in detail  # a revoked certificate can be re-issued
    response = client.post(reverse("certificate_reissue", args=[old.pk]), {"reason": "Évaluation repassée"})
    new = Certificate.objects.get(enrolment=world["enrolment"], status="valid")
    assert response.status_code == 302 and response["Location"] == reverse("certificate_detail", args=[new.pk])
    old.refresh_from_db()
    assert (old.status, old.superseded_by, old.revocation_reason) == ("superseded", new, REASON)
    assert old.revoked_at is not None
    # The old code's public page: still revoked, since when, replaced (the new one is valid: linked), no reason.
    html = client.get(reverse("certificate_verify", args=[old.code])).content.decode()
    assert "Attestation révoquée" in html and f"Révoquée le {revoked_on}." in html
    assert "remplacée par une nouvelle attestation" in html
    assert reverse("certificate_verify", args=[new.code]) in html
    assert "Fraude" not in html and "repassée" not in html
    # The body's history, from the new certificate's page: issued, revoked (with its reason), replaced, re-issued.
    html = client.get(reverse("certificate_detail", args=[new.pk])).content.decode()
    history = html[html.index("Historique"):]
    for text in ("Délivrée", "Révoquée", "Fraude constatée à l&#x27;évaluation finale", "Remplacée par une nouvelle",
                 f"→ <code>{new.code}</code>", old.code, "Évaluation repassée"):
        assert text in history, text
    assert history.index("Révoquée") < history.index("Remplacée par une nouvelle")
    # The old PDF stays stamped; the new one is the valid certificate, and the qualification counts again.
    client.force_login(world["trainee"])
    assert "RÉVOQUÉE" in pdf_text(client.get(reverse("certificate_download", args=[old.pk])).content)
    assert "RÉVOQUÉE" not in pdf_text(client.get(reverse("certificate_download", args=[new.pk])).content)
    employment = Employment.objects.get(trainee=world["trainee"])
    assert employment_rows([employment], world["today"])[0].deadline.status == "qualified"
