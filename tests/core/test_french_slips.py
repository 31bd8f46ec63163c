"""The French of the main pages of every role (issue 16, point 7): the demo rendered and scanned for the usual
slips — a decimal point in a number, "1 septembre" for "1er septembre", a doubled word ("Quiz Quiz —"), a useless
decimal on a count of years."""
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from lms.accounts.models import User
from lms.core import display
from lms.demo import data as demo
from lms.learning.models import Enrolment

pytestmark = pytest.mark.django_db

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
SLIPS = [
    (re.compile(r"\b\d+\.\d+\s?(?:h|%|€|ans?)\b"), "a decimal point in a French number"),
    (re.compile(rf"(?<![\d,]) ?\b1 (?:{MONTHS})\b"), "'1 <month>' instead of '1er <month>'"),
    (re.compile(r"\b([^\W\d_]{2,}) \1\b"), "a doubled word"),  # same case: "À faire Faire face…" is two items
    (re.compile(r"\b\d+,0 ans?\b"), "a useless decimal on years"),
    (re.compile(r"\b\d+(?:,\d+)? pts?\b"), "'pt' for points"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"), "a numeric date among dates in words"),
    (re.compile(r"\b([^\W\d_][^()]{2,}?) \(\1\)", re.I), "a label repeated in brackets"),
    (re.compile(r"(?<![\d,])\b[01] (?:leçon|module|quiz|point|jour|heure|an|question|tentative|apprenant·e)s\b"),
     "a plural after 0 or 1"),
]


def visible_text(html):
    main = html[html.index("<main"):html.index("</main>")]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def pages_of_every_role():
    trainee_enrolment = Enrolment.objects.filter(trainee__email=demo.demo_email("aide-soignante")).get()
    completed = Enrolment.objects.get(trainee__email=demo.demo_email("nadia.benali"))
    return {
        "secretaire": ["home", "accounts_dashboard", "my_track", "my_data"],
        "aide-soignante": ["my_track", reverse("track_outline", args=[trainee_enrolment.track_id])],
        "medecin": ["practice_home", "reminder_settings", "calendar_settings"],
        "responsable": ["accounts_dashboard", "training_body_deadlines", "enrolment_list", "cohort_list",
                        "certificate_list", reverse("learner_detail", args=[completed.pk])],
        "tuteur": ["accounts_dashboard"],
    }


def test_the_main_pages_of_every_role_read_as_french(client):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    problems = []
    for local_part, pages in pages_of_every_role().items():
        client.force_login(User.objects.get(email=demo.demo_email(local_part)))
        for page in pages:
            url = page if page.startswith("/") else reverse(page)
            response = client.get(url)
            assert response.status_code == 200, url
            text = visible_text(response.content.decode())
            for pattern, slip in SLIPS:
                for match in pattern.finditer(text):
                    problems.append(f"{local_part} {url}: {slip}: …{text[max(match.start() - 30, 0):match.end() + 30]}…")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("text", ["Quiz Quiz — Accueil", "7.5 h", "le 1 septembre 2026", "3,0 ans", "(2 pt)",
                                  "le 02/08/2026", "à distance (À distance)", "1 leçons terminées", "0 points"])
def test_the_scan_catches_each_slip(text):
    assert any(pattern.search(text) for pattern, _slip in SLIPS), text


@pytest.mark.parametrize("text", ["le 1er septembre 2026", "7,5 h", "14:30 30 novembre", "3 ans", "11 septembre",
                                  "À faire Faire face aux situations difficiles", "(2 points)", "2 août 2026",
                                  "à distance (en visioconférence)", "1 leçon terminée", "10 leçons", "2,5 points"])
def test_the_scan_lets_good_french_pass(text):
    assert not any(pattern.search(text) for pattern, _slip in SLIPS), text


LABEL_THEN_COLON = re.compile(r"(%\}|\}\}|</code>) :( |<|$)", re.M)


def test_no_template_writes_the_french_colon_by_hand():
    """'Motif : …' in French but 'Reason: …' in English: a colon after a translated label comes from {% colon %}."""
    hand_written = [f"{path.relative_to(settings.BASE_DIR)}:{text.count(chr(10), 0, m.start()) + 1}"
                    for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
                    for text in [path.read_text()] for m in LABEL_THEN_COLON.finditer(text)]
    assert not hand_written, hand_written


@pytest.mark.parametrize(("language", "expected"), [("fr", "Motif : hors délai"), ("en", "Reason: hors délai")])
def test_the_colon_follows_the_language(language, expected):
    with translation.override(language):
        html = Template('{% load i18n display_tags %}{% translate "Reason" %}{% colon %} hors délai').render(Context())
    assert html == expected


@pytest.mark.parametrize(("language", "value", "expected"), [
    ("fr", 1, "1 point"), ("fr", 2, "2 points"), ("fr", Decimal("1.5"), "1,5 points"), ("fr", 0, "0 point"),
    ("en", 1, "1 point"), ("en", 0, "0 points"), ("en", Decimal("2.5"), "2.5 points")])
def test_points_are_written_in_words(language, value, expected):
    with translation.override(language):
        assert display.points(value) == expected
