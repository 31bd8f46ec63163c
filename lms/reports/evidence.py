"""The employer's evidence pack for the CPAM: per assistant, a PDF dossier of the rule that applies, whether each
deadline was met, the attestation d'entrée en formation signed by the training body and the qualification once
recorded; a ZIP of every assistant's dossier for a practice.

Avenant 7 (2019), art. 9-2: the practice that receives the aid for an assistant hired without the qualification
must show that the assistant started a training within 2 years and obtained the qualification within 3. The
deadlines, the rule and what met them come from lms.deadlines (never recomputed here); this module only states
what the platform recorded. Always French, like the certificates (lms.certificates.realisation).

Contract, as for the certificates: the facts are read once into dataclasses (tested without a PDF), then drawn:
dossier_pdf(employment, today) and entry_attestation_pdf(enrolment, today) -> (filename, mimetype, bytes).
"""
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from lms.accounts.models import EntryProfile
from lms.certificates.rendering import BLUE
from lms.core.pdf import draw_stored_image, register_fonts
from lms.core.dates import legal_date
from lms.core.display import french_hours, long_date
from lms.core.signing import sign_pdf
from lms.deadlines.selectors import declarations_of_employments, employment_rows
from lms.learning.models import Enrolment, EnrolmentStatus
from lms.learning.progress import planned_end
from lms.learning.qualification import results_in_force
from lms.learning.realised import exempted_hours_of, planned_hours
from lms.organisations.identity import identity_parts, legal_identity
from lms.organisations.models import Employment, PracticeMembership

MAX_DOSSIERS = 500  # a practice's ZIP is built in memory: bounded (a practice employs a handful of assistants)

MET, MET_LATE, MISSED, PENDING, CLOSED = "met", "met_late", "missed", "pending", "closed"


@dataclass(frozen=True)
class EntryAttestation:
    """What the attestation d'entrée en formation states: the body signs that the trainee entered the track."""

    enrolment_id: int
    identity: dict
    trainee_name: str
    track_title: str
    nominal_hours: object  # the planned hours of this enrolment (lms.learning.realised.planned_hours)
    exempted_hours: object  # the nominal hours of the modules the trainee was exempted from after positioning
    starts_on: date
    planned_end: date | None
    completed_on: date | None
    signatory: str
    signature_name: str  # the body's signature image in the storage ('' without one)
    place: str
    made_on: date


@dataclass(frozen=True)
class DeadlineFact:
    """One deadline as the dossier states it: its date, and met (on which date, by what), missed, or pending."""

    label: str
    deadline: date
    state: str
    met_on: date | None
    evidence: str
    days_left: int

    @property
    def sentence(self):
        with override("fr"):
            if self.state == MET:
                return _("Met on %(date)s — %(evidence)s") % {"date": long_date(self.met_on), "evidence": self.evidence}
            if self.state == MET_LATE:
                return _("Met late, on %(date)s — %(evidence)s") % {"date": long_date(self.met_on),
                                                                     "evidence": self.evidence}
            if self.state == MISSED:
                return _("Not met: the deadline passed on %(date)s.") % {"date": long_date(self.deadline)}
            if self.state == CLOSED:
                return _("Not reached: the employment ended before this deadline.")
            return _("Pending: %(days)s days left.") % {"days": self.days_left}


@dataclass(frozen=True)
class QualificationFact:
    """A qualification result in force, as the training body recorded it."""

    track_title: str
    certification_name: str
    rncp_code: str
    certifying_body: str
    obtained_on: date
    jury_reference: str
    body_name: str


@dataclass(frozen=True)
class DeclarationFact:
    """A training start or a qualification the practice declared (with a document the platform did not verify)."""

    kind: str
    occurred_on: date
    organisation: str


@dataclass
class EvidenceFacts:
    """Everything an assistant's CPAM dossier states, read once."""

    employment_id: int
    practice_name: str
    practice_city: str
    employers: list
    trainee_name: str
    trainee_last_name: str
    trainee_first_name: str
    entry_profile: str
    hired_on: date
    ended_on: date | None
    working_time: str
    rule_name: str
    rule_source: str
    status: str
    deadlines: list  # [DeadlineFact]: to start a training, to obtain the qualification
    made_on: date
    attestations: list = field(default_factory=list)
    qualifications: list = field(default_factory=list)
    declarations: list = field(default_factory=list)


