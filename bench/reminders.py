"""Time the daily reminders job on 100,000 employments (target: under a minute).

Run: make bench-reminders   (DATABASE_URL selects the database; a fresh SQLite file by default)
"""
import os
import random
import time
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
    start = time.perf_counter()
    out = StringIO()
    call_command("send_deadline_reminders", stdout=out)
    first = time.perf_counter() - start
    start = time.perf_counter()
    call_command("send_deadline_reminders", stdout=StringIO())
    second = time.perf_counter() - start
    print_table([
        ("build 100,000 employments", f"{build:.1f} s", ""),
        ("first daily run", f"{first:.1f} s", f"{ReminderSent.objects.count()} reminders, {len(mail.outbox)} emails"),
        ("second run the same day", f"{second:.1f} s", f"{ReminderSent.objects.count()} reminders in all (none twice)"),
    ], ("step", "time", "detail"))


if __name__ == "__main__":
    main()
