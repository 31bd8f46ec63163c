"""The certificate renderer: a small contract, render(certificate) -> (filename, mimetype, bytes). Always French."""
import io
from datetime import date
from decimal import Decimal

import segno
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.utils.translation import override
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from lms.core.pdf import draw_stored_image, register_fonts
from lms.core.signing import sign_pdf
from lms.core.dates import legal_date
from lms.core.display import french_hours, long_date
from lms.core.site import absolute_url
from lms.organisations.identity import identity_parts

BLUE = HexColor("#1d3f8f")
RED = HexColor("#b3261e")


def verification_url(code):
    return absolute_url(reverse("certificate_verify", args=[code]))


def _date(value):
    return long_date(value)


def _qr(pdf, data, x, y, size):
    """Draw a QR code as vector squares (crisp at any zoom, nothing rasterised)."""
    qr = segno.make(data, error="m")
    matrix = list(qr.matrix_iter(border=0))
    module = size / len(matrix)
    pdf.setFillColorRGB(0, 0, 0)
    path = pdf.beginPath()
    for row_index, row in enumerate(matrix):
        col_index = 0
        while col_index < len(row):  # one rectangle per horizontal run of dark modules
            if row[col_index]:
                start = col_index
                while col_index < len(row) and row[col_index]:
                    col_index += 1
                path.rect(x + start * module, y + size - (row_index + 1) * module, (col_index - start) * module, module)
            else:
                col_index += 1
    pdf.drawPath(path, stroke=0, fill=1)


def outcome_mention(track_outcome):
    """What the attestation says of the qualification: never that finishing the track is it ('' when the
    certificate predates the track's declared outcome)."""
    if not track_outcome:
        return ""
    if track_outcome.get("outcome") == "certification":
        return _("This training prepares for the certification “%(name)s” (%(rncp)s), awarded by %(certifier)s after an "
                 "exam; this attestation is not the certification.") % {
            "name": track_outcome.get("certification_name", ""), "rncp": track_outcome.get("rncp_code", ""),
            "certifier": track_outcome.get("certifying_body", "")}
    return _("This training does not, by itself, confer the qualification of medical assistant.")


def duration_text(certificate):
    """'Durée prévue : 84 h — durée réalisée : 12,5 h' (the nominal hours only for certificates issued before the
    realised duration was kept)."""
    nominal = french_hours(certificate.nominal_hours, decimals=0)
    if certificate.realised_hours is None:
        return _("%(hours)s hours") % {"hours": formats.number_format(certificate.nominal_hours, decimal_pos=0)}
    return _("Planned duration: %(nominal)s — realised duration: %(realised)s") % {
        "nominal": nominal, "realised": french_hours(certificate.realised_hours)}


def exempted_text(module):
    """'Accueil et relation — dispensé (positionnement, décision du 3 décembre 2026 ; 14 h déduites)'."""
    return _("%(title)s — exempted (positioning, decided on %(date)s; %(hours)s deducted)") % {
        "title": module["title"], "date": _date(date.fromisoformat(module["decided_on"])),
        "hours": french_hours(Decimal(str(module["hours"])), decimals=1)}


def _issuer_identity(certificate):
    """The body's legal identity of the day of issue (name and number for certificates issued before it was kept)."""
    return certificate.issuer_identity or {"name": certificate.training_body_name,
                                           "registration_number": certificate.training_body_number}


def _issuer(pdf, certificate, right, top, max_width):
    """Who issued it (name, address, SIRET), right-aligned at the top of the page."""
    first, *others = identity_parts(_issuer_identity(certificate))[0]
    pdf.setFont("DejaVu-Bold", 10)
    pdf.drawRightString(right, top, first)
    pdf.setFont("DejaVu", 7.5)
    y = top - 4.5 * mm
    for line in others[:5]:
        pdf.drawRightString(right, y, simpleSplit(line, "DejaVu", 7.5, max_width)[0])
        y -= 3.4 * mm


