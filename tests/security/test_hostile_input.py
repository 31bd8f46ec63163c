"""Random and hostile values in forms, JSON endpoints, query strings and URL parameters: never a 500, never a partial
write, on SQLite and on PostgreSQL.

CI runs the suite on PostgreSQL, and `make test` runs this module a second time on SQLite (see the Makefile): both
engines fail differently (PostgreSQL on a NUL byte, SQLite's full-text search on a double quote). Each request is
counted by engine; `pytest -s` prints the counts at the end of the module.
"""
from collections import Counter
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page

from lms.accounts.models import User
from lms.catalog.models import LessonPage, ModulePage
from lms.certificates.models import Certificate
from lms.certificates.services import certificate_issue
from lms.core.forms import EARLIEST_DATE, BoundedDateField
from lms.deadlines.models import DeclaredTraining
from lms.deadlines.services import calendar_token_create
from lms.learning.models import Cohort, Enrolment
from lms.organisations.models import Employment, Invitation
from lms.quizzes.models import Attempt
from lms.quizzes.services import attempt_start
from tests.factories import (
    make_employer,
    make_enrolment,
    make_practice,
    make_quiz,
    make_staff,
    make_track,
    make_trainee,
    make_training_body,
)

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), max_size=20),
    st.sampled_from(["<script>alert(1)</script>", "'; DROP TABLE accounts_user; --", "=cmd|' /C calc'!A0",
                     "../../etc/passwd", "\x00", "a\x00b", "9" * 400, "-1", "1e309", "1e1000000", "NaN", "2026-02-30",
                     "31/02/2026", "9999-12-31", "31/12/9999", "0001-01-01", "x" * 5000, "💥" * 50, "%PDF-1.4",
                     '"', 'tension "', "csv\r\nSet-Cookie: x=1", "__class__", "-statut", "999999999999999999999"]),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
)
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
QUERY_EXAMPLES = 12
REQUESTS = Counter()  # requests sent, by engine and test


def send(client, method, url, data=None, **extra):
    """One request, counted for the module's summary."""
    REQUESTS[connection.vendor] += 1
    return getattr(client, method)(url, data, **extra)


@pytest.fixture(scope="module", autouse=True)
def _count_requests():
    yield
    print(f"\nhostile inputs: {dict(REQUESTS)} requests")


@SETTINGS
@given(data=st.fixed_dictionaries({k: HOSTILE for k in ("practice", "first_name", "last_name", "email", "entry_profile",
                                                        "hired_on", "working_time")}))
def test_invitation_form(client, data):
    employer = make_employer()
    client.force_login(employer)
    before = Invitation.objects.count()
    response = send(client, "post", reverse("practice_invite"), data)
    assert response.status_code < 500
    if response.status_code == 200:  # the form came back with errors
        assert Invitation.objects.count() == before
    assert_dates_in_range(Invitation.objects.values_list("hired_on", flat=True))


@SETTINGS
@given(data=st.fixed_dictionaries({k: HOSTILE for k in ("email", "first_name", "last_name", "entry_profile", "track",
                                                        "cohort", "starts_on", "name", "ends_on", "place", "tutors")}))
def test_enrolment_and_cohort_forms(client, data):
    staff = make_staff(role="manager")
    client.force_login(staff)
    enrolments, cohorts = Enrolment.objects.count(), Cohort.objects.count()
    first = send(client, "post", reverse("enrolment_create"), data)
    second = send(client, "post", reverse("cohort_list"), data)
    assert first.status_code < 500 and second.status_code < 500
    if first.status_code == 200:
        assert Enrolment.objects.count() == enrolments
    if second.status_code == 200:
        assert Cohort.objects.count() == cohorts
    assert_dates_in_range(Enrolment.objects.values_list("starts_on", flat=True))
    assert_dates_in_range(Cohort.objects.values_list("starts_on", "ends_on"))