def _signatory(body):
    return body.signatory_name + (f", {body.signatory_title}" if body.signatory_name and body.signatory_title else "")


def has_entered(enrolment, today):
    """Training entered as lms.deadlines counts it: an enrolment not withdrawn whose start date has come."""
    return enrolment.status != EnrolmentStatus.WITHDRAWN and enrolment.starts_on <= today


def _attestation(enrolment, today, exempted, seen=None):
    """The facts of an enrolment's attestation d'entrée (select_related track, training_body, trainee, cohort);
    `exempted`: {enrolment id: hours of its confirmed exemptions} (lms.learning.realised.exempted_hours_of).

    `seen`: the enrolment as the practice of an employment sees it (lms.deadlines.selectors.seen_until): a former
    employer does not learn of a completion after the employment ended.
    """
    body, track = enrolment.training_body, enrolment.track
    ends = planned_end(starts_on=enrolment.starts_on, duration_value=track.duration_value,
                       duration_unit=track.duration_unit,
                       cohort_ends_on=enrolment.cohort.ends_on if enrolment.cohort_id else None)
    state = seen or enrolment
    completed = (legal_date(state.completed_at)
                 if state.status == EnrolmentStatus.COMPLETED and state.completed_at else None)
    return EntryAttestation(
        enrolment_id=enrolment.pk, identity=legal_identity(body),
        trainee_name=enrolment.trainee.get_full_name() or enrolment.trainee.email, track_title=track.title,
        nominal_hours=planned_hours(track.nominal_hours, exempted.get(enrolment.pk)),
        exempted_hours=exempted.get(enrolment.pk, Decimal(0)), starts_on=enrolment.starts_on, planned_end=ends, completed_on=completed,
        signatory=_signatory(body), signature_name=body.signature.name if body.signature else "", place=body.city,
        made_on=today)


def entry_attestation(enrolment, today):
    """The attestation d'entrée of one enrolment, or None when the training has not been entered."""
    if not has_entered(enrolment, today):
        return None
    return _attestation(enrolment, today, exempted_hours_of([enrolment.pk]))


def _deadline_fact(label, deadline, met_on, days_left, evidence, ended_on, today):
    if met_on is not None:
        state = MET_LATE if met_on > deadline else MET
    elif ended_on is not None and ended_on < deadline and ended_on < today:
        state = CLOSED
    elif today > deadline:
        state = MISSED
    else:
        state = PENDING
    return DeadlineFact(str(label), deadline, state, met_on, evidence if met_on is not None else "", days_left)


def evidence_facts_many(employments, today):
    """The dossier facts of the employments of a queryset, in a constant number of queries whatever their number."""
    employments = employments.select_related("practice", "trainee", "trainee__trainee_profile")
    rows = employment_rows(employments, today, with_progress=False)
    enrolment_ids = {e.id for row in rows for e in row.enrolments}
    enrolments = {e.pk: e for e in Enrolment.objects.filter(pk__in=enrolment_ids)
                  .select_related("track", "training_body", "trainee", "cohort")}
    qualified_ids = {e.id for row in rows for e in row.enrolments if e.qualified_on}
    results = {}
    for result in results_in_force().filter(enrolment_id__in=qualified_ids).order_by("obtained_on", "pk"):
        results.setdefault(result.enrolment_id, result)
    declarations = declarations_of_employments([row.employment.pk for row in rows])
    exempted = exempted_hours_of(list(enrolment_ids))
    employers = defaultdict(list)
    for membership in (PracticeMembership.objects.filter(practice_id__in={row.employment.practice_id for row in rows})
                       .select_related("user").order_by("user__last_name", "user__first_name", "pk")):
        employers[membership.practice_id].append(membership.user.get_full_name() or membership.user.email)
    with override("fr"):
        return [_facts(row, enrolments, results, declarations[row.employment.pk], employers, exempted, today)
                for row in rows]