def _issuer_mentions(pdf, certificate, width, bottom):
    """The activity declaration (and that it is no State approval) and the Qualiopi certificate, centred at the
    foot of the page, from `bottom` up."""
    lines = [part for line in identity_parts(_issuer_identity(certificate))[1]
             for part in simpleSplit(line, "DejaVu", 6.8, width - 40 * mm)]
    pdf.setFont("DejaVu", 6.8)
    for index, line in enumerate(reversed(lines)):
        pdf.drawCentredString(width / 2, bottom + index * 3 * mm, line)
    return bottom + len(lines) * 3 * mm


def render(certificate):
    """Return ("attestation-<code>.pdf", "application/pdf", bytes) for the certificate.

    A revoked certificate (even re-issued since) comes out stamped 'RÉVOQUÉE le <date>' across the page and in a
    banner: the copy served after a revocation, never stored (the frozen original is kept as issued).
    Signed (lms.core.signing), so the stored original and every copy show whether they were altered.
    """
    register_fonts()
    with override("fr"):
        filename, mimetype, data = _render(certificate)
        reason = _("Certificate of completion issued by %(body)s") % {"body": certificate.training_body_name}
        return filename, mimetype, sign_pdf(data, reason=reason, location=certificate.place_of_issue)


def _render(certificate):
    body = certificate.enrolment.training_body
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Attestation de fin de formation — {certificate.trainee_name}")
    pdf.setAuthor(certificate.training_body_name)
    pdf.setCreator("Parcours AM")
    margin = 20 * mm
    draw_stored_image(pdf, body.logo.name, margin, height - margin - 18 * mm, 40 * mm, 18 * mm)
    pdf.setFillColor(BLUE)
    _issuer(pdf, certificate, width - margin, height - margin - 4 * mm, width / 2 - margin)
    pdf.setFont("DejaVu-Bold", 20)
    pdf.drawCentredString(width / 2, height - 52 * mm, _("CERTIFICATE OF COMPLETION"))
    pdf.setFont("DejaVu", 9)
    pdf.setFillColorRGB(0.3, 0.3, 0.3)
    pdf.drawCentredString(width / 2, height - 58 * mm, _("Article L6353-1 of the French Labour Code"))
    y = height - 74 * mm
    pdf.setFillColorRGB(0, 0, 0)
    lines = [
        ("DejaVu", 11, _("The training body %(body)s certifies that") % {"body": certificate.training_body_name}),
        ("DejaVu-Bold", 15, certificate.trainee_name),
        ("DejaVu", 11, _("has followed and completed the training:")),
        ("DejaVu-Bold", 12, certificate.track_title),
    ]
    for font, size, text in lines:
        pdf.setFont(font, size)
        for part in simpleSplit(text, font, size, width - 2 * margin):
            pdf.drawCentredString(width / 2, y, part)
            y -= size * 0.5 * mm + 2.5 * mm
        y -= 2 * mm
    y -= 2 * mm
    facts = [
        (_("Nature of the training"), _("Online training (e-learning) with assessments, D6313-3-1 of the Labour Code")),
        (_("Dates"), _("from %(start)s to %(end)s") % {"start": _date(certificate.starts_on), "end": _date(certificate.ends_on)}),
        (_("Duration"), duration_text(certificate)),
        (_("Assessment results"), _("final assessment passed with %(score)s %% (pass mark %(mark)s %%)") % {
            "score": formats.number_format(certificate.final_score, decimal_pos=1), "mark": certificate.final_pass_mark}
         if certificate.final_score is not None else _("all modules and the final assessment passed")),
    ]
    for module in certificate.exempted_modules or []:
        facts.append((_("Module exempted"), exempted_text(module)))
    outcome = outcome_mention(certificate.track_outcome)
    if outcome:
        facts.append((_("What it leads to"), outcome))
    for label, value in facts:
        pdf.setFont("DejaVu-Bold", 9.5)
        pdf.drawString(margin, y, label + " :")
        pdf.setFont("DejaVu", 9.5)
        for part in simpleSplit(value, "DejaVu", 9.5, width - 2 * margin - 58 * mm):
            pdf.drawString(margin + 58 * mm, y, part)
            y -= 5 * mm
        y -= 1.5 * mm
    pdf.setFont("DejaVu-Bold", 9.5)
    pdf.drawString(margin, y, _("Objectives of the training") + " :")
    y -= 5.5 * mm
    pdf.setFont("DejaVu", 8.8)
    for objective in certificate.objectives:
        for index, part in enumerate(simpleSplit(objective, "DejaVu", 8.8, width - 2 * margin - 6 * mm)):
            pdf.drawString(margin + (2 * mm if index == 0 else 5 * mm), y, ("• " if index == 0 else "") + part)
            y -= 4.4 * mm
    # Issue, signature, verification
    base = 30 * mm
    pdf.setFont("DejaVu", 9.5)
    pdf.drawString(margin, base + 30 * mm, _("Issued at %(place)s on %(date)s") % {
        "place": certificate.place_of_issue or "—", "date": _date(legal_date(certificate.issued_at))})
    if body.signatory_name:
        pdf.drawString(margin, base + 24 * mm, f"{body.signatory_name}" + (f", {body.signatory_title}" if body.signatory_title else ""))
    draw_stored_image(pdf, body.signature.name, margin, base + 2 * mm, 50 * mm, 20 * mm)
    qr_size = 30 * mm
    _qr(pdf, verification_url(certificate.code), width - margin - qr_size, base + 6 * mm, qr_size)
    pdf.setFont("DejaVu", 7.5)
    pdf.drawRightString(width - margin, base + 1 * mm, _("Verification code: %(code)s") % {"code": certificate.code})
    pdf.drawRightString(width - margin, base - 3 * mm, verification_url(certificate.code))
    pdf.setFillColorRGB(0.35, 0.35, 0.35)
    top_of_mentions = _issuer_mentions(pdf, certificate, width, 7 * mm)
    pdf.setFont("DejaVu", 7)
    pdf.drawCentredString(width / 2, max(12 * mm, top_of_mentions + 1.5 * mm),
                          _("Scan the QR code or open the address above to check that this certificate is valid."))
    if certificate.revoked_at:
        _revoked_stamp(pdf, certificate, width, height)
    pdf.showPage()
    pdf.save()
    return f"attestation-{certificate.code}.pdf", "application/pdf", buffer.getvalue()


