"""Forward pending xAPI statements to the external LRS (LRS_ENDPOINT), once or in a loop."""
import time

from django.core.management.base import BaseCommand, CommandError

from lms.xapi.services import forward_batch, lrs_configured


class Command(BaseCommand):
    help = "Send the outbox to the LRS: successes are marked sent, 4xx rejected, 5xx and timeouts retried later."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running (a worker).")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between rounds when idle.")
        parser.add_argument("--batch-size", type=int, default=100)
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(self, *args, loop, interval, batch_size, timeout, **options):
        if not lrs_configured():
            raise CommandError("LRS_ENDPOINT is not set: statements wait in the local store until it is.")
        while True:
            totals = {"sent": 0, "rejected": 0, "retry": 0}
            while True:
                counts = forward_batch(batch_size=batch_size, timeout=timeout)
                for key, value in counts.items():
                    totals[key] += value
                if counts["sent"] + counts["rejected"] < batch_size or counts["retry"]:
                    break
            self.stdout.write(f"sent {totals['sent']}, rejected {totals['rejected']}, to retry {totals['retry']}")
            if not loop:
                return
            time.sleep(interval)
