"""Issue 16, point 5: a module shared by two tracks has one set of lessons and one quiz; authors edit a lesson once.

The loader writes a shared module's lessons and quiz under the first track that includes it and Wagtail aliases of
them under every other one; each track keeps its own module page, which carries the module's planning there.
"""
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from lms.catalog import loader
from lms.catalog.loader import load_content, read_content
from lms.catalog.models import LessonPage, ModulePage, TrackPage
from lms.certificates.models import Certificate
from lms.learning.models import LessonCompletion
from lms.learning.selectors import track_structure
from lms.learning.services import lesson_complete
from lms.quizzes.models import QuestionBankPage, QuizPage
from tests.factories import make_enrolment, make_staff, make_track, make_trainee, make_training_body

pytestmark = pytest.mark.django_db
CONTENT = Path(settings.BASE_DIR) / "content"
LONG, SHORT = "assistant-medical-4-mois", "assistant-medical-secretaires-12-jours"


@pytest.fixture
def body():
    return make_training_body(name="Institut du test", slug="institut-du-test")


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def load(body, path=CONTENT):
    out = StringIO()
    call_command("load_content", training_body=body.slug, path=str(path), stdout=out)
    return out.getvalue()


def test_shared_modules_are_loaded_once_and_aliased_in_the_other_track(body, django_capture_on_commit_callbacks):
    """The 4-month track (first folder) holds the lessons and quizzes of every module; the 12-day track holds
    aliases of them under its own module pages, which keep their own hours and planned start; the final assessment
    of each track still draws every included module's questions; a second load changes nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        load(body)
    content = read_content(CONTENT)
    long_track, short_track = TrackPage.objects.get(slug=LONG), TrackPage.objects.get(slug=SHORT)
    short_spec = next(spec for spec in content.tracks if spec.slug == SHORT)
    originals = LessonPage.objects.descendant_of(long_track)
    aliases = LessonPage.objects.descendant_of(short_track)
    assert not originals.filter(alias_of__isnull=False).exists()
    assert aliases.count() == sum(len(module.lessons) for module, *_ in short_spec.modules)
    assert not aliases.filter(alias_of__isnull=True).exists()
    assert set(aliases.values_list("alias_of_id", flat=True)) <= set(originals.values_list("pk", flat=True))
    # One set of lessons: as many lessons that are not aliases as lesson files in content/modules.
    assert LessonPage.objects.filter(alias_of__isnull=True).count() == len(list(CONTENT.glob("modules/*/lessons/*.md")))
    for module, day_offset, hours, _breakdown in short_spec.modules:
        mine = ModulePage.objects.child_of(short_track).get(slug=module.slug)
        source = ModulePage.objects.child_of(long_track).get(slug=module.slug)
        assert mine.alias_of_id is None and (mine.day_offset, mine.nominal_hours) == (day_offset, hours)
        quiz = QuizPage.objects.child_of(mine).get()
        assert quiz.alias_of_id == QuizPage.objects.child_of(source).get().pk
        assert quiz.source_key == f"{SHORT}/{module.slug}/quiz" and len(quiz.questions) >= 8
        lesson = LessonPage.objects.child_of(mine).first()
        assert lesson.source_key == f"{SHORT}/{module.slug}/{lesson.slug}"
        assert lesson.render_body() == lesson.alias_of.specific.render_body()
    constantes = ModulePage.objects.child_of(short_track).get(slug="constantes")
    assert (constantes.nominal_hours, ModulePage.objects.child_of(long_track).get(slug="constantes").nominal_hours) \
        == (14, 42)
    finals = {track.slug: QuizPage.objects.child_of(track).get() for track in (long_track, short_track)}
    assert all(final.alias_of_id is None for final in finals.values())
    # The 12-day final draws from its modules' banks (aliases of the 4-month track's): no copy of a question.
    assert len(finals[SHORT].questions) == 0
    assert finals[SHORT].question_count == sum(len(module.assessment) for module, *_ in short_spec.modules) >= 30
    structure = track_structure(short_track)
    assert structure.final_assessment.question_count == finals[SHORT].question_count
    assert [len(module.lessons) for module in structure.modules] == [len(m.lessons) for m, *_ in short_spec.modules]

    pages_before = set(LessonPage.objects.values_list("pk", "alias_of_id"))
    assert load(body).startswith("created 0, updated 0")
    assert set(LessonPage.objects.values_list("pk", "alias_of_id")) == pages_before
    assert QuizPage.objects.filter(alias_of__isnull=False).count() == len(short_spec.modules)
    assert QuestionBankPage.objects.filter(alias_of__isnull=False).count() == len(short_spec.modules)
    assert QuestionBankPage.objects.filter(alias_of__isnull=True).count() == len(list(CONTENT.glob("modules/*/assessment.yaml")))


def test_a_changed_shared_lesson_is_updated_once_and_every_track_shows_it(body, content_copy,
                                                                        django_capture_on_commit_callbacks):
    """Editing the lesson file of a shared module and loading again updates one page; the alias in the 12-day track
    follows it, and that track's cached structure is rebuilt."""
    with django_capture_on_commit_callbacks(execute=True):
        load(body, content_copy)
    short_track = TrackPage.objects.get(slug=SHORT)
    assert track_structure(short_track) is not None  # cached before the change
    path = next((content_copy / "modules" / "constantes" / "lessons").glob("03-*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: \"", "title: \"Revu : ", 1).replace("\n---\n", "\n---\nParagraphe ajouté "
                                                                          "par la relecture.\n\n", 1), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        report = load_content(read_content(content_copy), training_body_page=short_track.get_parent())
    slug = path.stem.split("-", 1)[1]
    assert report.updated == [f"{LONG}/constantes/{slug}"]
    assert report.created == []
    alias = LessonPage.objects.get(source_key=f"{SHORT}/constantes/{slug}")
    assert alias.alias_of_id == LessonPage.objects.get(source_key=f"{LONG}/constantes/{slug}").pk
    assert alias.title.startswith("Revu : ") and "Paragraphe ajouté par la relecture." in alias.render_body()
    titles = [lesson.title for module in track_structure(short_track).modules for lesson in module.lessons]
    assert alias.title in titles


@pytest.fixture
def shared():
    """Track A holds a module; track B, of the same body, a module whose lessons are aliases of A's (as loaded)."""
    body = make_training_body()
    track_a = make_track(training_body=body, modules=1, lessons=2, title="Parcours A")
    track_b = make_track(training_body=body, modules=1, lessons=0, title="Parcours B")
    module_b = ModulePage.objects.child_of(track_b).get()
    originals = list(LessonPage.objects.descendant_of(track_a).order_by("path"))
    aliases = [lesson.create_alias(parent=module_b) for lesson in originals]
    return {"body": body, "a": track_a, "b": track_b, "originals": originals,
            "aliases": [LessonPage.objects.get(pk=alias.pk) for alias in aliases]}


def publish_new_body(lesson, text, title=None):
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body = [("text", f"<p>{text}</p>")]
    lesson.title = title or lesson.title
    lesson.save_revision().publish()


def test_publishing_the_original_updates_the_alias_and_the_other_tracks_pages(client, shared,
                                                                             django_capture_on_commit_callbacks):
    """An author publishes a new revision of the lesson in track A: track B's trainee reads the new text at the
    alias, and track B's outline (cached) shows the new title."""
    enrolment = make_enrolment(track=shared["b"])
    client.force_login(enrolment.trainee)
    alias = shared["aliases"][0]
    outline_url = reverse("track_outline", args=[shared["b"].pk])
    assert "Leçon 1.1" in client.get(outline_url).content.decode()
    assert "Texte de la leçon 1.1" in client.get(reverse("lesson", args=[alias.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_body(shared["originals"][0], "Nouvelle version relue de la leçon.", title="Leçon relue")
    alias.refresh_from_db()
    assert alias.title == "Leçon relue" and "Nouvelle version relue" in alias.render_body()
    page = client.get(reverse("lesson", args=[alias.pk])).content.decode()
    assert "Nouvelle version relue de la leçon." in page and "Texte de la leçon 1.1" not in page
    outline = client.get(outline_url).content.decode()
    assert "Leçon relue" in outline and "Leçon 1.1" not in outline
    assert [lesson.title for lesson in track_structure(shared["b"]).modules[0].lessons][0] == "Leçon relue"
    found = client.get(reverse("track_search", args=[enrolment.pk]), {"q": "relue"}).content.decode()
    assert reverse("lesson", args=[alias.pk]) in found
    assert reverse("lesson", args=[shared["originals"][0].pk]) not in found


def test_progress_and_certificates_in_the_other_track_stay_its_own(client, shared, django_capture_on_commit_callbacks):
    """Track B's trainee completes the aliases (their own page ids) and is certified; an edit of the original later
    changes neither their progress nor their certificate, and track A's trainee gains nothing and cannot read B's
    lessons."""
    enrolment_b = make_enrolment(track=shared["b"])
    enrolment_a = make_enrolment(track=shared["a"], trainee=make_trainee(email="a@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        for alias in shared["aliases"]:
            lesson_complete(enrolment=enrolment_b, lesson=alias)
    enrolment_b.refresh_from_db()
    assert enrolment_b.status == "completed"
    certificate = Certificate.objects.get(enrolment=enrolment_b)
    done = set(LessonCompletion.objects.filter(enrolment=enrolment_b).values_list("lesson_id", flat=True))
    assert done == {alias.pk for alias in shared["aliases"]}
    assert not LessonCompletion.objects.filter(enrolment=enrolment_a).exists()
    with django_capture_on_commit_callbacks(execute=True):
        publish_new_body(shared["originals"][1], "Une précision ajoutée après coup.")
    enrolment_b.refresh_from_db()
    assert enrolment_b.status == "completed"
    assert set(LessonCompletion.objects.filter(enrolment=enrolment_b).values_list("lesson_id", flat=True)) == done
    assert list(Certificate.objects.filter(enrolment__trainee=enrolment_b.trainee)) == [certificate]
    assert not Certificate.objects.filter(enrolment=enrolment_a).exists()
    client.force_login(enrolment_a.trainee)
    assert client.get(reverse("lesson", args=[shared["aliases"][0].pk])).status_code in (403, 404)
    assert client.get(reverse("lesson", args=[shared["originals"][0].pk])).status_code == 200


def test_authors_edit_the_original_and_the_alias_points_to_it(client, shared):
    """The body's author edits the lesson where it lives (track A); the alias's edit page says it is an alias and
    links to the original; another body's author can edit neither."""
    original, alias = shared["originals"][0], shared["aliases"][0]
    author = make_staff(training_body=shared["body"], role="author")
    assert original.permissions_for_user(author).can_edit()
    client.force_login(author)
    assert client.get(f"/cms/pages/{original.pk}/edit/").status_code == 200
    response = client.get(f"/cms/pages/{alias.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "alias" in html.lower() and f"/cms/pages/{original.pk}/edit/" in html
    stranger = make_staff(training_body=make_training_body(), role="author", email="autre@example.org")
    assert not original.permissions_for_user(stranger).can_edit()
    client.force_login(stranger)
    for page in (original, alias):
        assert client.get(f"/cms/pages/{page.pk}/edit/").status_code in (302, 403)


def test_copies_from_an_earlier_load_stay_copies_unless_converted(body, monkeypatch, django_capture_on_commit_callbacks):
    """A database loaded before modules were shared holds copies in the 12-day track. A new load keeps them (updated
    from content/, no alias added beside them); with --convert-copies, each copy that no record points to and that
    nobody edited becomes an alias in its place, while a completed lesson and an edited one stay copies."""
    monkeypatch.setattr(loader, "alias_page", lambda **kwargs: kwargs["update_copy"]())  # the loader before aliases
    with django_capture_on_commit_callbacks(execute=True):
        load(body)
    monkeypatch.undo()
    short_track = TrackPage.objects.get(slug=SHORT)
    module = ModulePage.objects.child_of(short_track).get(slug="constantes")
    order = list(module.get_children().values_list("slug", flat=True))
    assert not LessonPage.objects.filter(alias_of__isnull=False).exists()
    count = LessonPage.objects.count()
    assert load(body).startswith("created 0, updated 0")
    assert LessonPage.objects.count() == count and not LessonPage.objects.filter(alias_of__isnull=False).exists()

    done, edited, *others = LessonPage.objects.child_of(module).order_by("path")
    enrolment = make_enrolment(track=short_track)
    lesson_complete(enrolment=enrolment, lesson=done)
    edited.title = "Titre revu dans le parcours court"
    edited.save_revision().publish()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", training_body=body.slug, convert_copies=True, stdout=out)
    assert out.getvalue().startswith("created 0, updated 0")
    assert LessonPage.objects.count() == count
    assert list(module.get_children().values_list("slug", flat=True)) == order
    for page in (done, edited):
        page.refresh_from_db()
        assert page.alias_of_id is None
    assert LessonPage.objects.get(pk=edited.pk).title == "Titre revu dans le parcours court"
    for page in others:
        alias = LessonPage.objects.child_of(module).get(slug=page.slug)
        assert alias.alias_of_id == LessonPage.objects.get(source_key=f"{LONG}/constantes/{page.slug}").pk
        assert alias.source_key == page.source_key
    assert QuizPage.objects.child_of(module).get().alias_of_id is not None
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson=done).exists()
    assert [m.title for m in track_structure(short_track).modules] \
        == list(ModulePage.objects.child_of(short_track).order_by("path").values_list("title", flat=True))
    assert "converted" not in load(body)
