"""The trainee's own certificates, shown on 'Mon parcours'."""
from django import template

register = template.Library()


@register.inclusion_tag("certificates/_my_certificates.html")
def my_certificates(user):
    from lms.certificates.models import Certificate, CertificateStatus

    return {"certificates": list(Certificate.objects.filter(enrolment__trainee=user)
                                 .exclude(status=CertificateStatus.SUPERSEDED).order_by("-issued_at"))}
