"""Periodic job: count the logged heartbeats into the attendance record, so that the log stays short."""
from django.core.management.base import BaseCommand

from lms.learning.attendance import settle_all
from lms.learning.services import enrolments_complete_when_time_met


class Command(BaseCommand):
    help = "Count the heartbeats logged since the last run into active time (safe to run at any time, in parallel)."

    def handle(self, *args, **options):
        people, seconds = settle_all()
        self.stdout.write(f"{people} person(s) settled, {seconds} s of active time counted")
        completed = enrolments_complete_when_time_met()
        if completed:
            self.stdout.write(f"{completed} enrolment(s) completed now that their realised share is met")
