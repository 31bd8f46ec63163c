"""Small keyword-default builders for tests."""
import itertools
from datetime import date

from allauth.account.models import EmailAddress

from lms.accounts.models import TraineeProfile, User
from lms.organisations.models import (
    Employment,
    Practice,
    PracticeMembership,
    StaffRole,
    TrainingBody,
    TrainingBodyMembership,
)

PASSWORD = "Un-mot-de-passe-solide-42"
_counter = itertools.count(1)


def make_user(*, email=None, first_name="Alice", last_name="Durand", password=PASSWORD, verified=True, **extra):
    email = email or f"user{next(_counter)}@example.org"
    user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name, **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def make_training_body(*, name=None, slug=None):
    n = next(_counter)
    return TrainingBody.objects.create(name=name or f"Organisme {n}", slug=slug or f"organisme-{n}")


def make_practice(*, name=None):
    return Practice.objects.create(name=name or f"Cabinet {next(_counter)}")


def make_staff(*, training_body=None, role=StaffRole.MANAGER, **user_kwargs):
    user = make_user(**user_kwargs)
    TrainingBodyMembership.objects.create(training_body=training_body or make_training_body(), user=user, role=role)
    return user


def make_employer(*, practice=None, **user_kwargs):
    user = make_user(**user_kwargs)
    PracticeMembership.objects.create(practice=practice or make_practice(), user=user)
    return user


def make_trainee(*, entry_profile="secretary", practice=None, hired_on=date(2025, 1, 15), **user_kwargs):
    user = make_user(**user_kwargs)
    TraineeProfile.objects.create(user=user, entry_profile=entry_profile)
    if practice is not None:
        Employment.objects.create(trainee=user, practice=practice, hired_on=hired_on, working_time="full")
    return user


def make_track(*, training_body=None, modules=2, lessons=2, profiles=("secretary",), title=None,
               duration_value=12, duration_unit="days", certification=False):
    """A live track under the training body's page with `modules` modules of `lessons` lessons each; with
    `certification`, one that leads to the CQP (its result can be recorded)."""
    from lms.catalog.authoring import training_body_setup
    from lms.catalog.models import LessonPage, ModulePage, TrackPage

    training_body = training_body or make_training_body()
    body_page = training_body_setup(training_body)
    n = next(_counter)
    track = body_page.add_child(instance=TrackPage(
        title=title or f"Parcours {n}", slug=f"parcours-{n}", entry_profiles=list(profiles),
        duration_value=duration_value, duration_unit=duration_unit, nominal_hours=84,
        objectives="Mesurer la pression artérielle\nAccueillir un patient",
        **({"outcome": "certification", "certification_name": "CQP Assistant médical", "rncp_code": "RNCP40913",
            "certifying_body": "ACQPCM"} if certification else {})))
    for m in range(1, modules + 1):
        module = track.add_child(instance=ModulePage(title=f"Module {m}", slug=f"module-{m}", summary=f"Résumé {m}"))
        for i in range(1, lessons + 1):
            module.add_child(instance=LessonPage(
                title=f"Leçon {m}.{i}", slug=f"lecon-{i}", duration_minutes=15,
                body=[("heading", "Introduction"), ("text", f"<p>Texte de la leçon {m}.{i} sur la tension artérielle.</p>"),
                      ("key_points", {"text": "<p>À retenir.</p>"})]))
    return TrackPage.objects.get(pk=track.pk)


def make_enrolment(*, trainee=None, track=None, starts_on=None, **kwargs):
    from django.utils import timezone

    from lms.learning.models import Enrolment

    track = track or make_track()
    trainee = trainee or make_trainee()
    return Enrolment.objects.create(trainee=trainee, track=track, training_body=track.training_body,
                                    starts_on=starts_on or timezone.localdate(), **kwargs)


SAMPLE_QUESTIONS = [
    {"type": "single", "prompt": "Combien de minutes de repos avant une mesure de tension ?", "points": 1,
     "feedback": "Trois à cinq minutes de repos.",
     "choices": [{"text": "Aucune", "correct": False, "feedback": "FEEDBACK-SECRET-A"},
                 {"text": "3 à 5 minutes", "correct": True, "feedback": "FEEDBACK-SECRET-B"}]},
    {"type": "truefalse", "prompt": "Un brassard trop petit surestime la tension.", "points": 1, "answer": True},
    {"type": "numeric", "prompt": "IMC pour 80 kg et 1,60 m ?", "points": 1, "value": 31.25, "tolerance": 0.1, "unit": "kg/m²"},
    {"type": "text", "prompt": "Carte de l'assuré ?", "points": 1, "accepted": ["carte Vitale"]},
]


def make_quiz(*, parent, title="Quiz", questions=None, source_key="", **settings):
    """A live quiz page under a module (module quiz) or a track (final assessment)."""
    from lms.quizzes.content import question_blocks
    from lms.quizzes.models import QuizPage

    n = next(_counter)
    quiz = parent.add_child(instance=QuizPage(
        title=title, slug=f"quiz-{n}", questions=question_blocks(questions or SAMPLE_QUESTIONS, source_key or f"q{n}"),
        **settings))
    return QuizPage.objects.get(pk=quiz.pk)


def perfect_answers(attempt):
    """The right response for every question of an attempt (test helper)."""
    from lms.quizzes.grading import right_response

    return {q["id"]: right_response(q) for q in attempt.questions}


def pdf_upload(name="resultat.pdf", data=b"%PDF-1.4\n% resultat du jury\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def record_result(enrolment, *, obtained_on, jury_reference="JURY-2026-042", recorded_by=None):
    """The certification result of an enrolment in a certification track, as its training body records it."""
    from lms.learning.services import qualification_result_record

    return qualification_result_record(enrolment=enrolment, obtained_on=obtained_on, jury_reference=jury_reference,
                                       document=pdf_upload(), recorded_by=recorded_by, today=obtained_on)
