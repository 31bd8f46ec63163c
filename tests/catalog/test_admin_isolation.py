"""The Wagtail admin shows a training body's staff nothing of another body (issue 13, point 15).

Body A ("Organisme Alpha") has a lesson in review, locked by its author, an image and a document; the staff of
body B open every report, chooser and bulk-action confirmation that could name them, with A's ids in the query
string, and must read none of A's workflow, task, page, image, document or user names.
"""
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Task, Workflow

from lms.catalog.models import LessonPage
from tests.factories import make_staff, make_track, make_training_body, make_user

pytestmark = pytest.mark.django_db

# Every name of body A that B's staff must never read.
SECRETS = ("Organisme Alpha", "Parcours Alphasecret", "Leçon Alphasecret", "Image Alphasecret", "Doc Alphasecret",
           "Alphanom")


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def world():
    alpha = make_training_body(name="Organisme Alpha")
    beta = make_training_body(name="Organisme Beta")
    track_a = make_track(training_body=alpha, title="Parcours Alphasecret")
    track_b = make_track(training_body=beta, title="Parcours Betaown")
    author_a = make_staff(training_body=alpha, role="author", first_name="Autrice", last_name="Alphanom")
    lesson_a = LessonPage.objects.descendant_of(track_a).first()
    lesson_a.title = "Leçon Alphasecret"
    lesson_a.save_revision(user=author_a)
    lesson_a.get_workflow().start(lesson_a, author_a)
    lesson_a.locked, lesson_a.locked_by, lesson_a.owner = True, author_a, author_a
    lesson_a.save()
    collection_a = Collection.objects.get(name="Organisme Alpha")
    image = Image.objects.create(title="Image Alphasecret", file=ContentFile(png_bytes(), name="alpha.png"),
                                 collection=collection_a)
    document = Document.objects.create(title="Doc Alphasecret", file=ContentFile(b"secret", name="alpha.txt"),
                                       collection=collection_a)
    # Body B's own activity, which its staff do see.
    author_b = make_staff(training_body=beta, role="author", first_name="Auteur", last_name="Betanom")
    lesson_b = LessonPage.objects.descendant_of(track_b).first()
    lesson_b.owner = author_b
    lesson_b.save()
    lesson_b.title = "Leçon Betaown"
    lesson_b.save_revision(user=author_b)
    lesson_b.get_workflow().start(lesson_b, author_b)
    return {"alpha": alpha, "beta": beta, "track_a": track_a, "lesson_a": lesson_a, "image": image,
            "document": document, "author_b": author_b, "lesson_b": lesson_b,
            "workflow_a": Workflow.objects.get(name="Relecture — Organisme Alpha"),
            "task_a": Task.objects.get(name="Validation par un responsable — Organisme Alpha")}


def assert_nothing_of_alpha(response):
    content = response.content.decode()
    for secret in SECRETS:
        assert secret not in content, f"{response.request['PATH_INFO']} shows {secret!r}"


REPORT_URLS = [
    "/cms/reports/workflow/", "/cms/reports/workflow/results/", "/cms/reports/workflow_tasks/",
    "/cms/reports/workflow_tasks/results/", "/cms/reports/page-types-usage/",
    "/cms/reports/page-types-usage/results/", "/cms/reports/locked/", "/cms/reports/site-history/",
    "/cms/reports/aging-pages/",
]


@pytest.mark.parametrize("role", ["author", "manager"])
def test_reports_name_nothing_of_another_body(client, world, role):
    client.force_login(make_staff(training_body=world["beta"], role=role))
    answered = 0
    for url in REPORT_URLS:
        response = client.get(url)
        if response.status_code == 200:  # an author may not open the locked-pages report
            answered += 1
        assert_nothing_of_alpha(response)
    # A's workflow and task picked by id: neither is echoed back.
    for url in (f"/cms/reports/workflow/?workflow={world['workflow_a'].pk}",
                f"/cms/reports/workflow_tasks/?workflow={world['workflow_a'].pk}&task={world['task_a'].pk}"):
        assert_nothing_of_alpha(client.get(url))
    assert answered >= len(REPORT_URLS) - 1


