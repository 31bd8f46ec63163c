"""Writes on learning: enrolling trainees (one by one or from CSV), completing lessons."""
import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import EntryProfile, TraineeProfile, User
from lms.catalog.models import TrackPage
from lms.core.errors import DomainError
from lms.core.forms import BoundedDateField
from lms.learning import events, traces
from lms.learning.models import Cohort, Enrolment, EnrolmentStatus, LessonCompletion, ModuleCompletion


def track_for_profile(tracks, entry_profile):
    """The first of `tracks` that serves the entry profile (the one to propose)."""
    return next((track for track in tracks if entry_profile in (track.entry_profiles or [])), None)


@transaction.atomic
def enrolment_create(*, trainee, track, training_body, starts_on, cohort=None, enrolled_by=None):
    """Enrol a trainee in a track of the training body; refused when already enrolled."""
    if track.training_body_id != training_body.pk:
        raise DomainError(_("This track does not belong to your training body."), field="track")
    if cohort is not None and (cohort.track_id != track.pk or cohort.training_body_id != training_body.pk):
        raise DomainError(_("This cohort is not a session of the chosen track."), field="cohort")
    if Enrolment.objects.filter(trainee=trainee, track=track).exists():
        raise DomainError(_("%(name)s is already enrolled in the track “%(track)s”.")
                          % {"name": trainee, "track": track.title})
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(trainee=trainee, track=track, training_body=training_body,
                                                 cohort=cohort, starts_on=starts_on, enrolled_by=enrolled_by)
    except IntegrityError:  # a concurrent request enrolled the same trainee first
        raise DomainError(_("%(name)s is already enrolled in the track “%(track)s”.")
                          % {"name": trainee, "track": track.title}) from None
    traces.enrolled(enrolment)
    return enrolment


def trainee_get_or_create(*, email, first_name, last_name, entry_profile):
    """The trainee account for an email: created without password (they set it by email) if missing."""
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, password=None, first_name=first_name, last_name=last_name)
        EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    TraineeProfile.objects.get_or_create(user=user, defaults={"entry_profile": entry_profile})
    return user, created


def send_account_setup_email(request, user):
    """Email a new trainee the link to choose their password (allauth's password reset flow)."""
    from allauth.account.forms import ResetPasswordForm

    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid():
        form.save(request)


@transaction.atomic
def lesson_complete(*, enrolment, lesson, duration_seconds=0):
    """Mark a lesson done for the enrolment; doing it twice changes nothing."""
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise DomainError(_("Your enrolment in this track has ended."))
    completion, created = LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if created:
        traces.lesson_experienced(enrolment, lesson, duration_seconds)
        enrolment_refresh_completion(enrolment=enrolment)
    return completion, created


# --- CSV import -------------------------------------------------------------------------------------------

CSV_COLUMNS = ["email", "prenom", "nom", "profil", "debut"]
PROFILE_ALIASES = {
    "secretaire": EntryProfile.SECRETARY, "secrétaire": EntryProfile.SECRETARY, "secretary": EntryProfile.SECRETARY,
    "aide-soignant": EntryProfile.CARE_ASSISTANT, "aide-soignante": EntryProfile.CARE_ASSISTANT,
    "deas": EntryProfile.CARE_ASSISTANT, "care_assistant": EntryProfile.CARE_ASSISTANT,
    "auxiliaire de puericulture": EntryProfile.CHILDCARE_ASSISTANT, "auxiliaire de puériculture": EntryProfile.CHILDCARE_ASSISTANT,
    "deap": EntryProfile.CHILDCARE_ASSISTANT, "childcare_assistant": EntryProfile.CHILDCARE_ASSISTANT,
    "infirmier": EntryProfile.NURSE, "infirmière": EntryProfile.NURSE, "infirmiere": EntryProfile.NURSE,
    "dei": EntryProfile.NURSE, "nurse": EntryProfile.NURSE,
    "autre": EntryProfile.OTHER, "other": EntryProfile.OTHER,
}
MAX_CSV_ROWS = 1000
EMAIL_FIELD = forms.EmailField(max_length=User._meta.get_field("email").max_length)
FIRST_NAME_FIELD = forms.CharField(max_length=User._meta.get_field("first_name").max_length, required=False)
LAST_NAME_FIELD = forms.CharField(max_length=User._meta.get_field("last_name").max_length, required=False)
START_FIELD = BoundedDateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"])  # the file's way, whatever the language


@dataclass
class ImportRow:
    line: int
    email: str
    first_name: str
    last_name: str
    entry_profile: str | None
    starts_on: date | None
    track: TrackPage | None = None
    problems: list = field(default_factory=list)


class SemicolonDialect(csv.excel):
    """What French spreadsheets write, when the sniffer cannot tell."""

    delimiter = ";"


def _cell_problems(field, value, label):
    """The form field's error messages for one cell (length, NUL byte, date range), each named by its column."""
    try:
        field.clean(value)
    except ValidationError as error:
        return ["%s : %s" % (label, message) for message in error.messages]
    return []


