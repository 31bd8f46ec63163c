"""A trainee signs today's séance from 'Mes séances' (reached from her dashboard); the trainer signs the sheet and
marks the other trainee absent (excused) from the cohort's séances; axe on each page, and the trainee's on a
375 px phone."""
import re
from datetime import date, time
from decimal import Decimal

import pytest

from lms.classroom.models import ClassSession, Presence
from lms.learning.models import Cohort
from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_staff, make_track, make_trainee, make_training_body

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_trainee_signs_and_the_trainer_keeps_the_sheet(page, live_server):
    body = make_training_body(name="Institut Est")
    track = make_track(training_body=body)
    cohort = Cohort.objects.create(training_body=body, track=track, name="Session Nancy", starts_on=date(2026, 1, 5))
    trainer = make_staff(training_body=body, role="tutor", email="theo@institut.example", first_name="Théo",
                         last_name="Formateur")
    lina = make_trainee(email="lina@example.org", first_name="Lina", last_name="Morel")
    make_enrolment(trainee=lina, track=track, cohort=cohort)
    make_enrolment(trainee=make_trainee(first_name="Noé", last_name="Petit"), track=track, cohort=cohort)
    ClassSession.objects.create(cohort=cohort, title="Constantes vitales", date=date.today(), half_day="morning",
                                starts_at=time(0, 0), ends_at=time(23, 59), kind="in_person",
                                place="Salle 1, Nancy", trainer=trainer, hours=Decimal("3.5"))

    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, lina.email, PASSWORD)
    page.goto(f"{live_server.url}/espace/")
    page.get_by_role("link", name="Mes séances").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mes séances"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Je signe").click()
    assert "Vous avez signé la séance" in page.inner_text("main")
    assert "Signé électroniquement le" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    assert Presence.objects.get().enrolment.trainee == lina

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, trainer.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/sessions/{cohort.pk}/")
    page.get_by_role("link", name="Séances et feuilles d’émargement").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile(r", matin$")).click()
    page.get_by_role("button", name="Je signe en tant que formateur·rice").click()
    assert "Vous avez signé la feuille" in page.inner_text("main")
    row = page.get_by_role("row", name="Noé Petit", exact=False)
    row.get_by_label("Absence justifiée").check()
    row.get_by_label("Motif").fill("Arrêt maladie")
    row.get_by_role("button", name="Marquer absent·e", exact=False).click()
    main = page.inner_text("main")
    assert "L’absence est enregistrée" in main and "Arrêt maladie" in main and "Lina Morel" in main
    assert axe_violations(page) == []
