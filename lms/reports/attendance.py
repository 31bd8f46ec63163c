"""The relevé de connexions et d'activité of a trainee (one enrolment), and its cohort summary: the evidence a
funder or an auditor asks for (Code du travail D6313-3-1: any probative element — platform extracts, connection
logs, assessments).

Per enrolment: sessions (login, last activity, wall-clock length, active time, the enrolment they belong to), time
per module and per lesson against what was planned, quiz attempts (start, end, active time, score), the totals of
realised against planned time (lms.learning.realised: THE realised duration), and the body's certification block.
Numbers the French way ("7,0 h"). Each part is built by one small function and drawn by one small function, so that
a section can be added (or another engineer's) without touching the others.
"""
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import NamedTuple

from django.core.files.storage import default_storage
from django.db.models import Prefetch, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from lms.catalog.models import ModulePage
from lms.classroom.selectors import presences_for_record
from lms.core.pdf import register_fonts
from lms.scorm.selectors import attempts_of as scorm_attempts_of
from lms.core.signing import sign_pdf
from lms.core.dates import LEGAL_TIME_ZONE, legal_date, legal_day
from lms.core.display import french_hours, french_number, long_date
from lms.core.exports import csv_bytes
from lms.learning.attendance import settle
from lms.learning.models import LessonCompletion, LessonTime, SessionEnrolmentTime, StudySession
from lms.learning.realised import realised_durations, seconds_to_hours
from lms.learning.selectors import done_items_of, exemptions_confirmed, track_structure
from lms.quizzes.positioning import positioning_summary
from lms.organisations.identity import identity_lines, legal_identity
from lms.quizzes.models import Attempt
from lms.support.selectors import exchanges_for_record


class ModuleRow(NamedTuple):
    title: str
    planned_hours: Decimal  # the module's nominal hours
    realised_seconds: int  # active time on its lessons and its quiz
    lessons_done: int
    lessons: int
    exempted_on: object = None  # the day a tutor confirmed the module's exemption after the positioning test


class LessonRow(NamedTuple):
    module: str
    title: str
    planned_minutes: int  # the lesson's estimated time
    realised_seconds: int
    completed_at: object


@dataclass
class Certification:
    """Who certifies the record for the body, and when (the signature goes on the printed line)."""

    body_name: str
    signatory: str
    title: str
    place: str
    on: object


@dataclass
class AttendanceRecord:
    enrolment: object
    structure: object
    sessions: list  # StudySession with .enrolment_seconds and .enrolment_label (see record_sessions)
    modules: list  # ModuleRow
    lessons: list  # LessonRow
    attempts: list  # Attempt
    period: tuple
    generated_at: object
    realised: object = None  # lms.learning.realised.RealisedDuration
    certification: Certification = None
    extra_sections: list = field(default_factory=list)  # (title, header, rows) added by other report parts


def hms(seconds):
    seconds = int(seconds or 0)
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def hours(seconds):
    """Seconds as French decimal hours: 25 200 -> '7,0 h'."""
    return french_hours(seconds_to_hours(seconds))


# --- Building the record, part by part --------------------------------------------------------------------------

def enrolment_label(enrolment, track_title):
    return _("%(track)s (enrolment no. %(number)s)") % {"track": track_title, "number": enrolment.pk}


def record_sessions(enrolment, track_title):
    """The trainee's login sessions since the start of the enrolment that belong to it.

    A session belongs to the enrolment when heartbeats of its lessons or attempts were counted in it
    (SessionEnrolmentTime, written as beats settle): its active time for this enrolment is shown beside the
    session's whole active time. A session with no measured activity at all (a login, nothing opened) is listed
    too, as a connection. A session whose activity went only to the trainee's other enrolments is not listed;
    a session settled before sessions were tied to enrolments is listed as 'not attributed'.
    """
    times = Prefetch("enrolment_times", queryset=SessionEnrolmentTime.objects.only("session_id", "enrolment_id",
                                                                                  "active_seconds"))
    # Compared as days in Paris by the database: no datetime built from a stored date, whatever its year.
    sessions = (StudySession.objects.alias(last_day=legal_day("last_activity_at"))
                .filter(user_id=enrolment.trainee_id, last_day__gte=enrolment.starts_on)
                .prefetch_related(times).order_by("started_at"))
    mine, label = [], enrolment_label(enrolment, track_title)
    for session in sessions:
        rows = list(session.enrolment_times.all())
        own = next((row for row in rows if row.enrolment_id == enrolment.pk), None)
        if own is not None:
            session.enrolment_seconds, session.enrolment_label = own.active_seconds, label
        elif rows:
            continue  # another enrolment's session
        elif session.active_seconds:
            session.enrolment_seconds, session.enrolment_label = None, _("not attributed (recorded before sessions "
                                                                        "were tied to enrolments)")
        else:
            session.enrolment_seconds, session.enrolment_label = 0, _("connection without measured activity")
        mine.append(session)
    return mine


