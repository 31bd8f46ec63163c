"""Wagtail routes the catalogue as any page tree (no route() override): the URL Wagtail gives a page
(`page.url`) leads to its trainee view, through the page's serve()."""
import pytest
from django.urls import reverse

from lms.catalog.models import LessonPage, ModulePage
from tests.factories import make_quiz, make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def track():
    return make_track(modules=1, lessons=2)


def test_page_urls_lead_to_the_trainee_views(client, track):
    module = ModulePage.objects.child_of(track).get()
    lesson = LessonPage.objects.child_of(module).first()
    quiz = make_quiz(parent=module)
    outline = reverse("track_outline", args=[track.pk])
    for page, target in ((track, outline), (module, f"{outline}#module-{module.pk}"),
                         (lesson, reverse("lesson", args=[lesson.pk])), (quiz, reverse("quiz", args=[quiz.pk]))):
        assert page.url.startswith("/formations/") and page.url.endswith(f"/{page.slug}/")
        response = client.get(page.url)
        assert response.status_code == 302 and response["Location"] == target, page.url


def test_unknown_and_unpublished_pages_are_not_found(client, track):
    lesson = LessonPage.objects.descendant_of(track).first()
    url = lesson.url
    assert client.get(url + "inconnue/").status_code == 404
    assert client.get(url.replace(lesson.slug, "inconnue")).status_code == 404
    lesson.unpublish()
    assert client.get(url).status_code == 404


def test_a_lesson_is_routed_through_its_ancestors_children(client, track):
    """Two modules may hold lessons of the same slug: each URL reaches its own lesson (the children's routing)."""
    second = track.add_child(instance=ModulePage(title="Module 2", slug="module-2"))
    twin = second.add_child(instance=LessonPage(title="Leçon jumelle", slug="lecon-1", body=[]))
    first = LessonPage.objects.child_of(ModulePage.objects.get(pk=track.get_children().first().pk)).get(slug="lecon-1")
    assert client.get(first.url)["Location"] == reverse("lesson", args=[first.pk])
    assert client.get(twin.url)["Location"] == reverse("lesson", args=[twin.pk])