def _revoked_stamp(pdf, certificate, width, height):
    """'RÉVOQUÉE le <date>' in red: a banner at the top (the first text read) and a stamp across the page."""
    revoked_on = _date(legal_date(certificate.revoked_at))
    pdf.saveState()
    pdf.setFillColor(RED)
    pdf.rect(0, height - 12 * mm, width, 12 * mm, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont("DejaVu-Bold", 11)
    pdf.drawCentredString(width / 2, height - 7.5 * mm,
                          _("REVOKED on %(date)s — this certificate is no longer valid") % {"date": revoked_on})
    pdf.setFillColor(RED)
    pdf.setStrokeColor(RED)
    pdf.setFillAlpha(0.4)
    pdf.setStrokeAlpha(0.6)
    pdf.translate(width / 2, height / 2)
    pdf.rotate(35)
    word = pgettext("certificate stamp", "REVOKED")
    pdf.setFont("DejaVu-Bold", 64)
    pdf.drawCentredString(0, 4 * mm, word)
    pdf.setFont("DejaVu-Bold", 22)
    pdf.drawCentredString(0, -8 * mm, revoked_on)
    box = pdf.stringWidth(word, "DejaVu-Bold", 64) + 16 * mm
    pdf.setLineWidth(3)
    pdf.roundRect(-box / 2, -14 * mm, box, 42 * mm, 4 * mm, stroke=1, fill=0)
    pdf.restoreState()
