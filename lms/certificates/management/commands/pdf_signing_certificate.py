"""Print the PEM certificate that signs the platform's PDFs (generating the development pair if it is missing).

Import it in a PDF reader's trusted certificates (Acrobat: Preferences > Signatures > Identities & Trusted
Certificates; Okular/Evince: the NSS database) to see the development signatures shown as trusted.
"""
from django.core.management.base import BaseCommand

from lms.core.signing import signing_certificate_pem


class Command(BaseCommand):
    help = "Print the certificate that signs attestations, certificats de réalisation and relevés (PEM)."

    def handle(self, *args, **options):
        self.stdout.write(signing_certificate_pem().decode(), ending="")
