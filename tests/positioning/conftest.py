"""A track with a positioning test: two modules (14 h and 10 h) with thresholds of 80 % and none, two questions on
the first module and one on the second."""
import pytest

from lms.catalog.models import ModulePage
from tests.factories import make_enrolment, make_quiz, make_staff, make_track


def positioning_questions(module_1, module_2):
    return [
        {"type": "truefalse", "prompt": "Le secret professionnel s'impose à l'assistant médical.", "points": 1,
         "answer": True, "module_id": module_1.pk},
        {"type": "single", "prompt": "Que vérifier en premier à l'accueil d'un patient ?", "points": 1,
         "module_id": module_1.pk, "choices": [{"text": "Son identité", "correct": True},
                                               {"text": "Sa mutuelle", "correct": False}]},
        {"type": "truefalse", "prompt": "Un brassard trop petit surestime la tension.", "points": 2, "answer": True,
         "module_id": module_2.pk},
    ]


@pytest.fixture
def positioned(django_capture_on_commit_callbacks):
    track = make_track(modules=2, lessons=2)
    module_1, module_2 = ModulePage.objects.child_of(track).order_by("path")
    ModulePage.objects.filter(pk=module_1.pk).update(nominal_hours=14, exemption_threshold=80)
    ModulePage.objects.filter(pk=module_2.pk).update(nominal_hours=10)
    module_1.refresh_from_db()
    module_2.refresh_from_db()
    quiz = make_quiz(parent=track, title="Test de positionnement", purpose="positioning",
                     questions=positioning_questions(module_1, module_2))
    enrolment = make_enrolment(track=track)
    tutor = make_staff(training_body=track.training_body, role="tutor", first_name="Tom", last_name="Tuteur")
    return {"track": track, "modules": (module_1, module_2), "quiz": quiz, "enrolment": enrolment, "tutor": tutor}
