"""A trainee logs in, opens the outline, reads a lesson, marks it done and sees progress move."""
import pytest

from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)


def test_trainee_reads_a_lesson_and_progress_moves(page, live_server):
    trainee = make_trainee(email="apprenante@example.org", first_name="Lina", last_name="Morel")
    enrolment = make_enrolment(trainee=trainee)
    login(page, live_server, trainee.email, PASSWORD)
    page.goto(live_server.url + "/mon-parcours/")
    assert "Progression : 0 %" in page.inner_text("main")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Voir le plan du parcours").click()
    assert page.get_by_role("heading", level=1).inner_text() == enrolment.track.title
    assert axe_violations(page) == []

    page.get_by_role("link", name="Leçon 1.1").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Leçon 1.1"
    assert "Temps estimé : 15 min" in page.inner_text("main")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Marquer comme terminée et continuer").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Leçon 1.2"
    assert "Leçon « Leçon 1.1 » marquée comme terminée." in page.inner_text("main")

    page.goto(live_server.url + "/mon-parcours/")
    assert "Progression : 25 %" in page.inner_text("main")
    assert "1 leçons terminées sur 4" in page.inner_text("main")
