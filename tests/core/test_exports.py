"""One CSV helper for every export: formula triggers escaped in text, numbers written as numbers."""
import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from lms.core.exports import csv_bytes, safe_cell
from tests.factories import make_enrolment, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value,expected", [
    (-334, "-334"), (0, "0"), (12, "12"), (Decimal("-3.5"), "-3,5"), (Decimal("85.50"), "85,50"), (2.25, "2,25"),
    ("-334", "'-334"), ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("+33 1", "'+33 1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Dupont-Durand", "Dupont-Durand"), (None, ""),
    (True, "True"),
])
def test_safe_cell_escapes_text_and_keeps_numbers(value, expected):
    assert safe_cell(value) == expected


def test_csv_bytes_reads_back_in_a_french_spreadsheet_shape():
    data = csv_bytes(["Nom", "Jours restants"], [["=1+1", -334], [], ["Durand", Decimal("84.0")]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")) == [
        ["Nom", "Jours restants"], ["'=1+1", "-334"], [], ["Durand", "84,0"]]


def test_the_attendance_record_csv_escapes_formulas(client):
    """It wrote its cells itself, unescaped: a trainee named =HYPERLINK(…) became a link in the body's spreadsheet."""
    trainee = make_trainee(first_name="=HYPERLINK(\"http://evil.example\";\"clic\")", last_name="-2+3")
    track = make_track(modules=1, lessons=1, title="@Parcours")
    enrolment = make_enrolment(trainee=trainee, track=track)
    client.force_login(make_staff(training_body=track.training_body))
    response = client.get(reverse("attendance_download", args=[enrolment.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\";\"clic\") -2+3" in cells and "'@Parcours" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    module_row = next(row for row in rows if row and row[0] == "Module 1")
    assert module_row[1] == "0,0"  # planned hours: a number in French, not text


def test_the_employer_export_writes_days_overdue_as_negative_numbers(client):
    """It used to write '-334: text a spreadsheet cannot sort or sum."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_employer

    employer = make_employer()
    make_trainee(practice=employer.practice_memberships.get().practice,
                 hired_on=timezone.localdate() - timedelta(days=4 * 365))
    client.force_login(employer)
    rows = list(csv.reader(io.StringIO(client.get(reverse("employer_csv")).content.decode("utf-8-sig")), delimiter=";"))
    days_left = [rows[1][i] for i, name in enumerate(rows[0]) if name == "Jours restants"]
    assert len(days_left) == 2 and all(int(days) < 0 for days in days_left), days_left
