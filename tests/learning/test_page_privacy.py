"""Wagtail's page privacy on the trainee's pages (issue 14, point 6a).

A body's manager (who publishes, so sets privacy: Wagtail's can_set_view_restrictions) restricts pages in the
Wagtail admin, through the privacy dialog's own POST; the trainee then meets the restriction on our lesson, quiz
and outline views as on a page Wagtail serves. The dialog names only the body's own groups, and another body's
staff can neither open nor use it on the body's pages.
"""
import pytest
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from lms.catalog.models import LessonPage, ModulePage
from lms.learning.access import view_restrictions
from tests.factories import make_enrolment, make_quiz, make_staff, make_track, make_training_body

pytestmark = pytest.mark.django_db

PASSWORD = "tension-120-80"


@pytest.fixture
def world():
    alpha, beta = make_training_body(name="Organisme Alpha"), make_training_body(name="Organisme Beta")
    track = make_track(training_body=alpha, modules=1, lessons=2)
    module = ModulePage.objects.child_of(track).get()
    lesson = LessonPage.objects.child_of(module).first()
    quiz = make_quiz(parent=module)
    enrolment = make_enrolment(track=track)
    return {"alpha": alpha, "beta": beta, "track": track, "module": module, "lesson": lesson, "quiz": quiz,
            "trainee": enrolment.trainee, "manager": make_staff(training_body=alpha, role="manager"),
            "author": make_staff(training_body=alpha, role="author"),
            "beta_manager": make_staff(training_body=beta, role="manager"),
            "track_b": make_track(training_body=beta, modules=1, lessons=1)}


def set_privacy(client, user, page, **data):
    client.force_login(user)
    return client.post(reverse("wagtailadmin_pages:set_privacy", args=[page.pk]), data)


def trainee_urls(w):
    return {"lesson": reverse("lesson", args=[w["lesson"].pk]), "quiz": reverse("quiz", args=[w["quiz"].pk]),
            "outline": reverse("track_outline", args=[w["track"].pk])}


def test_a_password_on_the_track_asks_the_trainee_for_it_on_every_page(client, world):
    response = set_privacy(client, world["manager"], world["track"], restriction_type="password", password=PASSWORD)
    assert response.status_code == 200 and response.json()["step"] == "set_privacy_done"
    restriction = PageViewRestriction.objects.get(page=world["track"])
    assert restriction.restriction_type == "password"
    client.force_login(world["trainee"])
    for name, url in trainee_urls(world).items():
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200 and 'name="password"' in html and "Mot de passe requis" in html, name
        assert reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, 0])[:-3] in html, name
        assert "Texte de la leçon" not in html and "no-cache" in response["Cache-Control"], name
    # Marking a lesson done and starting the quiz are refused the same way.
    assert 'name="password"' in client.post(reverse("lesson_mark_done", args=[world["lesson"].pk])).content.decode()
    assert 'name="password"' in client.post(reverse("quiz_start", args=[world["quiz"].pk])).content.decode()
    assert not world["quiz"].attempts.exists()
    # Wagtail's own form takes the password, then every page of the track opens.
    lesson_url = trainee_urls(world)["lesson"]
    response = client.post(reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, world["lesson"].pk]),
                           {"password": PASSWORD, "return_url": lesson_url})
    assert response.status_code == 302 and response["Location"] == lesson_url
    assert "Texte de la leçon 1.1" in client.get(lesson_url).content.decode()
    for url in trainee_urls(world).values():
        assert 'name="password"' not in client.get(url).content.decode()


def test_a_group_restriction_on_a_lesson_lets_in_the_bodys_staff_only(client, world):
    authors = world["author"].groups.get(name__endswith="auteurs")
    response = set_privacy(client, world["manager"], world["lesson"], restriction_type="groups", groups=[authors.pk])
    assert response.json()["step"] == "set_privacy_done"
    lesson_url = trainee_urls(world)["lesson"]
    client.force_login(world["trainee"])
    assert client.get(lesson_url).status_code == 403
    assert client.get(trainee_urls(world)["quiz"]).status_code == 200  # the quiz beside it is not restricted
    client.force_login(world["author"])
    assert client.get(lesson_url).status_code == 200
    client.logout()
    assert client.get(lesson_url).status_code == 302  # to the login page, as before


