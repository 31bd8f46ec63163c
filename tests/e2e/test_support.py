"""A trainee asks her tutor from a lesson (an empty message first: a French error), the tutor answers from the
inbox, the trainee reads the answer; an email each way; axe on each page."""
import pytest
from django.core import mail

from lms.catalog.models import LessonPage
from lms.learning.services import cohort_create
from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_staff, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_trainee_asks_from_a_lesson_and_the_tutor_answers(page, live_server):
    trainee = make_trainee(email="lina@example.org", first_name="Lina", last_name="Morel")
    enrolment = make_enrolment(trainee=trainee)
    track = enrolment.track
    track.support_pedagogical_contact = "Julien Roux, tuteur"
    track.support_technical_email = "assistance@institut.example"
    track.save_revision().publish()
    tutor = make_staff(training_body=track.training_body, role="tutor", email="tuteur@institut.example",
                       first_name="Julien", last_name="Roux")
    cohort = cohort_create(training_body=track.training_body, track=track, name="Session e2e",
                           starts_on=enrolment.starts_on)
    cohort.tutors.add(tutor)
    enrolment.cohort = cohort
    enrolment.save()
    lesson = LessonPage.objects.descendant_of(track).order_by("path").first()

    login(page, live_server, trainee.email, PASSWORD)
    page.goto(f"{live_server.url}/apprendre/lecons/{lesson.pk}/")
    support = page.get_by_role("complementary", name="Aide et accompagnement")
    assert "Julien Roux, tuteur" in support.inner_text() and "48 heures ouvrées" in support.inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Poser une question aux tuteur·rices").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Poser une question aux tuteur·rices"
    assert page.get_by_label("Objet").input_value() == "Question sur « Leçon 1.1 »"
    page.get_by_role("button", name="Envoyer ma question").click()
    assert "Écrivez votre message avant de l’envoyer." in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_label("Votre message").fill("Quelle taille de brassard pour un tour de bras de 33 cm ?")
    page.get_by_role("button", name="Envoyer ma question").click()
    assert "Votre question a été envoyée à vos tuteur·rices." in page.inner_text("main")
    assert "En attente de réponse" in page.inner_text("main")
    assert axe_violations(page) == []
    assert [m.to for m in mail.outbox] == [["tuteur@institut.example"]]

    page.context.clear_cookies()
    login(page, live_server, tutor.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/questions/")
    assert page.get_by_role("heading", level=1).inner_text() == "Questions des apprenant·es"
    assert "Lina Morel" in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Question sur « Leçon 1.1 »").click()
    assert "tour de bras de 33 cm" in page.inner_text("main")
    page.get_by_label("Votre message").fill("Prenez le brassard adulte large et notez-le au dossier.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    assert "Votre réponse a été envoyée." in page.inner_text("main")
    assert axe_violations(page) == []
    assert mail.outbox[-1].to == ["lina@example.org"]

    page.context.clear_cookies()
    login(page, live_server, trainee.email, PASSWORD)
    page.goto(f"{live_server.url}/espace/questions/")
    assert "Répondue" in page.inner_text("main")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Question sur « Leçon 1.1 »").click()
    assert "Prenez le brassard adulte large" in page.inner_text("main")
    page.get_by_role("button", name="Clore la question").click()
    assert "La question est close." in page.inner_text("main")
