"""The certificate's dates are days in Paris: a track completed at 00:30 in Paris on 1 June ends on 1 June, on
the attestation (read back with pdftotext), in the certificate's facts and in the training body's CSV export,
even with the current time zone set elsewhere."""
import subprocess
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lms.certificates.models import Certificate
from lms.certificates.rendering import render
from lms.certificates.services import certificate_revoke
from lms.core.display import long_date
from tests.certificates.test_certificates import complete
from tests.core.test_legal_dates import MOMENT_IDS, PARIS_DAYS
from tests.factories import make_enrolment, make_staff, make_track

pytestmark = pytest.mark.django_db


def pdftotext(data):
    """The PDF's text as poppler reads it (an independent reader of the bytes)."""
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def in_words(day):
    with translation.override("fr"):
        return long_date(day)


@pytest.fixture
def completed_at(monkeypatch):
    """Complete a track (so issue its certificate) at `moment`, the current time zone being UTC."""

    def complete_at(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        with timezone.override("UTC"):
            enrolment = complete(make_enrolment(track=make_track(modules=1, lessons=2), starts_on=date(2026, 5, 4)))
        return Certificate.objects.get(enrolment=enrolment)

    return complete_at


@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_attestation_states_the_day_in_paris(completed_at, moment, day):
    certificate = completed_at(moment)
    assert certificate.issued_at == moment and certificate.ends_on == day
    with timezone.override("UTC"):
        text = " ".join(pdftotext(render(certificate)[2]).split())
    assert f"au {in_words(day)}" in text  # "du 4 mai 2026 au 1er juin 2026"
    assert f"le {in_words(day)}" in text  # "Fait à Lyon le 1er juin 2026"


@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_revocation_banner_states_the_day_in_paris(completed_at, moment, day):
    certificate = completed_at(datetime(2026, 5, 20, 10, 0, tzinfo=dt_timezone.utc))
    manager = make_staff(training_body=certificate.enrolment.training_body, role="manager")
    certificate = certificate_revoke(certificate=certificate, by=manager, reason="Fraude", now=moment)
    with timezone.override("UTC"):
        text = " ".join(pdftotext(render(certificate)[2]).split())
    assert f"RÉVOQUÉE le {in_words(day)}" in text


@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_csv_export_dates_are_days_in_paris(client, completed_at, moment, day):
    certificate = completed_at(moment)
    client.force_login(make_staff(training_body=certificate.enrolment.training_body, role="manager"))
    with timezone.override("UTC"):
        rows = client.get(reverse("certificate_list") + "?format=csv").content.decode("utf-8-sig").splitlines()
    cells = rows[1].split(";")
    assert cells[4] == f"{day:%d/%m/%Y}" and cells[7] == f"{day:%d/%m/%Y}"  # end of the training, issue