def record_modules_and_lessons(enrolment, structure):
    """(ModuleRows, LessonRows): realised time against planned, per module (its lessons and quiz) and lesson."""
    times = {t.lesson_id: t.active_seconds for t in LessonTime.objects.filter(enrolment=enrolment)}
    quiz_times = dict(Attempt.objects.filter(enrolment=enrolment).values("quiz_id").annotate(seconds=Sum("active_seconds"))
                      .values_list("quiz_id", "seconds"))
    done = dict(LessonCompletion.objects.filter(enrolment=enrolment).values_list("lesson_id", "completed_at"))
    planned = dict(ModulePage.objects.filter(pk__in=[m.id for m in structure.modules])
                   .values_list("id", "nominal_hours"))
    exempted = {e.module_id: legal_date(e.decided_at) for e in exemptions_confirmed(enrolment.pk)}
    modules, lessons = [], []
    for module in structure.modules:
        active = sum(times.get(lesson.id, 0) for lesson in module.lessons) + (
            quiz_times.get(module.quiz.id, 0) if module.quiz else 0)
        modules.append(ModuleRow(module.title, planned.get(module.id) or Decimal(0), active,
                                 sum(1 for lesson in module.lessons if lesson.id in done), len(module.lessons),
                                 exempted.get(module.id)))
        for lesson in module.lessons:
            lessons.append(LessonRow(module.title, lesson.title, lesson.duration_minutes, times.get(lesson.id, 0),
                                     done.get(lesson.id)))
    return modules, lessons


def record_attempts(enrolment):
    """Every attempt at the track's quizzes, in the order they were started (in progress ones too: time spent)."""
    return list(Attempt.objects.filter(enrolment=enrolment).select_related("quiz").order_by("started_at", "pk"))


def record_certification(enrolment, now):
    body = enrolment.training_body
    return Certification(body_name=body.legal_name or body.name, signatory=body.signatory_name,
                         title=body.signatory_title, place=body.city, on=legal_date(now))


def attendance_record(enrolment, now=None):
    now = now or timezone.now()
    settle([enrolment.trainee_id])  # the heartbeats logged since the last settlement count in the record
    structure = track_structure(enrolment.track_id)
    modules, lessons = record_modules_and_lessons(enrolment, structure)
    end = enrolment.completed_at or now
    return AttendanceRecord(
        enrolment, structure, record_sessions(enrolment, structure.title), modules, lessons, record_attempts(enrolment),
        (enrolment.starts_on, legal_date(end)), now,
        realised=realised_durations([enrolment], settle_first=False)[enrolment.pk],
        certification=record_certification(enrolment, now),
        extra_sections=positioning_sections(enrolment, structure))


# --- Rows shared by the CSV and the PDF -------------------------------------------------------------------------

def _dt(value):
    return formats.date_format(timezone.localtime(value, LEGAL_TIME_ZONE), "d/m/Y H:i") if value else ""


def trainee_contact(trainee):
    """The trainee's email address, or when the account was erased the date it was (the record keeps the name:
    lms.reports.personal_data)."""
    if trainee.erased_at:
        return _("account deleted on %(date)s") % {"date": long_date(legal_date(trainee.erased_at))}
    return trainee.email


def session_table(record):
    header = [_("Login"), _("End (last activity)"), _("Length"), _("Active time"), _("Enrolment"),
              _("Active time for this enrolment")]
    rows = [[_dt(s.started_at), _dt(s.last_activity_at), hms((s.last_activity_at - s.started_at).total_seconds()),
             hms(s.active_seconds), s.enrolment_label,
             hms(s.enrolment_seconds) if s.enrolment_seconds is not None else "—"] for s in record.sessions]
    return header, rows


