"""Shared set-up for the bench scripts: Django on a dedicated database (SQLite file unless DATABASE_URL)."""
import os
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENROLLED_SHARE = 0.88  # the others are hired but not enrolled yet (they show up in the deadline tables)


def django_setup():
    sys.path.insert(0, str(ROOT))  # lms/ and tests/ (the builders)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.XAPI_VALIDATE_ON_RECORD = False  # as in production: ralph checks statements in the forwarder
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return call_command


def measure(fn, n=200, warmup=5):
    """Run fn n times; return (median ms, p95 ms, queries of the last run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(ctx.captured_queries)


def print_table(rows, headers):
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    line = " | ".join(h.ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths)))


def random_enrolment(rng, *, trainee, track_id, body, hired_on, cohorts, today, now, completed_hours=0):
    """A trainee's enrolment as the benches spread them, or None when not enrolled yet (12 %): started 2 weeks
    to 16 months after hiring, 10 % completed 2 weeks to 4 months later, 2 % withdrawn, 70 % in a cohort."""
    from lms.learning.models import Enrolment, EnrolmentStatus

    if rng.random() > ENROLLED_SHARE:
        return None
    starts_on = min(hired_on + timedelta(days=rng.randint(14, 500)), today - timedelta(days=1))
    roll = rng.random()
    status = EnrolmentStatus.COMPLETED if roll < 0.10 else (
        EnrolmentStatus.WITHDRAWN if roll < 0.12 else EnrolmentStatus.ACTIVE)
    completed_at = None
    if status == EnrolmentStatus.COMPLETED:
        completed_at = min(datetime.combine(starts_on, datetime.min.time(), dt_timezone.utc)
                           + timedelta(days=rng.randint(15, 120), hours=completed_hours), now - timedelta(hours=1))
    return Enrolment(trainee=trainee, track_id=track_id, training_body=body, starts_on=starts_on,
                     cohort=rng.choice(cohorts[track_id]) if rng.random() < 0.7 else None,
                     status=status, completed_at=completed_at)
