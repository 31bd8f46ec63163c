"""Enrolling an existing account needs that person's consent (issue 13, point 1).

A training body that types the address of an existing account (another body's trainee, another organisation's
staff) changes nothing on that account: an invitation is recorded and emailed, the person accepts or declines it
from 'Mon espace', and until then the body sees only what it typed. A new address is still enrolled at once.
A body can cancel its invitation and withdraw a mistaken enrolment from its pages.
"""
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.accounts.models import TraineeProfile, User
from lms.learning.models import Enrolment, EnrolmentOffer, EnrolmentStatus, OfferStatus
from lms.learning.services import lesson_complete
from lms.xapi.models import Statement
from tests.factories import (
    make_employer,
    make_enrolment,
    make_practice,
    make_staff,
    make_track,
    make_trainee,
    make_training_body,
)

pytestmark = pytest.mark.django_db

REGISTERED = "http://adlnet.gov/expapi/verbs/registered"
TYPED_FIRST, TYPED_LAST = "Saisie", "Parlorganisme"


@pytest.fixture
def world():
    """Body Alpha (tutor, manager, author, a short track) and, elsewhere, a trainee of body Bêta employed by a
    practice, Bêta's manager and a practice's doctor: three existing accounts Alpha may try to enrol."""
    alpha = make_training_body(name="Institut Alpha")
    track = make_track(training_body=alpha, title="Parcours Alpha 12 jours", profiles=("secretary", "other"))
    beta = make_training_body(name="Organisme Bêta")
    practice = make_practice(name="Cabinet des Tilleuls")
    trainee = make_trainee(practice=practice, email="reelle.personne@example.org", first_name="Réelle",
                           last_name="Personnevraie", hired_on=date(2025, 1, 15))
    make_enrolment(trainee=trainee, track=make_track(training_body=beta, title="Parcours Bêta"))
    return {
        "alpha": alpha, "track": track, "beta": beta, "practice": practice, "trainee": trainee,
        "employment": trainee.employments.get(),
        "tutor": make_staff(training_body=alpha, role="tutor", email="tutrice@alpha.example"),
        "manager": make_staff(training_body=alpha, role="manager", email="manager@alpha.example"),
        "author": make_staff(training_body=alpha, role="author", email="auteur@alpha.example"),
        "beta_manager": make_staff(training_body=beta, role="manager", email="direction@beta.example",
                                   first_name="Bérénice", last_name="Directrice"),
        "doctor": make_employer(practice=practice, email="docteur@tilleuls.example", first_name="Denis",
                                last_name="Docteurvrai"),
    }


def enrol(client, world, email, **extra):
    """Post the enrolment form; the page it leads to is read (as a browser would), so its message is shown once."""
    data = {"email": email, "first_name": TYPED_FIRST, "last_name": TYPED_LAST, "entry_profile": "secretary",
            "track": world["track"].pk, "cohort": "", "starts_on": "2026-03-02", **extra}
    response = client.post(reverse("enrolment_create"), data)
    if response.status_code == 302:
        response.next_page = client.get(response["Location"]).content.decode()
    return response


def offer_of(user):
    return EnrolmentOffer.objects.get(invitee=user)


# --- The body types the address of an existing account ----------------------------------------------------