def module_table(record, numbers=False):
    """Per module: planned and realised hours ('7,0 h' in the PDF; 7,0 as a number in the CSV)."""
    header = [_("Module"), _("Planned (h)"), _("Realised (h)"), _("Active time"), _("Lessons done")]
    fmt = (lambda h: h) if numbers else french_hours
    rows = [[m.title, fmt(Decimal(m.planned_hours).quantize(Decimal("0.1"))), fmt(seconds_to_hours(m.realised_seconds)),
             hms(m.realised_seconds), _("exempted on %(date)s") % {"date": long_date(m.exempted_on)} if m.exempted_on
             else f"{m.lessons_done}/{m.lessons}"] for m in record.modules]
    return header, rows


def lesson_table(record):
    header = [_("Module"), _("Lesson"), _("Planned (min)"), _("Active time"), _("Done on")]
    rows = [[lesson.module, lesson.title, lesson.planned_minutes, hms(lesson.realised_seconds), _dt(lesson.completed_at)]
            for lesson in record.lessons]
    return header, rows


def attempt_table(record):
    header = [_("Assessment"), _("Attempt"), _("Started"), _("Submitted"), _("Active time"), _("Score (%)"),
              _("Result")]
    rows = [[a.quiz.title, a.number, _dt(a.started_at), _dt(a.submitted_at) or _("in progress"), hms(a.active_seconds),
             french_number(a.percent) if a.percent is not None else "—",
             (_("Passed") if a.passed else _("Failed")) if a.submitted_at else "—"] for a in record.attempts]
    return header, rows


def totals_table(record, numbers=False):
    """Realised time by source, its total, the planned hours and the share realised."""
    realised, fmt = record.realised, (lambda h: h) if numbers else french_hours
    rows = [[label, fmt(seconds_to_hours(seconds))] for label, seconds in realised.rows]
    rows.append([_("Total realised"), fmt(realised.hours)])
    if realised.exempted_hours:
        rows.append([_("Modules exempted after positioning (hours deducted)"),
                     fmt(Decimal(realised.exempted_hours).quantize(Decimal("0.1")))])
    rows.append([_("Planned (nominal hours of the track)"), fmt(Decimal(realised.nominal_hours).quantize(Decimal("0.1")))])
    share = realised.share
    rows.append([_("Share realised"), f"{french_number(share)} %" if share is not None else "—"])
    if realised.min_share:
        rows.append([_("Share required before completion"), f"{realised.min_share} %"])
    return [_("Realised against planned"), _("Hours")], rows


def class_session_table(record):
    """The séances of the trainee's cohort on which they signed or were marked absent (lms.classroom)."""
    header = [_("Date"), _("Times"), _("Kind"), _("Hours"), _("Topic"), _("Signature")]
    rows = []
    for presence in presences_for_record(record.enrolment):
        s = presence.session
        if presence.status == "present":
            signature = _("Signed electronically on %(when)s") % {"when": _dt(presence.signed_at)}
        else:
            signature = presence.get_status_display()
        rows.append([s.date.strftime("%d/%m/%Y"), f"{s.starts_at:%H:%M} – {s.ends_at:%H:%M}", s.get_kind_display(),
                     french_hours(s.hours), s.title, signature])
    return header, rows


def scorm_table(record):
    """The SCORM lessons the trainee opened (issue 18, point 1): the status and score their SCO reported, the time
    of its sessions (counted in the realised duration) and when the lesson was done."""
    header = [_("Lesson"), _("Status"), _("Score"), _("Time"), _("Done on")]
    rows = [[attempt.lesson.title, str(attempt.status_label),
             french_number(attempt.score_raw) if attempt.score_raw is not None else "—", hms(attempt.seconds),
             _dt(attempt.completed_at)]
            for attempt in scorm_attempts_of([record.enrolment.pk]).get(record.enrolment.pk, [])]
    return header, rows


