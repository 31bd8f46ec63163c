"""A lesson's documents and images go only to the lesson's readers (issue 13, point 8).

Body A's lesson uses a document and an image of A's collection. Its enrolled trainee and A's staff get the bytes;
a visitor is sent to the login page; a trainee of body B, a withdrawn trainee and B's staff get a 404 — for the
document's URL, the image's original and the rendition the lesson page shows. With the production fast path
configured, Django answers with the web server's header instead of the bytes.
"""
import io
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from lms.catalog.models import LessonPage
from lms.learning.models import EnrolmentStatus
from tests.factories import make_enrolment, make_staff, make_track, make_training_body, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% fiche de liaison du cabinet\n%%EOF\n"


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


def lesson_using(lesson, *, image=None, document=None):
    """Give the lesson an image block and a document block, as an author would, and save it (live)."""
    blocks = [{"type": "heading", "value": "Documents"}]
    if image is not None:
        blocks.append({"type": "image", "value": {"image": {"image": image.pk, "alt_text": "Schéma du brassard",
                                                            "decorative": False}, "caption": ""}})
    if document is not None:
        blocks.append({"type": "document", "value": {"document": document.pk, "label": "Fiche de liaison"}})
    lesson.body = json.dumps(blocks)
    lesson.save()


@pytest.fixture
def world():
    alpha, beta = make_training_body(name="Organisme Alpha"), make_training_body(name="Organisme Beta")
    track_a, track_b = make_track(training_body=alpha, modules=1, lessons=1), make_track(training_body=beta, modules=1,
                                                                                          lessons=1)
    collection = Collection.objects.get(name="Organisme Alpha")
    document = Document.objects.create(title="Fiche de liaison", file=ContentFile(PDF, name="fiche-liaison.pdf"),
                                       collection=collection)
    image = Image.objects.create(title="Brassard", file=ContentFile(png_bytes(), name="brassard.png"),
                                 collection=collection)
    lesson = LessonPage.objects.descendant_of(track_a).get()
    lesson_using(lesson, image=image, document=document)
    return {"alpha": alpha, "beta": beta, "track_a": track_a, "track_b": track_b, "lesson": lesson,
            "lesson_url": reverse("lesson", args=[lesson.pk]), "document": document, "image": image,
            "trainee": make_enrolment(track=track_a).trainee,
            "other_trainee": make_enrolment(track=track_b).trainee,
            "withdrawn": make_enrolment(track=track_a, status=EnrolmentStatus.WITHDRAWN).trainee,
            "staff_a": make_staff(training_body=alpha, role="author"),
            "tutor_a": make_staff(training_body=alpha, role="tutor"),
            "staff_b": make_staff(training_body=beta, role="manager")}


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def urls(client, world):
    """The document's, the original image's and the rendition's URLs, as the lesson page gives them to its reader."""
    original = world["image"].file.url
    client.force_login(world["trainee"])
    html = client.get(world["lesson_url"]).content.decode()
    client.logout()
    rendition = re.search(r'<img[^>]+src="(/media/images/[^"]+)"', html).group(1)
    document = re.search(r'href="(/documents/[^"]+)"', html).group(1)
    assert document == world["document"].url
    return {"document": document, "original": original, "rendition": rendition}


@pytest.mark.parametrize("kind", ["document", "original", "rendition"])
def test_a_visitor_is_sent_to_the_login_page(client, world, kind):
    url = urls(client, world)[kind]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")
    assert b"%PDF" not in body_of(response) and b"PNG" not in body_of(response)


@pytest.mark.parametrize("kind", ["document", "original", "rendition"])
@pytest.mark.parametrize("who", ["other_trainee", "withdrawn", "staff_b"])
def test_users_who_do_not_read_the_lesson_get_a_404(client, world, kind, who):
    url = urls(client, world)[kind]
    client.force_login(world[who])
    response = client.get(url)
    assert response.status_code == 404
    assert b"%PDF" not in body_of(response)


@pytest.mark.parametrize("who", ["trainee", "staff_a", "tutor_a", "admin"])
def test_the_lessons_readers_get_the_bytes(client, world, who):
    found = urls(client, world)
    client.force_login(make_user(is_superuser=True, is_staff=True) if who == "admin" else world[who])
    document = client.get(found["document"])
    assert document.status_code == 200
    assert body_of(document) == PDF
    assert document["Content-Disposition"].startswith("inline")  # Wagtail shows a PDF in the browser
    assert document["Content-Security-Policy"] == "default-src 'none'"
    assert document["Cache-Control"].startswith("private")
    for kind in ("original", "rendition"):
        image = client.get(found[kind])
        assert image.status_code == 200, kind
        assert image["Content-Type"] == "image/png"
        assert body_of(image).startswith(b"\x89PNG")
        assert image["Cache-Control"].startswith("private")


