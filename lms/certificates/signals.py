"""Issue the certificate in the transaction that records the track's completion."""
from django.dispatch import receiver

from lms.certificates.services import certificate_issue
from lms.learning.events import track_completed


@receiver(track_completed)
def _issue_on_completion(sender, enrolment, now, **kwargs):
    certificate_issue(enrolment=enrolment, now=now)
