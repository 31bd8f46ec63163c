"""The CSV import of learners (issue 16, point 4): the page lists each column with its accepted values, generated
from the parser's own choices; the profile accepts codes and the labels the interface shows, whatever the case,
accents and spaces; an unknown value names the line, the column and the accepted values; nothing is imported while
a row is wrong."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings as hypothesis_settings, strategies as st
from django.utils import translation

from lms.accounts.models import EntryProfile, User
from lms.learning.models import Enrolment
from lms.learning.services import csv_key, profile_aliases
from tests.factories import make_staff, make_track, make_training_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def body_with_tracks():
    body = make_training_body()
    make_track(training_body=body, title="Parcours 12 jours", profiles=("secretary",))
    make_track(training_body=body, title="Parcours 4 mois", profiles=("care_assistant", "childcare_assistant", "nurse",
                                                                       "other"),
               duration_value=4, duration_unit="months")
    return body


def csv_file(text):
    return SimpleUploadedFile("inscriptions.csv", text.encode("utf-8"), content_type="text/csv")


def test_import_page_lists_every_column_and_the_accepted_values(client, body_with_tracks):
    """Every column the parser reads, and every entry profile with its French label and its code (from
    EntryProfile itself, not a copy), the date formats with an example."""
    client.force_login(make_staff(training_body=body_with_tracks, role="manager"))
    html = client.get(reverse("enrolment_import")).content.decode()
    assert "<h2 id=\"columns\">Colonnes du fichier</h2>" in html
    assert "<caption class=\"visually-hidden\">Colonnes du fichier et valeurs acceptées</caption>" in html
    for column in ("email", "prenom", "nom", "profil", "debut"):
        assert f'<th scope="row"><code>{column}</code></th>' in html
    with translation.override("fr"):
        for code, label in EntryProfile.choices:
            assert f"{label} — code <code>{code}</code>" in html
    assert "Aide-soignant·e (DEAS) — code <code>care_assistant</code>" in html
    assert "JJ/MM/AAAA ou AAAA-MM-JJ, par exemple 01/09/2026 ou 2026-09-01" in html


@pytest.mark.parametrize("value,expected", [
    ("Aide-soignant·e (DEAS)", "care_assistant"), ("AIDE-SOIGNANT·E (DEAS)", "care_assistant"),
    ("aide soignant.e  (deas)", "care_assistant"), ("care_assistant", "care_assistant"), ("DEAS", "care_assistant"),
    ("Secrétaire médical·e", "secretary"), ("secretaire medicale", "secretary"), ("Medical secretary", "secretary"),
    ("Infirmier·ère (DEI)", "nurse"), ("  infirmiere  ", "nurse"),
    ("Auxiliaire de puériculture (DEAP)", "childcare_assistant"), ("Autre profil (non soignant)", "other"),
])
def test_profile_accepts_the_labels_and_codes_the_interface_shows(value, expected):
    assert profile_aliases().get(csv_key(value)) == expected


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.sampled_from(EntryProfile.choices), st.sampled_from(["fr", "en"]), st.booleans(), st.booleans())
def test_any_label_in_any_case_is_read_as_its_profile(choice, language, upper, padded):
    """Each label the interface shows, in French or English, upper or lower case, padded with spaces."""
    code, label = choice
    with translation.override(language):
        text = str(label)
    text = text.upper() if upper else text.lower()
    text = f"  {text} " if padded else text
    assert profile_aliases()[csv_key(text)] == code


def test_labels_import_and_unknown_values_name_line_column_and_accepted_values(client, body_with_tracks):
    client.force_login(make_staff(training_body=body_with_tracks, role="tutor"))
    good = ("email;prenom;nom;profil;debut\n"
            "ines@example.org;Inès;Bernard;Aide-soignant·e (DEAS);01/09/2026\n"
            "cam@example.org;Camille;Martin;SECRÉTAIRE MÉDICAL·E;2026-09-01\n")
    html = client.post(reverse("enrolment_import"), {"file": csv_file(good), "starts_on": "2026-09-01"}).content.decode()
    assert "2 lignes sont prêtes à être importées" in html
    client.post(reverse("enrolment_import"), {"confirm": "1"})
    assert set(Enrolment.objects.values_list("trainee__email", "track__title")) == {
        ("ines@example.org", "Parcours 4 mois"), ("cam@example.org", "Parcours 12 jours")}
    assert User.objects.get(email="ines@example.org").trainee_profile.entry_profile == "care_assistant"

    bad = ("email;prenom;nom;profil;debut\n"
           "ok@example.org;Ana;Lopez;infirmier;\n"
           "bad@example.org;Bob;Roy;Aide soignante diplômée;\n"
           "date@example.org;Cé;Roy;DEAS;1er septembre\n")
    users = User.objects.count()
    response = client.post(reverse("enrolment_import"), {"file": csv_file(bad), "starts_on": "2026-09-01"})
    html = response.content.decode()
    assert ("ligne 3, colonne « profil » : profil d&#x27;entrée inconnu « Aide soignante diplômée » ; valeurs "
            "acceptées : Secrétaire médical·e (secretary), Aide-soignant·e (DEAS) (care_assistant)") in html
    assert "Autre profil (non soignant) (other)" in html
    assert ("ligne 4, colonne « debut » : date de début invalide « 1er septembre » (format attendu JJ/MM/AAAA ou "
            "AAAA-MM-JJ)") in html
    assert "Rien n&#x27;a été enregistré" in html or "Rien n'a été enregistré" in html
    client.post(reverse("enrolment_import"), {"confirm": "1"})  # no confirmation of a file with problems
    assert User.objects.count() == users and Enrolment.objects.count() == 2
    assert not User.objects.filter(email="ok@example.org").exists()
