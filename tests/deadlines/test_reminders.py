"""The daily reminders job: which reminder is due, the candidates bound, chunks, batches, queries, mails."""
import io
from datetime import date, timedelta
from email.header import decode_header, make_header
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail import BadHeaderError
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils.html import conditional_escape
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from lms.accounts.models import User
from lms.core.mail import EncodedSubjectEmail, encoded_words
from lms.deadlines import services
from lms.deadlines.models import DeadlineRuleSet, ReminderPreference, ReminderSent
from lms.deadlines.rules import (
    DueReminder,
    deadline_status,
    first_reminder_hire_date,
    reminder_due,
)
from lms.deadlines.services import ReminderEmails, reminders_send
from lms.organisations.models import Employment
from tests.factories import make_employer, make_enrolment, make_practice, make_track, make_trainee

AVENANT_7 = DeadlineRuleSet(name="Avenant 7 (2019)", legal_source="Avenant 7, art. 9-2", enrolment_period=2,
                            qualification_period=3)
SHORTER = DeadlineRuleSet(name="Plus court", legal_source="Test", enrolment_period=1, qualification_period=2)
TODAY = date(2026, 3, 1)

dates = st.dates(min_value=date(2018, 1, 1), max_value=date(2032, 12, 31))


def due(hired_on, **kwargs):
    return reminder_due(hired_on=hired_on, today=kwargs.pop("today", TODAY), rule=kwargs.pop("rule", AVENANT_7),
                        **kwargs)


def test_the_most_urgent_threshold_reached_is_due_then_the_missed_notice():
    """J-180 to J-91 owe the 180-day reminder, ..., J-7 to J-0 the 7-day one, after the deadline the notice."""
    deadline = date(2027, 3, 1)  # enrolment deadline of a hire on 1 March 2025
    hired = date(2025, 3, 1)
    assert due(hired, today=deadline - timedelta(days=181)) is None
    assert due(hired, today=deadline - timedelta(days=180)) == DueReminder("enrolment", deadline, 180, 180)
    assert due(hired, today=deadline - timedelta(days=91)).threshold == 180
    assert due(hired, today=deadline - timedelta(days=90)).threshold == 90
    assert due(hired, today=deadline - timedelta(days=30)).threshold == 30
    assert due(hired, today=deadline - timedelta(days=7)).threshold == 7
    assert due(hired, today=deadline).threshold == 7
    assert due(hired, today=deadline + timedelta(days=1)) == DueReminder("enrolment", deadline, -1, 0)
    assert due(hired, today=deadline + timedelta(days=400)).threshold == 0


def test_a_started_training_moves_to_the_qualification_deadline_and_qualified_or_ended_owe_nothing():
    """A training start switches to the qualification deadline; once qualified or ended, nothing is due."""
    hired = date(2023, 6, 1)
    assert due(hired, training_started_on=date(2023, 9, 1)) == DueReminder("qualification", date(2026, 6, 1), 92, 180)
    assert due(hired, training_started_on=date(2023, 9, 1), qualified_on=TODAY) is None
    assert due(hired, training_started_on=date(2023, 9, 1), qualified_on=TODAY + timedelta(days=1)) is not None
    assert due(hired, ended_on=TODAY - timedelta(days=1)) is None
    assert due(hired, ended_on=TODAY) is not None


@given(hired_on=dates, today=dates, started=st.none() | dates, qualified=st.none() | dates, ended=st.none() | dates)
def test_reminder_due_agrees_with_the_status_shown_to_users(hired_on, today, started, qualified, ended):
    """The job's shortcut decides as the full status does (qualified or ended: nothing; else the open deadline)."""
    status = deadline_status(hired_on=hired_on, today=today, rule=AVENANT_7, ended_on=ended,
                             training_started_on=started, qualified_on=qualified)
    reminder = reminder_due(hired_on=hired_on, today=today, rule=AVENANT_7, ended_on=ended,
                            training_started_on=started, qualified_on=qualified)
    if status.status in ("qualified", "ended"):
        assert reminder is None
    elif reminder is not None:
        if started is None:
            assert (reminder.deadline_date, reminder.days_left) == (status.enrolment_deadline,
                                                                   status.enrolment_days_left)
        else:
            assert (reminder.deadline_date, reminder.days_left) == (status.qualification_deadline,
                                                                   status.qualification_days_left)