def assert_dates_in_range(values):
    """What a form wrote lies in the range every typed date is held to (BoundedDateField)."""
    _earliest, latest = BoundedDateField().bounds()
    for value in values:
        for day in value if isinstance(value, tuple) else (value,):
            assert day is None or EARLIEST_DATE <= day <= latest, day


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
    response = send(client, "post", reverse("attempt", args=[attempt.pk]), post)
    assert response.status_code < 500
    autosave = send(client, "post", reverse("attempt_autosave", args=[attempt.pk]), post)
    assert autosave.status_code < 500
    attempt.refresh_from_db()
    if response.status_code == 400:
        assert attempt.status == "in_progress"  # a refused answer grades nothing
    assert Attempt.objects.filter(pk=attempt.pk).count() == 1


@SETTINGS
@given(code=HOSTILE.filter(lambda c: c.strip("/ ")), token=HOSTILE.filter(lambda c: c.strip("/ ")))
def test_public_lookups(client, code, token):
    assert send(client, "get", reverse("certificate_verify_form"), {"code": code}).status_code < 500
    assert send(client, "get", f"/verification/{quote(code, safe='')}/", REMOTE_ADDR="10.9.9.9").status_code in (404, 429)
    assert send(client, "get", f"/verification/{quote(code, safe='')}/badge.jwt",
                REMOTE_ADDR="10.9.9.9").status_code in (404, 429)
    assert send(client, "get", f"/invitations/{quote(token, safe='')}/").status_code == 404
    assert send(client, "get", f"/calendrier/{quote(token, safe='')}.ics").status_code == 404


# --- Query strings and URL parameters ------------------------------------------------------------------------------

# Every parameter a page reads from its query string (pages, sorts, filters, formats, searches, dates, redirects).
QUERY_PARAMETERS = ("page", "tri", "ordre", "statut", "q", "parcours", "session", "organisme", "format", "code",
                    "next", "du", "au")
# Raw query strings a browser would not send: bytes that are not UTF-8, NUL, quotes, numbers no database holds.
RAW_QUERIES = ["q=%00", "q=a%00b&format=csv", "q=%ff%fe%fd", "q=%22", "q=%22tension%22%20OR%20(", "page=%00&tri=%00",
               "page=99999999999999999999999&ordre=%0D%0A", "page=-1&statut=%C0%80", "page=1e309&parcours=1e3",
               "organisme=99999999999999999999&session=-1", "statut=qualified&statut=ended&tri=nom&tri=x",
               "format=json&format=csv", "du=9999-12-31&au=0001-01-01", "q=" + "x" * 3000, "next=//evil.example/",
               "code=%00%00", "q=%E2%80%AE%E2%80%8B"]


@pytest.fixture
def world():
    """Two organisations' people and everything their pages list: a track with a quiz, a cohort, an employment,
    an enrolment, a certificate, a private calendar address."""
    body = make_training_body()
    track = make_track(training_body=body, modules=1, lessons=1)
    module = ModulePage.objects.child_of(track).get()
    quiz = make_quiz(parent=module)
    practice = make_practice()
    trainee = make_trainee(practice=practice)
    cohort = Cohort.objects.create(training_body=body, track=track, name="Session", starts_on=timezone.localdate())
    enrolment = make_enrolment(trainee=trainee, track=track, cohort=cohort)
    manager = make_staff(training_body=body, role="manager")
    certified = make_enrolment(trainee=make_trainee(), track=track)
    certificate = certificate_issue(enrolment=certified, issued_by=manager, reason="Attestation de test")
    employer = make_employer(practice=practice)
    return {"body": body, "track": track, "quiz": quiz, "trainee": trainee, "enrolment": enrolment, "cohort": cohort,
            "manager": manager, "certificate": certificate, "employer": employer,
            "employment": Employment.objects.get(trainee=trainee),
            "lesson": LessonPage.objects.descendant_of(track).get(),
            "calendar": calendar_token_create(user=employer)}


