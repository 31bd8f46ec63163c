"""Authors upload SCORM packages in the Wagtail admin (lms.scorm.admin_views) and choose them for a SCORM lesson;
one training body sees nothing of another's packages."""
import pytest
from django.urls import reverse

from lms.catalog.authoring import staff_groups_sync
from lms.catalog.models import ModulePage
from lms.organisations.models import StaffRole
from lms.scorm.models import ScormLessonPage, ScormPackage
from tests.factories import PASSWORD, make_staff, make_trainee, make_track
from tests.scorm import packages

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


@pytest.fixture
def author():
    track = make_track(modules=1, lessons=1)
    user = make_staff(training_body=track.training_body, role=StaffRole.AUTHOR)
    staff_groups_sync(user)
    return user, track


def test_an_author_uploads_a_package_of_their_body(client, author):
    user, track = author
    login(client, user)
    assert client.get(reverse("scorm_admin_upload")).status_code == 200
    response = client.post(reverse("scorm_admin_upload"), {
        "training_body": track.training_body.pk, "title": "", "file": packages.upload(packages.sco_zip())})
    assert response.status_code == 302
    package = ScormPackage.objects.get()
    assert package.title == "Les constantes vitales" and package.launch_path == "index.html"
    assert package.uploaded_by == user and package.training_body == track.training_body
    listing = client.get(reverse("scorm_admin_packages")).content.decode()
    assert "Les constantes vitales" in listing and "<caption>" in listing


@pytest.mark.parametrize(("builder", "message"), [
    (packages.zip_bomb, "bombe de décompression"),
    (packages.traversal, "chemin qui sort du paquet"),
    (packages.no_manifest, "imsmanifest.xml"),
])
def test_a_refused_package_shows_a_french_error_and_stores_nothing(client, author, builder, message):
    user, track = author
    login(client, user)
    response = client.post(reverse("scorm_admin_upload"), {
        "training_body": track.training_body.pk, "file": packages.upload(builder())})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScormPackage.objects.exists()


def test_another_bodys_staff_neither_sees_nor_uploads_for_the_body(client, author):
    user, track = author
    packages.make_package(training_body=track.training_body, title="Paquet confidentiel")
    other_track = make_track(modules=1, lessons=1)
    other = make_staff(training_body=other_track.training_body, role=StaffRole.AUTHOR)
    staff_groups_sync(other)
    login(client, other)
    assert "Paquet confidentiel" not in client.get(reverse("scorm_admin_packages")).content.decode()
    response = client.post(reverse("scorm_admin_upload"), {
        "training_body": track.training_body.pk, "file": packages.upload(packages.sco_zip())})
    assert response.status_code == 400 and ScormPackage.objects.count() == 1
    client.logout()
    login(client, make_trainee())
    assert client.get(reverse("scorm_admin_packages")).status_code in (302, 403)


def test_the_lesson_form_offers_only_the_bodys_packages(author):
    """The SCORM lesson's package chooser (its page form) lists the packages of the track's body only."""
    user, track = author
    mine = packages.make_package(training_body=track.training_body, title="Le mien")
    other_track = make_track(modules=1, lessons=1)
    packages.make_package(training_body=other_track.training_body, title="Celui d'un autre")
    module = ModulePage.objects.child_of(track).get()
    form_class = ScormLessonPage.get_edit_handler().get_form_class()
    form = form_class(instance=ScormLessonPage(), parent_page=module, for_user=user)
    assert list(form.fields["package"].queryset) == [mine]
    assert "scorm.ScormLessonPage" in ModulePage.subpage_types


def test_the_authors_preview_plays_the_package_in_browse_mode(rf, author):
    """Wagtail's preview of a SCORM lesson: the player (its frame on the package's launch file) and a notice that
    nothing is recorded."""
    from tests.scorm.packages import make_scorm_lesson

    user, track = author
    lesson = make_scorm_lesson(track=track)
    request = rf.get("/")
    request.user = user
    html = lesson.serve_preview(request, "").content.decode()
    assert f"/scorm/paquets/{lesson.package_id}/contenu/index.html" in html
    assert "rien n’est enregistré" in html and "scorm/runtime.js" in html
