"""Issue 17, point 1, in Chromium: a trainee takes the positioning test from her track's outline and sees her
result per module; the tutor confirms the proposed exemption with a reason; the trainee's outline then shows the
module as exempted. axe-core on each page."""
import pytest

from lms.catalog.models import ModulePage
from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_quiz, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)


def test_positioning_then_the_tutors_decision(page, live_server):
    track = make_track(modules=2, lessons=1, title="Parcours positionné")
    module_1, module_2 = ModulePage.objects.child_of(track).order_by("path")
    ModulePage.objects.filter(pk=module_1.pk).update(nominal_hours=14, exemption_threshold=80)
    make_quiz(parent=track, title="Test de positionnement", purpose="positioning", shuffle_choices=False, questions=[
        {"type": "truefalse", "prompt": "Le secret professionnel s'impose à l'assistant médical.", "answer": True,
         "module_id": module_1.pk},
        {"type": "truefalse", "prompt": "Un brassard trop petit sous-estime la tension.", "answer": False,
         "module_id": module_2.pk}])
    trainee = make_trainee(email="positionnement@example.org", first_name="Inès", last_name="Bernard")
    enrolment = make_enrolment(trainee=trainee, track=track)
    tutor = make_staff(training_body=track.training_body, role="tutor", email="tuteur@example.org")

    login(page, live_server, trainee.email, PASSWORD)
    page.goto(f"{live_server.url}/apprendre/parcours/{track.pk}/")
    page.get_by_role("link", name="Mon test de positionnement").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Passer le test de positionnement").click()
    page.get_by_role("group", name="Le secret professionnel").get_by_label("Vrai", exact=True).check()
    page.get_by_role("group", name="Un brassard").get_by_label("Vrai", exact=True).check()
    page.get_by_role("button", name="Valider et corriger").click()
    page.goto(f"{live_server.url}/apprendre/positionnement/{enrolment.pk}/")
    main = page.inner_text("main")
    assert "Module 1" in main and "100 %" in main and "en attente de la décision" in main
    assert axe_violations(page) == []

    page.context.clear_cookies()
    login(page, live_server, tutor.email, PASSWORD)
    page.goto(f"{live_server.url}/organisme/dispenses/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Décider").click()
    assert axe_violations(page) == []
    page.get_by_label("Dispenser l'apprenant·e de ce module").check()
    page.get_by_label("Motif").fill("Huit ans d'aide-soignante ; 100 % au positionnement.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    assert "Votre décision est enregistrée" in page.inner_text("main")
    assert "Dispensé le" in page.inner_text("main")
    assert axe_violations(page) == []

    page.context.clear_cookies()
    login(page, live_server, trainee.email, PASSWORD)
    page.goto(f"{live_server.url}/apprendre/parcours/{track.pk}/")
    assert "Dispensé le" in page.inner_text("main")
