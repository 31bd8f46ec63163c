"""The French of the main pages of every role (issue 16, point 7): the demo rendered and scanned for the usual
slips — a decimal point in a number, "1 septembre" for "1er septembre", a doubled word ("Quiz Quiz —"), a useless
decimal on a count of years."""
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from lms.accounts.models import User
from lms.demo import data as demo
from lms.learning.models import Enrolment

pytestmark = pytest.mark.django_db

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
SLIPS = [
    (re.compile(r"\b\d+\.\d+\s?(?:h|%|€|ans?)\b"), "a decimal point in a French number"),
    (re.compile(rf"(?<![\d,]) ?\b1 (?:{MONTHS})\b"), "'1 <month>' instead of '1er <month>'"),
    (re.compile(r"\b([^\W\d_]{2,}) \1\b"), "a doubled word"),  # same case: "À faire Faire face…" is two items
    (re.compile(r"\b\d+,0 ans?\b"), "a useless decimal on years"),
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


@pytest.mark.parametrize("text", ["Quiz Quiz — Accueil", "7.5 h", "le 1 septembre 2026", "3,0 ans"])
def test_the_scan_catches_each_slip(text):
    assert any(pattern.search(text) for pattern, _slip in SLIPS), text


@pytest.mark.parametrize("text", ["le 1er septembre 2026", "7,5 h", "14:30 30 novembre", "3 ans", "11 septembre",
                                  "À faire Faire face aux situations difficiles"])
def test_the_scan_lets_good_french_pass(text):
    assert not any(pattern.search(text) for pattern, _slip in SLIPS), text
