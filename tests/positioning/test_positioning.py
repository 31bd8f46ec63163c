"""The positioning test before a track (issue 17, point 1): per-module scores, proposed exemptions, once per
enrolment, the tutor's decision with its reason, and what a confirmed exemption changes (progress, completion,
planned hours, relevé, attestation, xAPI)."""
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from lms.catalog.models import LessonPage
from lms.certificates.models import Certificate
from lms.core.errors import DomainError
from lms.learning.models import EnrolmentStatus, ExemptionStatus, ModuleExemption
from lms.learning.realised import realised_duration
from lms.learning.selectors import done_items, track_structure
from lms.learning.progress import compute_progress
from lms.learning.services import exemption_decide, lesson_complete
from lms.quizzes.models import Attempt
from lms.quizzes.positioning import attempt_module_scores, module_scores
from lms.quizzes.services import attempt_start, attempt_submit
from lms.xapi import vocabulary as xv
from lms.xapi.models import Statement
from lms.xapi.services import validate
from tests.factories import make_enrolment, make_staff, make_trainee, perfect_answers

pytestmark = pytest.mark.django_db


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def take(positioned, answers=None):
    attempt = attempt_start(enrolment=positioned["enrolment"], quiz=positioned["quiz"])
    return attempt_submit(attempt=attempt, answers=perfect_answers(attempt) if answers is None else answers)


def proposal(positioned):
    take(positioned)
    return ModuleExemption.objects.get(enrolment=positioned["enrolment"])


def test_module_scores_are_points_earned_over_points_possible(positioned):
    """Per-module score = points earned on the module's questions / points possible there."""
    attempt = attempt_start(enrolment=positioned["enrolment"], quiz=positioned["quiz"])
    first = next(q for q in attempt.questions if q["module"] == positioned["modules"][0].pk)
    answers = {first["id"]: perfect_answers(attempt)[first["id"]]}  # one question of module 1 right, nothing else
    attempt = attempt_submit(attempt=attempt, answers=answers)
    scores = {s.module_id: s for s in attempt_module_scores(attempt)}
    module_1, module_2 = positioned["modules"]
    assert (scores[module_1.pk].awarded, scores[module_1.pk].possible, scores[module_1.pk].percent) == (
        Decimal(1), Decimal(2), Decimal("50.00"))
    assert scores[module_2.pk].percent == 0 and scores[module_2.pk].possible == 2


def test_module_scores_ignore_questions_of_no_module():
    structure = type("S", (), {"modules": [type("M", (), {"id": 7, "title": "M"})()]})()
    scores = module_scores([{"id": "a", "points": 1, "module": 7}, {"id": "b", "points": 3}], {"a": 1, "b": 3},
                           structure)
    assert scores[0].percent == 100


def test_a_score_at_the_threshold_proposes_an_exemption_only_where_a_threshold_is_set(positioned):
    take(positioned)
    exemption = ModuleExemption.objects.get()  # module 2 has no threshold: never proposed, even at 100 %
    assert exemption.module_id == positioned["modules"][0].pk
    assert (exemption.status, exemption.score, exemption.threshold) == (ExemptionStatus.PROPOSED, 100, 80)


def test_a_score_below_the_threshold_proposes_nothing(positioned):
    take(positioned, answers={})
    assert not ModuleExemption.objects.exists()
    assert not Attempt.objects.get().enrolment.quiz_completions.exists()  # the test completes nothing


def test_the_positioning_test_is_not_the_final_assessment(positioned):
    structure = track_structure(positioned["track"].pk)
    assert structure.final_assessment is None
    assert structure.positioning.id == positioned["quiz"].pk


def test_once_per_enrolment(positioned):
    """A second start is refused; a double submit grades once."""
    attempt = attempt_start(enrolment=positioned["enrolment"], quiz=positioned["quiz"])
    assert attempt_start(enrolment=positioned["enrolment"], quiz=positioned["quiz"]).pk == attempt.pk  # resumed
    answers = perfect_answers(attempt)
    attempt_submit(attempt=attempt, answers=answers)
    attempt_submit(attempt=attempt, answers={})
    with pytest.raises(DomainError, match="une seule fois par inscription"):
        attempt_start(enrolment=positioned["enrolment"], quiz=positioned["quiz"])
    assert Attempt.objects.count() == 1 and ModuleExemption.objects.count() == 1


