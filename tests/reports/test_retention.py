"""Issue 15, point 7: retention that really ends. `apply_retention` deletes exactly what is past its period (the day
after, not the day of), a dry run changes nothing and reports the same counts, an erased person's evidence keeps
their name until its period ends and then goes with its files, unused accounts are warned once then deleted."""
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from lms.certificates.models import Certificate
from lms.core.dates import LEGAL_TIME_ZONE, add_years
from lms.core.retention import PERIODS, period
from lms.deadlines.models import CalendarToken
from lms.learning.models import (ActivityBeat, Enrolment, EnrolmentOffer, LessonTime, QualificationResult,
                                 StudySession)
from lms.organisations.models import Employment, Invitation
from lms.reports.personal_data import account_erase
from lms.reports.retention import retention_apply
from lms.xapi.models import Statement
from tests.certificates.test_certificates import complete
from tests.factories import (PASSWORD, make_enrolment, make_practice, make_staff, make_track, make_trainee,
                             make_user, record_result)

pytestmark = pytest.mark.django_db
User = get_user_model()

STARTED = date(2026, 1, 5)
ENDED = date(2026, 3, 2)  # the day the training ended (and the result was obtained)


def at(day, hour=12):
    return datetime(day.year, day.month, day.day, hour, tzinfo=LEGAL_TIME_ZONE)


def counts(lines):
    return {line.key: line.count for line in lines}


def run(today, dry_run=False):
    out = StringIO()
    call_command("apply_retention", today=today, dry_run=dry_run, stdout=out)
    return out.getvalue()


def ended_training(trainee=None, *, certification=True, ended=ENDED):
    """A completed enrolment (attestation issued, PDF stored) with its certification result; every date of it,
    its lessons, time and statements moved back to the training's real dates, ending on `ended`."""
    trainee = trainee or make_trainee(first_name="Inès", last_name="Moreau", email="ines@example.org")
    enrolment = complete(make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=1,
                                                                         certification=certification),
                                        starts_on=STARTED))
    if certification:
        record_result(enrolment, obtained_on=ended)
    moment = at(ended)
    Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=at(STARTED), completed_at=moment)
    enrolment.lesson_completions.update(completed_at=moment)
    enrolment.lesson_times.update(first_seen_at=moment, last_seen_at=moment)
    Certificate.objects.filter(enrolment=enrolment).update(issued_at=moment)
    QualificationResult.objects.filter(enrolment=enrolment).update(recorded_at=moment)
    Statement.objects.filter(registration=enrolment.registration).update(timestamp=moment)
    StudySession.objects.filter(user=trainee).update(started_at=moment, last_activity_at=moment)
    User.objects.filter(pk=trainee.pk).update(last_login=moment, date_joined=at(STARTED))
    enrolment.refresh_from_db()
    return enrolment


def expiry(day, key="evidence"):
    """The last day something dated `day` is kept."""
    return add_years(day, period(key).amount)


def stored_files(enrolment):
    names = [c.pdf.name for c in Certificate.objects.filter(enrolment=enrolment)]
    names += [r.document.name for r in QualificationResult.objects.filter(enrolment=enrolment)]
    assert names and all(default_storage.exists(name) for name in names)
    return names


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.sampled_from(PERIODS))
def test_something_is_past_its_period_exactly_after_its_last_day(day, today, retention):
    """`day < cutoff(today)` says "kept through day + period, gone the day after", 29 February included."""
    last_day = add_years(day, retention.amount) if retention.unit == "years" else day + timedelta(retention.amount)
    assert (day < retention.cutoff(today)) == (last_day < today)


def test_dry_run_changes_nothing_and_reports_counts(django_capture_on_commit_callbacks):
    enrolment = ended_training()
    files = stored_files(enrolment)
    after = expiry(ENDED) + timedelta(days=1)
    output = run(after, dry_run=True)
    assert "dry run" in output and "evidence" in output
    [evidence] = [line for line in output.splitlines() if line.startswith("evidence ")]
    assert evidence.split()[1:3] == ["1", "2"]  # one enrolment, its attestation PDF and its result's document
    assert Enrolment.objects.filter(pk=enrolment.pk).exists() and Statement.objects.exists()
    assert all(default_storage.exists(name) for name in files)
    assert counts(retention_apply(today=after, dry_run=True)) == counts(retention_apply(today=after, dry_run=True))


