"""The trainee's own certificates, shown on 'Mon parcours'."""
from django import template

from lms.certificates.models import Certificate, CertificateStatus

register = template.Library()


def certificates_of(trainee_id):
    """The trainee's certificates, newest first, without those replaced by a later one."""
    return (Certificate.objects.filter(enrolment__trainee_id=trainee_id).exclude(status=CertificateStatus.SUPERSEDED)
            .order_by("-issued_at", "-pk"))


@register.inclusion_tag("certificates/_my_certificates.html")
def my_certificates(user):
    return {"certificates": list(certificates_of(user.pk))}
