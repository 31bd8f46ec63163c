"""A trainee fails a quiz, reads the feedback, retries, passes; the module turns complete; the final completes the track."""
import pytest

from lms.catalog.models import LessonPage, ModulePage
from lms.learning.models import LessonCompletion
from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_quiz, make_track, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONS = [
    {"type": "single", "prompt": "Combien de minutes de repos avant une mesure de tension ?", "points": 1,
     "feedback": "Il faut 3 à 5 minutes de repos, assis.",
     "choices": [{"text": "Aucune", "correct": False, "feedback": "Trop court : la tension serait faussée."},
                 {"text": "3 à 5 minutes", "correct": True, "feedback": "Oui."}]},
    {"type": "truefalse", "prompt": "Un brassard trop petit surestime la tension.", "points": 1, "answer": True,
     "feedback": "Vrai : choisissez la taille adaptée."},
]


def answer(page, right):
    page.get_by_label("3 à 5 minutes" if right else "Aucune").check()
    page.get_by_label("Vrai" if right else "Faux", exact=True).check()
    page.get_by_role("button", name="Valider et corriger").click()


def test_fail_feedback_retry_pass_and_complete(page, live_server):
    track = make_track(modules=1, lessons=1, title="Parcours court")
    module = ModulePage.objects.child_of(track).get()
    make_quiz(parent=module, title="Quiz du module", questions=QUESTIONS, pass_mark=100)
    make_quiz(parent=track, title="Évaluation finale", questions=QUESTIONS, pass_mark=50, feedback_mode="after_last")
    trainee = make_trainee(email="quiz@example.org")
    enrolment = make_enrolment(trainee=trainee, track=track)
    LessonCompletion.objects.create(enrolment=enrolment, lesson=LessonPage.objects.descendant_of(track).get())

    login(page, live_server, trainee.email, PASSWORD)
    page.goto(f"{live_server.url}/apprendre/parcours/{track.pk}/")
    page.get_by_role("link", name="Quiz du module").click()
    page.get_by_role("button", name="Commencer le quiz").click()
    assert axe_violations(page) == []
    answer(page, right=False)
    assert "Non réussi" in page.inner_text("main")
    assert "Trop court : la tension serait faussée." in page.inner_text("main")
    assert "Il faut 3 à 5 minutes de repos, assis." in page.inner_text("main")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Réessayer").click()
    page.get_by_role("button", name="Réessayer").click()
    answer(page, right=True)
    assert "Réussi" in page.inner_text(".result-verdict")
    page.get_by_role("link", name="Retour au parcours").click()
    assert "Module terminé" in page.inner_text("main")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Évaluation finale").click()
    page.get_by_role("button", name="Commencer le quiz").click()
    answer(page, right=True)
    assert "Réussi" in page.inner_text(".result-verdict")
    page.goto(f"{live_server.url}/mon-parcours/")
    main = page.inner_text("main")
    assert "Progression : 100 %" in main and "Terminé" in main
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
