"""The certificat de réalisation of an enrolment: the model the Ministère du Travail publishes for the actions that
OPCOs and other funders pay for (the body's identity, the trainee and employer, the action's title and nature, its
dates and realised duration, the body's signatory, place and date). Always French; rendered on demand from the
enrolment's current facts (it certifies what was realised up to the day it is made).

Contract, as for the attestation: render_realisation(enrolment, today) -> (filename, mimetype, bytes).
"""
import io
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from lms.certificates.rendering import BLUE
from lms.core.pdf import draw_stored_image, register_fonts
from lms.core.signing import sign_pdf
from lms.core.dates import legal_date
from lms.core.display import french_hours, long_date
from lms.learning.realised import realised_duration
from lms.organisations.identity import identity_parts, legal_identity
from lms.organisations.models import Employment


@dataclass
class RealisationFacts:
    """What the certificate states, read once (and tested without a PDF)."""

    identity: dict
    trainee_name: str
    employer: str
    title: str
    starts_on: date
    ends_on: date
    completed: bool
    realised: object  # lms.learning.realised.RealisedDuration
    signatory: str
    place: str
    made_on: date


def _employer(enrolment, day):
    """The practice employing the trainee on `day` (else the latest one), '' if none is known."""
    employment = (Employment.objects.filter(trainee_id=enrolment.trainee_id, hired_on__lte=day)
                  .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=enrolment.starts_on))
                  .select_related("practice").order_by("-hired_on").first())
    return employment.practice.name if employment else ""


def realisation_facts(enrolment, today):
    """The facts of the enrolment's certificat de réalisation, made on `today`."""
    body = enrolment.training_body
    ends_on = legal_date(enrolment.completed_at) if enrolment.completed_at else today
    signatory = body.signatory_name + (f", {body.signatory_title}" if body.signatory_name and body.signatory_title
                                       else "")
    return RealisationFacts(
        identity=legal_identity(body), trainee_name=enrolment.trainee.get_full_name() or enrolment.trainee.email,
        employer=_employer(enrolment, ends_on), title=enrolment.track.title, starts_on=enrolment.starts_on,
        ends_on=ends_on, completed=enrolment.completed_at is not None, realised=realised_duration(enrolment),
        signatory=signatory, place=body.city, made_on=today)


def realisation_lines(facts):
    """The certificate's text, paragraph by paragraph, in French (the State model's wording, adapted to distance
    learning: Code du travail D6313-3-1)."""
    with override("fr"):
        name = facts.identity.get("legal_name") or facts.identity.get("name", "")
        paragraphs = [
            _("I, the undersigned, %(signatory)s, legal representative of the provider of the action contributing to "
              "the development of skills %(body)s, certify that:") % {
                "signatory": facts.signatory or "……………………", "body": name},
            facts.trainee_name + (_(", employee of %(employer)s,") % {"employer": facts.employer}
                                  if facts.employer else ""),
            _("has followed the action: %(title)s") % {"title": facts.title},
            _("Nature of the action contributing to the development of skills: ☒ training action "
              "(action de formation) ☐ skills assessment ☐ validation of prior experience ☐ apprenticeship"),
            (_("which took place from %(start)s to %(end)s") if facts.completed
             else _("which started on %(start)s and is still in progress on %(end)s")) % {
                "start": long_date(facts.starts_on), "end": long_date(facts.ends_on)},
            _("for a realised duration of %(realised)s (planned duration of the action: %(nominal)s).") % {
                "realised": french_hours(facts.realised.hours),
                "nominal": french_hours(facts.realised.nominal_hours, decimals=0)},
            _("Distance learning: the realised duration is the active time the platform recorded on the lessons and "
              "assessments, plus the in-person hours attended; the record of connections and activity and the "
              "assessment results are the evidence of it."),
            _("I undertake to keep all the supporting documents that allowed this certificate to be drawn up and to "
              "make them available to the funder."),
        ]
    return paragraphs


def render_realisation(enrolment, today):
    """Return ("certificat-realisation-<enrolment id>.pdf", "application/pdf", bytes)."""
    register_fonts()
    facts = realisation_facts(enrolment, today)
    with override("fr"):
        reason = _("Certificate of achievement issued by %(body)s") % {"body": facts.identity.get("name", "")}
        return (f"certificat-realisation-{enrolment.pk}.pdf", "application/pdf",
                sign_pdf(_render(enrolment.training_body, facts), reason=reason, location=facts.place))


def _render(body, facts):
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Certificat de réalisation — {facts.trainee_name}")
    pdf.setAuthor(facts.identity.get("name", ""))
    pdf.setCreator("Parcours AM")
    margin = 20 * mm
    heading, mentions = identity_parts(facts.identity)
    pdf.setFillColor(BLUE)
    pdf.setFont("DejaVu-Bold", 10)
    y = height - margin
    pdf.drawString(margin, y, heading[0])
    pdf.setFont("DejaVu", 8)
    for line in heading[1:] + mentions:
        for part in simpleSplit(line, "DejaVu", 8, width - 2 * margin):
            y -= 4 * mm
            pdf.drawString(margin, y, part)
    y -= 14 * mm
    pdf.setFont("DejaVu-Bold", 18)
    pdf.drawCentredString(width / 2, y, _("CERTIFICATE OF REALISATION"))
    y -= 6 * mm
    pdf.setFont("DejaVu", 8.5)
    pdf.setFillColorRGB(0.3, 0.3, 0.3)
    pdf.drawCentredString(width / 2, y, _("Model of the Ministry of Labour for actions financed by a funder (OPCO…)"))
    pdf.setFillColorRGB(0, 0, 0)
    y -= 12 * mm
    for index, paragraph in enumerate(realisation_lines(facts)):
        font = "DejaVu-Bold" if index in (1, 2) else "DejaVu"
        pdf.setFont(font, 10)
        for part in simpleSplit(paragraph, font, 10, width - 2 * margin):
            pdf.drawString(margin, y, part)
            y -= 5.2 * mm
        y -= 3.5 * mm
    y -= 6 * mm
    pdf.setFont("DejaVu", 10)
    pdf.drawString(margin, y, _("Made at %(place)s, on %(date)s") % {"place": facts.place or "……………………",
                                                                     "date": long_date(facts.made_on)})
    y -= 8 * mm
    pdf.drawString(margin, y, _("Stamp and signature of the head of the provider of the action:"))
    y -= 5 * mm
    if facts.signatory:
        pdf.drawString(margin, y, facts.signatory)
    draw_stored_image(pdf, body.signature.name, margin, y - 26 * mm, 50 * mm, 22 * mm)
    pdf.setFont("DejaVu", 7)
    pdf.setFillColorRGB(0.35, 0.35, 0.35)
    pdf.drawCentredString(width / 2, 10 * mm, _("Made by the Parcours AM platform on %(date)s from the attendance "
                                                "record of the enrolment.") % {"date": long_date(facts.made_on)})
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
