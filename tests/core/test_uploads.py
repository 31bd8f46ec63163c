"""Uploads: images decoded and re-encoded by Pillow (bombs refused, metadata stripped, orientation applied, size
bounded), documents judged by their bytes — for declarations, training-body logos and Wagtail's media."""
import io
import struct
import zlib
from datetime import date

import pytest
from django.contrib import admin
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image, PngImagePlugin
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from lms.core import uploads
from lms.core.errors import DomainError
from lms.deadlines.models import DeclaredTraining
from lms.deadlines.services import declared_training_create
from lms.organisations.models import TrainingBody
from tests.factories import make_trainee, make_training_body, make_user

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def png_bytes(size=(40, 30), mode="RGBA", color=(20, 120, 200, 128), pnginfo=None):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG", pnginfo=pnginfo)
    return buffer.getvalue()


def png_claiming(width, height):
    """A tiny PNG (made by Pillow, then its header rewritten) that claims width × height pixels."""
    data = bytearray(png_bytes((8, 8)))
    struct.pack_into(">II", data, 16, width, height)  # IHDR's width and height, after signature, length, type
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))  # IHDR's checksum
    return bytes(data)


def jpeg_with_gps(size=(400, 300)):
    """A phone photo: EXIF with a GPS position (Paris) and an orientation tag saying "turn 90°"."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue, to check the rotation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test's photo does carry a position
    return data


def declare(evidence):
    return declared_training_create(trainee=make_trainee(), kind="start", occurred_on=date(2025, 2, 1),
                                    organisation="CFA Santé", evidence=evidence, declared_by=None)


def stored_files():
    directories, files = default_storage.listdir("")
    found = list(files)
    for directory in directories:
        found += stored_files_in(directory)
    return found


def stored_files_in(path):
    directories, files = default_storage.listdir(path)
    found = [f"{path}/{name}" for name in files]
    for directory in directories:
        found += stored_files_in(f"{path}/{directory}")
    return found


def test_a_decompression_bomb_is_refused_in_french_and_nothing_is_saved():
    bomb = png_claiming(30000, 30000)
    assert len(bomb) < 200 and struct.unpack(">II", bomb[16:24]) == (30000, 30000)
    with pytest.raises(Image.DecompressionBombError):  # Pillow itself takes it for a bomb
        Image.open(io.BytesIO(bomb))
    before = stored_files()
    with pytest.raises(DomainError) as refused:
        declare(SimpleUploadedFile("scan.png", bomb, content_type="image/png"))
    assert refused.value.field == "evidence"
    assert refused.value.message == "L'image est trop grande (40 mégapixels au maximum)."
    assert not DeclaredTraining.objects.exists()
    assert stored_files() == before


def test_our_pixel_limit_holds_below_pillows_own():
    """48 megapixels: under Pillow's process-wide alarm (89), over ours (40)."""
    with pytest.raises(uploads.UploadRejected):
        uploads.image_reencode(SimpleUploadedFile("grand.png", png_claiming(8000, 6000)))


@pytest.mark.parametrize("content,message", [
    (b"<html><script>alert(1)</script></html>", "Le document doit être un fichier PDF, PNG ou JPEG."),
    (b"\x89PNG\r\n\x1a\n" + b"not really a png" * 20,
     "L'image ne peut pas être lue : elle est endommagée ou n'est pas une image PNG ou JPEG."),
])
def test_a_file_named_png_that_is_not_an_image_is_refused(content, message):
    with pytest.raises(DomainError) as refused:
        declare(SimpleUploadedFile("photo.png", content, content_type="image/png"))
    assert refused.value.message == message
    assert not DeclaredTraining.objects.exists()


def test_a_jpeg_comes_out_upright_without_its_exif_and_gps_data():
    declaration = declare(SimpleUploadedFile("IMG_2044.JPG", jpeg_with_gps(), content_type="image/jpeg"))
    with declaration.evidence.open("rb") as handle:
        data = handle.read()
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG" and declaration.evidence.name.endswith(".jpg")
    assert not stored.getexif() and not stored.getexif().get_ifd(GPS_IFD)
    assert b"PhoneMaker" not in data and b"Exif" not in data
    assert stored.size == (300, 400)  # turned as its orientation tag said, the tag gone
    red, green, blue = stored.convert("RGB").getpixel((150, 10))  # the blue left half is now on top
    assert blue > 150 and red < 100


def test_a_pdf_is_kept_as_sent():
    content = b"%PDF-1.4\n% attestation\n%%EOF\n"
    declaration = declare(SimpleUploadedFile("attestation.pdf", content, content_type="application/pdf"))
    with declaration.evidence.open("rb") as handle:
        assert handle.read() == content