def pages(w):
    """Every page that reads its query string, by who may open it (None: anyone)."""
    return {
        "employer": [reverse("practice_home"), reverse("employer_csv"), reverse("reminder_settings"),
                     reverse("calendar_settings"), reverse("employment_detail", args=[w["employment"].pk]),
                     reverse("calendar_feed", args=[w["calendar"]]), reverse("accounts_dashboard")],
        "manager": [reverse("enrolment_list"), reverse("certificate_list"), reverse("training_body_deadlines"),
                    reverse("cohort_list"), reverse("enrolment_create"), reverse("enrolment_import"),
                    reverse("training_body_home"), reverse("training_body_invite"),
                    reverse("learner_detail", args=[w["enrolment"].pk]),
                    reverse("certificate_detail", args=[w["certificate"].pk]),
                    reverse("quiz_report", args=[w["quiz"].pk]),
                    reverse("attendance_download", args=[w["enrolment"].pk, "csv"]), reverse("support_inbox"),
                    reverse("accommodation_home")],
        "trainee": [reverse("my_track"), reverse("track_search", args=[w["enrolment"].pk]),
                    reverse("track_outline", args=[w["track"].pk]), reverse("lesson", args=[w["lesson"].pk]),
                    reverse("quiz", args=[w["quiz"].pk]), reverse("my_data"), reverse("my_questions"),
                    reverse("support_ask_lesson", args=[w["lesson"].pk]), reverse("my_accommodations")],
        None: [reverse("home"), reverse("certificate_verify_form"), reverse("account_login"), reverse("privacy")],
    }


def as_each_role(client, w):
    """(url, role) for every page, the client logged in as that role in turn."""
    for role, urls in pages(w).items():
        if role is None:
            client.logout()
        else:
            client.force_login(w[role])
        for url in urls:
            yield url, role


@SETTINGS
@given(subject=HOSTILE, body=HOSTILE, key=st.one_of(HOSTILE, st.uuids().map(str)))
def test_support_question_and_answer_forms(client, world, subject, body, key):
    """A question to the tutor and an answer, every field hostile: a page with French field errors and nothing
    written, or the message written whole (never a NUL byte, never more than 5,000 characters)."""
    from lms.support.models import Message, Thread

    client.force_login(world["trainee"])
    before = Message.objects.count()
    response = send(client, "post", reverse("support_ask_lesson", args=[world["lesson"].pk]),
                    {"subject": subject, "body": body, "submission_key": key})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert Message.objects.count() == before
    thread = Thread.objects.filter(enrolment=world["enrolment"]).first()
    if thread is not None:
        client.force_login(world["manager"])
        response = send(client, "post", reverse("support_thread", args=[thread.pk]),
                        {"body": body, "submission_key": key})
        assert response.status_code in (302, 400)
    for text in Message.objects.values_list("body", flat=True):
        assert "\x00" not in text and 0 < len(text) <= 5000
    assert all("\x00" not in subject for subject in Thread.objects.values_list("subject", flat=True))


@SETTINGS
@given(data=st.fixed_dictionaries({k: HOSTILE for k in ("user", "email", "phone", "contact", "extra_time_percent",
                                                        "extra_duration_percent", "note")}))