def test_the_quiz_page_announces_one_attempt(positioned, client):
    client.force_login(positioned["enrolment"].trainee)
    html = client.get(reverse("quiz", args=[positioned["quiz"].pk])).content.decode()
    assert "<dt>Tentatives autorisées</dt><dd>1</dd>" in html and "Illimitées" not in html


def test_not_offered_once_the_training_has_started(positioned, client):
    enrolment = positioned["enrolment"]
    lesson_complete(enrolment=enrolment, lesson=LessonPage.objects.descendant_of(positioned["track"]).first())
    with pytest.raises(DomainError, match="avant la formation"):
        attempt_start(enrolment=enrolment, quiz=positioned["quiz"])
    client.force_login(enrolment.trainee)
    page = client.get(reverse("positioning", args=[enrolment.pk])).content.decode()
    assert "n’est plus proposé" in page or "n'est plus proposé" in page


def test_the_trainee_page_offers_then_shows_the_result(positioned, client):
    enrolment = positioned["enrolment"]
    client.force_login(enrolment.trainee)
    outline = client.get(reverse("track_outline", args=[positioned["track"].pk])).content.decode()
    assert "Test de positionnement" in outline and reverse("positioning", args=[enrolment.pk]) in outline
    page = client.get(reverse("positioning", args=[enrolment.pk])).content.decode()
    assert "Passer le test de positionnement" in page
    response = client.post(reverse("quiz_start", args=[positioned["quiz"].pk]))
    attempt = Attempt.objects.get()
    assert response.url == reverse("attempt", args=[attempt.pk])
    attempt_submit(attempt=attempt, answers=perfect_answers(attempt))
    page = client.get(reverse("positioning", args=[enrolment.pk])).content.decode()
    assert "Module 1" in page and "100 %" in page and "en attente de la décision" in page
    assert "Passer le test" not in page


def test_only_the_trainee_sees_their_positioning_page(positioned, client):
    url = reverse("positioning", args=[positioned["enrolment"].pk])
    client.force_login(make_trainee())
    assert client.get(url).status_code == 404
    client.force_login(positioned["tutor"])
    assert client.get(url).status_code == 404


def test_the_tutor_confirms_with_a_reason_kept_and_the_trainee_is_told(positioned, client,
                                                                        django_capture_on_commit_callbacks):
    exemption = proposal(positioned)
    client.force_login(positioned["tutor"])
    listing = client.get(reverse("exemption_list")).content.decode()
    assert "Module 1" in listing and reverse("exemption_decide", args=[exemption.pk]) in listing
    url = reverse("exemption_decide", args=[exemption.pk])
    response = client.post(url, {"decision": "confirm", "reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] and "error-summary" in response.content.decode()
    assert ModuleExemption.objects.get().status == ExemptionStatus.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "confirm", "reason": "Deux ans d'accueil en cabinet, 100 %."})
    assert response.status_code == 302
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.CONFIRMED and exemption.decided_by == positioned["tutor"]
    assert exemption.reason == "Deux ans d'accueil en cabinet, 100 %."
    assert len(mail.outbox) == 1 and positioned["enrolment"].trainee.email in mail.outbox[0].to
    assert "Deux ans d'accueil" in mail.outbox[0].body and "dispensé" in mail.outbox[0].body
    assert client.post(url, {"decision": "refuse", "reason": "Autre avis"}).status_code == 400  # decided once
    detail = client.get(reverse("learner_detail", args=[positioned["enrolment"].pk])).content.decode()
    assert "Dispensé le" in detail and "Deux ans d&#x27;accueil" in detail
    attempts = detail.split("Tentatives aux quiz")[1]  # the positioning attempt is neither passed nor failed
    assert "<td>Test de positionnement</td></tr>" in attempts and "Non réussi" not in attempts


def test_refusing_needs_a_reason_and_changes_nothing(positioned):
    exemption = proposal(positioned)
    with pytest.raises(DomainError, match="motif"):
        exemption_decide(exemption=exemption, by=positioned["tutor"], confirm=False, reason="  ")
    exemption_decide(exemption=exemption, by=positioned["tutor"], confirm=False, reason="À revoir en cabinet")
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.REFUSED and exemption.reason == "À revoir en cabinet"
    assert realised_duration(positioned["enrolment"]).nominal_hours == 84
    assert not compute_progress(track_structure(positioned["track"].pk),
                                *done_items(positioned["enrolment"])).modules[0].exempted