def test_existing_trainee_of_another_body_is_invited_not_enrolled(client, world, django_capture_on_commit_callbacks):
    """No enrolment, no change on the account: an invitation naming the body, the track and the start date is
    emailed with a link to the person's space; 'Mon parcours' does not show the track."""
    trainee = world["trainee"]
    client.force_login(world["tutor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = enrol(client, world, "Reelle.Personne@example.org")
    assert response.status_code == 302
    assert not Enrolment.objects.filter(trainee=trainee, track=world["track"]).exists()
    offer = offer_of(trainee)
    assert (offer.status, offer.training_body, offer.track, offer.starts_on) == (
        OfferStatus.PENDING, world["alpha"], world["track"], date(2026, 3, 2))
    [email] = mail.outbox
    assert email.to == ["reelle.personne@example.org"]
    assert "Institut Alpha" in email.subject
    for expected in ("Institut Alpha", "Parcours Alpha 12 jours", "2 mars 2026", "http://testserver/espace/"):
        assert expected in email.body, expected
    assert "Bonjour" in email.body  # in French
    assert "reelle.personne@example.org a déjà un compte : une invitation" in response.next_page

    client.force_login(trainee)
    html = client.get(reverse("my_track")).content.decode()
    assert "Parcours Bêta" in html and "Parcours Alpha 12 jours" not in html


def test_until_accepted_the_body_sees_only_what_it_typed(client, world):
    """The learners list shows the invitation with the typed names, the track, the start and 'En attente'; never
    the account's own names; the person's employment record and declarations stay closed to the body."""
    trainee, employment = world["trainee"], world["employment"]
    client.force_login(world["tutor"])
    enrol(client, world, trainee.email)
    html = client.get(reverse("enrolment_list")).content.decode()
    assert f"{TYPED_FIRST} {TYPED_LAST}" in html and trainee.email in html
    assert "Parcours Alpha 12 jours" in html and "2 mars 2026" in html and "En attente" in html
    for private in ("Réelle", "Personnevraie", "Cabinet des Tilleuls", "Parcours Bêta"):
        assert private not in html, private
    assert client.get(reverse("employment_detail", args=[employment.pk])).status_code == 404
    response = client.post(reverse("declaration_create", args=[employment.pk]), {
        "kind": "qualification", "occurred_on": "2025-03-01", "organisation": "Institut Alpha",
        "evidence": SimpleUploadedFile("preuve.pdf", b"%PDF-1.4\n", content_type="application/pdf")})
    assert response.status_code == 404
    assert not trainee.declared_trainings.exists()


@pytest.mark.parametrize("who", ["beta_manager", "doctor"])
def test_staff_of_another_organisation_are_never_made_trainees(client, world, who):
    """A training body's manager or a practice's doctor typed in the form gets an invitation, no trainee role."""
    person = world[who]
    client.force_login(world["manager"])
    response = enrol(client, world, person.email)
    assert response.status_code == 302
    assert not TraineeProfile.objects.filter(user=person).exists()
    assert not Enrolment.objects.filter(trainee=person).exists()
    assert offer_of(person).status == OfferStatus.PENDING
    html = client.get(reverse("enrolment_list")).content.decode()
    assert person.last_name not in html


def test_a_new_address_is_still_enrolled_at_once(client, world, django_capture_on_commit_callbacks):
    """No account at the address: created, enrolled, emailed the link to choose a password (as before)."""
    client.force_login(world["tutor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = enrol(client, world, "toute.nouvelle@example.org")
    assert response.status_code == 302
    user = User.objects.get(email="toute.nouvelle@example.org")
    assert Enrolment.objects.get(trainee=user).track == world["track"]
    assert TraineeProfile.objects.get(user=user).entry_profile == "secretary"
    assert not EnrolmentOffer.objects.exists()
    assert mail.outbox[-1].to == ["toute.nouvelle@example.org"]


def test_inviting_twice_is_refused_with_a_message(client, world):
    client.force_login(world["tutor"])
    enrol(client, world, world["trainee"].email)
    response = enrol(client, world, world["trainee"].email)
    assert response.status_code == 200
    assert "attend déjà la réponse de reelle.personne@example.org" in response.content.decode()
    assert EnrolmentOffer.objects.count() == 1


# --- The person answers from 'Mon espace' ---------------------------------------------------------------

def test_accepting_enrols_through_the_enrolment_service(client, world):
    """'Mon espace' lists the offer; accepting enrols (xAPI 'registered' recorded), the track is in 'Mon
    parcours'; the body then sees the enrolment. A second submit changes nothing."""
    person = world["beta_manager"]
    client.force_login(world["tutor"])
    enrol(client, world, person.email)
    offer = offer_of(person)

    client.force_login(person)
    html = client.get(reverse("accounts_dashboard")).content.decode()
    assert "Institut Alpha" in html and "Parcours Alpha 12 jours" in html and "2 mars 2026" in html
    assert reverse("enrolment_offer_accept", args=[offer.pk]) in html
    response = client.post(reverse("enrolment_offer_accept", args=[offer.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("my_track")
    enrolment = Enrolment.objects.get(trainee=person, track=world["track"])
    assert (enrolment.training_body, enrolment.starts_on, enrolment.enrolled_by) == (
        world["alpha"], date(2026, 3, 2), world["tutor"])
    assert TraineeProfile.objects.get(user=person).entry_profile == "secretary"
    assert Statement.objects.filter(actor=person, verb=REGISTERED, registration=enrolment.registration).count() == 1
    offer.refresh_from_db()
    assert (offer.status, offer.enrolment) == (OfferStatus.ACCEPTED, enrolment)
    assert "Parcours Alpha 12 jours" in client.get(reverse("my_track")).content.decode()
    assert "Parcours Alpha 12 jours" not in client.get(reverse("accounts_dashboard")).content.decode()

    again = client.post(reverse("enrolment_offer_accept", args=[offer.pk]), follow=True)
    assert again.status_code == 200
    assert "Vous avez déjà accepté cette invitation" in again.content.decode()
    assert Enrolment.objects.filter(trainee=person).count() == 1
    assert Statement.objects.filter(actor=person, verb=REGISTERED).count() == 1


def test_declining_enrols_nothing_and_the_body_sees_it(client, world):
    person = world["trainee"]
    client.force_login(world["tutor"])
    enrol(client, world, person.email)
    offer = offer_of(person)
    client.force_login(person)
    response = client.post(reverse("enrolment_offer_refuse", args=[offer.pk]), follow=True)
    assert "Vous avez refusé l&#x27;invitation de l’organisme Institut Alpha" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.REFUSED
    assert not Enrolment.objects.filter(trainee=person, track=world["track"]).exists()
    response = client.post(reverse("enrolment_offer_accept", args=[offer.pk]), follow=True)
    assert "Vous avez déjà refusé cette invitation" in response.content.decode()
    assert not Enrolment.objects.filter(trainee=person, track=world["track"]).exists()
    client.force_login(world["tutor"])
    html = client.get(reverse("enrolment_list")).content.decode()
    assert "Refusée" in html and "Personnevraie" not in html


@pytest.mark.parametrize("who", ["doctor", "tutor", "manager", "beta_manager"])
def test_nobody_else_can_answer_someone_elses_offer(client, world, who):
    """Another person (even the body that sent it) gets a 404; GET is not an answer; the offer stays pending."""
    client.force_login(world["tutor"])
    enrol(client, world, world["trainee"].email)
    offer = offer_of(world["trainee"])
    client.force_login(world[who])
    for name in ("enrolment_offer_accept", "enrolment_offer_refuse"):
        assert client.post(reverse(name, args=[offer.pk])).status_code == 404
    client.force_login(world["trainee"])
    assert client.get(reverse("enrolment_offer_accept", args=[offer.pk])).status_code == 405
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING and not Enrolment.objects.filter(track=world["track"]).exists()


def test_answering_needs_a_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    tutor_client = Client()
    tutor_client.force_login(world["tutor"])
    enrol(tutor_client, world, world["trainee"].email)
    offer = offer_of(world["trainee"])
    client.force_login(world["trainee"])
    assert client.post(reverse("enrolment_offer_accept", args=[offer.pk])).status_code == 403
    assert not Enrolment.objects.filter(track=world["track"]).exists()


def test_expired_or_cancelled_offer_gives_a_clear_message(client, world):
    person = world["trainee"]
    client.force_login(world["tutor"])
    enrol(client, world, person.email)
    offer = offer_of(person)
    EnrolmentOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(person)
    assert "Parcours Alpha 12 jours" not in client.get(reverse("accounts_dashboard")).content.decode()
    response = client.post(reverse("enrolment_offer_accept", args=[offer.pk]), follow=True)
    assert "Cette invitation a expiré" in response.content.decode()
    assert not Enrolment.objects.filter(trainee=person, track=world["track"]).exists()
    # The body may invite again once an invitation has expired; then it cancels that one.
    client.force_login(world["tutor"])
    assert "Expirée" in client.get(reverse("enrolment_list")).content.decode()
    assert enrol(client, world, person.email).status_code == 302
    second = EnrolmentOffer.objects.get(invitee=person, status=OfferStatus.PENDING)
    assert client.post(reverse("enrolment_offer_cancel", args=[second.pk]), {"confirmed": "yes"},
                       follow=True).status_code == 200
    client.force_login(person)
    response = client.post(reverse("enrolment_offer_accept", args=[second.pk]), follow=True)
    assert "Cette invitation a été annulée par l&#x27;organisme de formation" in response.content.decode()
    assert not Enrolment.objects.filter(trainee=person, track=world["track"]).exists()


# --- The body cancels an invitation ---------------------------------------------------------------------

def test_only_the_bodys_tutors_and_managers_cancel_its_invitations(client, world):
    client.force_login(world["tutor"])
    enrol(client, world, world["trainee"].email)
    offer = offer_of(world["trainee"])
    url = reverse("enrolment_offer_cancel", args=[offer.pk])
    for who, expected in (("beta_manager", 404), ("trainee", 404), ("doctor", 404), ("author", 403)):
        client.force_login(world[who])
        assert client.post(url).status_code == expected, who
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    client.force_login(world["manager"])
    assert client.get(url).status_code == 405
    asked = client.post(url).content.decode()  # the question first; the offer still stands
    assert "reelle.personne@example.org" in asked and 'name="confirmed" value="yes"' in asked
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    response = client.post(url, {"confirmed": "yes"}, follow=True)
    assert "L&#x27;invitation adressée à reelle.personne@example.org a été annulée" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CANCELLED
    assert "reelle.personne@example.org" not in client.get(reverse("enrolment_list")).content.decode()


# --- The CSV import takes the same path ------------------------------------------------------------------

def test_csv_import_invites_existing_accounts_and_enrols_new_addresses(client, world,
                                                                      django_capture_on_commit_callbacks):
    trainee, doctor = world["trainee"], world["doctor"]
    client.force_login(world["tutor"])
    text = ("email;prenom;nom;profil;debut\n"
            f"{trainee.email};{TYPED_FIRST};{TYPED_LAST};secrétaire;02/03/2026\n"
            f"{doctor.email};Doc;Tapé;autre;\n"
            "neuve@example.org;Neuve;Personne;secrétaire;\n")
    upload = SimpleUploadedFile("inscriptions.csv", text.encode(), content_type="text/csv")
    preview = client.post(reverse("enrolment_import"), {"file": upload, "starts_on": "2026-04-01"}).content.decode()
    assert preview.count("cette adresse a déjà un compte") == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enrolment_import"), {"confirm": "1"})
    assert response.status_code == 302
    assert not Enrolment.objects.filter(trainee__in=[trainee, doctor], track=world["track"]).exists()
    assert not TraineeProfile.objects.filter(user=doctor).exists()
    assert {o.invitee for o in EnrolmentOffer.objects.filter(status=OfferStatus.PENDING)} == {trainee, doctor}
    assert offer_of(doctor).starts_on == date(2026, 4, 1)
    assert Enrolment.objects.get(trainee__email="neuve@example.org").track == world["track"]
    assert sorted(to for m in mail.outbox for to in m.to) == sorted([trainee.email, doctor.email, "neuve@example.org"])
    html = client.get(reverse("enrolment_list")).content.decode()
    assert "Doc Tapé" in html and "Docteurvrai" not in html and "Personnevraie" not in html


# --- The body withdraws a mistaken enrolment -------------------------------------------------------------

def test_withdrawing_an_enrolment_after_confirmation(client, world):
    """A confirmation page, then the enrolment is withdrawn: gone from 'Mon parcours', its lessons closed, what
    was done kept. The body may enrol the person again, who is asked first."""
    from lms.catalog.models import LessonPage

    trainee = world["trainee"]
    enrolment = make_enrolment(trainee=trainee, track=world["track"])
    lesson = LessonPage.objects.descendant_of(world["track"]).order_by("path").first()
    lesson_complete(enrolment=enrolment, lesson=lesson)
    client.force_login(world["tutor"])
    detail = client.get(reverse("learner_detail", args=[enrolment.pk])).content.decode()
    url = reverse("enrolment_withdraw", args=[enrolment.pk])
    assert url in detail
    page = client.get(url)
    assert page.status_code == 200 and "Confirmer le retrait" in page.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE  # the page asks, it does not act
    response = client.post(url)
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    assert enrolment.lesson_completions.count() == 1  # the evidence stays
    assert url not in client.get(reverse("learner_detail", args=[enrolment.pk])).content.decode()
    assert client.post(url, follow=True).status_code == 200  # a second submit is harmless
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN

    client.force_login(trainee)
    assert "Parcours Alpha 12 jours" not in client.get(reverse("my_track")).content.decode()
    assert client.get(reverse("lesson", args=[lesson.pk])).status_code == 404

    # Enrolled again: an invitation, and accepting takes the same enrolment up again.
    client.force_login(world["tutor"])
    assert enrol(client, world, trainee.email).status_code == 302
    client.force_login(trainee)
    client.post(reverse("enrolment_offer_accept", args=[offer_of(trainee).pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.starts_on == date(2026, 3, 2)
    assert Enrolment.objects.filter(trainee=trainee, track=world["track"]).count() == 1


def test_only_the_bodys_tutors_and_managers_withdraw(client, world):
    enrolment = make_enrolment(trainee=world["trainee"], track=world["track"])
    url = reverse("enrolment_withdraw", args=[enrolment.pk])
    other_body_tutor = make_staff(training_body=world["beta"], role="tutor")
    for user, expected in ((world["beta_manager"], 404), (other_body_tutor, 404), (world["trainee"], 404),
                           (world["doctor"], 404), (world["author"], 403)):
        client.force_login(user)
        assert client.get(url).status_code == expected, user
        assert client.post(url).status_code == expected, user
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    client.force_login(world["manager"])
    assert client.post(url).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN


def test_a_completed_enrolment_is_not_withdrawn(client, world):
    enrolment = make_enrolment(trainee=world["trainee"], track=world["track"], status=EnrolmentStatus.COMPLETED,
                               completed_at=timezone.now())
    client.force_login(world["tutor"])
    url = reverse("enrolment_withdraw", args=[enrolment.pk])
    assert "Confirmer le retrait" not in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "Seule une inscription en cours de formation peut être retirée" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_the_email_link_leads_to_the_persons_space(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["tutor"])
    with django_capture_on_commit_callbacks(execute=True):
        enrol(client, world, world["doctor"].email)
    path = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    assert path == reverse("accounts_dashboard")
    client.force_login(world["doctor"])
    assert "Parcours Alpha 12 jours" in client.get(path).content.decode()


def test_the_persons_data_export_and_erasure_cover_offers(client, world):
    """'Mes données' lists the offers received; erasing the account removes what the bodies typed about them."""
    from lms.reports.personal_data import account_erase, personal_data

    person = world["trainee"]
    client.force_login(world["tutor"])
    enrol(client, world, person.email)
    [exported] = personal_data(person)["enrolment_offers"]
    assert (exported["training_body"], exported["track"], exported["last_name"], exported["status"]) == (
        "Institut Alpha", "Parcours Alpha 12 jours", TYPED_LAST, "pending")
    account_erase(user=person)
    assert not EnrolmentOffer.objects.filter(invitee=person).exists()
    assert "Parlorganisme" not in client.get(reverse("enrolment_list")).content.decode()
