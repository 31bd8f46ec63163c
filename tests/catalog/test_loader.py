"""The shipped curriculum: validated first, loaded idempotently, admin edits respected."""
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import Page

from lms.catalog.loader import ContentError, read_content
from lms.catalog.markdown_blocks import markdown_to_blocks
from lms.catalog.models import LessonPage, TrackPage
from tests.factories import make_training_body

pytestmark = pytest.mark.django_db
CONTENT = Path(settings.BASE_DIR) / "content"


@pytest.fixture
def body():
    """The training body that owns the loaded tracks (load_content always names one)."""
    return make_training_body(name="Institut du test", slug="institut-du-test")


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def test_shipped_content_is_valid_and_substantial():
    """Both tracks: at least 8 modules and 30 lessons of at least 300 words each."""
    content = read_content(CONTENT)
    assert {t.slug for t in content.tracks} == {"assistant-medical-secretaires-12-jours", "assistant-medical-4-mois"}
    for track in content.tracks:
        lessons = [lesson for module, *_ in track.modules for lesson in module.lessons]
        assert len(track.modules) >= 8
        assert len(lessons) >= 30
        assert min(lesson.words for lesson in lessons) >= 300
    secretaries = next(t for t in content.tracks if t.slug.startswith("assistant-medical-secretaires"))
    assert secretaries.entry_profiles == ["secretary"] and (secretaries.duration_value, secretaries.duration_unit) == (12, "days")
    other = next(t for t in content.tracks if t.slug == "assistant-medical-4-mois")
    assert "secretary" not in other.entry_profiles and (other.duration_value, other.duration_unit) == (4, "months")


def test_load_twice_changes_nothing_and_stats_read_from_database(body):
    out = StringIO()
    call_command("load_content", training_body=body.slug, stdout=out)
    import re

    assert int(re.match(r"created (\d+)", out.getvalue()).group(1)) >= 2 + 18 + 60
    revisions = LessonPage.objects.first().revisions.count()
    out = StringIO()
    call_command("load_content", training_body=body.slug, stdout=out)
    assert out.getvalue().startswith("created 0, updated 0")
    assert LessonPage.objects.first().revisions.count() == revisions
    out = StringIO()
    call_command("content_stats", stdout=out)
    stats = json.loads(out.getvalue())
    for slug in ("assistant-medical-secretaires-12-jours", "assistant-medical-4-mois"):
        assert stats[slug]["modules"] >= 8
        assert stats[slug]["lessons"] >= 30
        assert stats[slug]["words_per_lesson_min"] >= 300
        # The quizzes, loaded through the quizzes app's registered loader and counted through catalog's base.
        assert stats[slug]["quizzes"] == stats[slug]["modules"] + 1
        assert stats[slug]["final_assessment_questions"] >= 30 and stats[slug]["min_questions_per_module_quiz"] >= 8


def test_invalid_file_names_file_and_field_and_writes_nothing(content_copy, body):
    lesson = next((content_copy / "modules" / "constantes" / "lessons").glob("02-*.md"))
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("duration_minutes: 35", "duration_minutes: beaucoup"),
                      encoding="utf-8")
    track_yaml = content_copy / "tracks" / "assistant-medical-4-mois" / "track.yaml"
    track_yaml.write_text(track_yaml.read_text(encoding="utf-8").replace("module: coordination", "module: inconnu"),
                          encoding="utf-8")
    pages_before = Page.objects.count()
    with pytest.raises(ContentError) as error:
        read_content(content_copy)
    problems = error.value.problems
    assert any(str(lesson) == f and fld == "duration_minutes" for f, fld, _ in problems)
    assert any(str(track_yaml) == f and "modules[" in fld for f, fld, _ in problems)
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_content", training_body=body.slug, path=str(content_copy), stderr=err)
    assert "duration_minutes" in err.getvalue()
    assert Page.objects.count() == pages_before


