"""Questions to the tutor (issue 15, point 6): a trainee asks from a lesson or a quiz result, the tutors of the
cohort (and the body's managers) answer from their inbox; emails both ways; everyone else gets a 404."""
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lms.catalog.models import LessonPage, ModulePage
from lms.learning.services import cohort_create
from lms.organisations.models import StaffRole
from lms.quizzes.services import attempt_start, attempt_submit
from lms.support import selectors, services
from lms.support.models import Message, Thread, ThreadStatus
from tests.factories import (
    make_employer,
    make_enrolment,
    make_quiz,
    make_staff,
    make_track,
    make_trainee,
    make_training_body,
    perfect_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    """A body with a track (support contacts filled), a cohort tutored by one tutor, a trainee in it; a second
    tutor of the body who does not tutor that cohort, a manager, an author."""
    body = make_training_body(name="Institut Support")
    track = make_track(training_body=body)
    track.support_pedagogical_contact = "Mme Tutrice, tutrice pédagogique"
    track.support_pedagogical_email = "tutorat@institut.example"
    track.support_technical_email = "hotline@institut.example"
    track.support_response_hours = 24
    track.save_revision().publish()
    tutor = make_staff(training_body=body, role=StaffRole.TUTOR, first_name="Théo", last_name="Tuteur",
                       email="theo@institut.example")
    other_tutor = make_staff(training_body=body, role=StaffRole.TUTOR, first_name="Tina", last_name="Autre")
    manager = make_staff(training_body=body, role=StaffRole.MANAGER, first_name="Manon", last_name="Gérante")
    author = make_staff(training_body=body, role=StaffRole.AUTHOR)
    cohort = cohort_create(training_body=body, track=track, name="Session A", starts_on=timezone.localdate())
    cohort.tutors.add(tutor)
    trainee = make_trainee(first_name="Lucie", last_name="Apprenante", email="lucie@example.org")
    enrolment = make_enrolment(trainee=trainee, track=track, cohort=cohort)
    lesson = LessonPage.objects.descendant_of(track).order_by("path").first()
    return type("Setting", (), dict(body=body, track=track, tutor=tutor, other_tutor=other_tutor, manager=manager,
                                    author=author, cohort=cohort, trainee=trainee, enrolment=enrolment,
                                    lesson=lesson))


def ask(client, setting, body="Je ne comprends pas le brassard.", subject="Le brassard", key=None, captured=None):
    client.force_login(setting.trainee)
    return client.post(reverse("support_ask_lesson", args=[setting.lesson.pk]),
                       {"subject": subject, "body": body, "submission_key": key or str(uuid.uuid4())})


def test_support_contacts_show_on_the_lesson_my_track_and_the_outline(client, setting):
    """The track's support (D6313-3-1): pedagogical contact, technical email, response time, on each page."""
    client.force_login(setting.trainee)
    for url in (reverse("lesson", args=[setting.lesson.pk]), reverse("my_track"),
                reverse("track_outline", args=[setting.track.pk])):
        html = client.get(url).content.decode()
        assert "Mme Tutrice, tutrice pédagogique" in html, url
        assert "hotline@institut.example" in html and "tutorat@institut.example" in html, url
        assert "24 heures ouvrées" in html, url
    html = client.get(reverse("lesson", args=[setting.lesson.pk])).content.decode()
    assert reverse("support_ask_lesson", args=[setting.lesson.pk]) in html
    assert "Poser une question aux tuteur·rices" in html


def test_the_ask_form_is_prefilled_with_its_context(client, setting):
    client.force_login(setting.trainee)
    html = client.get(reverse("support_ask_lesson", args=[setting.lesson.pk])).content.decode()
    assert f"Question sur « {setting.lesson.title} »" in html or setting.lesson.title in html
    assert reverse("lesson", args=[setting.lesson.pk]) in html
    assert 'name="submission_key"' in html and "24 heures ouvrées" in html


def test_a_trainee_asks_from_a_lesson_and_the_cohorts_tutor_is_emailed(client, setting,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, setting, body="Je ne comprends pas le brassard. " + "détail " * 100)
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("my_question", args=[thread.pk])
    assert thread.enrolment == setting.enrolment and thread.lesson == setting.lesson
    assert thread.context_title == setting.lesson.title and thread.status == ThreadStatus.OPEN
    assert thread.awaiting_since is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["theo@institut.example"]  # the cohort's tutor, not the other tutor nor the manager
    assert "Lucie Apprenante" in email.subject and "Nouvelle question" in email.subject
    assert f"http://testserver{reverse('support_thread', args=[thread.pk])}" in email.body
    assert "Je ne comprends pas le brassard." in email.body
    assert email.body.count("détail") < 40  # an excerpt, not the whole message
    assert "24 heures ouvrées" in email.body


def test_without_a_tutor_the_managers_are_emailed(client, setting, django_capture_on_commit_callbacks):
    setting.cohort.tutors.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, setting)
    assert [m.to for m in mail.outbox] == [[setting.manager.email]]