@pytest.mark.parametrize("role", ["author", "manager"])
def test_page_listings_filter_only_by_the_bodys_own_owners_and_editors(client, world, role):
    """The explorer and the pages-of-a-type listing offer "Owner" and "Edited by" filters."""
    client.force_login(make_staff(training_body=world["beta"], role=role))
    body_page = world["beta"].catalog_page.pk
    for url in (f"/cms/pages/{body_page}/", f"/cms/pages/{body_page}/results/",
                f"/cms/pages/{world['lesson_b'].get_parent().pk}/", "/cms/pages/usage/catalog/lessonpage/",
                "/cms/pages/usage/catalog/lessonpage/results/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_nothing_of_alpha(response)
    assert "Auteur Betanom" in client.get(f"/cms/pages/{world['lesson_b'].get_parent().pk}/").content.decode()


def test_privacy_dialog_lists_only_the_bodys_own_groups(client, world):
    """Wagtail's page privacy dialog listed every body's groups; it names the body's own groups only."""
    client.force_login(make_staff(training_body=world["beta"], role="manager"))
    track = world["lesson_b"].get_parent().get_parent()
    for page in (world["beta"].catalog_page, track, world["lesson_b"]):
        response = client.get(f"/cms/pages/{page.pk}/privacy/")
        assert response.status_code == 200
        assert_nothing_of_alpha(response)
        html = response.json()["html"]
        assert "Organisme Beta — auteurs" in html and 'value="groups"' in html and 'value="password"' in html


def test_reports_still_name_the_bodys_own_workflow_requesters_and_pages(client, world):
    client.force_login(make_staff(training_body=world["beta"], role="manager"))
    workflow = client.get("/cms/reports/workflow/").content.decode()
    assert "Relecture — Organisme Beta" in workflow and "Auteur Betanom" in workflow
    tasks = client.get("/cms/reports/workflow_tasks/").content.decode()
    assert "Validation par un responsable — Organisme Beta" in tasks
    assert "Leçon Betaown" in client.get("/cms/reports/page-types-usage/").content.decode()


def test_platform_admin_still_sees_every_body(client, world):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    workflow = client.get("/cms/reports/workflow/").content.decode()
    assert "Relecture — Organisme Alpha" in workflow and "Autrice Alphanom" in workflow
    assert "Parcours Alphasecret" in client.get("/cms/reports/page-types-usage/").content.decode()
    assert "Autrice Alphanom" in client.get("/cms/reports/locked/").content.decode()
    page_bulk = client.get(f"/cms/bulk/wagtailcore/page/delete/?id={world['track_a'].pk}").content.decode()
    assert "Parcours Alphasecret" in page_bulk


BULK_ACTIONS = [("wagtailcore/page", action, "lesson_a") for action in ("delete", "move", "publish", "unpublish")] + [
    (model, action, key) for model, key in (("wagtailimages/image", "image"), ("wagtaildocs/document", "document"))
    for action in ("delete", "add_tags", "add_to_collection")]


@pytest.mark.parametrize("role", ["author", "manager"])
def test_bulk_action_confirmations_name_no_item_of_another_body(client, world, role):
    client.force_login(make_staff(training_body=world["beta"], role=role))
    for model, action, key in BULK_ACTIONS:
        ids = f"id={world[key].pk}" + (f"&id={world['track_a'].pk}" if key == "lesson_a" else "")
        response = client.get(f"/cms/bulk/{model}/{action}/?{ids}")
        assert response.status_code == 200, (model, action)
        assert_nothing_of_alpha(response)


def test_bulk_action_still_names_the_users_own_page_they_may_not_act_on(client, world):
    """An author may not publish: their own lesson is listed as such, as Wagtail does."""
    client.force_login(world["author_b"])
    response = client.get(f"/cms/bulk/wagtailcore/page/publish/?id={world['lesson_b'].pk}&id={world['lesson_a'].pk}")
    content = response.content.decode()
    assert "Leçon Betaown" in content
    assert_nothing_of_alpha(response)


def test_page_chooser_offers_only_the_bodys_own_pages(client, world):
    client.force_login(make_staff(training_body=world["beta"], role="author"))
    for url in ("/cms/choose-page/", "/cms/choose-page/?page_type=catalog.lessonpage",
                "/cms/choose-page/?page_type=catalog.trainingbodypage", "/cms/choose-page/search/?q=Alphasecret",
                f"/cms/choose-page/chosen-multiple/?id={world['track_a'].pk}"):
        assert_nothing_of_alpha(client.get(url))
    for page in (world["alpha"].catalog_page, world["track_a"], world["lesson_a"]):
        response = client.get(f"/cms/choose-page/{page.pk}/")
        assert response.status_code == 404
        assert_nothing_of_alpha(response)
    own = client.get(f"/cms/choose-page/{world['beta'].catalog_page.pk}/")
    assert own.status_code == 200 and "Parcours Betaown" in own.content.decode()
    assert "Parcours Betaown" in client.get("/cms/choose-page/search/?q=Betaown").content.decode()


def test_task_chooser_is_refused_to_body_staff(client, world):
    """It lists every body's review tasks; only workflow editors (platform admins) use it."""
    client.force_login(make_staff(training_body=world["beta"], role="manager"))
    for url in ("/cms/workflows/task_chooser/", "/cms/workflows/task_chooser/results/",
                f"/cms/workflows/task_chooser/{world['task_a'].pk}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert_nothing_of_alpha(response)
