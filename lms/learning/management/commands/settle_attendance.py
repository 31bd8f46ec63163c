"""Periodic job: count the logged heartbeats into the attendance record, so that the log stays short."""
from django.core.management.base import BaseCommand

from lms.learning.attendance import settle_all


class Command(BaseCommand):
    help = "Count the heartbeats logged since the last run into active time (safe to run at any time, in parallel)."

    def handle(self, *args, **options):
        people, seconds = settle_all()
        self.stdout.write(f"{people} person(s) settled, {seconds} s of active time counted")