def _facts(row, enrolments, results, declarations, employers, exempted, today):
    employment, trainee, d = row.employment, row.trainee, row.deadline
    profile = getattr(getattr(trainee, "trainee_profile", None), "entry_profile", "")
    seen = {e.id: e for e in row.enrolments if e.id in enrolments and has_entered(enrolments[e.id], today)}
    entered = [enrolments[pk] for pk in seen]
    qualifications = []
    for e in row.enrolments:
        result = results.get(e.id) if e.qualified_on else None
        if result is not None:
            enrolment = enrolments[e.id]
            qualifications.append(QualificationFact(
                enrolment.track.title, enrolment.track.certification_name, enrolment.track.rncp_code,
                enrolment.track.certifying_body, result.obtained_on, result.jury_reference,
                enrolment.training_body.name))
    # What met each deadline: a training entered on the platform or declared; a result recorded or declared.
    if d.enrolment_met_on is not None and d.enrolment_met_on == row.training_started_on and not \
            row.training_started_declared:
        started = next((a for a in entered if a.starts_on == row.training_started_on), None)
        start_evidence = _("entry into the training \u201c%(track)s\u201d (attestation enclosed)") % {
            "track": started.track.title if started else row.track_title}
    elif d.enrolment_met_on is not None and d.enrolment_met_on == row.training_started_on:
        start_evidence = _("training start declared by the practice (document not verified by the platform)")
    else:
        start_evidence = _("qualification obtained")
    if row.qualified_declared:
        qualification_evidence = _("qualification declared by the practice (document not verified by the platform)")
    else:
        qualification_evidence = _("result recorded by the training body (see the qualification page)")
    deadlines = [
        _deadline_fact(_("Deadline to start a training"), d.enrolment_deadline, d.enrolment_met_on,
                       d.enrolment_days_left, start_evidence, employment.ended_on, today),
        _deadline_fact(_("Deadline to obtain the qualification"), d.qualification_deadline, d.qualification_met_on,
                       d.qualification_days_left, qualification_evidence, employment.ended_on, today),
    ]
    return EvidenceFacts(
        employment_id=employment.pk, practice_name=employment.practice.name, practice_city=employment.practice.city,
        employers=employers.get(employment.practice_id, []),
        trainee_name=trainee.get_full_name() or trainee.email, trainee_last_name=trainee.last_name,
        trainee_first_name=trainee.first_name,
        entry_profile=str(EntryProfile(profile).label) if profile in EntryProfile.values else "",
        hired_on=employment.hired_on, ended_on=employment.ended_on,
        working_time=str(employment.get_working_time_display()), rule_name=d.rule_name, rule_source=d.rule_source,
        status=str(d.label), deadlines=deadlines, made_on=today,
        attestations=[_attestation(enrolment, today, exempted, seen[enrolment.pk]) for enrolment in entered],
        qualifications=qualifications,
        declarations=[DeclarationFact(str(x.get_kind_display()), x.occurred_on, x.organisation) for x in declarations])


def evidence_facts(employment, today):
    """The dossier facts of one employment."""
    return evidence_facts_many(Employment.objects.filter(pk=employment.pk), today)[0]


# --- Drawing -------------------------------------------------------------------------------------------------

class _Page:
    """A canvas with a cursor: lines wrap, a new page starts when the cursor reaches the foot."""

    margin = 20 * mm

    def __init__(self, pdf, footer):
        self.pdf, self.footer = pdf, footer
        self.width, self.height = A4
        self.y = self.height - self.margin

    def finish(self):
        self.pdf.setFont("DejaVu", 7)
        self.pdf.setFillColorRGB(0.35, 0.35, 0.35)
        self.pdf.drawCentredString(self.width / 2, 10 * mm, self.footer)
        self.pdf.setFillColorRGB(0, 0, 0)
        self.pdf.showPage()
        self.y = self.height - self.margin

    def need(self, height):
        if self.y - height < 22 * mm:
            self.finish()

    def text(self, text, font="DejaVu", size=10, indent=0, after=1.5 * mm, colour=None):
        lines = simpleSplit(text, font, size, self.width - 2 * self.margin - indent)
        self.need(len(lines) * size * 0.5 * mm)
        if colour is not None:
            self.pdf.setFillColor(colour)
        self.pdf.setFont(font, size)
        for line in lines:
            self.pdf.drawString(self.margin + indent, self.y, line)
            self.y -= size * 0.5 * mm
        self.pdf.setFillColorRGB(0, 0, 0)
        self.y -= after

    def heading(self, text, size=12):
        self.y -= 3 * mm
        self.text(text, "DejaVu-Bold", size, colour=BLUE, after=2 * mm)

    def fact(self, label, value):
        self.text(f"{label} : {value}", indent=2 * mm, after=0.8 * mm)


