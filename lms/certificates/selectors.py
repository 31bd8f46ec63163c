"""Reads on certificates that other apps need, through the interfaces learning owns."""
from django.db.models import Exists, OuterRef

from lms.certificates.models import Certificate, CertificateStatus


def revoked():
    """True on an Enrolment one of whose certificates was revoked: that completion is no qualification."""
    return Exists(Certificate.objects.filter(enrolment=OuterRef("pk"), status=CertificateStatus.REVOKED))
