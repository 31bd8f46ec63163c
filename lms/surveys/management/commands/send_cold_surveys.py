"""Daily: email the cold satisfaction survey to the trainees who completed their track three months ago."""
from django.conf import settings
from django.core.management.base import BaseCommand

from lms.core.dates import legal_today
from lms.surveys.services import send_cold_surveys


class Command(BaseCommand):
    help = "Email the satisfaction survey to trainees three months after they completed their track (once each)."

    def handle(self, *args, **options):
        sent = send_cold_surveys(today=legal_today(), base_url=settings.LMS_BASE_URL)
        self.stdout.write(f"Cold surveys sent: {sent}")