def test_the_tutor_answers_and_the_trainee_is_emailed(client, setting, django_capture_on_commit_callbacks):
    ask(client, setting)
    thread = Thread.objects.get()
    client.force_login(setting.tutor)
    inbox = client.get(reverse("support_inbox")).content.decode()
    assert "Le brassard" in inbox and "Lucie Apprenante" in inbox
    page = client.get(reverse("support_thread", args=[thread.pk])).content.decode()
    assert "Je ne comprends pas le brassard." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("support_thread", args=[thread.pk]),
                               {"body": "Prenez un brassard adapté au bras.", "submission_key": str(uuid.uuid4())})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.ANSWERED and thread.awaiting_since is None
    answer = thread.messages.get(from_staff=True)
    assert answer.author == setting.tutor and answer.body == "Prenez un brassard adapté au bras."
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lucie@example.org"]
    assert "Théo Tuteur" in mail.outbox[0].body
    assert f"http://testserver{reverse('my_question', args=[thread.pk])}" in mail.outbox[0].body
    client.force_login(setting.trainee)
    html = client.get(reverse("my_question", args=[thread.pk])).content.decode()
    assert "Prenez un brassard adapté au bras." in html and "Répondue" in html


def test_the_trainee_follows_up_then_closes(client, setting, django_capture_on_commit_callbacks):
    ask(client, setting)
    thread = Thread.objects.get()
    services.message_post(thread=thread, author=setting.tutor, body="Réponse.", submission_key=uuid.uuid4(),
                          from_staff=True, base_url="http://testserver")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("my_question", args=[thread.pk]), {"body": "Merci, et pour l'enfant ?",
                                                               "submission_key": str(uuid.uuid4())})
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.OPEN and thread.messages.count() == 3
    assert [m.to for m in mail.outbox] == [[setting.tutor.email]]
    response = client.post(reverse("my_question_close", args=[thread.pk]))
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED and thread.closed_by == setting.trainee
    response = client.post(reverse("my_question", args=[thread.pk]), {"body": "Encore ?",
                                                                      "submission_key": str(uuid.uuid4())})
    assert thread.messages.count() == 3  # a closed question takes no more messages
    assert response.status_code in (200, 400)


def test_the_tutor_closes_a_question(client, setting):
    ask(client, setting)
    thread = Thread.objects.get()
    client.force_login(setting.tutor)
    assert client.post(reverse("support_thread_close", args=[thread.pk])).status_code == 302
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED and thread.awaiting_since is None


def test_a_quiz_result_links_to_a_question_with_its_attempt(client, setting):
    module = ModulePage.objects.child_of(setting.track).order_by("path").first()
    quiz = make_quiz(parent=module, title="Quiz des constantes")
    attempt = attempt_start(enrolment=setting.enrolment, quiz=quiz)
    attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    client.force_login(setting.trainee)
    html = client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    url = reverse("support_ask_attempt", args=[attempt.pk])
    assert url in html
    html = client.get(url).content.decode()
    assert "Quiz des constantes, tentative 1" in html and reverse("attempt_result", args=[attempt.pk]) in html
    client.post(url, {"subject": "Question 2", "body": "Pourquoi ?", "submission_key": str(uuid.uuid4())})
    thread = Thread.objects.get()
    assert thread.attempt == attempt and thread.lesson is None
    assert thread.context_title == "Quiz des constantes, tentative 1"


