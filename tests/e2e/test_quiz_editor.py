"""The quiz editor in Wagtail: questions built when the author reaches them (lms/quizzes/static/quizzes/
lazy-question.js), and a question's choices in one table, a row per choice (lms.quizzes.blocks.ChoiceListBlock).

An author edits, adds, moves and deletes choices; the page saves them as Wagtail's ListBlock would, with the ids of
the choices kept (attempts cite them); a choice left empty comes back with its error on its row, and nothing is
published. The table passes axe, on a desktop and on a phone."""
import pytest
from playwright.sync_api import expect

from lms.catalog.models import ModulePage
from lms.quizzes.models import QuizPage
from tests.e2e.conftest import AXE, login
from tests.factories import PASSWORD, make_quiz, make_track, make_user

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = {"type": "single", "prompt": "Combien de minutes de repos avant une mesure de tension ?", "points": 1,
            "choices": [{"text": "Aucune", "correct": False, "feedback": "Le repos compte."},
                        {"text": "3 à 5 minutes", "correct": True, "feedback": ""},
                        {"text": "Une heure", "correct": False, "feedback": ""}]}


def open_question(page, live_server, quiz):
    page.goto(f"{live_server.url}/cms/pages/{quiz.pk}/edit/")
    page.locator("[data-contentpath='questions'] [data-panel-toggle]").first.click()  # the editor opens collapsed
    table = page.locator("[data-choice-list]").first
    table.wait_for(state="visible")
    return table


def save_draft(page, quiz, publish=False):
    with page.expect_response(lambda r: r.request.method == "POST" and f"/pages/{quiz.pk}/edit/" in r.url) as saved:
        if publish:  # Wagtail checks required fields when publishing, not in a draft
            page.locator("footer [data-w-dropdown-target='toggle']").first.click()
            page.get_by_role("button", name="Publier").click()
        else:
            page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state()
    return saved.value


def live_choices(quiz):
    question = QuizPage.objects.get(pk=quiz.pk).questions[0]
    return [choice["text"] for choice in question.value["choices"]]


def choices_of(quiz):
    question = QuizPage.objects.get(pk=quiz.pk).latest_revision.as_object().questions[0]
    return [(child.id, dict(child.value)) for child in question.value["choices"].bound_blocks]


def test_an_author_edits_adds_moves_and_deletes_choices(page, live_server):
    quiz = make_quiz(parent=make_track(modules=1, lessons=1), questions=[QUESTION])
    ids = [child.id for child in quiz.questions[0].value["choices"].bound_blocks]
    author = make_user(email="auteur@example.org", is_staff=True, is_superuser=True)
    login(page, live_server, author.email, PASSWORD)

    table = open_question(page, live_server, quiz)
    assert table.get_by_role("textbox", name="Choix 1", exact=True).input_value() == "Aucune"
    assert table.get_by_role("checkbox", name="Le choix 2 est une bonne réponse").is_checked()
    assert table.get_by_role("button", name="Monter le choix 1").is_disabled()

    table.get_by_role("textbox", name="Choix 2", exact=True).fill("Trois à cinq minutes")
    table.get_by_role("textbox", name="Commentaire du choix 2").fill("Au calme, assis.")
    table.get_by_role("button", name="Supprimer le choix 3").click()
    table.get_by_role("button", name="Ajouter un choix").click()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Choix 3"  # the new row, to type in
    page.keyboard.type("Dix minutes")
    table.get_by_role("button", name="Monter le choix 3").click()  # the new choice becomes the second
    assert table.get_by_role("textbox", name="Choix 2", exact=True).input_value() == "Dix minutes"

    response = save_draft(page, quiz)
    assert response.status == 302
    saved = choices_of(quiz)
    assert [value["text"] for _, value in saved] == ["Aucune", "Dix minutes", "Trois à cinq minutes"]
    assert [value["correct"] for _, value in saved] == [False, False, True]
    assert saved[2][1]["feedback"] == "Au calme, assis." and saved[0][1]["feedback"] == "Le repos compte."
    assert saved[0][0] == ids[0] and saved[2][0] == ids[1]  # the kept choices keep their ids
    assert saved[1][0] not in ids and saved[1][0]  # the new one has an id of its own
    assert ids[2] not in [choice_id for choice_id, _ in saved]
    page.goto("about:blank")


