"""The lesson editor starts a rich text editor when its field comes near the screen (lms.catalog.widgets), and the
page posts every field as Wagtail's own widget would: untouched fields are kept, edited ones saved."""
import re

import pytest

from lms.catalog.models import LessonPage
from tests.e2e.conftest import login
from tests.factories import PASSWORD, make_track, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PARAGRAPHS = 14
BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')  # added by Wagtail's contentstate conversion to every paragraph


def rendered(body):
    return [(block.block_type, BLOCK_KEY.sub("", str(block.render()))) for block in body]


def long_lesson():
    track = make_track(modules=1, lessons=1)
    lesson = LessonPage.objects.descendant_of(track).get()
    body = []
    for n in range(PARAGRAPHS):
        body.append(("heading", f"Partie {n}"))
        body.append(("text", f"<p>Paragraphe {n} : la <b>tension</b> artérielle se mesure au repos.</p>"
                             + "<p>Deuxième ligne du paragraphe, pour que le bloc prenne de la place.</p>" * 3))
    body.append(("procedure", {"title": "Étapes", "steps": [f"<p>Étape {n}</p>" for n in range(1, 6)]}))
    lesson.body = body
    lesson.save_revision().publish()
    return lesson


def test_far_fields_start_when_reached_and_the_lesson_saves_every_field(page, live_server):
    lesson = long_lesson()
    before = rendered(LessonPage.objects.get(pk=lesson.pk).body)
    admin = make_user(email="admin@example.org", is_staff=True, is_superuser=True)
    login(page, live_server, admin.email, PASSWORD)

    page.goto(f"{live_server.url}/cms/pages/{lesson.pk}/edit/")
    page.wait_for_selector(".DraftEditor-root")  # the fields on the screen started
    started = page.locator(".DraftEditor-root").count()
    waiting = page.locator("[data-lazy-rich-text]").count()
    assert waiting > 0 and started + waiting == PARAGRAPHS + 5, (started, waiting)
    assert page.locator("[data-lazy-rich-text]").first.inner_text().startswith("Paragraphe")  # its text, readable

    # The last step of the procedure: far down, not started until the author gets there.
    last = page.locator("[data-lazy-rich-text]").last
    last.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('.DraftEditor-root').length > %d" % started)
    editor = page.locator(".DraftEditor-root").last.locator("[contenteditable=true]")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" — vérifiée")
    # Draftail writes its state into the form's input a moment after typing (its save interval)
    page.wait_for_function("() => [...document.querySelectorAll('input[type=hidden]')]"
                           ".some(input => input.value.includes('vérifiée'))")

    with page.expect_response(lambda r: r.request.method == "POST" and f"/pages/{lesson.pk}/edit/" in r.url) as saved:
        page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state()
    assert saved.value.status == 302
    after = rendered(LessonPage.objects.get(pk=lesson.pk).latest_revision.as_object().body)
    assert len(after) == len(before)
    assert after[:-1] == before[:-1]  # every paragraph, started or not, kept as it was
    assert "Étape 5 — vérifiée" in after[-1][1] and "Étape 1" in after[-1][1]
    page.goto("about:blank")  # no request of the editor left running when the test database goes


def test_a_waiting_field_starts_when_focused_from_the_keyboard(page, live_server):
    lesson = long_lesson()
    admin = make_user(email="admin@example.org", is_staff=True, is_superuser=True)
    login(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server.url}/cms/pages/{lesson.pk}/edit/")
    page.wait_for_selector(".DraftEditor-root")
    waiting = page.locator("[data-lazy-rich-text]").count()
    page.locator("[data-lazy-rich-text]").last.focus()
    page.wait_for_function("() => document.querySelectorAll('[data-lazy-rich-text]').length < %d" % waiting)
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('.DraftEditor-root')")
    page.goto("about:blank")