def test_a_login_restriction_is_met_by_the_logged_in_trainee(client, world):
    set_privacy(client, world["manager"], world["module"], restriction_type="login")
    assert PageViewRestriction.objects.get(page=world["module"]).restriction_type == "login"
    client.force_login(world["trainee"])
    for url in trainee_urls(world).values():
        assert client.get(url).status_code == 200


def test_the_dialog_offers_the_bodys_own_groups_only(client, world):
    client.force_login(world["beta_manager"])
    lesson_b = LessonPage.objects.descendant_of(world["track_b"]).get()
    html = client.get(reverse("wagtailadmin_pages:set_privacy", args=[lesson_b.pk])).json()["html"]
    assert "Organisme Beta — auteurs" in html and "Organisme Beta — responsables" in html
    assert "Organisme Alpha" not in html and 'name="password"' in html
    # A group of another body, posted by id, is refused.
    alpha_authors = world["author"].groups.get(name__endswith="auteurs")
    response = set_privacy(client, world["beta_manager"], lesson_b, restriction_type="groups", groups=[alpha_authors.pk])
    assert response.json()["step"] == "set_privacy" and not PageViewRestriction.objects.exists()


def test_another_bodys_staff_can_neither_see_nor_set_the_privacy(client, world):
    set_privacy(client, world["manager"], world["lesson"], restriction_type="password", password=PASSWORD)
    client.force_login(world["beta_manager"])
    url = reverse("wagtailadmin_pages:set_privacy", args=[world["lesson"].pk])
    for response in (client.get(url), client.post(url, {"restriction_type": "none"}),
                     client.post(url, {"restriction_type": "login"})):
        assert response.status_code in (302, 403) and PASSWORD not in response.content.decode()
    assert list(PageViewRestriction.objects.values_list("page_id", "restriction_type")) == [
        (world["lesson"].pk, "password")]


def test_the_bodys_author_cannot_set_the_privacy(client, world):
    """Restricting who reads a page is the managers' (who publish), as in test_permission_matrix."""
    response = set_privacy(client, world["author"], world["lesson"], restriction_type="login")
    assert response.status_code in (302, 403) and not PageViewRestriction.objects.exists()


def test_view_restrictions_read_what_wagtail_reads(world):
    """The one-query read gives Page.get_view_restrictions()'s rows, on the page, ancestors and an alias."""
    track, module, lesson = world["track"], world["module"], world["lesson"]
    for page, kind in ((track, "login"), (module, "login"), (lesson, "password"), (world["track_b"], "login")):
        PageViewRestriction.objects.create(page=page, restriction_type=kind, password=PASSWORD)
    other = make_track(training_body=world["alpha"], modules=0)
    alias = module.create_alias(parent=other, recursive=True)
    alias_lesson = LessonPage.objects.child_of(alias).get(alias_of=lesson)
    PageViewRestriction.objects.create(page=alias, restriction_type="login")  # ignored: an alias reads its source's
    pages = list(Page.objects.filter(path__startswith=world["alpha"].catalog_page.path)) + [
        Page.objects.get(pk=world["track_b"].pk), alias_lesson]
    for page in pages:
        expected = sorted(page.specific.get_view_restrictions().values_list("pk", flat=True))
        assert sorted(view_restrictions(page.pk).values_list("pk", flat=True)) == expected, page.title
    # Below an alias of the module, in another track: the module's and the lesson's, not the track's nor the alias's.
    assert set(view_restrictions(alias_lesson.pk).values_list("page_id", flat=True)) == {module.pk, lesson.pk}


def test_one_query_reads_the_privacy_of_a_lesson(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert list(view_restrictions(world["lesson"].pk)) == []