def test_an_empty_choice_comes_back_with_its_error_when_publishing_and_nothing_is_published(page, live_server):
    quiz = make_quiz(parent=make_track(modules=1, lessons=1), questions=[QUESTION])
    author = make_user(email="auteur@example.org", is_staff=True, is_superuser=True)
    login(page, live_server, author.email, PASSWORD)

    table = open_question(page, live_server, quiz)
    table.get_by_role("textbox", name="Commentaire du choix 2").fill("Assis, au calme.")
    table.get_by_role("textbox", name="Choix 3", exact=True).fill("")
    page.evaluate("document.querySelectorAll('[data-choice-list] [required]').forEach(i => i.removeAttribute('required'))")
    assert save_draft(page, quiz, publish=True).status == 200
    assert live_choices(quiz) == ["Aucune", "3 à 5 minutes", "Une heure"]  # nothing published

    table = page.locator("[data-choice-list]").first
    empty = table.get_by_role("textbox", name="Choix 3", exact=True)
    assert empty.get_attribute("aria-invalid") == "true"
    assert page.locator(f"#{empty.get_attribute('aria-describedby')}").inner_text() == "Champ requis."  # Wagtail's
    assert table.get_by_role("textbox", name="Commentaire du choix 2").input_value() == "Assis, au calme."  # kept
    assert table.get_by_role("textbox", name="Choix 1", exact=True).get_attribute("aria-invalid") is None

    # The choice written, but two right answers to a single-choice question: the question says so.
    empty.fill("Une heure")
    table.get_by_role("checkbox", name="Le choix 3 est une bonne réponse").check()
    assert save_draft(page, quiz, publish=True).status == 200
    assert page.get_by_text("Une question à choix unique doit avoir exactement une bonne réponse.").count() == 1
    assert page.locator("[data-choice-list] [aria-invalid]").count() == 0
    assert live_choices(quiz) == ["Aucune", "3 à 5 minutes", "Une heure"]  # nothing published
    page.goto("about:blank")


def test_questions_are_built_when_the_author_reaches_them(page, live_server):
    questions = [dict(QUESTION, prompt=f"Question {n} : combien de minutes ?") for n in range(1, 9)]
    quiz = make_quiz(parent=make_track(modules=1, lessons=1), questions=questions)
    author = make_user(email="auteur@example.org", is_staff=True, is_superuser=True)
    login(page, live_server, author.email, PASSWORD)
    page.goto(f"{live_server.url}/cms/pages/{quiz.pk}/edit/")
    waiting = page.locator("[data-lazy-question]")
    waiting.first.wait_for(state="attached")
    assert waiting.count() == 8 and page.locator("[data-choice-list]").count() == 0
    headings = page.locator("[data-contentpath='questions'] [data-panel-heading-text]")
    # Each collapsed one shows its prompt (a question far from the screen is drawn once scrolled to: its CSS).
    headings.nth(6).scroll_into_view_if_needed()
    expect(headings.nth(6)).to_have_text("Question 7 : combien de minutes ?", use_inner_text=True)

    page.locator("[data-contentpath='questions'] [data-panel-toggle]").nth(6).click()
    page.get_by_role("textbox", name="Choix 1", exact=True).wait_for()
    assert waiting.count() == 7 and page.locator("[data-choice-list]").count() == 1  # only the one opened
    page.get_by_role("textbox", name="Choix 2", exact=True).fill("Cinq minutes")
    assert save_draft(page, quiz).status == 302
    saved = QuizPage.objects.get(pk=quiz.pk).latest_revision.as_object().questions
    assert [q.value["prompt"] for q in saved] == [q["prompt"] for q in questions]  # the unopened ones kept
    assert [c["text"] for c in saved[6].value["choices"]] == ["Aucune", "Cinq minutes", "Une heure"]
    assert [c["text"] for c in saved[5].value["choices"]] == ["Aucune", "3 à 5 minutes", "Une heure"]
    assert [c.id for c in saved[5].value["choices"].bound_blocks] == \
        [c.id for c in quiz.questions[5].value["choices"].bound_blocks]
    page.goto("about:blank")