def parse_enrolment_csv(text, *, tracks, default_starts_on, cohort=None):
    """Read and check every row; return the rows with their problems in French. Writes nothing.

    Each cell is checked with the form field of what it becomes (an account's names and email, a start date), so
    that what the preview accepts the confirmation can write on any database.
    """
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,")
    except csv.Error:
        dialect = SemicolonDialect
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:  # a cell over the csv module's limit (131,072 characters), a stray quote…
        raise DomainError(_("The file cannot be read as CSV (a cell is too long or badly quoted): save it again "
                            "as CSV UTF-8, columns separated by “;”.")) from None
    if not rows:
        raise DomainError(_("The file is empty."))
    header = [h.strip().lower().lstrip("\ufeff") for h in rows[0]]
    missing = [c for c in CSV_COLUMNS[:4] if c not in header]
    if missing:
        raise DomainError(_("Missing columns: %(columns)s. Expected columns: %(expected)s.")
                          % {"columns": ", ".join(missing), "expected": ";".join(CSV_COLUMNS)})
    if len(rows) - 1 > MAX_CSV_ROWS:
        raise DomainError(_("The file has more than %(max)s rows; split it.") % {"max": MAX_CSV_ROWS})
    index = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    seen, result, valid_emails = set(), [], []
    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        cell = lambda name: raw[index[name]].strip() if name in index and index[name] < len(raw) else ""  # noqa: E731
        row = ImportRow(number, cell("email").lower(), cell("prenom"), cell("nom"), None, default_starts_on)
        if _cell_problems(EMAIL_FIELD, row.email, "email"):
            row.problems.append(_("invalid email address “%(value)s”") % {"value": row.email[:100]})
        else:
            valid_emails.append(row.email)
        if row.email in seen:
            row.problems.append(_("this email appears twice in the file"))
        seen.add(row.email)
        if not row.first_name or not row.last_name:
            row.problems.append(_("first name and last name are required"))
        row.problems += _cell_problems(FIRST_NAME_FIELD, row.first_name, "prenom")
        row.problems += _cell_problems(LAST_NAME_FIELD, row.last_name, "nom")
        profile_value = cell("profil").lower()
        row.entry_profile = PROFILE_ALIASES.get(profile_value)
        if row.entry_profile is None:
            row.problems.append(_("unknown entry profile “%(value)s” (secrétaire, aide-soignant, auxiliaire de "
                                  "puériculture, infirmier, autre)") % {"value": profile_value})
        if cell("debut"):
            try:
                row.starts_on = START_FIELD.clean(cell("debut"))
            except ValidationError as error:
                row.problems.append(
                    _("invalid start date “%(value)s” (expected DD/MM/YYYY)") % {"value": cell("debut")[:100]}
                    if error.code == "invalid" else "debut : %s" % error.messages[0])
        if cohort is not None:
            row.track = cohort.track.specific if hasattr(cohort.track, "specific") else cohort.track
            if row.entry_profile and row.entry_profile not in (row.track.entry_profiles or []):
                row.problems.append(_("the cohort's track does not serve this entry profile"))
        elif row.entry_profile:
            row.track = track_for_profile(tracks, row.entry_profile)
            if row.track is None:
                row.problems.append(_("no track of your training body serves this entry profile"))
        result.append(row)
    existing = set(Enrolment.objects.filter(
        trainee__email__in=valid_emails, track__in=[r.track for r in result if r.track]
    ).values_list("trainee__email", "track_id"))
    for row in result:
        if row.track and (row.email, row.track.pk) in existing:
            row.problems.append(_("already enrolled in “%(track)s”") % {"track": row.track.title})
    if not result:
        raise DomainError(_("The file has no data row."))
    return result


@transaction.atomic
def enrolments_import(*, rows, training_body, cohort=None, enrolled_by=None):
    """Create every row's account (if needed) and enrolment, all or nothing. Returns [(user, created)]."""
    if any(row.problems for row in rows):
        raise DomainError(_("Fix the problems listed before importing."))
    created_users = []
    for row in rows:
        user, created = trainee_get_or_create(email=row.email, first_name=row.first_name,
                                              last_name=row.last_name, entry_profile=row.entry_profile)
        enrolment_create(trainee=user, track=row.track, training_body=training_body,
                         starts_on=row.starts_on or timezone.localdate(), cohort=cohort, enrolled_by=enrolled_by)
        created_users.append((user, created))
    return created_users


@transaction.atomic
def cohort_create(*, training_body, track, name, starts_on, ends_on=None, place="", tutors=()):
    """Open a session of a track."""
    if track.training_body_id != training_body.pk:
        raise DomainError(_("This track does not belong to your training body."), field="track")
    cohort = Cohort.objects.create(training_body=training_body, track=track, name=name, starts_on=starts_on,
                                   ends_on=ends_on, place=place)
    cohort.tutors.set(tutors)
    return cohort


@transaction.atomic
def enrolment_refresh_completion(*, enrolment, now=None):
    """Record the track's completion when all modules are complete and the final assessment is passed.

    Called in the transaction of every event that may complete a track (lesson done, quiz submitted).
    Returns True when this call completed the enrolment.
    """
    from lms.learning import selectors
    from lms.learning.progress import compute_progress

    now = now or timezone.now()
    enrolment = Enrolment.objects.select_for_update().select_related("trainee").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return False
    structure = selectors.track_structure(enrolment.track_id)
    if structure is None or not structure.lessons:
        return False
    progress = compute_progress(structure, *selectors.done_items(enrolment))
    done_modules = [m.module for m in progress.modules if m.complete]
    recorded = set(ModuleCompletion.objects.filter(enrolment=enrolment).values_list("module_id", flat=True))
    new_modules = [m for m in done_modules if m.id not in recorded]
    if new_modules:
        ModuleCompletion.objects.bulk_create([ModuleCompletion(enrolment=enrolment, module_id=m.id, completed_at=now)
                                              for m in new_modules])
        traces.modules_completed(enrolment, new_modules, now)
    if not progress.complete:
        return False
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = now
    enrolment.save(update_fields=["status", "completed_at"])
    traces.track_completed(enrolment, now)
    events.track_completed.send(sender=Enrolment, enrolment=enrolment, now=now)
    return True