@given(hired_on=dates, today=dates, started=st.none() | dates, shorter=st.booleans())
def test_no_employment_owing_a_reminder_is_left_out_by_the_hire_date_bound(hired_on, today, started, shorter):
    """The database bound is never tighter than the rules, 29 February included."""
    rules = [AVENANT_7, SHORTER] if shorter else [AVENANT_7]
    for rule in rules:
        if reminder_due(hired_on=hired_on, today=today, rule=rule, training_started_on=started) is not None:
            assert hired_on <= first_reminder_hire_date(today, rules)


def test_bound_on_29_february():
    """A hire on 29 February whose deadline lands on 28 February is not cut off by the database bound."""
    # Hired 29 February 2024: enrolment deadline 28 February 2026, first reminder 180 days before.
    first_reminder = date(2026, 2, 28) - timedelta(days=180)
    assert due(date(2024, 2, 29), today=first_reminder).threshold == 180
    assert date(2024, 2, 29) <= first_reminder_hire_date(first_reminder, [AVENANT_7])


def test_encoded_words_decode_to_the_text_and_stay_short():
    """Encoded-words of at most 75 characters that decode to the text, never cutting a character."""
    for text in ["[Parcours AM] Zoé Lefèvre : échéance dans 30 jours", "é" * 100, "日本語" * 30,
                 "a" * 44 + "é" * 3]:
        words = encoded_words(text)
        assert words.isascii() and all(len(word) <= 75 for word in words.split(" "))
        assert str(make_header(decode_header(words))) == text
    assert encoded_words("Plain ASCII subject") == "Plain ASCII subject"


def test_email_with_encoded_subject_keeps_a_readable_subject():
    """The header is folded and decodes to the subject; the message object keeps the readable one."""
    message = EncodedSubjectEmail("Zoé : échéance dépassée " * 4, "Corps", "from@example.org", ["to@example.org"])
    header = message.message()["Subject"]
    assert all(len(line) <= 78 for line in str(header).splitlines())
    assert str(make_header(decode_header(header))) == "Zoé : échéance dépassée " * 4
    assert message.subject == "Zoé : échéance dépassée " * 4


@pytest.mark.parametrize("deadline, threshold, track", [("enrolment", 30, ""), ("qualification", 0, "Parcours long"),
                                                        ("qualification", 90, "Parcours long")])
def test_emails_rendered_once_per_content_read_as_rendered_one_by_one(deadline, threshold, track):
    """The cached rendering gives each trainee's name, HTML-escaped in the HTML version, as a direct rendering."""
    emails = ReminderEmails("http://testserver/")
    reminder = DueReminder(deadline, date(2026, 9, 1), -3 if threshold == 0 else threshold, threshold)
    for first_name in ["Zoé <b>", "Jean & Marie", 'Anne "Nana"']:
        name = str(User(first_name=first_name, last_name="O'Neil", email="x@example.org"))
        with override("fr"):
            subject, text, html = emails.content(name=name, due=reminder, rule_name="Avenant 7 (2019)",
                                                 rule_source="Avenant n° 7", track_title=track, percent=42)
            context = {"name": name, "deadline": deadline, "deadline_date": reminder.deadline_date,
                       "days_left": reminder.days_left, "missed": threshold == 0, "rule_name": "Avenant 7 (2019)",
                       "rule_source": "Avenant n° 7", "track_title": track, "percent": 42,
                       "base_url": "http://testserver", "site_name": "Parcours AM"}
            assert subject == render_to_string("deadlines/email/reminder_subject.txt", context).strip()
            assert text == render_to_string("deadlines/email/reminder.txt", context)
            assert html == render_to_string("deadlines/email/reminder.html", context)
        assert conditional_escape(name) in html and name not in html
        assert name in text and name in subject
    assert emails._content.cache_info().misses == 1


