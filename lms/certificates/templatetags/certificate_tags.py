"""The trainee's own certificates, shown on 'Mon parcours'."""
from django import template

from lms.certificates.models import Certificate, CertificateStatus
from lms.core.prepared import Prepared

register = template.Library()


def _certificates_of(trainee_id):
    return (Certificate.objects.filter(enrolment__trainee_id=trainee_id).exclude(status=CertificateStatus.SUPERSEDED)
            .order_by("-issued_at", "-pk"))


_CERTIFICATES = Prepared(_certificates_of, trainee_id=int)  # read on each visit of the page


@register.inclusion_tag("certificates/_my_certificates.html")
def my_certificates(user):
    return {"certificates": _CERTIFICATES(trainee_id=user.pk)}