def test_too_large_files_are_refused():
    huge = b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024)
    with pytest.raises(DomainError) as refused:
        declare(SimpleUploadedFile("scan.png", huge, content_type="image/png"))
    assert "trop volumineux" in refused.value.message
    with pytest.raises(uploads.UploadRejected):
        uploads.image_reencode(SimpleUploadedFile("logo.png", png_bytes((400, 400))), max_bytes=1000)


def test_large_images_are_shrunk():
    clean = uploads.image_reencode(SimpleUploadedFile("plan.png", png_bytes((4000, 1000), mode="RGB")), max_side=1200)
    assert Image.open(clean).size == (1200, 300)


# --- Training-body logo and signature, edited in the Django admin -------------------------------------------

def logo_form(body, files):
    request = RequestFactory().post("/")
    request.user = make_user(is_staff=True, is_superuser=True)
    form_class = admin.site._registry[TrainingBody].get_form(request, obj=body)
    return form_class(data={"name": body.name, "slug": body.slug}, files=files, instance=body)


def test_a_good_logo_is_stored_re_encoded_without_its_metadata():
    body = make_training_body()
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jean Secret, 12 rue Cachée")
    sent = png_bytes((300, 120), pnginfo=info)
    form = logo_form(body, {"logo": SimpleUploadedFile("Logo Organisme.png", sent, content_type="image/png"),
                            "signature": SimpleUploadedFile("sig.jpg", jpeg_with_gps(), content_type="image/jpeg")})
    assert form.is_valid(), form.errors
    form.save()
    body.refresh_from_db()
    with body.logo.open("rb") as handle:
        data = handle.read()
    assert data != sent and b"Jean Secret" not in data
    logo = Image.open(io.BytesIO(data))
    assert logo.format == "PNG" and logo.size == (300, 120) and logo.mode == "RGBA"
    assert logo.getpixel((10, 10)) == (20, 120, 200, 128)  # same pixels, transparency kept
    assert body.logo.name.startswith("training-bodies/logo-organisme") and body.logo.name.endswith(".png")
    with body.signature.open("rb") as handle:
        assert not Image.open(handle).getexif()


def test_a_bomb_or_a_fake_image_as_logo_is_a_form_error_and_the_logo_is_unchanged():
    body = make_training_body()
    for name, content, message in (
        ("logo.png", png_claiming(30000, 30000), "L'image est trop grande (40 mégapixels au maximum)."),
        ("logo.png", b"GIF89a not a png at all",
         "L'image ne peut pas être lue : elle est endommagée ou n'est pas une image PNG ou JPEG."),
    ):
        form = logo_form(body, {"logo": SimpleUploadedFile(name, content, content_type="image/png")})
        assert not form.is_valid()
        assert form.errors["logo"] == [message]
    body.refresh_from_db()
    assert not body.logo


# --- Wagtail's images and documents ------------------------------------------------------------------------

@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_a_wagtail_image_original_is_stored_without_its_gps_position(admin_client):
    response = admin_client.post(reverse("wagtailimages:add"), {
        "title": "Salle de consultation", "file": SimpleUploadedFile("salle.jpg", jpeg_with_gps(), "image/jpeg")})
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Salle de consultation")
    with image.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert not stored.getexif().get_ifd(GPS_IFD)
    assert (image.width, image.height) == stored.size == (300, 400)


def test_a_wagtail_image_bomb_is_a_form_error_not_a_500(admin_client):
    """Wagtail alone lets Pillow's DecompressionBombError escape its image field: a 500."""
    response = admin_client.post(reverse("wagtailimages:add"), {
        "title": "Bombe", "file": SimpleUploadedFile("bombe.png", png_claiming(30000, 30000), "image/png")})
    assert response.status_code == 200
    assert "40 mégapixels au maximum" in response.content.decode()
    response = admin_client.post(reverse("wagtailimages:add_multiple"), {
        "files[]": SimpleUploadedFile("bombe.png", png_claiming(30000, 30000), "image/png")})
    assert response.status_code == 200 and response.json()["success"] is False
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("name,content,accepted", [
    ("fiche.pdf", b"%PDF-1.7\n%fiche\n%%EOF\n", True),
    ("fiche.pdf", b"MZ\x90\x00 an executable", False),
    ("tableau.xlsx", b"%PDF-1.7 a pdf named xlsx", False),
    ("tableau.xlsx", b"PK\x03\x04 a zip archive", True),
    ("notes.txt", "Prise de tension : au repos, assis.".encode(), True),
    ("notes.csv", b"\x7fELF\x02\x01\x01\x00\x00", False),
])
def test_a_wagtail_document_must_be_what_its_extension_says(admin_client, name, content, accepted):
    response = admin_client.post(reverse("wagtaildocs:add"), {"title": "Fiche", "file": SimpleUploadedFile(name, content)})
    assert get_document_model().objects.filter(title="Fiche").exists() == accepted
    if not accepted:
        assert response.status_code == 200
        assert "ne correspond pas à son type" in response.content.decode()
