"""Daily job: email employers and trainees before each deadline (180, 90, 30, 7 days) and when missed; each once."""
from datetime import date

from django.core.management.base import BaseCommand

from lms.core.dates import legal_today
from lms.core.site import base_url
from lms.deadlines.services import reminders_send


class Command(BaseCommand):
    help = "Send the deadline reminders that are due (safe to run several times a day)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Pretend today is YYYY-MM-DD (tests, catch-up).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send and record nothing.")

    def handle(self, *args, today=None, dry_run=False, **options):
        today = today or legal_today()
        sent = reminders_send(today=today, base_url=base_url(), dry_run=dry_run, stdout=self.stdout)
        self.stdout.write(f"{sent} reminder(s) {'due (dry run: nothing sent)' if dry_run else 'sent'}")
