"""Time certificate rendering (target: under 50 ms median) and issuance (render + store + log).

Run: make bench-certificates   (DATABASE_URL selects the database; SQLite file by default)
"""
import statistics
import time

from _setup import django_setup, print_table

call_command = django_setup()


def main():
    from django.db import transaction

    from lms.catalog.models import TrackPage
    from lms.certificates.rendering import render
    from lms.certificates.services import certificate_issue
    from lms.learning.models import Enrolment
    from tests.factories import make_trainee  # small builders shared with the tests

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    enrolment = Enrolment.objects.filter(status="completed").first()
    certificate = enrolment.certificates.first()
    render(certificate)
    render_times = []
    for _ in range(100):
        start = time.perf_counter()
        render(certificate)
        render_times.append((time.perf_counter() - start) * 1000)
    track = TrackPage.objects.live().first()
    issue_times = []
    for _ in range(30):
        with transaction.atomic():
            trainee = make_trainee()
            fresh = Enrolment.objects.create(trainee=trainee, track=track, training_body=track.training_body,
                                             starts_on=enrolment.starts_on)
            start = time.perf_counter()
            certificate_issue(enrolment=fresh)
            issue_times.append((time.perf_counter() - start) * 1000)
            transaction.set_rollback(True)
    rows = []
    for name, values in (("render PDF (A4, QR, TTF)", render_times), ("issue (render + store + log)", issue_times)):
        values.sort()
        rows.append((name, len(values), f"{statistics.median(values):.1f}", f"{values[int(len(values) * 0.95) - 1]:.1f}"))
    print_table(rows, ("operation", "runs", "median ms", "p95 ms"))


if __name__ == "__main__":
    main()