def certification_lines(record):
    """The certification block, in French: who certifies, for which body, where and when, and the signature line."""
    c = record.certification
    who = c.signatory + (f", {c.title}" if c.signatory and c.title else "")
    return [
        _("Certified accurate by the training body %(body)s, from the records of the Parcours AM platform.")
        % {"body": c.body_name},
        _("Signatory: %(who)s") % {"who": who or "……………………"},
        _("At %(place)s, on %(date)s") % {"place": c.place or "……………………", "date": long_date(c.on)},
        _("Signature:") + " ______________________________",
    ]


def heading_rows(record):
    e = record.enrolment
    return [
        [_("Training body"), *identity_lines(legal_identity(e.training_body))],
        [_("Trainee"), e.trainee.get_full_name(), trainee_contact(e.trainee)],
        [_("Track"), record.structure.title],
        [_("Enrolment"), enrolment_label(e, record.structure.title)],
        [_("Period"), record.period[0].strftime("%d/%m/%Y"), record.period[1].strftime("%d/%m/%Y")],
        [_("Generated by the Parcours AM platform on"), _dt(record.generated_at)],
    ]


def _sections(record, numbers):
    """(title, header, rows) of every table of the record, in order."""
    return [
        (_("Sessions"), *session_table(record)),
        (_("Time per module"), *module_table(record, numbers)),
        (_("Time per lesson"), *lesson_table(record)),
        (_("Assessments"), *attempt_table(record)),
        (_("SCORM activities"), *scorm_table(record)),  # issue 18, point 1
        (_("Questions to the tutors"), *support_table(record)),  # issue 15, point 6: the assistance given
        (_("Class sessions (in person or virtual class)"), *class_session_table(record)),  # issue 17, point 3
        *record.extra_sections,
        (_("Realised against planned"), *totals_table(record, numbers)),
    ]


def positioning_sections(enrolment, structure):
    """The positioning test's result (Qualiopi indicator 8) as a section of the record: the score per module and
    the tutor's decision on each proposed exemption, with its date and reason. None without a positioning test."""
    summary = positioning_summary(enrolment, structure)
    if summary is None:
        return []
    header = [_("Module"), _("Score (%)"), _("Exemption"), _("Decided on"), _("Reason")]
    if not summary.submitted:
        return [(_("Positioning test"), header, [[_("Not taken"), "", "", "", ""]])]
    rows = []
    for row in summary.rows:
        e = row["exemption"]
        status = e.get_status_display() if e else _("Not proposed")
        rows.append([row["score"].title, french_number(row["score"].percent), status,
                     long_date(legal_date(e.decided_at)) if e and e.decided_at else "—", (e.reason if e else "") or "—"])
    title = _("Positioning test taken on %(date)s") % {"date": long_date(legal_date(summary.attempt.submitted_at))}
    return [(title, header, rows)]


# --- CSV -------------------------------------------------------------------------------------------------------

def record_csv(record):
    """The record as CSV for French spreadsheets (lms.core.exports: ';', formulas neutralised, decimal comma)."""
    with override("fr"):
        rows = heading_rows(record)
        for title, header, table_rows in _sections(record, numbers=True):
            rows += [[], [title], header, *table_rows]
        rows += [[], [_("Certification")], *([line] for line in certification_lines(record))]
        return csv_bytes([_("Record of connections and activity")], rows)


# --- PDF -------------------------------------------------------------------------------------------------------

def _pdf_styles():
    return {"normal": ParagraphStyle("n", fontName="DejaVu", fontSize=8, leading=10),
            "heading": ParagraphStyle("h", fontName="DejaVu-Bold", fontSize=13, leading=16, spaceAfter=4),
            "sub": ParagraphStyle("s", fontName="DejaVu-Bold", fontSize=10, leading=13, spaceBefore=8, spaceAfter=3)}