# The form's data as Wagtail's "unsaved changes" check reads it: one string, in order (comments and files aside).
FORM_DATA = """() => { const data = new FormData(document.querySelector('form[data-edit-form]'));
    for (const name of [...data.keys()])
        if (name.startsWith('comments-') || data.get(name) instanceof File) data.delete(name);
    return new URLSearchParams(data).toString(); }"""


def test_a_question_opened_and_left_as_it_was_changes_nothing(page, live_server):
    """Every kind of question, opened (built from its waiting state) and not touched: the form posts the same data,
    in the same order, so the editor neither warns of unsaved changes nor saves a draft by itself."""
    questions = [QUESTION, dict(QUESTION, type="multiple", prompt="Quels signes d'alerte ?"),
                 {"type": "truefalse", "prompt": "Un brassard trop petit surestime la tension.", "answer": True},
                 {"type": "truefalse", "prompt": "Le repos est inutile.", "answer": False},
                 {"type": "numeric", "prompt": "IMC pour 80 kg et 1,60 m ?", "value": 31.25, "tolerance": 0.1,
                  "unit": "kg/m²"},
                 {"type": "text", "prompt": "Carte de l'assuré ?", "accepted": ["carte Vitale", "Vitale"]},
                 {"type": "ordering", "prompt": "Dans l'ordre ?", "items": ["Accueillir", "Mesurer", "Noter"]}]
    quiz = make_quiz(parent=make_track(modules=1, lessons=1), questions=questions)
    revisions = quiz.revisions.count()
    author = make_user(email="auteur@example.org", is_staff=True, is_superuser=True)
    login(page, live_server, author.email, PASSWORD)
    page.goto(f"{live_server.url}/cms/pages/{quiz.pk}/edit/")
    page.locator("[data-lazy-question]").first.wait_for(state="attached")
    page.evaluate("() => { window.unsavedEdits = 0; "
                  "document.addEventListener('w-unsaved:add', () => unsavedEdits++); }")
    waiting = page.locator("[data-lazy-question]")
    initial = page.evaluate(FORM_DATA)
    toggles = page.locator("[data-contentpath='questions'] [data-streamfield-child]"
                           ":not([data-streamfield-child] [data-streamfield-child]) [data-panel-toggle]")
    for n in reversed(range(len(questions))):  # from the last: an opened question's own lists add toggles after it
        toggles.nth(n).click()
        expect(waiting).to_have_count(n)
        assert page.evaluate(FORM_DATA) == initial, questions[n]["type"]
    page.wait_for_timeout(2500)  # Wagtail's check runs every 0.5 s, and autosaves at once when it finds edits
    assert page.evaluate("unsavedEdits") == 0 and quiz.revisions.count() == revisions
    page.get_by_role("textbox", name="Choix 2", exact=True).first.fill("Cinq minutes")  # a real edit is seen
    for _ in range(40):
        if quiz.revisions.count() > revisions:
            break
        page.wait_for_timeout(250)
    assert page.evaluate("unsavedEdits") >= 1 and quiz.revisions.count() == revisions + 1
    page.goto("about:blank")