def test_evidence_goes_the_day_after_its_period_not_on_its_last_day(django_capture_on_commit_callbacks):
    enrolment = ended_training()
    files = stored_files(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        assert counts(retention_apply(today=expiry(ENDED)))["evidence"] == 0
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        lines = retention_apply(today=expiry(ENDED) + timedelta(days=1))
    assert counts(lines)["evidence"] == 1
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert not Certificate.objects.exists() and not QualificationResult.objects.exists()
    assert not Statement.objects.filter(registration=enrolment.registration).exists()
    assert not any(default_storage.exists(name) for name in files)
    # Idempotent: a second run the same day finds nothing more.
    assert counts(retention_apply(today=expiry(ENDED) + timedelta(days=1)))["evidence"] == 0


def test_any_later_trace_keeps_the_evidence(django_capture_on_commit_callbacks):
    """Time spent on a lesson weeks after the completion keeps the whole enrolment: the training ended then."""
    enrolment = ended_training(certification=False)
    later = ENDED + timedelta(days=40)
    lesson = enrolment.lesson_completions.get().lesson
    LessonTime.objects.create(enrolment=enrolment, lesson=lesson, active_seconds=60, first_seen_at=at(later),
                              last_seen_at=at(later))
    assert counts(retention_apply(today=expiry(ENDED) + timedelta(days=1), dry_run=True))["evidence"] == 0
    assert counts(retention_apply(today=expiry(later) + timedelta(days=1), dry_run=True))["evidence"] == 1


def test_an_erased_persons_evidence_keeps_the_name_until_its_period_ends(client, django_capture_on_commit_callbacks):
    enrolment = ended_training()
    trainee = enrolment.trainee
    files = stored_files(enrolment)
    code = Certificate.objects.get(enrolment=enrolment).code
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=trainee, now=at(date(2027, 5, 4)))
    trainee.refresh_from_db()
    assert (trainee.first_name, trainee.last_name) == ("Inès", "Moreau") and "ines" not in trainee.email
    assert not trainee.has_usable_password() and trainee.erased_at is not None
    staff = make_staff(training_body=enrolment.training_body)
    client.force_login(staff)
    learners = client.get(reverse("enrolment_list")).content.decode()
    assert "Inès Moreau" in learners and "compte supprimé le 4 mai 2027" in learners
    detail = client.get(reverse("learner_detail", args=[enrolment.pk])).content.decode()
    assert "Inès Moreau" in detail and "compte supprimé le 4 mai 2027" in detail.lower()
    record = client.get(reverse("attendance_download", args=[enrolment.pk, "csv"])).content.decode("utf-8-sig")
    assert "Inès" in record and "Moreau" in record and "compte supprimé le 4 mai 2027" in record
    assert "invalid.parcours-am" not in record and "invalid.parcours-am" not in learners
    assert "Inès Moreau" in client.get(reverse("certificate_verify", args=[code])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        lines = counts(retention_apply(today=expiry(ENDED) + timedelta(days=1)))
    assert lines["evidence"] == 1 and lines["erased_accounts"] == 1
    assert not User.objects.filter(pk=trainee.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert client.get(reverse("certificate_verify", args=[code])).status_code == 404


def test_erasing_someone_without_evidence_removes_the_name_and_the_command_the_account():
    person = make_user(first_name="Paul", last_name="Martin")
    account_erase(user=person)
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Compte", "supprimé")
    assert counts(retention_apply(today=date(2026, 12, 1)))["erased_accounts"] == 1
    assert not User.objects.filter(pk=person.pk).exists()


def test_a_qualified_assistants_result_stays_while_employed_then_its_period(django_capture_on_commit_callbacks):
    """Avenant 7: the employer relies on the result for the qualification deadline; it outlives the evidence
    period while the assistant is employed, then is kept the period after the employment ended."""
    practice = make_practice()
    trainee = make_trainee(practice=practice, first_name="Lina", last_name="Roux")
    enrolment = ended_training(trainee)
    long_after = expiry(ENDED) + timedelta(days=400)
    assert counts(retention_apply(today=long_after, dry_run=True))["evidence"] == 0
    left = date(2030, 9, 30)
    Employment.objects.filter(trainee=trainee).update(ended_on=left)
    assert counts(retention_apply(today=expiry(left), dry_run=True))["evidence"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert counts(retention_apply(today=expiry(left) + timedelta(days=1)))["evidence"] == 1
    assert not Enrolment.objects.filter(pk=enrolment.pk).exists()
    # A revoked result does not hold the evidence back.
    other = ended_training(make_trainee(practice=practice))
    QualificationResult.objects.filter(enrolment=other).update(revoked_at=at(ENDED), revocation_reason="Erreur")
    assert counts(retention_apply(today=expiry(ENDED) + timedelta(days=1), dry_run=True))["evidence"] == 1


def test_an_unused_account_is_warned_once_then_deleted(django_capture_on_commit_callbacks):
    person = make_user(email="paul@example.org", first_name="Paul", last_name="Martin")
    User.objects.filter(pk=person.pk).update(last_login=at(date(2026, 1, 10)), date_joined=at(date(2025, 1, 10)))
    due = expiry(date(2026, 1, 10), "inactive_accounts") + timedelta(days=1)  # first day it may go
    warning_days = period("inactivity_warning").amount
    assert counts(retention_apply(today=due - timedelta(days=warning_days + 1), dry_run=True))[
        "inactivity_warnings"] == 0
    warn_day = due - timedelta(days=warning_days)
    with django_capture_on_commit_callbacks(execute=True):
        assert counts(retention_apply(today=warn_day, now=at(warn_day)))["inactivity_warnings"] == 1
        assert counts(retention_apply(today=warn_day, now=at(warn_day)))["inactivity_warnings"] == 0
    [message] = mail.outbox
    assert message.to == ["paul@example.org"] and "sera supprimé" in message.subject
    assert "Paul Martin" in message.body and reverse("account_login") in message.body
    # Not before the warning period has run, even once the account is due.
    assert counts(retention_apply(today=due, now=at(due) - timedelta(days=1)))["inactive_accounts_deleted"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert counts(retention_apply(today=due, now=at(due)))["inactive_accounts_deleted"] == 1
    assert not User.objects.filter(pk=person.pk).exists() and len(mail.outbox) == 1


def test_logging_in_after_the_warning_keeps_the_account(client, django_capture_on_commit_callbacks):
    person = make_user(email="paul@example.org")
    User.objects.filter(pk=person.pk).update(last_login=at(date(2026, 1, 10)), date_joined=at(date(2025, 1, 10)))
    due = expiry(date(2026, 1, 10), "inactive_accounts") + timedelta(days=1)
    warn_day = due - timedelta(days=period("inactivity_warning").amount)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(today=warn_day, now=at(warn_day))
    assert User.objects.get(pk=person.pk).inactivity_warned_at is not None
    assert client.post(reverse("account_login"), {"login": "paul@example.org", "password": PASSWORD}).status_code == 302
    person.refresh_from_db()
    assert person.inactivity_warned_at is None
    User.objects.filter(pk=person.pk).update(last_login=at(warn_day))  # the login, on the day it happened
    assert counts(retention_apply(today=due, now=at(due)))["inactive_accounts_deleted"] == 0
    assert User.objects.filter(pk=person.pk).exists()


def test_an_unused_account_with_evidence_is_erased_not_deleted(django_capture_on_commit_callbacks):
    enrolment = ended_training(certification=False)
    trainee = enrolment.trainee
    due = expiry(ENDED, "inactive_accounts") + timedelta(days=1)
    warn_day = due - timedelta(days=period("inactivity_warning").amount)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(today=warn_day, now=at(warn_day))
        lines = counts(retention_apply(today=due, now=at(due)))
    assert (lines["inactive_accounts_deleted"], lines["inactive_accounts_erased"]) == (0, 1)
    trainee.refresh_from_db()
    assert trainee.erased_at is not None and trainee.last_name == "Moreau" and not trainee.is_active
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()


def test_logs_invitations_and_tokens_go_after_their_periods(django_capture_on_commit_callbacks):
    today = date(2027, 6, 15)
    person = make_user()
    staff = make_staff()
    track = make_track(modules=1, lessons=1, training_body=None)
    old_day = lambda key: period(key).cutoff(today) - timedelta(days=1)  # noqa: E731
    kept_day = lambda key: period(key).cutoff(today)  # noqa: E731
    for day in (old_day("connection_log"), kept_day("connection_log")):
        StudySession.objects.create(user=person, session_key_hash="x", started_at=at(day), last_activity_at=at(day))
    for day in (old_day("calendar_tokens"), kept_day("calendar_tokens")):
        CalendarToken.objects.create(user=person, token_hash=f"h{day}", revoked_at=at(day, 1))
    for day in (old_day("invitations"), kept_day("invitations")):
        Invitation.objects.create(kind="staff", email="x@example.org", training_body=staff.training_body_memberships
                                  .get().training_body, role="tutor", token_hash=f"t{day}", expires_at=at(day, 1))
        EnrolmentOffer.objects.create(training_body=track.training_body, track=make_track(
            modules=1, lessons=1, training_body=track.training_body), starts_on=day, invitee=person,
            email=person.email, status="refused", expires_at=at(day), answered_at=at(day, 1))
    for day in (old_day("activity_beats"), kept_day("activity_beats")):
        ActivityBeat.objects.create(user=person, at=at(day, 1), session_key_hash="x")
    lines = counts(retention_apply(today=today, dry_run=True))
    assert [lines[k] for k in ("connection_log", "calendar_tokens", "invitations", "offers", "activity_beats")] == [
        1, 1, 1, 1, 1]
    with django_capture_on_commit_callbacks(execute=True):
        assert counts(retention_apply(today=today)) == lines
    assert StudySession.objects.count() == CalendarToken.objects.count() == Invitation.objects.count() == 1
    assert EnrolmentOffer.objects.count() == 1 and ActivityBeat.objects.count() <= 1
    assert counts(retention_apply(today=today, dry_run=True))["connection_log"] == 0


def test_the_command_prints_every_category_and_the_periods(settings):
    settings.LMS_EVIDENCE_RETENTION_YEARS = 10
    output = run(date(2026, 12, 1), dry_run=True)
    assert "evidence=10 years" in output and "inactive_accounts=3 years" in output
    for key in ("inactivity_warnings", "inactive_accounts_deleted", "evidence", "declarations", "statements",
                "connection_log", "offers", "invitations", "calendar_tokens", "login_sessions", "activity_beats",
                "erased_accounts"):
        assert f"\n{key} " in output