# Against the database


def employ(practice, days_to_deadline, today, years=2, **kwargs):
    """A trainee whose enrolment deadline (hire + 2 years; + 3 for the qualification) is `days_to_deadline` days
    after `today`."""
    hired_on = date(today.year - years, today.month, min(today.day, 28)) + timedelta(days=days_to_deadline)
    return make_trainee(practice=practice, hired_on=hired_on, **kwargs)


@pytest.mark.django_db
def test_reminders_across_chunks_and_batches_go_once_each():
    """Chunk and batch boundaries neither drop nor repeat a reminder; a second run sends nothing."""
    today = date(2026, 3, 10)
    practice = make_practice()
    make_employer(practice=practice)
    trainees = [employ(practice, days, today) for days in (200, 150, 60, 20, 5, -1, -300, 100, 31)]
    ended = employ(practice, 10, today)
    Employment.objects.filter(trainee=ended).update(ended_on=today - timedelta(days=1))
    sent = reminders_send(today=today, base_url="http://testserver", chunk_size=2, batch_size=3)
    assert sent == 8 == len(mail.outbox)  # all but the one 200 days away and the ended employment
    thresholds = dict(ReminderSent.objects.values_list("employment__trainee", "threshold"))
    assert [thresholds.get(t.pk) for t in trainees] == [None, 180, 90, 30, 7, 0, 0, 180, 90]
    assert reminders_send(today=today, base_url="http://testserver", chunk_size=2, batch_size=3) == 0
    assert len(mail.outbox) == 8


@pytest.mark.django_db
def test_a_started_training_gets_qualification_reminders_with_its_track():
    """An enrolled trainee's reminder is about the qualification and mentions the track and its progress."""
    today = date(2026, 3, 10)
    practice = make_practice()
    trainee = make_trainee(practice=practice, hired_on=date(2023, 4, 1), first_name="Zoé", last_name="Martin")
    make_enrolment(trainee=trainee, starts_on=date(2023, 9, 1))
    assert reminders_send(today=today, base_url="http://testserver") == 1
    record = ReminderSent.objects.get()
    assert (record.deadline, record.threshold, record.deadline_date) == ("qualification", 30, date(2026, 4, 1))
    assert "Zoé Martin : échéance dans 22 jours" in mail.outbox[0].subject
    assert "Parcours en cours" in mail.outbox[0].body


@pytest.mark.django_db
def test_each_member_gets_the_thresholds_they_chose():
    """Preferences are per member of the practice; others of the practice get every reminder."""
    today = date(2026, 3, 10)
    practice = make_practice()
    picky, default = make_employer(practice=practice), make_employer(practice=practice)
    ReminderPreference.objects.create(user=picky, thresholds=[180, 7])
    trainee = employ(practice, 20, today)
    employ(make_practice(), -5, today)  # another practice's assistant: its mail goes to its own people only
    reminders_send(today=today, base_url="http://testserver")
    to_trainee = next(m for m in mail.outbox if trainee.email in m.to)
    assert sorted(to_trainee.to) == sorted([trainee.email, default.email])
    assert all(picky.email not in m.to and default.email not in m.to for m in mail.outbox if m is not to_trainee)


@pytest.mark.django_db
def test_a_refused_mail_in_a_batch_leaves_only_that_reminder_unrecorded(monkeypatch):
    """The server refuses one message of a batch: the others are recorded, that one goes on the next run."""
    today = date(2026, 3, 10)
    practice = make_practice()
    refused, accepted = employ(practice, 20, today), employ(practice, 5, today)
    original = EncodedSubjectEmail.send

    def send(self, *args, **kwargs):
        if refused.email in self.to:
            raise SMTPRecipientsRefused({refused.email: (550, b"refused")})
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EncodedSubjectEmail, "send", send)
    assert reminders_send(today=today, base_url="http://testserver") == 1
    assert list(ReminderSent.objects.values_list("employment__trainee", flat=True)) == [accepted.pk]
    monkeypatch.undo()
    assert reminders_send(today=today, base_url="http://testserver") == 1
    assert ReminderSent.objects.count() == 2