def test_a_positioning_test_keeps_the_module_of_each_question_it_was_not_opened_for(page, live_server):
    track = make_track(modules=2, lessons=1)
    modules = list(ModulePage.objects.child_of(track))
    questions = [dict(QUESTION, prompt=f"Question {n}", module_id=modules[n % 2].pk) for n in range(1, 4)]
    quiz = make_quiz(parent=track, title="Test de positionnement", purpose="positioning", questions=questions)
    author = make_user(email="auteur@example.org", is_staff=True, is_superuser=True)
    login(page, live_server, author.email, PASSWORD)
    page.goto(f"{live_server.url}/cms/pages/{quiz.pk}/edit/")
    page.locator("[data-lazy-question]").first.wait_for(state="attached")
    page.locator("#id_title").fill("Test de positionnement révisé")
    assert save_draft(page, quiz).status == 302
    saved = QuizPage.objects.get(pk=quiz.pk).latest_revision.as_object()
    assert saved.title == "Test de positionnement révisé"
    assert [q.value["module"].pk for q in saved.questions] == [modules[1].pk, modules[0].pk, modules[1].pk]
    page.goto("about:blank")


def test_a_question_with_an_error_is_built_and_opened(page, live_server):
    questions = [dict(QUESTION, prompt=f"Question {n}") for n in range(1, 5)]
    questions[2] = dict(questions[2], choices=[dict(c, correct=True) for c in QUESTION["choices"]])  # 3 right answers
    quiz = make_quiz(parent=make_track(modules=1, lessons=1), questions=questions)
    author = make_user(email="auteur@example.org", is_staff=True, is_superuser=True)
    login(page, live_server, author.email, PASSWORD)
    page.goto(f"{live_server.url}/cms/pages/{quiz.pk}/edit/")
    page.locator("[data-lazy-question]").first.wait_for(state="attached")
    assert save_draft(page, quiz).status == 200
    page.get_by_text("Une question à choix unique doit avoir exactement une bonne réponse.").wait_for()
    toggles = page.locator("[data-contentpath='questions'] [data-panel-toggle]")
    assert toggles.nth(2).get_attribute("aria-expanded") == "true"
    assert toggles.nth(0).get_attribute("aria-expanded") == "false"
    assert page.locator("[data-lazy-question]").count() == 3  # the others wait
    page.goto("about:blank")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_choice_table_passes_axe(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    quiz = make_quiz(parent=make_track(modules=1, lessons=1), questions=[QUESTION])
    author = make_user(email="auteur@example.org", is_staff=True, is_superuser=True)
    login(page, live_server, author.email, PASSWORD)
    table = open_question(page, live_server, quiz)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run('[data-choice-list]', {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"]] == []
    if width == 375:  # a card per choice, its labels shown, nothing wider than the screen
        assert table.locator("td[data-label]").first.evaluate("td => getComputedStyle(td, '::before').content") \
            == '"Choix"'
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    page.goto("about:blank")


def test_the_module_assessed_shows_in_a_positioning_test_only(page, live_server):
    """'Module évalué (test de positionnement)' means something in a positioning test only: hidden in a module quiz
    (and a bank), shown once the purpose is a positioning test, and its value kept either way."""
    track = make_track(modules=2, lessons=1)
    module = ModulePage.objects.child_of(track).first()
    quiz = make_quiz(parent=track, title="Évaluation finale", questions=[dict(QUESTION, module_id=module.pk)])
    author = make_user(email="auteur@example.org", is_staff=True, is_superuser=True)
    login(page, live_server, author.email, PASSWORD)
    open_question(page, live_server, quiz)
    field = page.locator("[data-contentpath='questions'] [data-contentpath='module']").first
    field.wait_for(state="attached")
    assert not field.is_visible()
    assert page.get_by_text("Module évalué (test de positionnement)").count() == 0 or \
        not page.get_by_text("Module évalué (test de positionnement)").first.is_visible()
    page.locator("select[name='purpose']").select_option("positioning")
    field.wait_for(state="visible")
    assert page.get_by_text("Module évalué (test de positionnement)").first.is_visible()
    page.locator("select[name='purpose']").select_option("assessment")
    field.wait_for(state="hidden")
    page.locator("#id_title").fill("Évaluation finale révisée")
    assert save_draft(page, quiz).status == 302
    saved = QuizPage.objects.get(pk=quiz.pk).latest_revision.as_object()
    assert saved.questions[0].value["module"].pk == module.pk  # hidden, not lost
    page.goto("about:blank")