# --- Bad input ------------------------------------------------------------------------------------------

def test_an_empty_message_is_a_french_field_error(client, setting):
    response = ask(client, setting, body="   ")
    assert response.status_code == 400
    assert "Écrivez votre message avant de l’envoyer." in response.content.decode()
    assert not Thread.objects.exists()


def test_a_huge_message_is_refused(client, setting):
    response = ask(client, setting, body="x" * 5001)
    assert response.status_code == 400
    assert "Votre message est trop long : 5000 caractères au plus (il en a 5001)." in response.content.decode()
    assert not Thread.objects.exists()
    assert ask(client, setting, body="x" * 5000).status_code == 302


def test_a_double_submit_writes_one_thread_and_one_message(client, setting):
    key = str(uuid.uuid4())
    first, second = ask(client, setting, key=key), ask(client, setting, key=key)
    assert first["Location"] == second["Location"]
    assert Thread.objects.count() == 1 and Message.objects.count() == 1
    thread = Thread.objects.get()
    reply = {"body": "Et ensuite ?", "submission_key": str(uuid.uuid4())}
    client.post(reverse("my_question", args=[thread.pk]), reply)
    client.post(reverse("my_question", args=[thread.pk]), reply)
    assert thread.messages.count() == 2


def test_a_form_without_its_key_is_refused(client, setting):
    client.force_login(setting.trainee)
    response = client.post(reverse("support_ask_lesson", args=[setting.lesson.pk]), {"subject": "S", "body": "B"})
    assert response.status_code == 400 and "Ce formulaire a expiré" in response.content.decode()
    assert not Thread.objects.exists()


# --- Who sees what ----------------------------------------------------------------------------------------

def test_outsiders_get_404_on_every_thread_url(client, setting):
    """Another trainee, the trainee's employer, a tutor of the body who does not tutor the cohort, an author of
    the body, another body's manager: 404 on the thread (trainee's and staff's URLs), its reply and its close."""
    ask(client, setting)
    thread = Thread.objects.get()
    other_body_manager = make_staff(training_body=make_training_body())
    employer = make_employer()
    other_trainee = make_trainee()
    make_enrolment(trainee=other_trainee, track=setting.track, cohort=setting.cohort)
    urls = [reverse(name, args=[thread.pk]) for name in ("my_question", "my_question_close", "support_thread",
                                                         "support_thread_close")]
    for user in (other_trainee, employer, setting.other_tutor, setting.author, other_body_manager):
        client.force_login(user)
        for url in urls:
            for method in ("get", "post"):
                response = getattr(client, method)(url, {"body": "Intrusion", "submission_key": str(uuid.uuid4())})
                assert response.status_code in (404, 405), (user, method, url, response.status_code)
                assert b"Je ne comprends pas le brassard" not in response.content
    assert thread.messages.count() == 1
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.OPEN


def test_the_trainee_cannot_use_the_staff_urls_of_her_own_thread(client, setting):
    ask(client, setting)
    thread = Thread.objects.get()
    for name in ("support_thread", "support_thread_close"):
        assert client.post(reverse(name, args=[thread.pk]), {"body": "x", "submission_key": str(uuid.uuid4())}
                           ).status_code == 404
    assert client.get(reverse("support_inbox")).status_code == 403