def _draw_attestation(page, attestation):
    """One page: the attestation d'entrée en formation, with the body's identity, signatory and signature."""
    pdf = page.pdf
    heading, mentions = identity_parts(attestation.identity)
    page.text(heading[0] if heading else "", "DejaVu-Bold", 10, colour=BLUE, after=0.5 * mm)
    for line in heading[1:] + mentions:
        page.text(line, size=8, after=0.3 * mm)
    page.y -= 8 * mm
    pdf.setFont("DejaVu-Bold", 17)
    pdf.drawCentredString(page.width / 2, page.y, _("Attestation of entry into training"))
    page.y -= 12 * mm
    name = attestation.identity.get("legal_name") or attestation.identity.get("name", "")
    page.text(_("I, the undersigned, %(signatory)s, for the training body %(body)s, certify that:") % {
        "signatory": attestation.signatory or "……………………", "body": name}, after=3 * mm)
    page.text(attestation.trainee_name, "DejaVu-Bold", 12, after=3 * mm)
    page.text(_("entered the training: %(track)s") % {"track": attestation.track_title}, "DejaVu-Bold", after=4 * mm)
    page.fact(_("Nature of the training"), _("distance training with assessments (Labour Code, D6313-3-1)"))
    page.fact(_("Date of entry into training"), long_date(attestation.starts_on))
    if attestation.planned_end:
        page.fact(_("Planned end"), long_date(attestation.planned_end))
    page.fact(_("Planned duration"), french_hours(attestation.nominal_hours, decimals=0))
    if attestation.exempted_hours:
        page.fact(_("Modules exempted after positioning (hours deducted)"), french_hours(attestation.exempted_hours, decimals=0))
    if attestation.completed_on:
        page.fact(_("Training completed on"), long_date(attestation.completed_on))
    page.y -= 3 * mm
    page.text(_("The date of entry is the start date of the enrolment, from which the platform counts the training as "
                "started for the deadlines of the medical assistant (avenant 7 of 2019, art. 9-2)."), size=8.5)
    page.y -= 6 * mm
    page.need(45 * mm)
    page.text(_("Made at %(place)s, on %(date)s") % {"place": attestation.place or "……………………",
                                                     "date": long_date(attestation.made_on)})
    page.text(_("Signature of the head of the training body:"))
    if attestation.signatory:
        page.text(attestation.signatory)
    if attestation.signature_name:
        draw_stored_image(pdf, attestation.signature_name, page.margin, page.y - 24 * mm, 50 * mm, 22 * mm)
    page.y -= 26 * mm


def _draw_dossier(page, facts):
    pdf = page.pdf
    pdf.setFont("DejaVu-Bold", 17)
    pdf.drawCentredString(page.width / 2, page.y, _("Dossier for the CPAM — medical assistant"))
    page.y -= 6 * mm
    pdf.setFont("DejaVu", 8.5)
    pdf.drawCentredString(page.width / 2, page.y, _("Training and qualification of an assistant hired with the aid "
                                                     "(avenant 7 of 2019, art. 9-2)"))
    page.y -= 8 * mm
    page.heading(_("Employer"))
    page.fact(_("Practice"), facts.practice_name + (f", {facts.practice_city}" if facts.practice_city else ""))
    if facts.employers:
        page.fact(_("Employing doctors"), ", ".join(facts.employers))
    page.heading(_("Assistant"))
    page.fact(_("Name"), facts.trainee_name)
    page.fact(_("Entry profile"), facts.entry_profile or "—")
    page.fact(_("Hire date"), long_date(facts.hired_on))
    page.fact(_("Working time"), facts.working_time)
    if facts.ended_on:
        page.fact(_("End of employment"), long_date(facts.ended_on))
    page.heading(_("Rule that applies"))
    page.fact(_("Rule"), facts.rule_name)
    page.fact(_("Legal source"), facts.rule_source)
    page.text(_("The deadlines are counted from the hire date."), size=8.5, indent=2 * mm)
    page.heading(_("Deadlines"))
    for deadline in facts.deadlines:
        page.text(f"{deadline.label} : {long_date(deadline.deadline)}", "DejaVu-Bold", indent=2 * mm, after=0.8 * mm)
        page.text(deadline.sentence, indent=6 * mm, after=2 * mm)
    page.fact(_("Status on %(date)s") % {"date": long_date(facts.made_on)}, facts.status)
    if facts.declarations:
        page.heading(_("Declared by the practice"))
        page.text(_("Training followed outside the platform, as the practice declared it with a supporting document; "
                    "the platform did not verify it."), size=8.5, indent=2 * mm)
        for declaration in facts.declarations:
            page.text(f"• {declaration.kind} — {long_date(declaration.occurred_on)} — {declaration.organisation}",
                      indent=4 * mm, after=0.8 * mm)
    if not facts.attestations:
        page.heading(_("Entry into training"))
        page.text(_("Entry into training not recorded on the platform."), indent=2 * mm)
    page.heading(_("Qualification"))
    if facts.qualifications:
        for q in facts.qualifications:
            page.fact(_("Certification"), q.certification_name + (f" ({q.rncp_code})" if q.rncp_code else "")
                      + (_(", awarded by %(body)s") % {"body": q.certifying_body} if q.certifying_body else ""))
            page.fact(_("Date obtained"), long_date(q.obtained_on))
            page.fact(_("Jury reference"), q.jury_reference)
            page.fact(_("Track followed"), f"{q.track_title} — {q.body_name}")
            page.y -= 2 * mm
    else:
        page.text(_("Qualification not recorded yet."), indent=2 * mm)
    for attestation in facts.attestations:
        page.finish()
        _draw_attestation(page, attestation)


