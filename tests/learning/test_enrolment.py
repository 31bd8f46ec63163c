"""Training bodies enrol trainees one by one or by CSV (preview first), and open cohorts."""
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.accounts.models import User
from lms.core.errors import DomainError
from lms.learning.models import Cohort, Enrolment
from lms.learning.services import enrolment_create
from tests.factories import make_enrolment, make_staff, make_track, make_trainee, make_training_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def body_with_tracks():
    body = make_training_body()
    short = make_track(training_body=body, title="Parcours 12 jours", profiles=("secretary",))
    long = make_track(training_body=body, title="Parcours 4 mois", profiles=("care_assistant", "nurse", "other"),
                      duration_value=4, duration_unit="months")
    return body, short, long


def test_enrolling_twice_in_the_same_track_is_refused(body_with_tracks):
    body, short, _ = body_with_tracks
    trainee = make_trainee(first_name="Zoé", last_name="Roy")
    enrolment_create(trainee=trainee, track=short, training_body=body, starts_on=date(2026, 3, 2))
    with pytest.raises(DomainError, match="déjà inscrit·e au parcours « Parcours 12 jours »"):
        enrolment_create(trainee=trainee, track=short, training_body=body, starts_on=date(2026, 3, 2))
    assert Enrolment.objects.count() == 1