def test_asking_from_someone_elses_lesson_or_attempt_is_404(client, setting):
    other = make_enrolment(track=make_track())
    other_lesson = LessonPage.objects.descendant_of(other.track).first()
    module = ModulePage.objects.child_of(setting.track).order_by("path").first()
    attempt = attempt_start(enrolment=setting.enrolment, quiz=make_quiz(parent=module))
    attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    client.force_login(other.trainee)
    data = {"subject": "S", "body": "B", "submission_key": str(uuid.uuid4())}
    assert client.post(reverse("support_ask_lesson", args=[setting.lesson.pk]), data).status_code == 404
    assert client.post(reverse("support_ask_attempt", args=[attempt.pk]), data).status_code == 404
    client.force_login(setting.trainee)
    assert client.post(reverse("support_ask_lesson", args=[other_lesson.pk]), data).status_code == 404
    assert not Thread.objects.exists()


def test_a_withdrawn_trainee_reads_but_no_longer_asks(client, setting):
    ask(client, setting)
    thread = Thread.objects.get()
    setting.enrolment.status = "withdrawn"
    setting.enrolment.save()
    assert client.get(reverse("my_question", args=[thread.pk])).status_code == 200
    assert ask(client, setting).status_code == 404
    assert Thread.objects.count() == 1


def test_the_inbox_shows_unanswered_first_and_flags_the_late(client, setting):
    """Unanswered first (oldest wait first); a question past the track's 24 working hours is flagged late."""
    now = timezone.now()
    other = make_enrolment(trainee=make_trainee(first_name="Paul", last_name="Second"), track=setting.track,
                           cohort=setting.cohort)
    old = services.thread_create(enrolment=setting.enrolment, author=setting.trainee, subject="Ancienne question",
                                 body="?", submission_key=uuid.uuid4(), base_url="http://t", now=now - timedelta(days=6))
    recent = services.thread_create(enrolment=other, author=other.trainee, subject="Question récente", body="?",
                                    submission_key=uuid.uuid4(), base_url="http://t", now=now - timedelta(minutes=5))
    answered = services.thread_create(enrolment=other, author=other.trainee, subject="Question répondue", body="?",
                                      submission_key=uuid.uuid4(), base_url="http://t", now=now - timedelta(days=1))
    services.message_post(thread=answered, author=setting.tutor, body="Voilà.", submission_key=uuid.uuid4(),
                          from_staff=True, base_url="http://t")
    lines = selectors.inbox(setting.tutor, now)
    assert [line.thread.pk for line in lines] == [old.pk, recent.pk, answered.pk]
    assert [line.late for line in lines] == [True, False, False]
    client.force_login(setting.tutor)
    html = client.get(reverse("support_inbox")).content.decode()
    assert html.index("Ancienne question") < html.index("Question récente") < html.index("Question répondue")
    assert "En retard" in html and "1 question a dépassé le délai de réponse de son parcours." in html
    assert "Question répondue" not in client.get(reverse("support_inbox") + "?statut=open").content.decode()
    # The manager sees them all; the body's other tutor and its author see none.
    assert len(selectors.inbox(setting.manager, now)) == 3
    assert selectors.inbox(setting.other_tutor, now) == []
    client.force_login(setting.author)
    assert client.get(reverse("support_inbox")).status_code == 403


def test_a_tutor_who_left_the_body_no_longer_reads_the_questions(client, setting):
    ask(client, setting)
    thread = Thread.objects.get()
    setting.tutor.training_body_memberships.all().delete()
    client.force_login(setting.tutor)
    assert client.get(reverse("support_thread", args=[thread.pk])).status_code == 404


def test_the_inbox_reads_in_a_constant_number_of_queries(client, setting, django_assert_max_num_queries):
    for n in range(12):
        services.thread_create(enrolment=setting.enrolment, author=setting.trainee, subject=f"Q{n}", body="?",
                               submission_key=uuid.uuid4(), base_url="http://t")
    client.force_login(setting.tutor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("support_inbox")).status_code == 200


def test_the_bodys_author_edits_the_support_fields_in_wagtail(client, setting):
    """The track's editor holds the support panel: contacts and response time, editable by the body's author."""
    client.force_login(setting.author)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[setting.track.pk])).content.decode()
    assert "Accompagnement des apprenant·es" in html
    for name in ("support_pedagogical_contact", "support_pedagogical_email", "support_technical_email",
                 "support_response_hours"):
        assert f'name="{name}"' in html, name
