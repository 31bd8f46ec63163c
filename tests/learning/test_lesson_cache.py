"""A lesson's body is cached for every reader, yet never served with stale links: a published revision, a replaced
document or image shows at the next request once committed."""
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection

from lms.catalog.models import LessonPage
from tests.factories import make_enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    enrolment = make_enrolment()
    lesson = LessonPage.objects.descendant_of(enrolment.track).order_by("path").first()
    client.force_login(enrolment.trainee)
    return client, enrolment, lesson


def publish_body(lesson, body, capture):
    lesson.body = json.dumps(body)
    with capture(execute=True):
        lesson.save_revision().publish()


def test_a_replaced_document_changes_the_cached_lesson_at_the_next_request(reader, django_capture_on_commit_callbacks):
    client, enrolment, lesson = reader
    document = Document.objects.create(title="Protocole", collection=Collection.get_first_root_node(),
                                       file=ContentFile(b"v1", name="protocole-version-un.txt"))
    publish_body(lesson, [{"type": "document", "value": {"document": document.pk, "label": "Le protocole"}}],
                 django_capture_on_commit_callbacks)
    url = reverse("lesson", args=[lesson.pk])
    assert "protocole-version-un.txt" in client.get(url).content.decode()
    assert "protocole-version-un.txt" in client.get(url).content.decode()  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        document.file = ContentFile(b"v2", name="protocole-version-deux.txt")
        document.save()
    html = client.get(url).content.decode()
    assert "protocole-version-deux.txt" in html and "protocole-version-un.txt" not in html


def test_a_published_revision_shows_once_committed_and_not_before(reader, django_capture_on_commit_callbacks):
    client, enrolment, lesson = reader
    url = reverse("lesson", args=[lesson.pk])
    publish_body(lesson, [{"type": "heading", "value": "Première version"}], django_capture_on_commit_callbacks)
    assert "Première version" in client.get(url).content.decode()
    publish_body(lesson, [{"type": "heading", "value": "Seconde version"}], django_capture_on_commit_callbacks)
    html = client.get(url).content.decode()
    assert "Seconde version" in html and "Première version" not in html


def test_the_lesson_page_reads_the_shared_cache_in_one_round_trip(reader, django_assert_max_num_queries, settings):
    """Session, user, the reader's enrolment found through the live lesson with its done flag; with the database
    cache, one more for the page's content kept for every enrolled reader with the scopes' tokens, whatever the size
    of the track, and none for page privacy when no restriction holds."""
    client, enrolment, lesson = reader
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "lms_cache"}}
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    url = reverse("lesson", args=[lesson.pk])
    client.get(url)
    with django_assert_max_num_queries(4) as queries:
        assert client.get(url).status_code == 200
    assert sum('"lms_cache"' in q["sql"] for q in queries.captured_queries) == 2  # session, tokens and content


def test_deleting_a_quiz_page_rebuilds_its_track_structure(django_capture_on_commit_callbacks):
    """Any assessment page (catalog's AssessmentPage, whatever app defines it) deleted from a track is forgotten by
    the cached structure once committed."""
    from lms.catalog.models import ModulePage
    from lms.learning import selectors
    from tests.factories import make_quiz, make_track

    track = make_track()
    module = ModulePage.objects.child_of(track).order_by("path").first()
    quiz = make_quiz(parent=module)
    assert selectors.track_structure(track).modules[0].quiz.id == quiz.pk
    with django_capture_on_commit_callbacks(execute=True):
        quiz.delete()
    assert selectors.track_structure(track).modules[0].quiz is None
