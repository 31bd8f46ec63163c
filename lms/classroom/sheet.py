"""The sign-in sheet of a séance as a PDF: render(session) -> (filename, mimetype, bytes), always in French.

The body's identity, the cohort, the track, the date, half-day, times, place or link, the trainer; one line per
trainee with their electronic signature (date and time) or absence; the trainer's signature."""
import io
from html import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from lms.classroom.models import PresenceStatus
from lms.classroom.selectors import sheet_lines
from lms.core.dates import LEGAL_TIME_ZONE
from lms.core.display import long_date
from lms.core.pdf import register_fonts
from lms.core.signing import sign_pdf
from lms.organisations.identity import identity_lines, legal_identity

def signed_text(moment):
    """'Signé électroniquement le 3 février 2026 à 09:12' (French legal time)."""
    local = timezone.localtime(moment, LEGAL_TIME_ZONE)
    return _("Signed electronically on %(date)s at %(time)s") % {"date": long_date(local.date()),
                                                                 "time": local.strftime("%H:%M")}


def presence_text(presence):
    if presence is None:
        return _("Not signed")
    if presence.status == PresenceStatus.PRESENT:
        return signed_text(presence.signed_at)
    if presence.status == PresenceStatus.EXCUSED:
        return _("Excused absence") + (f" ({presence.reason})" if presence.reason else "")
    return _("Absent")


def sheet_pdf(session):
    register_fonts()
    with override("fr"):
        cohort, body = session.cohort, session.cohort.training_body
        normal = ParagraphStyle("n", fontName="DejaVu", fontSize=9, leading=12)
        bold = ParagraphStyle("b", fontName="DejaVu-Bold", fontSize=9, leading=12)
        heading = ParagraphStyle("h", fontName="DejaVu-Bold", fontSize=14, leading=18, spaceAfter=6)
        where = (session.place if session.kind == "in_person" else f"{_('Virtual class')} : {session.video_url}")
        lines = [
            (_("Training body"), "<br/>".join(escape(line) for line in identity_lines(legal_identity(body)))),
            (_("Cohort"), escape(cohort.name)),
            (_("Track"), escape(cohort.track.title)),
            (_("Class session"), escape(session.title)),
            (_("Date"), escape(f"{long_date(session.date)}, {session.get_half_day_display().lower()}")),
            (_("Times"), f"{session.starts_at:%H:%M} – {session.ends_at:%H:%M}"),
            (_("Hours"), escape(f"{session.hours:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " h")),
            (_("Place"), escape(where)),
            (_("Trainer"), escape(session.trainer.get_full_name() or session.trainer.email)),
        ]
        story = [Paragraph(escape(_("Sign-in sheet")), heading)]
        story += [Paragraph(f"<b>{escape(str(label))}</b> : {value}", normal) for label, value in lines]
        story.append(Spacer(1, 5 * mm))
        rows = [[Paragraph(escape(_("Trainee")), bold), Paragraph(escape(_("Signature")), bold)]]
        for enrolment, presence in sheet_lines(session):
            rows.append([Paragraph(escape(enrolment.trainee.get_full_name() or enrolment.trainee.email), normal),
                         Paragraph(escape(presence_text(presence)), normal)])
        table = Table(rows, colWidths=[70 * mm, 110 * mm], repeatRows=1)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf8")),
                                   ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [table, Spacer(1, 6 * mm)]
        signature = getattr(session, "trainer_signature", None)
        trainer = escape(session.trainer.get_full_name() or session.trainer.email)
        story.append(Paragraph(f"<b>{escape(_('Trainer signature'))}</b> : {trainer} — "
                               + escape(signed_text(signature.signed_at) if signature else _("Not signed")), normal))
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(escape(_(
            "Electronic signatures: each person signed from their own account on the platform, after logging in; "
            "the date and time of each signature are recorded with a fingerprint (SHA-256).")), normal))
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                bottomMargin=15 * mm, title=_("Sign-in sheet"))
        doc.build(story)
        # Signed for the body (lms.core.signing): a copy altered after download shows as such in any PDF reader.
        signed = sign_pdf(buffer.getvalue(), reason=_("Sign-in sheet certified by %(body)s") % {"body": body.name},
                          location=body.city)
        return f"emargement-seance-{session.pk}.pdf", "application/pdf", signed