def test_disability_referent_and_accommodation_forms(client, world, data):
    """The manager names the referent, the referent sets an accommodation, every field hostile: a page with French
    field errors and nothing written, or values within bounds, plain text without NUL byte (issue 17, point 2)."""
    from lms.accommodations.models import Accommodation, DisabilityReferent

    body = world["body"]
    client.force_login(world["manager"])
    fields = {f"b{body.pk}-{k}": v for k, v in data.items()}
    response = send(client, "post", reverse("accommodation_home"), {"training_body": body.pk, **fields})
    assert response.status_code in (302, 400)
    if not DisabilityReferent.objects.filter(training_body=body).exists():
        DisabilityReferent.objects.create(training_body=body, user=world["manager"], named_at=timezone.now())
    for referent in DisabilityReferent.objects.all():
        assert "\x00" not in referent.contact + referent.phone and "<script" not in referent.contact
    DisabilityReferent.objects.filter(training_body=body).update(user=world["manager"])
    before = list(Accommodation.objects.values_list("extra_time_percent", "extra_duration_percent", "note"))
    response = send(client, "post", reverse("accommodation_edit", args=[body.pk, world["trainee"].pk]), data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert list(Accommodation.objects.values_list("extra_time_percent", "extra_duration_percent",
                                                      "note")) == before
    for time_percent, duration_percent, note in Accommodation.objects.values_list(
            "extra_time_percent", "extra_duration_percent", "note"):
        assert 0 <= time_percent <= 100 and 0 <= duration_percent <= 100
        assert "\x00" not in note and len(note) <= 1000 and "<script" not in note


@settings(SETTINGS, max_examples=QUERY_EXAMPLES)
@given(params=st.fixed_dictionaries({name: HOSTILE for name in QUERY_PARAMETERS}))
def test_query_strings_of_every_list_export_and_search(client, world, params):
    """Every parameter hostile at once, on every page that reads one: a page, the nearest valid value or a 4xx."""
    for url, role in as_each_role(client, world):
        response = send(client, "get", url, params)
        assert response.status_code < 500, (role, url)
        assert "Set-Cookie: x=1" not in str(response.headers)


def test_raw_query_strings_of_every_list_export_and_search(client, world):
    for raw in RAW_QUERIES:
        for url, role in as_each_role(client, world):
            assert send(client, "get", f"{url}?{raw}").status_code < 500, (role, url, raw)


@SETTINGS
@given(fmt=HOSTILE, big_id=st.integers(min_value=10**18, max_value=10**40))
def test_url_parameters(client, world, fmt, big_id):
    """The attendance record's format is pdf or csv, anything else a 404; ids beyond 64 bits are 404s."""
    client.force_login(world["manager"])
    response = send(client, "get", f"/organisme/apprenants/{world['enrolment'].pk}/releve.{quote(fmt, safe='')}")
    assert response.status_code == (200 if fmt in ("pdf", "csv") else 404)
    assert "\n" not in response.get("Content-Disposition", "")
    for name in ("learner_detail", "certificate_detail"):
        path = reverse(name, args=[1]).replace("/1/", f"/{big_id}/")
        assert send(client, "get", path).status_code == 404


@SETTINGS
@given(reason=HOSTILE, occurred_on=HOSTILE, organisation=HOSTILE)
def test_reason_and_declaration_forms(client, world, reason, occurred_on, organisation):
    """A reason for revoking, issuing or re-issuing, a declaration: a message or a field error, nothing half-written."""
    certificate = world["certificate"]
    client.force_login(world["manager"])
    for name, target in (("certificate_revoke", certificate.pk), ("certificate_reissue", certificate.pk),
                         ("certificate_issue", world["enrolment"].pk)):
        assert send(client, "post", reverse(name, args=[target]), {"reason": reason}).status_code < 500
    for current in Certificate.objects.filter(enrolment__training_body=world["body"]):
        assert "\x00" not in current.revocation_reason + current.issue_reason
    client.force_login(world["employer"])
    before = DeclaredTraining.objects.count()
    response = send(client, "post", reverse("declaration_create", args=[world["employment"].pk]), {
        "kind": "start", "occurred_on": occurred_on, "organisation": organisation,
        "evidence": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")})
    assert response.status_code < 500
    if response.status_code == 200:
        assert DeclaredTraining.objects.count() == before
    assert_dates_in_range(DeclaredTraining.objects.values_list("occurred_on", flat=True))


@SETTINGS
@given(cells=st.lists(HOSTILE, min_size=5, max_size=5), default_start=HOSTILE)
def test_csv_import_preview_and_confirmation(client, world, cells, default_start):
    """Whatever a row holds, the preview lists its problems and the confirmation writes all the rows or none."""
    client.force_login(world["manager"])
    text = "email;prenom;nom;profil;debut\n" + ";".join(c.replace(";", ",").replace("\n", " ") for c in cells) + "\n"
    users, enrolments = User.objects.count(), Enrolment.objects.count()
    upload = SimpleUploadedFile("import.csv", text.encode("utf-8", "surrogatepass"))
    assert send(client, "post", reverse("enrolment_import"), {"file": upload, "starts_on": default_start}).status_code < 500
    assert send(client, "post", reverse("enrolment_import"), {"confirm": "1"}).status_code < 500
    created = Enrolment.objects.count() - enrolments
    assert created in (0, 1) and User.objects.count() - users <= created
    assert_dates_in_range(Enrolment.objects.values_list("starts_on", flat=True))


# --- Focused regressions (issue 13, point 6): each was a 500 on one engine or both ---------------------------------

NUL_REFUSED = "Le caractère nul n’est pas autorisé."


def test_nul_in_the_trainee_search_is_a_field_error(client, world):
    client.force_login(world["trainee"])
    response = send(client, "get", reverse("track_search", args=[world["enrolment"].pk]), {"q": "tension\x00"})
    assert response.status_code == 400 and NUL_REFUSED in response.content.decode()


def test_nul_in_the_learners_filter_is_a_field_error(client, world):
    client.force_login(world["manager"])
    response = send(client, "get", reverse("enrolment_list"), {"q": "a\x00b", "parcours": world["track"].pk})
    assert response.status_code == 400 and NUL_REFUSED in response.content.decode()


def test_nul_in_the_certificates_filter_is_refused_on_the_page_and_the_csv(client, world):
    client.force_login(world["manager"])
    response = send(client, "get", reverse("certificate_list"), {"q": "\x00"})
    assert response.status_code == 400 and NUL_REFUSED in response.content.decode()
    response = send(client, "get", reverse("certificate_list"), {"q": "\x00", "format": "csv"})
    assert response.status_code == 400 and not response["Content-Type"].startswith("text/csv")


def test_nul_in_an_imported_file_is_a_row_problem_and_its_confirmation_writes_nothing(client, world):
    client.force_login(world["manager"])
    upload = SimpleUploadedFile("import.csv", "email;prenom;nom;profil\nnul@example.org;An\x00a;Lee;secrétaire\n"
                                .encode())
    response = send(client, "post", reverse("enrolment_import"), {"file": upload, "starts_on": "2026-03-02"})
    assert response.status_code == 200 and "prenom : " + NUL_REFUSED in response.content.decode()
    send(client, "post", reverse("enrolment_import"), {"confirm": "1"})
    assert not User.objects.filter(email="nul@example.org").exists()


def test_too_long_a_name_in_an_imported_file_is_a_row_problem(client, world):
    """PostgreSQL refuses a first name over 150 characters (SQLite stores it): the preview says so first."""
    client.force_login(world["manager"])
    upload = SimpleUploadedFile("import.csv", ("email;prenom;nom;profil\nlong@example.org;" + "A" * 151
                                               + ";Lee;secrétaire\n").encode())
    response = send(client, "post", reverse("enrolment_import"), {"file": upload, "starts_on": "2026-03-02"})
    assert "prenom : Assurez-vous que cette valeur comporte au plus 150 caractères" in response.content.decode()
    send(client, "post", reverse("enrolment_import"), {"confirm": "1"})
    assert not User.objects.filter(email="long@example.org").exists()


def test_nul_in_a_revocation_reason_is_refused_and_nothing_changes(client, world):
    """The confirmation page comes back with the field's error beside the reason."""
    certificate = world["certificate"]
    client.force_login(world["manager"])
    response = send(client, "post", reverse("certificate_revoke", args=[certificate.pk]), {"reason": "Fraude\x00"},
                    follow=True)
    assert response.status_code == 200 and NUL_REFUSED in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "valid" and certificate.revocation_reason == ""


def test_a_double_quote_in_the_trainee_search_searches_the_words(client, world):
    """SQLite's full-text search read an unclosed quote as a syntax error; the words are searched instead."""
    client.force_login(world["trainee"])
    for query in ('"tension', 'tension"', '"tension" (artérielle*'):
        response = send(client, "get", reverse("track_search", args=[world["enrolment"].pk]), {"q": query})
        assert response.status_code == 200 and "Leçon 1.1" in response.content.decode(), query
    response = send(client, "get", reverse("track_search", args=[world["enrolment"].pk]), {"q": '"'})
    assert response.status_code == 200 and "Aucune leçon ne correspond" in response.content.decode()


def test_a_format_name_with_a_line_break_is_a_404(client, world):
    """The name in the URL went into the download's headers, where a line break is an error."""
    client.force_login(world["manager"])
    pk = world["enrolment"].pk
    for fmt in ("csv%0D%0ASet-Cookie:%20x=1", "pdf%0A", "exe", "CSV"):
        assert send(client, "get", f"/organisme/apprenants/{pk}/releve.{fmt}").status_code == 404, fmt
    assert send(client, "get", f"/organisme/apprenants/{pk}/releve.csv").status_code == 200


def test_a_csv_field_over_the_csv_module_limit_is_a_form_error(client, world):
    client.force_login(world["manager"])
    text = "email;prenom;nom;profil\nlong@example.org;" + "x" * 131_073 + ";Lee;secrétaire\n"
    response = send(client, "post", reverse("enrolment_import"),
                    {"file": SimpleUploadedFile("import.csv", text.encode()), "starts_on": "2026-03-02"})
    assert response.status_code == 200
    assert "Le fichier ne peut pas être lu comme CSV" in response.content.decode()
    assert not User.objects.filter(email="long@example.org").exists()


@SETTINGS
@given(data=st.fixed_dictionaries({k: HOSTILE for k in ("title", "date", "half_day", "starts_at", "ends_at", "kind",
                                                          "place", "video_url", "trainer", "hours")}),
       absence=st.fixed_dictionaries({k: HOSTILE for k in ("enrolment", "excused", "reason")}))
def test_class_session_and_absence_forms(client, world, data, absence):
    """A séance planned and an absence marked (lms.classroom), every field hostile: French field errors and nothing
    written, or a séance within the rules (hours within its half-day, an https link, no markup, no NUL byte)."""
    from datetime import date, time

    from lms.classroom.models import ClassSession, Presence

    client.force_login(world["manager"])
    response = send(client, "post", reverse("class_session_list", args=[world["cohort"].pk]), data)
    assert response.status_code in (302, 400)
    for s in ClassSession.objects.all():
        assert s.hours <= s.length_hours and "\x00" not in s.title + s.place and "<" not in s.title + s.place
        assert not s.video_url or s.video_url.startswith("https://")
    session, _created = ClassSession.objects.get_or_create(
        cohort=world["cohort"], date=date(2001, 1, 1), half_day="afternoon",
        defaults={"title": "Séance", "starts_at": time(13, 30), "ends_at": time(17), "kind": "in_person",
                  "place": "Salle", "trainer": world["manager"], "hours": 3})
    response = send(client, "post", reverse("class_session_sheet", args=[world["cohort"].pk, session.pk]), absence)
    assert response.status_code in (302, 400, 404)
    assert all("\x00" not in reason for reason in Presence.objects.values_list("reason", flat=True))


@SETTINGS
@given(decision=st.one_of(HOSTILE, st.sampled_from(["confirm", "refuse"])), reason=HOSTILE)
def test_exemption_decision_form(client, world, decision, reason):
    """A tutor's decision on a proposed exemption (issue 17, point 1), every field hostile: a French field error
    and nothing written, or the decision written whole with its reason (no NUL byte, at most 2,000 characters)."""
    from lms.learning.models import ModuleExemption

    module = ModulePage.objects.child_of(world["track"]).get()
    exemption, _created = ModuleExemption.objects.get_or_create(
        enrolment=world["enrolment"], module=module, defaults={"score": 100, "threshold": 80,
                                                                "proposed_at": timezone.now()})
    before = ModuleExemption.objects.values_list("status", "reason").get(pk=exemption.pk)
    client.force_login(world["manager"])
    response = send(client, "post", reverse("exemption_decide", args=[exemption.pk]),
                    {"decision": decision, "reason": reason})
    assert response.status_code in (302, 400)
    after = ModuleExemption.objects.values_list("status", "reason").get(pk=exemption.pk)
    if response.status_code == 400:
        assert after == before
    else:
        assert after[0] in ("confirmed", "refused") and after[1] == reason.strip()
    assert "\x00" not in after[1] and len(after[1]) <= 2000


@SETTINGS
@given(body=HOSTILE, name=HOSTILE, data=st.one_of(st.binary(max_size=200), HOSTILE.map(str.encode)))
def test_track_package_import_form(client, world, body, name, data):
    """Issue 18, point 4: whatever the chosen body and the uploaded bytes, the import of a track's package answers
    without a 500 and writes no page."""
    client.force_login(world["manager"])
    pages = Page.objects.count()
    upload = SimpleUploadedFile((name or "x")[:100].replace("\x00", "") or "x", data)
    response = send(client, "post", reverse("catalog_package_import"), {"training_body_page": body, "package": upload})
    assert response.status_code == 200
    assert Page.objects.count() == pages


@SETTINGS
@given(data=st.fixed_dictionaries({k: HOSTILE for k in ("training_body", "title")}),
       content=st.one_of(st.binary(max_size=300), st.sampled_from([b"PK\x03\x04" + b"\0" * 40, b"PK\x05\x06" + b"\0" * 18])))
def test_scorm_package_upload_form(client, world, data, content):
    """A SCORM package uploaded in the Wagtail admin (lms.scorm), every field hostile and the file random bytes:
    a French field error and nothing stored."""
    from lms.scorm.models import ScormPackage

    client.force_login(world["manager"])
    response = send(client, "post", reverse("scorm_admin_upload"),
                    {**data, "file": SimpleUploadedFile("paquet.zip", content, content_type="application/zip")})
    assert response.status_code == 400
    assert not ScormPackage.objects.exists()


@SETTINGS
@given(element=st.one_of(HOSTILE, st.sampled_from(["cmi.core.lesson_status", "cmi.core.score.raw",
                                                   "cmi.suspend_data", "cmi.interactions.0.id",
                                                   "cmi.objectives.0.score.raw", "cmi.core.session_time"])),
       value=st.one_of(HOSTILE, st.integers(), st.none(), st.lists(st.text(max_size=3), max_size=2)),
       finished=HOSTILE)
def test_scorm_commit_endpoint(client, world, element, value, finished):
    """What a SCO sends on commit (lms.scorm), element and value hostile: a JSON 4xx with a French message, or a
    value within SCORM 1.2's rules; never a 500."""
    import json

    from lms.scorm.models import ScormAttempt
    from lms.scorm.services import attempt_launch
    from tests.scorm.packages import make_scorm_lesson

    lesson = world.get("scorm_lesson") or make_scorm_lesson(track=world["enrolment"].track)
    world["scorm_lesson"] = lesson
    state = attempt_launch(enrolment=world["enrolment"], lesson=lesson)
    client.force_login(world["enrolment"].trainee)
    response = send(client, "post", reverse("scorm_commit", args=[lesson.pk]),
                    {"session": state["session"], "finished": finished, "data": json.dumps({element: value})})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["error"]
    attempt = ScormAttempt.objects.get(enrolment=world["enrolment"], lesson=lesson)
    assert attempt.score_raw is None or 0 <= attempt.score_raw <= 100
    assert len(attempt.suspend_data) <= 4096
    assert "\x00" not in attempt.lesson_location + attempt.suspend_data + attempt.comments
