"""A list written right after a paragraph line ("Les signes :" then "- …") renders as a list, in the loader's
Markdown and in every shipped lesson a trainee reads."""
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from lms.catalog.loader import read_content
from lms.catalog.markdown_blocks import markdown_to_blocks, separate_lists, to_html
from lms.catalog.models import LessonPage, TrackPage
from tests.factories import make_enrolment, make_trainee, make_training_body

CONTENT = Path(settings.BASE_DIR) / "content"
# A paragraph that swallowed list items: a line inside <p> that starts like a list item.
RUN_TOGETHER = re.compile(r"<p>(?:(?!</p>).)*\n\s*(?:[-*+]|\d+[.)])\s", re.S)
BULLET = re.compile(r"^ {0,3}[-*+]\s+\S")


def test_a_list_right_after_a_colon_line_is_a_list():
    html = to_html("Prévenez le médecin si :\n- la systolique dépasse 180 ;\n- le patient se sent mal.")
    assert html == ("<p>Prévenez le médecin si :</p>\n<ul>\n<li>la systolique dépasse 180 ;</li>\n"
                    "<li>le patient se sent mal.</li>\n</ul>")


def test_an_ordered_list_starting_at_one_after_a_paragraph_is_a_list():
    html = to_html("Exemple :\n1. Taille au carré.\n2. Poids divisé.")
    assert "<ol>" in html and html.count("<li>") == 2 and not RUN_TOGETHER.search(html)


def test_a_wrapped_line_that_only_looks_numbered_stays_text():
    """As in CommonMark, only "1." may interrupt a paragraph: "2019. fut…" on a wrapped line is still prose."""
    html = to_html("Le métier est créé en\n2019. Les premiers recrutements suivent.")
    assert "<ol>" not in html and "<li>" not in html


def test_list_continuations_and_separated_lists_are_unchanged():
    text = "Intro.\n\n- un\n  suite du un\n- deux\n\nTexte après."
    assert separate_lists(text) == text
    html = to_html(text)
    assert html.count("<li>") == 2 and "suite du un" in html and "<p>Texte après.</p>" in html


def test_the_rule_applies_inside_key_points_blocks():
    blocks = markdown_to_blocks(":::retenir\nÀ retenir :\n- un\n- deux\n:::\n")
    assert blocks == [("key_points", {"text": "<p>À retenir :</p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>"})]


def test_a_synthetic_lesson_file_with_a_run_together_list_loads_as_a_list(tmp_path):
    """A lesson file as authors write it, read by the loader like any shipped one."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    lesson = next((target / "modules" / "constantes" / "lessons").glob("03-*.md"))
    filler = " ".join(["Texte de remplissage pour atteindre la longueur minimale."] * 60)
    text = ('---\ntitle: "Leçon de test"\nduration_minutes: 10\n---\n' + filler
            + "\n\nLes catégories sont :\n- maigreur ;\n- corpulence normale ;\n- surpoids.\n")
    lesson.write_text(text, encoding="utf-8")
    content = read_content(target)
    spec = next(lesson for track in content.tracks for module, *_ in track.modules
                for lesson in module.lessons if lesson.title == "Leçon de test")
    html = "".join(value for kind, value in spec.blocks if kind == "text")
    assert "<p>Les catégories sont :</p>\n<ul>" in html and html.count("<li>") == 3
    assert not RUN_TOGETHER.search(html)


def _source_bullets(path):
    """Bullet lines of a lesson source, outside :::etapes fences (those become procedure steps)."""
    count, in_steps = 0, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(":::etapes"):
            in_steps = True
        elif line.strip() == ":::":
            in_steps = False
        elif not in_steps and BULLET.match(line):
            count += 1
    return count


def test_no_shipped_lesson_source_runs_a_list_into_its_paragraph():
    """The source itself keeps the blank line, so that it reads the same in any Markdown viewer."""
    offenders = []
    for path in sorted(CONTENT.glob("modules/*/lessons/*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, (previous, line) in enumerate(zip(lines, lines[1:]), start=2):
            if BULLET.match(line) and previous.strip() and not BULLET.match(previous) \
                    and not previous.startswith((":::", " ")):
                offenders.append(f"{path.relative_to(CONTENT)}:{number}")
    assert offenders == []


@pytest.mark.django_db
def test_every_shipped_lesson_renders_its_lists_on_the_trainee_page(client):
    """Load the shipped content, enrol a trainee in the track that holds every module, and read every lesson."""
    body = make_training_body(name="Institut du test", slug="institut-du-test")
    call_command("load_content", training_body=body.slug, stdout=StringIO())
    track = TrackPage.objects.get(slug="assistant-medical-4-mois")
    enrolment = make_enrolment(trainee=make_trainee(entry_profile="nurse"), track=track)
    client.force_login(enrolment.trainee)
    sources = {(path.parent.parent.name, path.stem.split("-", 1)[1]): path
               for path in CONTENT.glob("modules/*/lessons/*.md")}
    lessons = LessonPage.objects.live().descendant_of(track)
    assert lessons.count() == len(sources)
    for lesson in lessons:
        module_slug = lesson.get_parent().slug
        source = sources[(module_slug, lesson.slug)]
        response = client.get(reverse("lesson", args=[lesson.pk]))
        assert response.status_code == 200, lesson.slug
        page = response.content.decode()
        body_html = str(lesson.body.render_as_block())
        for html in (page, body_html):
            assert not RUN_TOGETHER.search(html), f"{source.name}: a list ran into its paragraph"
            assert not re.search(r" :\s+- ", html), f"{source.name}: a list ran into its paragraph"
        assert body_html.count("<li") >= _source_bullets(source), f"{source.name}: a list is missing"
