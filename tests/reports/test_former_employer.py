"""A former employer sees the past, not the present (issue 13, points 3 and 16).

Once an employment has ended, the former practice keeps what happened up to the end date but sees nothing after
it: not the assistant's later enrolments, progress, the new practice's declarations, nor certificates issued
after the end; it can no longer declare anything dated after the end, and what it declares after the end stays on
its own record: it never makes the assistant qualified for the new practice. The new practice and the assistant
still see everything.
"""
import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.catalog.models import LessonPage
from lms.certificates.models import Certificate
from lms.deadlines.models import DeclaredTraining
from lms.learning.models import Enrolment, LessonCompletion, QualificationResult
from lms.learning.services import lesson_complete
from lms.organisations.models import Employment
from tests.factories import (make_employer, make_enrolment, make_practice, make_track, make_trainee, make_training_body,
                             record_result)

pytestmark = pytest.mark.django_db

FIRST_TRACK = "Parcours commencé avant le départ"
LATER_TRACK = "Parcours commencé après le départ"
NEW_DECLARATION = "Organisme déclaré par le nouveau cabinet"


def evidence():
    return SimpleUploadedFile("attestation.pdf", b"%PDF-1.4\n%test\n%%EOF\n", content_type="application/pdf")


def at(day):
    """Noon of a local day, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def declare(client, employment, *, kind, occurred_on, organisation):
    return client.post(reverse("declaration_create", args=[employment.pk]), {
        "kind": kind, "occurred_on": occurred_on.isoformat(), "organisation": organisation, "evidence": evidence()})


@pytest.fixture
def moved(client):
    """Maud left the Cabinet Ancien two years ago and works at the Cabinet Nouveau since.

    She started a track while at the old practice (one lesson of four done before leaving), finished it
    twenty days ago (certificate issued then, and the certification's result recorded), started a second track after leaving; the new practice declared
    a training start dated after she left.
    """
    today = timezone.localdate()
    left_on = today - timedelta(days=730)
    old_practice, new_practice = make_practice(name="Cabinet Ancien"), make_practice(name="Cabinet Nouveau")
    trainee = make_trainee(first_name="Maud", last_name="Partie")
    old = Employment.objects.create(trainee=trainee, practice=old_practice, hired_on=today - timedelta(days=1000),
                                    ended_on=left_on, working_time="full")
    new = Employment.objects.create(trainee=trainee, practice=new_practice, hired_on=left_on + timedelta(days=30),
                                    working_time="half")
    body = make_training_body()
    first = make_enrolment(trainee=trainee, track=make_track(training_body=body, title=FIRST_TRACK, modules=1,
                                                             lessons=4, certification=True),
                           starts_on=left_on - timedelta(days=60))
    lessons = list(LessonPage.objects.descendant_of(first.track).order_by("path"))
    for i, lesson in enumerate(lessons):
        lesson_complete(enrolment=first, lesson=lesson)
        LessonCompletion.objects.filter(enrolment=first, lesson=lesson).update(
            completed_at=at(left_on - timedelta(days=10) if i == 0 else today - timedelta(days=20 + len(lessons) - i)))
    first.refresh_from_db()
    assert first.status == "completed"
    Enrolment.objects.filter(pk=first.pk).update(completed_at=at(today - timedelta(days=20)))
    certificate = Certificate.objects.get(enrolment=first)
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=at(today - timedelta(days=20)))
    record_result(first, obtained_on=today - timedelta(days=20))  # the CQP's jury, after she left: qualified
    later = make_enrolment(trainee=trainee, track=make_track(training_body=body, title=LATER_TRACK),
                           starts_on=today - timedelta(days=100))
    old_employer, new_employer = make_employer(practice=old_practice), make_employer(practice=new_practice)
    client.force_login(new_employer)
    assert declare(client, new, kind="start", occurred_on=left_on + timedelta(days=100),
                   organisation=NEW_DECLARATION).status_code == 302
    client.logout()
    return {"today": today, "left_on": left_on, "trainee": trainee, "old": old, "new": new, "first": first,
            "later": later, "certificate": certificate, "old_employer": old_employer, "new_employer": new_employer}


def row_of(html, name="Maud Partie"):
    """The table row (<tr>…</tr>) that names the assistant."""
    start = html.index(name)
    return html[html.rindex("<tr", 0, start):html.index("</tr>", start)]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_former_practice_table_stops_at_the_end_date(client, moved):
    """Table: the track started before leaving with the progress of that day, 'employment ended', no
    certificate; nothing of the later track."""
    client.force_login(moved["old_employer"])
    html = client.get(reverse("practice_home")).content.decode()
    row = row_of(html)
    assert FIRST_TRACK in row and "25 %" in row
    assert "deadline-ended" in row and "deadline-qualified" not in row
    assert LATER_TRACK not in html
    assert reverse("certificate_download", args=[moved["certificate"].pk]) not in html


def test_former_practice_export_stops_at_the_end_date(client, moved):
    client.force_login(moved["old_employer"])
    rows = csv_rows(client.get(reverse("employer_csv")))
    header, (row,) = rows[0], rows[1:]
    cells = dict(zip(header, row))
    assert cells["Parcours"] == FIRST_TRACK and cells["Progression (%)"] == "25"
    assert cells["Statut"] == "Emploi terminé"
    assert LATER_TRACK not in "".join(row)


def test_former_practice_timeline_stops_at_the_end_date(client, moved):
    """Timeline: hire, the start of the first track and the end of employment; not its completion after the
    end, not the later track, not the new practice's declaration."""
    client.force_login(moved["old_employer"])
    response = client.get(reverse("employment_detail", args=[moved["old"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Début de formation : {FIRST_TRACK}" in html and "Fin de l&#x27;emploi" in html
    assert "Parcours terminé" not in html and LATER_TRACK not in html and NEW_DECLARATION not in html
    assert "Emploi terminé" in html and "Qualifié·e" not in html
    assert "25 %" in html


def test_former_practice_cannot_download_a_certificate_issued_after_the_end(client, moved):
    client.force_login(moved["old_employer"])
    assert client.get(reverse("certificate_download", args=[moved["certificate"].pk])).status_code == 404


def test_former_practice_may_download_a_certificate_issued_while_employed(client, moved):
    """What happened up to the end date stays in the former practice's records."""
    Certificate.objects.filter(pk=moved["certificate"].pk).update(issued_at=at(moved["left_on"]))
    client.force_login(moved["old_employer"])
    response = client.get(reverse("certificate_download", args=[moved["certificate"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_former_practice_cannot_declare_after_the_end(client, moved):
    """A date after the end of the employment is refused with a field error, nothing written."""
    client.force_login(moved["old_employer"])
    before = DeclaredTraining.objects.count()
    response = declare(client, moved["old"], kind="qualification", occurred_on=moved["today"] - timedelta(days=5),
                       organisation="CFA de complaisance")
    assert response.status_code == 200
    assert "postérieure à la fin de cet emploi" in response.content.decode()
    assert DeclaredTraining.objects.count() == before


def test_former_practice_declaration_does_not_qualify_the_assistant_for_the_new_practice(client, moved):
    """Filed after the end (for its own records, dated while she worked there), a former practice's
    declaration shows on its own record but never turns the new practice's row to qualified."""
    Certificate.objects.all().delete()
    QualificationResult.objects.all().delete()
    Enrolment.objects.filter(pk=moved["first"].pk).update(status="active", completed_at=None)
    client.force_login(moved["old_employer"])
    response = declare(client, moved["old"], kind="qualification", occurred_on=moved["left_on"] - timedelta(days=1),
                       organisation="CFA du cabinet ancien")
    assert response.status_code == 302
    assert "deadline-qualified" in row_of(client.get(reverse("practice_home")).content.decode())
    client.force_login(moved["new_employer"])
    row = row_of(client.get(reverse("practice_home")).content.decode())
    assert "deadline-qualified" not in row and "deadline-in_training" in row
    html = client.get(reverse("employment_detail", args=[moved["new"].pk])).content.decode()
    assert "CFA du cabinet ancien" not in html and "Qualifié·e" not in html
    client.force_login(moved["trainee"])
    html = client.get(reverse("my_track")).content.decode()
    assert "deadline-qualified" in html and "deadline-in_training" in html  # one row per employment


def test_a_declaration_made_while_employed_counts_for_the_new_practice(client, moved):
    """Qualification is a fact about the person: declared by the practice while it employed her, it counts
    for the new practice too."""
    Certificate.objects.all().delete()
    QualificationResult.objects.all().delete()
    Enrolment.objects.filter(pk=moved["first"].pk).update(status="active", completed_at=None)
    client.force_login(moved["old_employer"])
    declare(client, moved["old"], kind="qualification", occurred_on=moved["left_on"] - timedelta(days=1),
            organisation="CFA du cabinet ancien")
    DeclaredTraining.objects.filter(organisation="CFA du cabinet ancien").update(
        declared_at=at(moved["left_on"] - timedelta(days=1)))
    client.force_login(moved["new_employer"])
    assert "deadline-qualified" in row_of(client.get(reverse("practice_home")).content.decode())


def test_former_practice_calendar_holds_nothing_after_the_end(client, moved):
    """The calendar feed (an export) lists no deadline of an assistant falling after her employment's end,
    even while she works her notice; the new practice's feed has hers."""
    today = moved["today"]
    leaving = make_trainee(first_name="Noé", last_name="Préavis")
    Employment.objects.create(trainee=leaving, practice=moved["old"].practice, hired_on=today - timedelta(days=300),
                              ended_on=today + timedelta(days=20), working_time="full")
    Enrolment.objects.filter(pk=moved["later"].pk).update(status="withdrawn")
    Certificate.objects.all().delete()
    QualificationResult.objects.all().delete()
    Enrolment.objects.filter(pk=moved["first"].pk).update(status="active", completed_at=None)
    feeds = {}
    for who in ("old_employer", "new_employer"):
        client.force_login(moved[who])
        html = client.post(reverse("calendar_settings"), {"action": "create"}).content.decode()
        path = html.split('readonly value="')[1].split('"')[0].replace("http://testserver", "")
        feeds[who] = client.get(path).content.decode().replace("\r\n ", "")
    assert "Maud" not in feeds["old_employer"]
    assert "Noé" not in feeds["old_employer"]  # both deadlines fall after the end of the notice
    assert "Maud Partie" in feeds["new_employer"]


def test_new_practice_and_assistant_still_see_everything(client, moved):
    """The current practice: both tracks, the certificate, its declaration, qualified; the assistant too."""
    client.force_login(moved["new_employer"])
    html = client.get(reverse("practice_home")).content.decode()
    assert "deadline-qualified" in row_of(html) and LATER_TRACK in row_of(html)  # the current track is the later one
    assert client.get(reverse("certificate_download", args=[moved["certificate"].pk])).status_code == 200
    html = client.get(reverse("employment_detail", args=[moved["new"].pk])).content.decode()
    for text in (f"Début de formation : {FIRST_TRACK}", f"Parcours terminé : {FIRST_TRACK}",
                 f"Début de formation : {LATER_TRACK}", NEW_DECLARATION):
        assert text in html
    cells = dict(zip(*csv_rows(client.get(reverse("employer_csv")))))
    assert cells["Statut"] == "Qualifié·e"
    client.force_login(moved["trainee"])
    assert client.get(reverse("certificate_download", args=[moved["certificate"].pk])).status_code == 200
    html = client.get(reverse("my_track")).content.decode()
    assert "Cabinet Nouveau" in html and "deadline-qualified" in html


def test_the_new_practice_cannot_open_the_former_practices_record(client, moved):
    """Each practice opens only its own employment of the assistant."""
    client.force_login(moved["new_employer"])
    assert client.get(reverse("employment_detail", args=[moved["old"].pk])).status_code == 404
    assert client.get(reverse("declaration_create", args=[moved["old"].pk])).status_code == 404
    client.force_login(moved["old_employer"])
    assert client.get(reverse("employment_detail", args=[moved["new"].pk])).status_code == 404
    assert client.get(reverse("declaration_create", args=[moved["new"].pk])).status_code == 404


# --- Point 16: the ended employment in the permission matrix's terms ----------------------------------------

def _former_cases(moved):
    """(url, method, body) a former practice may try on what happened after the end."""
    certificate, old = moved["certificate"], moved["old"]
    return [
        ("certificate_download", reverse("certificate_download", args=[certificate.pk]), "get", None),
        ("declaration_create", reverse("declaration_create", args=[old.pk]), "post",
         {"kind": "qualification", "occurred_on": (moved["left_on"] + timedelta(days=1)).isoformat(),
          "organisation": "Après la fin"}),
    ]


@pytest.mark.parametrize("name", ["certificate_download", "declaration_create"])
def test_former_practice_matrix(client, moved, name):
    """For each URL that reaches past the end date: refused (404, or a form error for a declaration), nothing
    written, and nothing of what happened after the end in the answer."""
    client.force_login(moved["old_employer"])
    before = DeclaredTraining.objects.count()
    (case,) = [c for c in _former_cases(moved) if c[0] == name]
    _name, url, method, body = case
    if body is not None:
        body = {**body, "evidence": evidence()}
    response = client.get(url) if method == "get" else client.post(url, body)
    assert response.status_code in (200, 404)
    content = response.content
    assert not content.startswith(b"%PDF")
    text = content.decode("utf-8", "replace")
    assert LATER_TRACK not in text and NEW_DECLARATION not in text and moved["certificate"].code not in text
    if response.status_code == 200:
        assert "postérieure à la fin de cet emploi" in text
    assert DeclaredTraining.objects.count() == before