def _pdf_table(header, rows, widths, style):
    def cell(value):
        return Paragraph(escape(str(value)), style)

    data = [[cell(c) for c in header]] + ([[cell(c) for c in row] for row in rows] or [["—"] + [""] * (len(header) - 1)])
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf8")),
                               ("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


# Column widths (mm) of each section by its number of columns; 180 mm of usable width.
WIDTHS = {2: [120, 60], 5: [60, 25, 25, 30, 40], 6: [28, 28, 22, 22, 50, 30], 7: [42, 18, 26, 26, 24, 20, 24]}


def _pdf_heading(record, styles):
    e, normal = record.enrolment, styles["normal"]
    identity = "<br/>".join(escape(line) for line in identity_lines(legal_identity(e.training_body)))
    return [Paragraph(_("Record of connections and activity"), styles["heading"]),
            Paragraph(f"{_('Training body')} : {identity}", normal),
            Paragraph(escape(f"{_('Trainee')} : {e.trainee.get_full_name()} ({trainee_contact(e.trainee)})"), normal),
            Paragraph(escape(f"{_('Track')} : {record.structure.title}"), normal),
            Paragraph(escape(f"{_('Enrolment')} : {enrolment_label(e, record.structure.title)}"), normal),
            Paragraph(f"{_('Period')} : {record.period[0]:%d/%m/%Y} — {record.period[1]:%d/%m/%Y}", normal),
            Paragraph(f"{_('Generated by the Parcours AM platform on')} {_dt(record.generated_at)}", normal)]


def _pdf_certification(record, styles):
    parts = [Paragraph(_("Certification"), styles["sub"])]
    parts += [Paragraph(escape(line), styles["normal"]) for line in certification_lines(record)]
    signature = record.enrolment.training_body.signature
    if signature:
        try:
            with default_storage.open(signature.name, "rb") as handle:  # local files or the bucket alike
                image = Image(io.BytesIO(handle.read()), width=45 * mm, height=18 * mm, kind="proportional")
            parts += [Spacer(1, 2 * mm), image]
        except (OSError, ValueError):
            pass  # a missing or broken image never blocks the record
    return [KeepTogether(parts)]


def record_pdf(record):
    register_fonts()
    with override("fr"):
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                bottomMargin=15 * mm, title=_("Record of connections and activity"))
        styles = _pdf_styles()
        story = _pdf_heading(record, styles)
        for title, header, rows in _sections(record, numbers=False):
            story += [Paragraph(escape(title), styles["sub"]),
                      _pdf_table(header, rows, WIDTHS.get(len(header), [180 / len(header)] * len(header)),
                                 styles["normal"])]
        story += _pdf_certification(record, styles)
        doc.build(story)
        return _signed(buffer.getvalue(), record.certification)


# --- Issue 15, point 6: the exchanges with the tutors (dates and names, never the messages) ---------------------

def support_table(record):
    """The trainee's questions to the tutors and the answers' dates, never their text
    (lms.support.selectors.exchanges_for_record)."""
    header = [_("Question asked on"), _("Written from"), _("Answered on"), _("Answered by")]
    rows = [[_dt(row.asked_at), row.context or "—", _dt(row.answered_at) if row.answered_at else _("Not answered"),
             row.answered_by or "—"] for row in exchanges_for_record(record.enrolment)]
    return header, rows


# The formats of the record: renderer and media type, by the name ending its URL (releve.pdf, releve.csv).
RECORD_FORMATS = {"pdf": (record_pdf, "application/pdf"), "csv": (record_csv, "text/csv; charset=utf-8")}


def cohort_zip(enrolments, now=None):
    """One PDF and one CSV per trainee of the cohort."""
    enrolments = list(enrolments)
    settle([enrolment.trainee_id for enrolment in enrolments])  # at once: each record then has nothing to settle
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for enrolment in enrolments:
            record = attendance_record(enrolment, now)
            name = f"{enrolment.trainee.last_name}-{enrolment.trainee.first_name}-{enrolment.pk}".replace("/", "-")
            archive.writestr(f"{name}.pdf", record_pdf(record))
            archive.writestr(f"{name}.csv", record_csv(record))
    return buffer.getvalue()


# --- The cohort's summary: one row per trainee ---------------------------------------------------------------

class CohortRow(NamedTuple):
    trainee: str
    email: str
    enrolment: int
    status: str
    planned_hours: Decimal
    realised_hours: Decimal
    share: Decimal | None  # percent of the planned hours realised
    lessons_done: int
    lessons: int
    quizzes_passed: int
    quizzes: int


@dataclass
class CohortSummary:
    cohort: object
    rows: list
    generated_at: object
    certification: Certification


