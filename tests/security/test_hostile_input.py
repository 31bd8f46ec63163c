"""Random and hostile values posted to forms and JSON endpoints: never a 500, never a partial write."""
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.catalog.models import ModulePage
from lms.learning.models import Cohort, Enrolment
from lms.organisations.models import Invitation
from lms.quizzes.models import Attempt
from lms.quizzes.services import attempt_start
from tests.factories import make_employer, make_enrolment, make_quiz, make_staff, make_track

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), max_size=20),
    st.sampled_from(["<script>alert(1)</script>", "'; DROP TABLE accounts_user; --", "=cmd|' /C calc'!A0",
                     "../../etc/passwd", "\x00", "9" * 400, "-1", "1e309", "NaN", "2026-02-30", "31/02/2026",
                     "x" * 5000, "💥" * 50, "%PDF-1.4"]),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
)
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=st.fixed_dictionaries({k: HOSTILE for k in ("practice", "first_name", "last_name", "email", "entry_profile",
                                                        "hired_on", "working_time")}))
def test_invitation_form(client, data):
    employer = make_employer()
    client.force_login(employer)
    before = Invitation.objects.count()
    response = client.post(reverse("practice_invite"), data)
    assert response.status_code < 500
    if response.status_code == 200:  # the form came back with errors
        assert Invitation.objects.count() == before


@SETTINGS
@given(data=st.fixed_dictionaries({k: HOSTILE for k in ("email", "first_name", "last_name", "entry_profile", "track",
                                                        "cohort", "starts_on", "name", "ends_on", "place", "tutors")}))
def test_enrolment_and_cohort_forms(client, data):
    staff = make_staff(role="manager")
    client.force_login(staff)
    enrolments, cohorts = Enrolment.objects.count(), Cohort.objects.count()
    first = client.post(reverse("enrolment_create"), data)
    second = client.post(reverse("cohort_list"), data)
    assert first.status_code < 500 and second.status_code < 500
    if first.status_code == 200:
        assert Enrolment.objects.count() == enrolments
    if second.status_code == 200:
        assert Cohort.objects.count() == cohorts


@SETTINGS
@given(values=st.lists(HOSTILE, min_size=1, max_size=6), action=st.sampled_from(["save", "submit", "", "delete"]))
def test_quiz_answers(client, values, action):
    track = make_track(modules=1, lessons=1)
    quiz = make_quiz(parent=ModulePage.objects.child_of(track).get())
    enrolment = make_enrolment(track=track)
    attempt = attempt_start(enrolment=enrolment, quiz=quiz)
    client.force_login(enrolment.trainee)
    post = {f"q-{q['id']}": value for q, value in zip(attempt.questions, values)}
    post["action"] = action
    response = client.post(reverse("attempt", args=[attempt.pk]), post)
    assert response.status_code < 500
    autosave = client.post(reverse("attempt_autosave", args=[attempt.pk]), post)
    assert autosave.status_code < 500
    attempt.refresh_from_db()
    if response.status_code == 400:
        assert attempt.status == "in_progress"  # a refused answer grades nothing
    assert Attempt.objects.filter(pk=attempt.pk).count() == 1


@SETTINGS
@given(code=HOSTILE.filter(lambda c: c.strip("/ ")), token=HOSTILE.filter(lambda c: c.strip("/ ")))
def test_public_lookups(client, code, token):
    from urllib.parse import quote

    assert client.get(reverse("certificate_verify_form"), {"code": code}).status_code < 500
    assert client.get(f"/verification/{quote(code, safe='')}/", REMOTE_ADDR="10.9.9.9").status_code in (404, 429)
    assert client.get(f"/invitations/{quote(token, safe='')}/").status_code == 404
    assert client.get(f"/calendrier/{quote(token, safe='')}.ics").status_code == 404