def test_only_the_bodys_tutors_and_managers_decide(positioned, client):
    exemption = proposal(positioned)
    url = reverse("exemption_decide", args=[exemption.pk])
    client.force_login(make_staff())  # another body
    assert client.get(url).status_code == 404
    client.force_login(positioned["enrolment"].trainee)
    assert client.post(url, {"decision": "confirm", "reason": "moi"}).status_code in (403, 404)
    client.force_login(make_staff(training_body=positioned["track"].training_body, role="author"))
    assert client.get(url).status_code == 403
    client.force_login(make_staff(training_body=positioned["track"].training_body, role="manager"))
    assert client.get(url).status_code == 200
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.PROPOSED


def test_a_confirmed_exemption_counts_as_done_and_reduces_the_planned_hours(positioned, client):
    enrolment = positioned["enrolment"]
    exemption_decide(exemption=proposal(positioned), by=positioned["tutor"], confirm=True, reason="Acquis")
    progress = compute_progress(track_structure(positioned["track"].pk), *done_items(enrolment))
    assert progress.modules[0].exempted and progress.modules[0].complete
    assert (progress.items_done, progress.items_total) == (2, 4)
    assert progress.next_lesson.title == "Leçon 2.1"
    realised = realised_duration(enrolment)
    assert realised.nominal_hours == 70 and realised.exempted_hours == 14
    client.force_login(enrolment.trainee)
    outline = client.get(reverse("track_outline", args=[positioned["track"].pk])).content.decode()
    assert "Dispensé le" in outline
    assert "Progression : 50" in outline or "50%" in outline or "50 %" in outline


def test_the_track_completes_with_the_remaining_modules_and_the_attestation_says_dispensé(positioned):
    enrolment = positioned["enrolment"]
    exemption_decide(exemption=proposal(positioned), by=positioned["tutor"], confirm=True, reason="Acquis")
    for lesson in LessonPage.objects.descendant_of(positioned["modules"][1]):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.nominal_hours == 70 and certificate.exempted_modules[0]["title"] == "Module 1"
    text = " ".join(pdf_text(certificate.pdf.read()).split())
    assert "Module 1 — dispensé" in text and "Durée prévue : 70 h" in text


def test_an_exemption_confirmed_last_completes_the_track(positioned):
    enrolment = positioned["enrolment"]
    exemption = proposal(positioned)
    for lesson in LessonPage.objects.descendant_of(positioned["modules"][1]):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    exemption_decide(exemption=exemption, by=positioned["tutor"], confirm=True, reason="Acquis")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_the_releve_shows_the_positioning_and_the_exempted_module(positioned, client):
    enrolment = positioned["enrolment"]
    exemption_decide(exemption=proposal(positioned), by=positioned["tutor"], confirm=True, reason="Acquis en cabinet")
    client.force_login(positioned["tutor"])
    text = " ".join(pdf_text(client.get(reverse("attendance_download", args=[enrolment.pk, "pdf"])).content).split())
    for expected in ("Test de positionnement passé le", "Dispensé", "Acquis en cabinet", "dispensé le",
                     "Modules dispensés après positionnement (heures déduites)", "14,0 h", "70,0 h"):
        assert expected in text, expected
    csv = client.get(reverse("attendance_download", args=[enrolment.pk, "csv"])).content.decode("utf-8-sig")
    assert "Acquis en cabinet" in csv


def test_statements_of_the_positioning_and_of_the_exemption_are_valid_xapi(positioned):
    exemption = proposal(positioned)
    scored = Statement.objects.filter(verb=xv.SCORED[0])
    assert scored.count() == 2  # one per module assessed
    exemption_decide(exemption=exemption, by=positioned["tutor"], confirm=True, reason="Acquis")
    waived = Statement.objects.get(verb=xv.WAIVED[0])
    assert waived.data["object"]["id"].endswith(f"/module/{positioned['modules'][0].pk}")
    assert waived.data["result"]["response"] == "Acquis"
    for statement in [*scored, waived]:
        assert validate(statement.data)


def test_an_enrolment_in_another_track_has_no_positioning_page(client):
    enrolment = make_enrolment()
    client.force_login(enrolment.trainee)
    assert client.get(reverse("positioning", args=[enrolment.pk])).status_code == 404


def test_the_personal_data_export_holds_the_decisions(positioned):
    from lms.reports.personal_data import personal_data

    exemption_decide(exemption=proposal(positioned), by=positioned["tutor"], confirm=True, reason="Acquis")
    data = personal_data(positioned["enrolment"].trainee)
    assert data["module_exemptions"][0]["status"] == "confirmed" and data["module_exemptions"][0]["reason"] == "Acquis"
