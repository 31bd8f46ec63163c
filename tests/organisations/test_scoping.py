"""Every organisation page is scoped to the requesting user's organisations."""
import pytest
from django.urls import reverse

from tests.factories import make_employer, make_practice, make_staff, make_trainee, make_user

pytestmark = pytest.mark.django_db


def test_employer_sees_only_their_own_assistants(client):
    mine, theirs = make_practice(name="Cabinet A"), make_practice(name="Cabinet B")
    make_trainee(first_name="Visible", last_name="Assistante", practice=mine)
    make_trainee(first_name="Cachée", last_name="Autre", practice=theirs)
    client.force_login(make_employer(practice=mine))
    html = client.get(reverse("practice_home")).content.decode()
    assert "Visible Assistante" in html
    assert "Cachée" not in html


@pytest.mark.parametrize("url_name", ["practice_home", "practice_invite"])
def test_non_employers_are_refused_practice_pages(client, url_name):
    for user in (make_user(), make_trainee(), make_staff()):
        client.force_login(user)
        assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", ["training_body_home", "training_body_invite"])
def test_non_staff_are_refused_training_body_pages(client, url_name):
    for user in (make_user(), make_trainee(), make_employer()):
        client.force_login(user)
        assert client.get(reverse(url_name)).status_code == 403


def test_staff_sees_only_their_own_training_body(client):
    me = make_staff(first_name="Moi", last_name="Même")
    make_staff(first_name="Autre", last_name="Organisme")
    client.force_login(me)
    html = client.get(reverse("training_body_home")).content.decode()
    assert "Moi Même" in html
    assert "Autre Organisme" not in html


def test_is_staff_of_is_the_one_rule_for_training_body_staff():
    from django.contrib.auth.models import AnonymousUser

    from lms.organisations.models import StaffRole
    from lms.organisations.selectors import is_staff_of

    author = make_staff(role=StaffRole.AUTHOR)
    body_id = author.training_body_memberships.get().training_body_id
    other_body = make_staff().training_body_memberships.get().training_body_id
    assert is_staff_of(author, body_id)
    assert not is_staff_of(author, other_body)
    assert not is_staff_of(author, body_id, roles=[StaffRole.MANAGER])
    assert is_staff_of(author, body_id, roles=[StaffRole.AUTHOR, StaffRole.MANAGER])
    assert not is_staff_of(make_trainee(), body_id) and not is_staff_of(AnonymousUser(), body_id)
    assert is_staff_of(make_user(is_superuser=True), other_body, roles=[StaffRole.MANAGER])
