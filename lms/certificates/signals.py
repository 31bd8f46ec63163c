"""Issue the certificate in the transaction that records the track's completion; the trainee's own page shows
their certificates."""
from django.dispatch import receiver

from lms.certificates.models import Certificate
from lms.certificates.services import certificate_issue
from lms.core.cache import trainee_scope, watch_rows
from lms.learning.events import track_completed

watch_rows(Certificate, lambda row: [trainee_scope(row.enrolment.trainee_id)])


@receiver(track_completed)
def _issue_on_completion(sender, enrolment, now, **kwargs):
    certificate_issue(enrolment=enrolment, now=now)
