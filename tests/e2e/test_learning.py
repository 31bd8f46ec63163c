"""A trainee logs in, opens the outline, reads a lesson, marks it done and sees progress move."""
import pytest

from tests.e2e.conftest import axe_violations, login
from tests.factories import PASSWORD, make_enrolment, make_trainee

pytestmark = pytest.mark.django_db(transaction=True)


def test_trainee_reads_a_lesson_and_progress_moves(page, live_server):
    trainee = make_trainee(email="apprenante@example.org", first_name="Lina", last_name="Morel")
    enrolment = make_enrolment(trainee=trainee)
    login(page, live_server, trainee.email, PASSWORD)
    page.goto(live_server.url + "/mon-parcours/")
    assert "Progression : 0 %" in page.inner_text("main")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Voir le plan du parcours").click()
    assert page.get_by_role("heading", level=1).inner_text() == enrolment.track.title
    assert axe_violations(page) == []

    page.get_by_role("link", name="Leçon 1.1").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Leçon 1.1"
    assert "Temps estimé : 15 min" in page.inner_text("main")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Marquer comme terminée et continuer").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Leçon 1.2"
    assert "Leçon « Leçon 1.1 » marquée comme terminée." in page.inner_text("main")

    page.goto(live_server.url + "/mon-parcours/")
    assert "Progression : 25 %" in page.inner_text("main")
    assert "1 leçon terminée sur 4" in page.inner_text("main")  # singular (issue 16, point 7)


def test_a_lesson_video_loads_only_when_asked(page, live_server):
    from lms.catalog.models import LessonPage

    enrolment = make_enrolment(trainee=make_trainee(email="video@example.org"))
    lesson = LessonPage.objects.descendant_of(enrolment.track).first()
    lesson.body = [("video", {"title": "Prendre la tension", "video": "https://youtu.be/dQw4w9WgXcQ",
                              "transcript": "Le patient est assis depuis cinq minutes."})]
    lesson.save_revision().publish()
    asked = []
    page.route("**/*", lambda route: (asked.append(route.request.url), route.abort())
               if not route.request.url.startswith(live_server.url) else route.continue_())
    login(page, live_server, "video@example.org", PASSWORD)
    page.goto(f"{live_server.url}/apprendre/lecons/{lesson.pk}/")
    assert page.locator("iframe").count() == 0 and asked == []  # nothing asked of the provider yet
    assert axe_violations(page) == []
    page.get_by_role("button", name="Charger la vidéo").click()
    frame = page.locator("iframe.video-frame")
    frame.wait_for(state="attached")
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    assert frame.get_attribute("title") == "Prendre la tension"
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"


def test_trainee_searches_the_track_and_reads_the_marked_excerpt(page, live_server):
    """From 'Mon parcours': a plural without accents finds the lesson, the words marked in its excerpt (issue 16,
    point 2)."""
    trainee = make_trainee(email="recherche@example.org")
    make_enrolment(trainee=trainee)
    login(page, live_server, trainee.email, PASSWORD)
    page.goto(live_server.url + "/mon-parcours/")
    page.get_by_label("Rechercher dans le parcours").fill("tensions arterielles")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    assert page.get_by_role("heading", level=2).first.inner_text() == "4 résultats"
    first = page.locator(".search-results li").first
    assert first.locator("mark").all_inner_texts() == ["tension", "artérielle"]
    assert "Module : Module " in first.inner_text()  # equal ranks: any of the four lessons may come first
    assert axe_violations(page) == []
    first.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Leçon ")
