"""Daily job: apply the retention periods (lms.core.retention) — delete or erase what is past its period."""
from datetime import date

from django.core.management.base import BaseCommand

from lms.core.dates import legal_today
from lms.core.retention import PERIODS
from lms.core.site import base_url
from lms.reports.retention import retention_apply


class Command(BaseCommand):
    help = "Delete or erase the personal data past its retention period (idempotent; safe to run every day)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Pretend today is YYYY-MM-DD (tests, catch-up).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Count, per category, what would be deleted or erased; change nothing, send nothing.")

    def handle(self, *args, today=None, dry_run=False, **options):
        today = today or legal_today()
        lines = retention_apply(today=today, dry_run=dry_run, base_url=base_url())
        self.stdout.write(f"Retention on {today.isoformat()}{' (dry run: nothing changed)' if dry_run else ''}")
        self.stdout.write("Periods: " + ", ".join(f"{p.key}={p.amount} {p.unit}" for p in PERIODS))
        width = max(len(line.key) for line in lines)
        verb = "would be" if dry_run else "done"
        self.stdout.write(f"{'category'.ljust(width)}  {'rows':>6}  {'files':>5}  ({verb})")
        for line in lines:
            self.stdout.write(f"{line.key.ljust(width)}  {line.count:>6}  {line.files:>5}  {line.label}")
