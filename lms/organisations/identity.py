"""A training body's legal identity, as attestations and attendance records must state it.

The identity is a plain dict, so that a certificate keeps the one of its issue day (Certificate.issuer_identity)
while the relevé prints the current one. The lines are in French whatever the reader's language: they are the
body's legal mentions (Code du travail L6352-12: the activity declaration number, with the mention that the
registration does not amount to the State's approval).
"""
from django.utils.translation import gettext as _
from django.utils.translation import override

from lms.organisations.models import QualiopiCategory

FIELDS = ("name", "legal_name", "address", "siret", "registration_number", "registration_region",
          "qualiopi_number", "qualiopi_certifier", "qualiopi_category")


def legal_identity(body):
    """The body's identity now, as a dict of FIELDS (empty strings for what it has not filled in)."""
    return {field: (getattr(body, field) or "").strip() for field in FIELDS}


def format_siret(siret):
    """'12345678900012' as it is usually written: '123 456 789 00012'."""
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}" if len(siret) == 14 else siret


def identity_lines(identity):
    """The legal mentions of a body, one per line, in French; only what it has filled in."""
    heading, mentions = identity_parts(identity)
    return heading + mentions


def identity_parts(identity):
    """(who: name, address and SIRET; the mentions: activity declaration and Qualiopi), as lines in French."""
    with override("fr"):
        heading = [identity.get("legal_name") or identity.get("name", "")]
        heading += [part.strip() for part in identity.get("address", "").splitlines() if part.strip()]
        if identity.get("siret"):
            heading.append(_("SIRET %(siret)s") % {"siret": format_siret(identity["siret"])})
        mentions = []
        if identity.get("registration_number"):
            if identity.get("registration_region"):
                mentions.append(_("Activity declaration registered under number %(number)s with the prefect of the "
                                  "%(region)s region.") % {"number": identity["registration_number"],
                                                           "region": identity["registration_region"]})
            else:
                mentions.append(_("Activity declaration registered under number %(number)s.")
                                % {"number": identity["registration_number"]})
            mentions.append(_("This registration does not amount to approval by the State."))
        if identity.get("qualiopi_number"):
            category = identity.get("qualiopi_category")
            text = _("Qualiopi certificate no. %(number)s") % {"number": identity["qualiopi_number"]}
            if identity.get("qualiopi_certifier"):
                text += _(", issued by %(certifier)s") % {"certifier": identity["qualiopi_certifier"]}
            if category in QualiopiCategory.values:
                text += _(", for the category: %(category)s") % {"category": QualiopiCategory(category).label}
            mentions.append(text + ".")
    return [line for line in heading if line], mentions
