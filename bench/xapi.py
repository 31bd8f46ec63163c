"""Time xAPI recording (target: under 2 ms added to a request) and forwarding to a real Ralph LRS
(target: at least 500 statements per second, in batches).

Run: make bench-xapi   (needs the Ralph virtualenv that `make test` installs in .venv-lrs)
"""
import statistics
import tempfile
import time
from pathlib import Path

from _setup import django_setup, print_table

call_command = django_setup()


def main():
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from lms.xapi import statements as xs
    from lms.xapi.models import Statement
    from lms.xapi.services import forward_batch, record
    from tests.factories import make_trainee
    from tests.xapi.conftest import PASSWORD, RalphServer

    Statement.objects.all().delete()
    trainee = make_trainee()
    track, lesson, module = xs.track_activity(1, "Parcours"), xs.lesson_activity(2, "Leçon"), xs.module_activity(3, "Module")
    timings = []
    for _ in range(300):
        with transaction.atomic():
            start = time.perf_counter()
            record([xs.lesson_experienced(actor_id=trainee.public_id, registration="6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
                                          lesson=lesson, module=module, track=track, duration_seconds=300,
                                          timestamp=timezone.now())], actor=trainee)
            timings.append((time.perf_counter() - start) * 1000)
            transaction.set_rollback(True)
    timings.sort()
    rows = [("record one statement (build, validate, insert)", f"{statistics.median(timings):.2f} ms",
             f"p95 {timings[int(len(timings) * .95) - 1]:.2f} ms")]

    with tempfile.TemporaryDirectory() as workdir:
        server = RalphServer(Path(workdir)).start()
        settings.LRS_ENDPOINT, settings.LRS_USERNAME, settings.LRS_PASSWORD = server.endpoint, "lms", PASSWORD
        count = 5000
        statements = [xs.lesson_experienced(actor_id=trainee.public_id, registration="6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
                                            lesson=lesson, module=module, track=track, duration_seconds=60,
                                            timestamp=timezone.now()) for _ in range(count)]
        with transaction.atomic():
            record(statements, actor=trainee)
        start = time.perf_counter()
        sent = 0
        while True:
            counts = forward_batch(batch_size=500, timeout=30)
            sent += counts["sent"]
            if not counts["sent"]:
                break
        elapsed = time.perf_counter() - start
        server.stop()
        rows.append((f"forward {count} statements to Ralph (batches of 500)", f"{sent / elapsed:.0f} statements/s",
                     f"{elapsed:.1f} s, {sent} sent"))
    print_table(rows, ("operation", "result", "detail"))


if __name__ == "__main__":
    main()