def test_the_owning_bodys_staff_read_a_file_no_lesson_uses_yet(client, world):
    """Authors manage their collection in /cms/ before any lesson uses a file; no one else reads it."""
    unused = Document.objects.create(title="Brouillon", file=ContentFile(PDF, name="brouillon.pdf"),
                                     collection=Collection.objects.get(name="Organisme Alpha"))
    client.force_login(world["staff_a"])
    assert client.get(unused.url).status_code == 200
    client.force_login(world["trainee"])
    assert client.get(unused.url).status_code == 404


def test_a_file_on_a_public_page_stays_public(client, world):
    """A document linked from a legal page (outside every track) is read by anyone, as the page is."""
    from lms.legal.content import legal_pages_ensure
    from lms.legal.models import LegalPage

    legal_pages_ensure()
    public = Document.objects.create(title="Formulaire", file=ContentFile(PDF, name="formulaire.pdf"))
    privacy = LegalPage.objects.get(kind="privacy")
    privacy.body += f'<p><a linktype="document" id="{public.pk}">Formulaire</a></p>'
    privacy.save()
    response = client.get(public.url)
    assert response.status_code == 200 and body_of(response) == PDF
    assert client.get(world["document"].url).status_code == 302  # the lesson's document stays private


def test_other_stored_files_are_for_platform_admins_only(client, world):
    """A body's logo (printed on certificates) is linked from the Django admin; nobody else opens stored files."""
    body = world["alpha"]
    body.logo.save("logo-alpha.png", ContentFile(png_bytes()), save=True)
    url = body.logo.url
    assert client.get(url).status_code == 302
    client.force_login(world["staff_a"])
    assert client.get(url).status_code == 404
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 200
    assert client.get("/media/training-bodies/absent.png").status_code == 404
    assert client.get("/media/original_images/%00brassard.png").status_code == 404


@pytest.fixture(autouse=True)
def on_disk(settings, tmp_path):
    """Files on disk, as in production (Wagtail's document view streams a file from its path)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


@pytest.mark.parametrize("method", ["x-accel-redirect", "x-sendfile"])
def test_the_fast_path_hands_the_file_to_the_web_server(client, settings, on_disk, world, method):
    """The web server sends the bytes once Django has said yes, for documents and images alike."""
    settings.LMS_PROTECTED_MEDIA_SERVE = method
    found = urls(client, world)
    client.force_login(world["trainee"])
    document_name, image_name = world["document"].file.name, world["image"].file.name
    for url, name in ((found["document"], document_name), (found["original"], image_name)):
        response = client.get(url)
        assert response.status_code == 200
        assert body_of(response) == b""  # the web server sends the bytes
        if method == "x-accel-redirect":
            assert response["X-Accel-Redirect"] == f"/protected-media/{name}"
        else:
            assert response["X-Sendfile"] == str(on_disk / name)
    client.force_login(world["other_trainee"])
    refused = client.get(found["document"])
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused and "X-Sendfile" not in refused


def test_without_the_fast_path_django_sends_the_bytes(client, settings, world):
    settings.LMS_PROTECTED_MEDIA_SERVE = "django"
    found = urls(client, world)
    client.force_login(world["trainee"])
    for url in found.values():
        response = client.get(url)
        assert response.status_code == 200 and body_of(response)
        assert "X-Accel-Redirect" not in response and "X-Sendfile" not in response


@pytest.fixture
def urls_in_debug(settings):
    """lms.urls as `manage.py runserver` builds it (DEBUG on), put back as it was afterwards."""
    import importlib

    from django.urls import clear_url_caches

    import lms.urls

    settings.DEBUG = True
    clear_url_caches()
    yield importlib.reload(lms.urls)
    settings.DEBUG = False
    importlib.reload(lms.urls)
    clear_url_caches()


@pytest.mark.filterwarnings("ignore:Converter 'id' is already registered")  # lms.urls imported a second time
def test_in_development_media_urls_are_checked_too(urls_in_debug):
    """DEBUG no longer adds Django's static() view, which served every stored file to anyone."""
    from django.urls import resolve

    from lms.learning import files

    for url in ("/media/original_images/brassard.png", "/media/images/brassard.width-800.png",
                "/media/documents/fiche-liaison.pdf", "/media/certificates/2026/attestation.pdf"):
        assert resolve(url, urlconf=urls_in_debug).func is files.media