def test_short_lesson_is_refused(content_copy):
    lesson = next((content_copy / "modules" / "constantes" / "lessons").glob("01-*.md"))
    lesson.write_text('---\ntitle: "Trop court"\nduration_minutes: 5\n---\nQuelques mots seulement.\n', encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_content(content_copy)
    assert any(fld == "body" and "at least 300" in msg for _, fld, msg in error.value.problems)


def test_admin_edits_are_kept_unless_forced(content_copy, body):
    call_command("load_content", training_body=body.slug, path=str(content_copy), stdout=StringIO())
    lesson = LessonPage.objects.get(source_key="assistant-medical-4-mois/constantes/poids-taille-imc")
    lesson.title = "Titre modifié dans l'admin"
    lesson.save_revision().publish()
    path = next((content_copy / "modules" / "constantes" / "lessons").glob("03-*.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("Poids, taille", "Poids et taille", 1), encoding="utf-8")
    out = StringIO()
    call_command("load_content", training_body=body.slug, path=str(content_copy), stdout=out)
    assert "skipped (edited in the admin; use --force to overwrite): assistant-medical-4-mois/constantes/poids-taille-imc" in out.getvalue()
    lesson.refresh_from_db()
    assert lesson.title == "Titre modifié dans l'admin"
    call_command("load_content", training_body=body.slug, path=str(content_copy), force=True, stdout=StringIO())
    lesson.refresh_from_db()
    assert lesson.title.startswith("Poids et taille")


def test_markdown_fences_become_blocks():
    blocks = markdown_to_blocks("Intro **gras**.\n\n## Titre\n\n:::retenir\nPoint clé\n:::\n\n:::etapes Mesure\n1. Un\n2. Deux\n:::\n\n"
                                ":::glossaire IMC\nIndice de masse corporelle.\n:::\n")
    kinds = [kind for kind, _ in blocks]
    assert kinds == ["text", "heading", "key_points", "procedure", "glossary"]
    assert "<strong>gras</strong>" in blocks[0][1]
    assert blocks[3][1] == {"title": "Mesure", "steps": ["Un", "Deux"]}
    assert blocks[4][1]["term"] == "IMC"


def test_loaded_lesson_renders_blocks(body):
    call_command("load_content", training_body=body.slug, stdout=StringIO())
    lesson = LessonPage.objects.get(source_key="assistant-medical-4-mois/constantes/mesurer-la-pression-arterielle")
    html = str(lesson.body.render_as_block())
    assert 'class="callout"' in html and "<h2>" in html and 'class="glossary"' in html
    assert TrackPage.objects.count() == 2


def test_load_content_names_its_training_body():
    """The loader belongs to no particular body: an unknown slug is refused, nothing is created."""
    with pytest.raises(CommandError, match="No training body with slug 'inconnu'"):
        call_command("load_content", training_body="inconnu", stdout=StringIO())
    assert TrackPage.objects.count() == 0


def test_shipped_tracks_state_their_support():
    """Each shipped track names its pedagogical and technical contacts and a response time (D6313-3-1)."""
    for track in read_content(CONTENT).tracks:
        assert track.support["support_pedagogical_contact"], track.slug
        assert "@" in track.support["support_pedagogical_email"] and "@" in track.support["support_technical_email"]
        assert track.support["support_response_hours"] == 48


def test_a_wrong_support_email_or_response_time_is_named(content_copy):
    track_yaml = content_copy / "tracks" / "assistant-medical-4-mois" / "track.yaml"
    text = track_yaml.read_text(encoding="utf-8")
    track_yaml.write_text(text.replace('technical_email: "assistance@parcours-am.example"', 'technical_email: "pas-un-email"')
                          .replace("response_hours: 48", "response_hours: beaucoup"), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_content(content_copy)
    fields = {fld for f, fld, _ in error.value.problems if f == str(track_yaml)}
    assert {"support.technical_email", "support.response_hours"} <= fields
