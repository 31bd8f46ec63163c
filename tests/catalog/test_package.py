"""Issue 18, point 4: a track's package in the Wagtail admin and on the command line; hostile zips are refused.

The package is a small track loaded from a content/ folder of one module (taken from the shipped curriculum), so
that each test loads it in a few seconds.
"""
import io
import random
import shutil
import stat
import zipfile
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from lms.catalog.authoring import training_body_setup
from lms.catalog.exporter import track_package, zip_bytes
from lms.catalog.loader import load_content, read_content
from lms.catalog.models import LessonPage, TrackPage
from lms.core.uploads import UploadRejected
from lms.core.zipsafe import safe_zip_files
from lms.organisations.models import StaffRole
from lms.quizzes.models import QuizPage
from tests.factories import make_staff, make_trainee, make_training_body

pytestmark = pytest.mark.django_db
CONTENT = Path(settings.BASE_DIR) / "content"
SLUG = "parcours-constantes"
TRACK_YAML = {
    "title": "Parcours court — constantes", "summary": "Un module.", "entry_profiles": ["secretary"],
    "duration": {"value": 2, "unit": "days"}, "nominal_hours": 14, "leads_to": {"kind": "module"},
    "objectives": ["Mesurer les constantes"],
    "modules": [{"module": "constantes", "day_offset": 0, "nominal_hours": 14,
                 "hours": {"reading": 2, "exercises": 2, "tutored": 3, "in_person": 7}}],
    "final_assessment": {"title": "Évaluation finale — constantes", "pass_mark": 70, "max_attempts": 3,
                         "time_limit_minutes": 30},
}