def test_enrol_one_proposes_track_matching_profile_and_emails_new_account(client, body_with_tracks,
                                                                        django_capture_on_commit_callbacks):
    body, short, long = body_with_tracks
    client.force_login(make_staff(training_body=body, role="manager"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enrolment_create"), {
            "email": "nouvelle@example.org", "first_name": "Léa", "last_name": "Petit", "entry_profile": "nurse",
            "track": "", "cohort": "", "starts_on": "2026-03-02"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(trainee__email="nouvelle@example.org")
    assert enrolment.track == long
    assert enrolment.training_body == body
    assert mail.outbox and mail.outbox[-1].to == ["nouvelle@example.org"]
    assert not User.objects.get(email="nouvelle@example.org").has_usable_password()


def test_enrol_view_refuses_duplicate_with_message(client, body_with_tracks):
    body, short, _ = body_with_tracks
    trainee = make_trainee(email="deja@example.org")
    make_enrolment(trainee=trainee, track=short)
    client.force_login(make_staff(training_body=body, role="manager"))
    response = client.post(reverse("enrolment_create"), {
        "email": "deja@example.org", "first_name": "A", "last_name": "B", "entry_profile": "secretary",
        "track": short.pk, "starts_on": "2026-03-02"})
    assert response.status_code == 200
    assert "est déjà inscrit·e au parcours" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_forged_track_of_another_body_is_refused(client, body_with_tracks):
    body, _, _ = body_with_tracks
    foreign = make_track(title="Parcours étranger")
    client.force_login(make_staff(training_body=body, role="manager"))
    response = client.post(reverse("enrolment_create"), {
        "email": "x@example.org", "first_name": "A", "last_name": "B", "entry_profile": "secretary",
        "track": foreign.pk, "starts_on": "2026-03-02"})
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Enrolment.objects.exists() and not User.objects.filter(email="x@example.org").exists()


def csv_file(text):
    return SimpleUploadedFile("inscriptions.csv", text.encode("utf-8"), content_type="text/csv")


def test_csv_preview_lists_problems_in_french_and_saves_nothing(client, body_with_tracks):
    body, short, _ = body_with_tracks
    make_enrolment(trainee=make_trainee(email="deja@example.org"), track=short)
    client.force_login(make_staff(training_body=body, role="manager"))
    text = ("email;prenom;nom;profil;debut\n"
            "ok@example.org;Ana;Lopez;secrétaire;02/03/2026\n"
            "pas-un-email;Bob;Martin;infirmier;\n"
            "deja@example.org;Cé;Roy;secrétaire;\n"
            "autre@example.org;;Nom;plombier;31/02/2026\n")
    users_before = User.objects.count()
    response = client.post(reverse("enrolment_import"), {"file": csv_file(text), "starts_on": "2026-03-02"})
    html = response.content.decode()
    assert "adresse e-mail invalide « pas-un-email »" in html
    assert "déjà inscrit·e à « Parcours 12 jours »" in html
    assert "profil d&#x27;entrée inconnu « plombier »" in html
    assert "date de début invalide « 31/02/2026 »" in html
    assert "le prénom et le nom sont obligatoires" in html
    assert "Confirmer l&#x27;import" not in html
    assert User.objects.count() == users_before and Enrolment.objects.count() == 1
    response = client.post(reverse("enrolment_import"), {"confirm": "1"})
    assert Enrolment.objects.count() == 1


def test_csv_import_confirmed_creates_all_rows(client, body_with_tracks):
    body, short, long = body_with_tracks
    client.force_login(make_staff(training_body=body, role="tutor"))
    text = "email;prenom;nom;profil;debut\nann@example.org;Ann;Lee;secretaire;02/03/2026\nbo@example.org;Bo;Ray;aide-soignant;\n"
    response = client.post(reverse("enrolment_import"), {"file": csv_file(text), "starts_on": "2026-04-01"})
    assert "2 lignes sont prêtes à être importées" in response.content.decode()
    assert not Enrolment.objects.exists()
    response = client.post(reverse("enrolment_import"), {"confirm": "1"})
    assert response.status_code == 302
    assert Enrolment.objects.get(trainee__email="ann@example.org").track == short
    bo = Enrolment.objects.get(trainee__email="bo@example.org")
    assert (bo.track, bo.starts_on) == (long, date(2026, 4, 1))


def test_csv_with_missing_columns_or_too_large_is_refused(client, body_with_tracks):
    body, _, _ = body_with_tracks
    client.force_login(make_staff(training_body=body, role="manager"))
    response = client.post(reverse("enrolment_import"), {"file": csv_file("mail;nom\na;b\n"), "starts_on": "2026-03-02"})
    assert "Colonnes manquantes" in response.content.decode()
    big = "email;prenom;nom;profil\n" + "x@example.org;a;b;autre\n" * 30000
    response = client.post(reverse("enrolment_import"), {"file": csv_file(big), "starts_on": "2026-03-02"})
    assert "trop volumineux" in response.content.decode()


def test_author_cannot_enrol_and_trainee_cannot_see_learners(client, body_with_tracks):
    body, _, _ = body_with_tracks
    client.force_login(make_staff(training_body=body, role="author"))
    assert client.get(reverse("enrolment_create")).status_code == 403
    assert client.get(reverse("enrolment_import")).status_code == 403
    client.force_login(make_trainee())
    assert client.get(reverse("enrolment_list")).status_code == 403


def test_learner_list_is_scoped_to_the_body(client, body_with_tracks):
    body, short, _ = body_with_tracks
    make_enrolment(trainee=make_trainee(first_name="Visible", last_name="Ici"), track=short)
    make_enrolment(trainee=make_trainee(first_name="Invisible", last_name="Ailleurs"))
    client.force_login(make_staff(training_body=body, role="tutor"))
    html = client.get(reverse("enrolment_list")).content.decode()
    assert "Visible Ici" in html and "Invisible" not in html
    # Asking for another body with ?organisme= falls back to none of theirs
    other_staff = make_staff()
    html = client.get(reverse("enrolment_list") + f"?organisme={other_staff.training_body_memberships.get().training_body_id}").content.decode()
    assert "Invisible" not in html


def test_manager_opens_a_cohort_with_tutors(client, body_with_tracks):
    body, short, _ = body_with_tracks
    manager = make_staff(training_body=body, role="manager")
    tutor = make_staff(training_body=body, role="tutor")
    client.force_login(manager)
    response = client.post(reverse("cohort_list"), {"name": "Session mars", "track": short.pk, "starts_on": "2026-03-02",
                                                   "ends_on": "2026-03-31", "place": "", "tutors": [tutor.pk]})
    assert response.status_code == 302
    cohort = Cohort.objects.get()
    assert list(cohort.tutors.all()) == [tutor] and cohort.place_display == "À distance"
    response = client.post(reverse("cohort_list"), {"name": "Mauvaise", "track": short.pk, "starts_on": "2026-03-02",
                                                   "ends_on": "2026-02-01"})
    assert "La date de fin doit être postérieure" in response.content.decode()
    assert Cohort.objects.count() == 1