def _canvas(buffer, title):
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    pdf.setCreator("Parcours AM")
    return pdf


def _render(title, made_on, draw, item, *, reason, location):
    """A document of the pack as signed PDF bytes: a page per `draw(page, item)`, footed with the day it was made."""
    buffer = io.BytesIO()
    pdf = _canvas(buffer, title)
    page = _Page(pdf, _("Made by the Parcours AM platform on %(date)s from its records.") % {
        "date": long_date(made_on)})
    draw(page, item)
    page.finish()
    pdf.save()
    return sign_pdf(buffer.getvalue(), reason=reason, location=location)


def render_dossier(facts):
    """The dossier's PDF bytes."""
    register_fonts()
    with override("fr"):
        return _render(_("Dossier for the CPAM — %(name)s") % {"name": facts.trainee_name}, facts.made_on,
                       _draw_dossier, facts, reason=_("Dossier made by the platform from its records"),
                       location=facts.practice_city)


def render_attestation(attestation):
    """The attestation d'entrée alone, as PDF bytes."""
    register_fonts()
    with override("fr"):
        body = attestation.identity.get("legal_name") or attestation.identity.get("name", "")
        return _render(_("Attestation of entry into training — %(name)s") % {"name": attestation.trainee_name},
                       attestation.made_on, _draw_attestation, attestation,
                       reason=_("Attestation certified by %(body)s") % {"body": body}, location=attestation.place)


def safe_name(text):
    """ASCII letters, digits and dashes only: a file name every system and every ZIP tool accepts."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60] or "assistant"


def dossier_filename(facts):
    return f"dossier-cpam-{safe_name(f'{facts.trainee_last_name} {facts.trainee_first_name}')}-{facts.employment_id}.pdf"


def dossier_pdf(employment, today):
    """Return (filename, "application/pdf", bytes) for one employment."""
    facts = evidence_facts(employment, today)
    return dossier_filename(facts), "application/pdf", render_dossier(facts)


def entry_attestation_pdf(enrolment, today):
    """Return (filename, "application/pdf", bytes), or None when the training has not been entered."""
    attestation = entry_attestation(enrolment, today)
    if attestation is None:
        return None
    return f"attestation-entree-{enrolment.pk}.pdf", "application/pdf", render_attestation(attestation)


def dossiers_zip(employments, today):
    """One dossier PDF per employment of the queryset (at most MAX_DOSSIERS), in a ZIP built in memory."""
    buffer = io.BytesIO()
    ids = list(employments.values_list("pk", flat=True)[:MAX_DOSSIERS])
    facts_list = sorted(evidence_facts_many(Employment.objects.filter(pk__in=ids), today),
                        key=dossier_filename)  # by name, accents aside
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for facts in facts_list:
            archive.writestr(dossier_filename(facts), render_dossier(facts))
    return buffer.getvalue()