@pytest.mark.django_db
def test_a_reminder_a_concurrent_run_recorded_meanwhile_is_not_sent_again(monkeypatch):
    """Between this run's check and its records, another run sent one reminder: the unique record wins."""
    today = date(2026, 3, 10)
    practice = make_practice()
    first, second = employ(practice, 20, today), employ(practice, 5, today)
    deliver = services._deliver

    def concurrent_then_deliver(batch):
        employment = Employment.objects.get(trainee=first)
        ReminderSent.objects.create(employment=employment, deadline="enrolment", threshold=30,
                                    deadline_date=today + timedelta(days=20), recipients=first.email)
        return deliver(batch)

    monkeypatch.setattr(services, "_deliver", concurrent_then_deliver)
    assert reminders_send(today=today, base_url="http://testserver") == 1
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert ReminderSent.objects.count() == 2


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_employments():
    """5 or 50 assistants owing reminders, half of them enrolled: the same queries (per chunk of 500, not per row)."""
    today = date(2026, 3, 10)
    track = make_track()

    def run_with(count):
        practice = make_practice()
        make_employer(practice=practice)
        for i in range(count):
            if i % 2:
                trainee = employ(practice, -200 + 8 * i, today, years=3)
                make_enrolment(trainee=trainee, track=track, starts_on=today - timedelta(days=400))
            else:
                employ(practice, -200 + 8 * i, today)
        ReminderSent.objects.all().delete()
        call_command("send_deadline_reminders", f"--today={today}", "--dry-run", stdout=io.StringIO())  # warm caches
        mail.outbox = []
        with CaptureQueriesContext(connection) as queries:
            call_command("send_deadline_reminders", f"--today={today}", stdout=io.StringIO())
        return len(queries), len(mail.outbox)

    few, few_sent = run_with(5)
    many, many_sent = run_with(45)
    assert (few_sent, many_sent) == (5, 50)
    assert few == many


class SessionLimitBackend(locmem.EmailBackend):
    """A mail server that ends the session after two messages, as some relays do."""

    sessions = 0

    def open(self):
        type(self).sessions += 1
        self.in_session = 0
        return True

    def send_messages(self, messages):
        self.in_session += len(messages)
        if self.in_session > 2:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_one_connection_for_the_run_and_a_new_one_when_the_server_ends_the_session(settings):
    """One session for the whole run; when the server closes it, a new one, and no reminder is lost."""
    settings.EMAIL_BACKEND = "tests.deadlines.test_reminders.SessionLimitBackend"
    SessionLimitBackend.sessions = 0
    today = date(2026, 3, 10)
    practice = make_practice()
    for days in (20, 5, -1, -30, 60):
        employ(practice, days, today)
    assert reminders_send(today=today, base_url="http://testserver") == 5 == ReminderSent.objects.count()
    assert SessionLimitBackend.sessions == 3


@pytest.mark.django_db
def test_a_faulty_message_is_left_for_later_without_undoing_its_batch(caplog):
    """A message Django refuses to build is logged and left unrecorded; the rest of its batch is recorded."""
    today = date(2026, 3, 10)
    practice = make_practice()
    employ(practice, 20, today)
    faulty = employ(practice, 5, today, first_name="Zoé\nBcc: x@example.org")  # a header injection refused by Django
    employ(practice, -1, today)
    assert reminders_send(today=today, base_url="http://testserver") == 2 == len(mail.outbox)
    assert not ReminderSent.objects.filter(employment__trainee=faulty).exists()
    assert ReminderSent.objects.count() == 2 and "will be retried" in caplog.text


def test_a_subject_with_a_line_break_is_still_refused():
    """Encoding the subject does not hide a header injection from Django's check."""
    with pytest.raises(BadHeaderError):
        EncodedSubjectEmail("Zoé\nBcc: x@example.org", "Corps", "from@example.org", ["to@example.org"]).message()
