"""The server-drawn charts in a real browser: axe finds nothing serious, the table opens, a phone never scrolls
sideways (the employer's deadline timeline, the training body's cohort grid)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from lms.catalog.models import LessonPage
from lms.learning.services import cohort_create, lesson_complete
from lms.organisations.models import Employment
from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)


def _no_sideways_scroll_on_a_phone(page, url):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.locator("svg.chart-svg").bounding_box()
    assert box["width"] <= 375 and box["height"] > 100  # scaled down, not cut


def test_employer_timeline_is_accessible_and_fits_a_phone(page, live_server):
    today = timezone.localdate()
    practice = make_practice(name="Cabinet des Tilleuls")
    employer = make_employer(practice=practice, email="timeline@example.org")
    trainee = make_trainee(first_name="Inès", last_name="Frise", practice=practice, hired_on=today - timedelta(days=500))
    make_enrolment(trainee=trainee, track=make_track(duration_value=4, duration_unit="months"),
                   starts_on=today - timedelta(days=30))
    url = f"{live_server.url}/assistants/{Employment.objects.get(trainee=trainee).pk}/"
    login(page, live_server, employer.email, PASSWORD)
    page.goto(url)
    chart = page.get_by_role("img", name="Frise des échéances")
    assert chart.count() == 1
    page.get_by_text("Voir les données").click()
    table = page.get_by_role("table", name="Échéances et étapes de Inès Frise")
    assert table.is_visible() and "Entrée en formation" in table.inner_text()
    assert axe_violations(page) == []
    _no_sideways_scroll_on_a_phone(page, url)
    assert axe_violations(page) == []


def test_cohort_grid_is_accessible_and_fits_a_phone(page, live_server):
    track = make_track(modules=3, lessons=2, title="Parcours secrétaires")
    manager = make_staff(training_body=track.training_body, role="manager", email="grille@example.org")
    cohort = cohort_create(training_body=track.training_body, track=track, name="Session de printemps",
                           starts_on=timezone.localdate() - timedelta(days=5))
    lessons = list(LessonPage.objects.descendant_of(track).order_by("path"))
    for i, (first, last) in enumerate([("Zoé", "Avancée"), ("Yann", "Début"), ("Maximilienne", "De La Fontaine-Beaumarchais")]):
        enrolment = make_enrolment(trainee=make_trainee(first_name=first, last_name=last), track=track, cohort=cohort,
                                   starts_on=cohort.starts_on)
        for lesson in lessons[:[5, 1, 0][i]]:
            lesson_complete(enrolment=enrolment, lesson=lesson)
    url = f"{live_server.url}/organisme/sessions/{cohort.pk}/"
    login(page, live_server, manager.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/sessions/")
    page.get_by_role("link", name="Session de printemps", exact=True).click()
    page.wait_for_url(url)
    assert page.get_by_role("heading", level=1).inner_text() == "Session de printemps"
    assert page.get_by_role("img", name="Apprenant·es × modules").count() == 1
    table = page.get_by_role("table", name="Avancement des apprenant·es de Session de printemps, module par module")
    assert "Zoé Avancée" in table.inner_text()
    assert axe_violations(page) == []
    _no_sideways_scroll_on_a_phone(page, url)
    assert axe_violations(page) == []
