"""The staff space on a phone (issue 16, point 4), in Chromium: from 'Mon espace' a manager reaches every staff
page; each has the same navigation with its entry current, does not scroll sideways at 375 px and passes axe."""
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_practice, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)

ENTRIES = ["Apprenant·es", "Dispenses", "Apprenant·es en risque", "Sessions", "Attestations",
           "Questions des apprenant·es", "Satisfaction", "Réclamations", "Handicap", "Équipe", "Invitations"]


def test_a_manager_on_a_phone_reaches_every_staff_page(page, live_server):
    today = timezone.localdate()
    track = make_track(modules=2, lessons=2)
    manager = make_staff(training_body=track.training_body, role="manager", email="direction@delta.example")
    make_enrolment(trainee=make_trainee(first_name="Maëlle", last_name="Retardataire-Longuenom",
                                        email="maelle.retardataire-longuenom@exemple-de-cabinet.example",
                                        practice=make_practice(name="Cabinet médical des Grands Tilleuls"),
                                        hired_on=today - timedelta(days=60)),
                   track=track, starts_on=today - timedelta(days=40))
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, manager.email, PASSWORD)
    for label in ENTRIES:
        page.goto(live_server.url + "/espace/")
        page.locator(".staff-pages").get_by_role("link", name=label, exact=True).click()
        nav = page.get_by_role("navigation", name="Espace organisme")
        assert nav.locator("a").all_inner_texts() == ENTRIES
        assert nav.locator('[aria-current="page"]').inner_text() == label
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, label
        assert axe_violations(page) == [], label
        if label == "Apprenant·es en risque":
            assert "sur le rythme prévu" in page.inner_text("main")
    page.goto(live_server.url + "/organisme/apprenants/importer/")
    assert "Aide-soignant·e (DEAS)" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
