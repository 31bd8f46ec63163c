"""Time the daily reminders job on 100,000 employments (target: under a minute).

Runs the job on a first day (about 62,000 reminders due at once), again the same day (nothing due), the next
day and after 30 days without a run; each line gives the time, what was sent, the part of that time spent in
the mail backend (locmem builds each MIME message, as the SMTP backend does before sending it, and keeps a
copy) and the number of queries.

Run: make bench-reminders   (DATABASE_URL selects the database; a fresh SQLite file by default)
"""
import os
import random
import time
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO
from pathlib import Path

os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(__file__).resolve().parent / 'bench-reminders.sqlite3'}")
if os.environ["DATABASE_URL"].startswith("sqlite:///"):
    Path(os.environ["DATABASE_URL"][len("sqlite:///"):]).unlink(missing_ok=True)

from _setup import django_setup, print_table  # noqa: E402

call_command = django_setup()


def main(count=100_000):
    from django.conf import settings
    from django.core import mail
    from django.core.mail.backends import locmem
    from django.db import connection
    from django.utils import timezone

    from lms.accounts.models import TraineeProfile, User
    from lms.deadlines.models import ReminderSent
    from lms.organisations.models import Employment, Practice, PracticeMembership

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    today = timezone.localdate()
    rng = random.Random(7)
    start = time.perf_counter()
    practices = Practice.objects.bulk_create([Practice(name=f"Cabinet {i}") for i in range(2000)], batch_size=1000)
    doctors = User.objects.bulk_create([User(email=f"medecin{i}@bench.invalid", password="!") for i in range(2000)],
                                       batch_size=2000)
    PracticeMembership.objects.bulk_create([PracticeMembership(practice=p, user=d) for p, d in zip(practices, doctors)],
                                           batch_size=2000)
    trainees = User.objects.bulk_create([User(email=f"assistant{i}@bench.invalid", password="!") for i in range(count)],
                                        batch_size=5000)
    TraineeProfile.objects.bulk_create([TraineeProfile(user=t, entry_profile="other") for t in trainees], batch_size=5000)
    Employment.objects.bulk_create([Employment(trainee=t, practice=practices[i % len(practices)], working_time="full",
                                               hired_on=today - timedelta(days=rng.randint(0, 4 * 365)))
                                    for i, t in enumerate(trainees)], batch_size=5000)
    build = time.perf_counter() - start
    rows = [("build 100,000 employments", f"{build:.1f} s", "")]
    runs = [("first daily run", today), ("second run the same day", today),
            ("next day", today + timedelta(days=1)), ("after 30 days without a run", today + timedelta(days=31))]
    for label, day in runs:
        sent_before, mails_before = ReminderSent.objects.count(), len(mail.outbox)
        backend_time, queries = [0.0], [0]
        with connection.execute_wrapper(counted(queries)), timed(locmem.EmailBackend, "send_messages", backend_time):
            start = time.perf_counter()
            call_command("send_deadline_reminders", f"--today={day}", stdout=StringIO())
            elapsed = time.perf_counter() - start
        reminders, emails = ReminderSent.objects.count() - sent_before, len(mail.outbox) - mails_before
        rows.append((label, f"{elapsed:.1f} s", f"{reminders} reminders, {emails} emails "
                                                f"({backend_time[0]:.1f} s in the mail backend), {queries[0]} queries"))
    rows.append(("in all", "", f"{ReminderSent.objects.count()} reminders recorded, {len(mail.outbox)} emails"))
    print_table(rows, ("step", "time", "detail"))


def counted(total):
    """A database execute wrapper that counts the queries in total[0]."""
    def wrapper(execute, sql, params, many, context):
        total[0] += 1
        return execute(sql, params, many, context)

    return wrapper


@contextmanager
def timed(cls, name, total):
    """Add the time spent in cls.name to total[0]."""
    original = getattr(cls, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            total[0] += time.perf_counter() - start

    setattr(cls, name, wrapper)
    try:
        yield
    finally:
        setattr(cls, name, original)


if __name__ == "__main__":
    main()