@pytest.fixture
def small_content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT / "modules" / "constantes", root / "modules" / "constantes")
    (root / "tracks" / SLUG).mkdir(parents=True)
    (root / "tracks" / SLUG / "track.yaml").write_text(yaml.safe_dump(TRACK_YAML, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture
def body():
    return make_training_body(name="Institut Pasteur-Test", slug="institut-pasteur-test")


@pytest.fixture
def track(body, small_content, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_content(read_content(small_content), training_body_page=training_body_setup(body))
    return TrackPage.objects.get(training_body=body, slug=SLUG)


def package_zip(track):
    return zip_bytes(track_package(track).files)


def upload(data, name="parcours.zip"):
    return SimpleUploadedFile(name, data, content_type="application/zip")


def zip_of(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- The admin: export ----------------------------------------------------------------------------------------

def test_an_author_downloads_the_track_as_a_zip_from_its_admin_pages(client, body, track):
    """The track's edit page offers "Exporter (zip)"; the download is a zip named after the track, holding its
    track.yaml and its module's files."""
    author = make_staff(training_body=body, role=StaffRole.AUTHOR)
    client.force_login(author)
    url = reverse("catalog_track_export", args=[track.pk])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[track.pk]))
    assert edit.status_code == 200 and url in edit.content.decode() and "Exporter (zip)" in edit.content.decode()
    listing = client.get(reverse("wagtailadmin_explore", args=[track.get_parent().pk]))
    assert url in listing.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="parcours-{SLUG}.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
    assert f"tracks/{SLUG}/track.yaml" in names and "modules/constantes/quiz.yaml" in names
    assert "modules/constantes/lessons/02-mesurer-la-pression-arterielle.md" in names


def test_another_bodys_staff_and_trainees_cannot_export_the_track(client, track):
    """Another body's author and manager get a 404 (the track is not in their reach); a trainee, the admin's
    login page; none gets a byte of the package."""
    url = reverse("catalog_track_export", args=[track.pk])
    for role in (StaffRole.AUTHOR, StaffRole.MANAGER):
        client.force_login(make_staff(training_body=make_training_body(), role=role))
        response = client.get(url)
        assert response.status_code == 404 and response.get("Content-Type") != "application/zip"
        assert "Exporter (zip)" not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_trainee())
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/cms/login/")


def test_a_lesson_published_in_wagtail_shows_in_the_next_export(track):
    """An author's edit, published as a new revision (with the editor's HTML: <b>, data-block-key), is in the next
    export: the lesson's title and its Markdown."""
    lesson = LessonPage.objects.descendant_of(track).order_by("path").first()
    lesson.title = "Installer le patient (revu)"
    lesson.body = [("text", '<p data-block-key="a1b2c">Paragraphe <b>revu</b> par l\'autrice, avec '
                            '<i>nuance</i>.</p>'), *[(b.block_type, b.value) for b in lesson.body]]
    lesson.save_revision().publish()
    files = track_package(TrackPage.objects.get(pk=track.pk)).files
    text = files["modules/constantes/lessons/01-installer-le-patient-deshabillage.md"].decode()
    assert 'title: Installer le patient (revu)' in text
    assert "\nParagraphe **revu** par l'autrice, avec *nuance*.\n" in text


def test_a_quiz_changed_in_wagtail_shows_in_the_next_export(track):
    """The module quiz's pass mark and time limit set in Wagtail are written to quiz.yaml."""
    quiz = QuizPage.objects.descendant_of(track).get(slug="quiz")
    quiz.pass_mark, quiz.time_limit_minutes = 80, 20
    quiz.save_revision().publish()
    data = yaml.safe_load(track_package(TrackPage.objects.get(pk=track.pk)).files["modules/constantes/quiz.yaml"])
    assert (data["pass_mark"], data["time_limit_minutes"]) == (80, 20)


# --- The admin: import -----------------------------------------------------------------------------------------

def test_a_manager_imports_a_package_into_their_body(client, track):
    """A manager of another body uploads the zip: the track, its lessons and quizzes are in their catalogue,
    published, and export again to the same bytes."""
    data = package_zip(track)
    other = make_training_body(name="Organisme destinataire", slug="organisme-destinataire")
    manager = make_staff(training_body=other, role=StaffRole.MANAGER)
    body_page = training_body_setup(other)
    client.force_login(manager)
    page = client.get(reverse("catalog_package_import"))
    assert page.status_code == 200
    assert '<h1 class="w-header__title" id="header-title">' in page.content.decode()  # the page's title is its heading
    assert "Importer un parcours (zip)" in page.content.decode().split('id="header-title">')[1].split("</h1>")[0]
    response = client.post(reverse("catalog_package_import"),
                           {"training_body_page": body_page.pk, "package": upload(data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    copy = TrackPage.objects.get(training_body=other, slug=SLUG)
    assert copy.live and LessonPage.objects.descendant_of(copy).live().count() == 4
    assert package_zip(copy) == data


def test_import_form_errors_are_french_and_nothing_is_written(client, track):
    """Not a zip, a zip with a path escaping the package, a package with an invalid lesson: a French error on the
    field, the problems listed, and no page created."""
    other = make_training_body()
    body_page = training_body_setup(other)
    client.force_login(make_staff(training_body=other, role=StaffRole.MANAGER))
    files = dict(track_package(track).files)
    lesson = "modules/constantes/lessons/01-installer-le-patient-deshabillage.md"
    files[lesson] = b"---\ntitle: Trop court\nduration_minutes: 5\n---\nTrois mots seulement.\n"
    cases = [(b"pas un zip", "n’est pas une archive zip valide"),
             (zip_of({"../../etc/passwd": b"x"}), "chemin qui sort du paquet"),
             (zip_bytes(files), "Le paquet n’est pas valide")]
    pages = TrackPage.objects.count()
    for data, message in cases:
        response = client.post(reverse("catalog_package_import"),
                               {"training_body_page": body_page.pk, "package": upload(data)})
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert lesson in response.content.decode()  # the problem names the file
    missing = client.post(reverse("catalog_package_import"), {"training_body_page": body_page.pk})
    assert "Champ requis." in missing.content.decode() and "Un zip produit par" in missing.content.decode()
    assert TrackPage.objects.count() == pages


def test_only_managers_import_and_only_into_their_own_body(client, track, body):
    """An author cannot import (import publishes pages); a manager cannot choose another body's catalogue."""
    client.force_login(make_staff(training_body=body, role=StaffRole.AUTHOR))
    assert client.get(reverse("catalog_package_import")).status_code == 404
    other = make_training_body()
    training_body_setup(other)
    client.force_login(make_staff(training_body=other, role=StaffRole.MANAGER))
    response = client.post(reverse("catalog_package_import"),
                           {"training_body_page": track.get_parent().pk, "package": upload(package_zip(track))})
    assert response.status_code == 200 and "Sélectionnez un choix valide" in response.content.decode()
    assert TrackPage.objects.filter(slug=SLUG).count() == 1


# --- Hostile zips ----------------------------------------------------------------------------------------------

def _symlink_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("tracks/lien")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04 tronque", "n’est pas une archive zip valide"),
    (zip_of({"../sortie.txt": b"x"}), "chemin qui sort du paquet"),
    (zip_of({"/etc/cron.d/x": b"x"}), "chemin qui sort du paquet"),
    (zip_of({"modules\\..\\..\\x": b"x"}), "chemin qui sort du paquet"),
    (zip_of({"C:/x": b"x"}), "chemin qui sort du paquet"),
    (_symlink_zip(), "lien symbolique"),
    (zip_of({"bombe.txt": b"\0" * (30 * 1024 * 1024)}), "trop de données"),
    (zip_of({f"f{n}.txt": b"x" for n in range(2001)}), "trop de fichiers"),
], ids=["damaged", "parent", "absolute", "backslash", "drive", "symlink", "bomb", "entries"])
def test_hostile_zips_are_refused_with_a_french_message(data, message):
    """Each hostile archive raises UploadRejected with a French message, before anything is written."""
    with pytest.raises(UploadRejected) as error:
        safe_zip_files(data)
    assert message in str(error.value.message)


def test_a_zip_whose_entries_expand_past_the_total_limit_is_refused():
    """The declared sizes are not trusted: the total inflated is bounded."""
    data = zip_of({f"f{n}.bin": random.Random(n).randbytes(1_000_000) for n in range(3)})  # incompressible
    with pytest.raises(UploadRejected):
        safe_zip_files(data, max_total=2_000_000)
    assert len(safe_zip_files(data)) == 3


# --- Commands -------------------------------------------------------------------------------------------------

def test_export_track_and_load_content_from_the_zip(track, tmp_path, django_capture_on_commit_callbacks):
    """export_track writes the zip (by slug) and the folder (by id); load_content loads the zip into another body;
    a hostile zip is a CommandError and writes nothing."""
    out = StringIO()
    call_command("export_track", SLUG, str(tmp_path / "p.zip"), stdout=out)
    assert "files written" in out.getvalue()
    call_command("export_track", str(track.pk), str(tmp_path / "dossier"), stdout=StringIO())
    assert (tmp_path / "p.zip").read_bytes() == package_zip(track)
    assert read_content(tmp_path / "dossier").tracks[0].slug == SLUG
    other = make_training_body(slug="autre-organisme")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", training_body="autre-organisme", path=str(tmp_path / "p.zip"), stdout=StringIO())
    assert TrackPage.objects.filter(training_body=other, slug=SLUG).exists()
    (tmp_path / "bad.zip").write_bytes(zip_of({"../x": b"x"}))
    with pytest.raises(CommandError, match="chemin qui sort du paquet"):
        call_command("load_content", training_body="autre-organisme", path=str(tmp_path / "bad.zip"))
    with pytest.raises(CommandError):
        call_command("export_track", "inconnu", str(tmp_path / "x.zip"))


# --- Media ------------------------------------------------------------------------------------------------------

def _png():
    from PIL import Image as PILImage  # Pillow only for this builder

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_images_documents_and_videos_travel_with_the_package(track, django_capture_on_commit_callbacks):
    """A lesson showing a Wagtail image, a document and a video exports them (media/ files referenced from the
    Markdown); loaded into another body, they are that body's image and document, in its collection; exported
    from there and loaded again, the package no longer changes."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    collection = Collection.objects.get(name=track.training_body.name)
    image = get_image_model().objects.create(title="Schéma du brassard", collection=collection,
                                             file=ContentFile(_png(), name="brassard.png"))
    document = get_document_model().objects.create(title="Fiche réflexe tension", collection=collection,
                                                   file=ContentFile(b"%PDF-1.4\n% fiche\n%%EOF\n", name="fiche.pdf"))
    lesson = LessonPage.objects.descendant_of(track).order_by("path").first()
    lesson.body = [*[(b.block_type, b.value) for b in lesson.body],
                   ("image", {"image": {"image": image, "decorative": False, "alt_text": "Brassard posé au bras"},
                              "caption": "Le repère sur l'artère"}),
                   ("document", {"document": document, "label": "Fiche réflexe"}),
                   ("video", {"title": "La mesure en vidéo", "video": "https://www.youtube.com/watch?v=abc123",
                              "transcript": "Transcription de la vidéo."})]
    lesson.save_revision().publish()
    files = track_package(TrackPage.objects.get(pk=track.pk)).files
    images = [name for name in files if name.startswith("media/images/schema-du-brassard-")]
    documents = [name for name in files if name.startswith("media/documents/fiche-reflexe-tension-")]
    assert len(images) == 1 and files[images[0]] == _png() and len(documents) == 1
    text = files["modules/constantes/lessons/01-installer-le-patient-deshabillage.md"].decode()
    assert f'![Brassard posé au bras]({images[0]} "Le repère sur l\'artère")' in text
    assert f":::document {documents[0]}\nFiche réflexe\n:::" in text
    assert ":::video https://www.youtube.com/watch?v=abc123\nLa mesure en vidéo\n\nTranscription de la vidéo.\n:::" in text

    exports = []
    for name in ("Organisme B", "Organisme C"):
        other = make_training_body(name=name)
        with django_capture_on_commit_callbacks(execute=True):
            from lms.catalog.package import import_package  # the service the admin view calls

            import_package(zip_bytes(files), training_body=other)
        copy = TrackPage.objects.get(training_body=other, slug=SLUG)
        body = LessonPage.objects.descendant_of(copy).order_by("path").first().body
        shown = {block.block_type: block.value for block in body}
        own = Collection.objects.get(name=name)
        assert shown["image"]["image"].collection == own
        assert shown["image"]["image"].contextual_alt_text == "Brassard posé au bras"
        assert shown["image"]["image"].pk != image.pk and shown["document"]["document"].collection == own
        assert shown["video"]["title"] == "La mesure en vidéo"
        files = track_package(copy).files
        exports.append(zip_bytes(files))
    assert exports[0] == exports[1]


def test_a_lesson_pointing_to_a_missing_or_escaping_file_is_refused(track):
    """A Markdown reference to a file the package lacks, or outside media/, is a problem of the lesson's file."""
    from lms.catalog.loader import ContentError
    from lms.catalog.package import import_package  # the service the admin view calls

    files = dict(track_package(track).files)
    lesson = "modules/constantes/lessons/01-installer-le-patient-deshabillage.md"
    files[lesson] += b"\n![Absent](media/images/absent.png)\n\n![Dehors](media/../../etc/passwd.png)\n"
    with pytest.raises(ContentError) as error:
        import_package(zip_bytes(files), training_body=make_training_body())
    messages = [message for file, _field, message in error.value.problems if file == lesson]
    assert any("no such file" in m for m in messages) and any("expected media/images/" in m for m in messages)