def cohort_summary(cohort, enrolments, now=None):
    """One row per trainee of the cohort: planned and realised hours (THE realised duration), share, lessons done,
    quizzes passed; in a constant number of queries (the track's structure is the cohort's one track)."""
    now = now or timezone.now()
    enrolments = list(enrolments)
    realised = realised_durations(enrolments)  # settles everyone at once first
    done = done_items_of(e.pk for e in enrolments)
    structure = track_structure(cohort.track_id)
    lessons = len(structure.lessons) if structure else 0
    quizzes = (sum(1 for m in structure.modules if m.quiz) + (structure.final_assessment is not None)) if structure else 0
    rows = []
    for e in sorted(enrolments, key=lambda e: (e.trainee.last_name.lower(), e.trainee.first_name.lower(), e.pk)):
        r = realised[e.pk]
        rows.append(CohortRow(e.trainee.get_full_name() or e.trainee.email, trainee_contact(e.trainee), e.pk,
                              e.get_status_display(), Decimal(r.nominal_hours).quantize(Decimal("0.1")), r.hours,
                              r.share, len(done[e.pk][0]), lessons, len(done[e.pk][1]), quizzes))
    body = cohort.training_body
    return CohortSummary(cohort, rows, now, Certification(body.legal_name or body.name, body.signatory_name,
                                                          body.signatory_title, body.city, legal_date(now)))


def _cohort_header():
    return [_("Trainee"), _("Email"), _("Enrolment"), _("Status"), _("Planned (h)"), _("Realised (h)"),
            _("Share realised (%)"), _("Lessons done"), _("Quizzes passed")]


def _cohort_heading(summary):
    c = summary.cohort
    return [[_("Training body"), *identity_lines(legal_identity(c.training_body))],
            [_("Session"), c.name], [_("Track"), c.track.title],
            [_("Generated by the Parcours AM platform on"), _dt(summary.generated_at)]]


def cohort_summary_csv(summary):
    with override("fr"):
        rows = _cohort_heading(summary) + [[], _cohort_header()]
        rows += [[r.trainee, r.email, r.enrolment, r.status, r.planned_hours, r.realised_hours, r.share,
                  f"{r.lessons_done}/{r.lessons}", f"{r.quizzes_passed}/{r.quizzes}"] for r in summary.rows]
        record = CertifiedRecord(summary.certification)
        rows += [[], [_("Certification")], *([line] for line in certification_lines(record))]
        return csv_bytes([_("Summary of the session's realised hours")], rows)


def cohort_summary_pdf(summary):
    register_fonts()
    with override("fr"):
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                bottomMargin=15 * mm, title=_("Summary of the session's realised hours"))
        styles = _pdf_styles()
        story = [Paragraph(_("Summary of the session's realised hours"), styles["heading"])]
        story += [Paragraph(escape(f"{label} : " + " — ".join(str(v) for v in values)), styles["normal"])
                  for label, *values in _cohort_heading(summary)]
        rows = [[r.trainee, r.enrolment, r.status, french_hours(r.planned_hours), french_hours(r.realised_hours),
                 f"{french_number(r.share)} %" if r.share is not None else "—", f"{r.lessons_done}/{r.lessons}",
                 f"{r.quizzes_passed}/{r.quizzes}"] for r in summary.rows]
        header = [h for h in _cohort_header() if h != _("Email")]
        story += [Paragraph(_("Trainees"), styles["sub"]),
                  _pdf_table(header, rows, [42, 18, 20, 20, 20, 20, 20, 20], styles["normal"])]
        story += [Paragraph(_("Certification"), styles["sub"])]
        story += [Paragraph(escape(line), styles["normal"])
                  for line in certification_lines(CertifiedRecord(summary.certification))]
        doc.build(story)
        return _signed(buffer.getvalue(), summary.certification)


def _signed(pdf_bytes, certification):
    """The relevé signed for the body that certifies it (lms.core.signing): an altered copy shows."""
    reason = _("Record certified by %(body)s") % {"body": certification.body_name}
    return sign_pdf(pdf_bytes, reason=reason, location=certification.place)


@dataclass
class CertifiedRecord:
    """What certification_lines reads of a record: its certification."""

    certification: Certification


COHORT_SUMMARY_FORMATS = {"pdf": (cohort_summary_pdf, "application/pdf"),
                          "csv": (cohort_summary_csv, "text/csv; charset=utf-8")}
