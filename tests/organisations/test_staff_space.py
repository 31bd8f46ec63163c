"""The training body's staff space (issue 16, point 4): one sub-navigation on every staff page, the current entry
marked for assistive technologies, entries filtered by role; 'Mon espace' links to every staff page."""
import re

import pytest
from django.urls import reverse

from lms.organisations.staff_space import STAFF_PAGES
from tests.factories import make_enrolment, make_staff, make_track, make_trainee, make_training_body

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav aria-label="Espace organisme" class="subnav staff-nav">(.*?)</nav>', re.S)


def staff_world():
    body = make_training_body()
    track = make_track(training_body=body)
    enrolment = make_enrolment(trainee=make_trainee(first_name="Léa", last_name="Morel"), track=track)
    return body, enrolment


def nav_of(html):
    """The staff navigation's HTML (exactly one on the page)."""
    found = NAV.findall(html)
    assert len(found) == 1, f"{len(found)} staff navigations"
    return found[0]


def current_links(nav):
    """{href: aria-current value} of the entries marked current."""
    return dict(re.findall(r'<a href="([^"]+)" aria-current="([^"]+)">', nav))


# (URL name, arguments: "body" or "enrolment", the entry marked current, its aria-current value)
STAFF_URLS = [
    ("enrolment_list", None, "enrolment_list", "page"),
    ("enrolment_create", None, "enrolment_list", "true"),
    ("enrolment_import", None, "enrolment_list", "true"),
    ("learner_detail", "enrolment", "enrolment_list", "true"),
    ("enrolment_withdraw", "enrolment", "enrolment_list", "true"),
    ("qualification_result", "enrolment", "enrolment_list", "true"),
    ("training_body_deadlines", None, "training_body_deadlines", "page"),
    ("cohort_list", None, "cohort_list", "page"),
    ("certificate_list", None, "certificate_list", "page"),
    ("support_inbox", None, "support_inbox", "page"),
    ("training_body_home", None, "training_body_home", "page"),
    ("training_body_identity", "body", "training_body_home", "true"),
    ("training_body_invite", None, "training_body_invite", "page"),
]


@pytest.mark.parametrize("name,arg,current,state", STAFF_URLS)
def test_every_staff_page_has_the_navigation_with_its_entry_current(client, name, arg, current, state):
    """A manager sees the same navigation, every entry, on each staff page; only the page's own entry (or the
    entry it sits under) is marked current."""
    body, enrolment = staff_world()
    client.force_login(make_staff(training_body=body, role="manager"))
    args = {"body": [body.pk], "enrolment": [enrolment.pk], None: []}[arg]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    nav = nav_of(response.content.decode())
    assert re.findall(r'<a href="([^"]+)"', nav) == [reverse(page.url_name) for page in STAFF_PAGES]
    assert current_links(nav) == {reverse(current): state}


def test_the_navigation_shows_each_role_only_the_pages_it_may_open(client):
    """A tutor has no invitations to send; an author answers no questions and sends no invitations: their
    navigation leaves those out, and the pages left out indeed refuse them."""
    body, _ = staff_world()
    tutor = make_staff(training_body=body, role="tutor")
    client.force_login(tutor)
    nav = nav_of(client.get(reverse("enrolment_list")).content.decode())
    assert reverse("support_inbox") in nav and reverse("training_body_home") in nav
    assert reverse("training_body_invite") not in nav and "Invitations" not in nav
    assert client.get(reverse("training_body_invite")).status_code == 403
    author = make_staff(training_body=body, role="author")
    client.force_login(author)
    nav = nav_of(client.get(reverse("cohort_list")).content.decode())
    assert reverse("support_inbox") not in nav and reverse("training_body_invite") not in nav
    assert reverse("certificate_list") in nav and reverse("training_body_deadlines") in nav
    assert client.get(reverse("support_inbox")).status_code == 403


def test_no_staff_navigation_for_an_employer_inviting_an_assistant(client):
    """The invitation form is shared with practices: their page has no training body navigation."""
    from tests.factories import make_employer

    client.force_login(make_employer())
    html = client.get(reverse("practice_invite")).content.decode()
    assert "Espace organisme" not in html


def test_my_space_links_to_every_staff_page_with_a_description(client):
    """'Mon espace' of a manager: each staff page, its label and a one-line description; a tutor's leaves out the
    invitations."""
    body, _ = staff_world()
    client.force_login(make_staff(training_body=body, role="manager"))
    html = client.get(reverse("accounts_dashboard")).content.decode()
    for label, description in [("Apprenant·es", "progression et son rythme"), ("Dispenses", "positionnement"),
                               ("Apprenant·es en risque", "motif"),
                               ("Sessions", "tuteurs"), ("Attestations", "révoquer"),
                               ("Questions des apprenant·es", "leçons"), ("Satisfaction", "trois mois"),
                               ("Réclamations", "registre"), ("Handicap", "référent"), ("Équipe", "rôle"),
                               ("Invitations", "invitations en attente")]:
        assert re.search(rf'<a href="[^"]+">{re.escape(label)}</a> — [^<]*{re.escape(description)}', html), label
    for page in STAFF_PAGES:
        assert f'href="{reverse(page.url_name)}"' in html
    client.force_login(make_staff(training_body=body, role="tutor"))
    html = client.get(reverse("accounts_dashboard")).content.decode()
    assert f'href="{reverse("training_body_invite")}"' not in html
    assert f'href="{reverse("enrolment_list")}"' in html
