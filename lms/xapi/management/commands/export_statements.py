"""Write the stored statements as JSON lines (for an auditor or another LRS)."""
import json
from datetime import date

from django.core.management.base import BaseCommand

from lms.core.dates import legal_day_start
from lms.xapi.models import Statement


class Command(BaseCommand):
    help = "Export xAPI statements as JSON lines, optionally since a date or for one trainee."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--trainee", help="The trainee's email address")

    def handle(self, *args, since=None, trainee=None, **options):
        statements = Statement.objects.order_by("timestamp", "stored_at")
        if since:
            statements = statements.filter(timestamp__gte=legal_day_start(since))
        if trainee:
            statements = statements.filter(actor__email__iexact=trainee)
        for statement in statements.iterator(chunk_size=2000):
            self.stdout.write(json.dumps(statement.data, ensure_ascii=False, sort_keys=True))
