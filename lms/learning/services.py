"""Writes on learning: enrolling trainees (one by one or from CSV; existing accounts only with their consent),
completing lessons."""
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lms.accounts.models import EntryProfile, TraineeProfile, User
from lms.accounts.welcome import link_days as welcome_link_days
from lms.accounts.welcome import welcome_url
from lms.catalog.models import ModulePage, TrackPage
from lms.core.cache import trainees_changed
from lms.core.dates import legal_today
from lms.core.display import long_date
from lms.core.errors import DomainError
from lms.core.mail import send_on_commit
from lms.core.site import absolute_url
from lms.core.uploads import UploadRejected, evidence_clean
from lms.core.forms import BoundedDateField
from lms.learning import events, selectors, traces
from lms.learning.models import (
    Cohort,
    Enrolment,
    EnrolmentOffer,
    EnrolmentStatus,
    ExemptionStatus,
    LessonCompletion,
    ModuleCompletion,
    ModuleExemption,
    OfferStatus,
    QualificationResult,
    QuizCompletion,
)
from lms.learning.progress import compute_progress
from lms.learning.realised import realised_duration


def track_for_profile(tracks, entry_profile):
    """The first of `tracks` that serves the entry profile (the one to propose)."""
    return next((track for track in tracks if entry_profile in (track.entry_profiles or [])), None)


@transaction.atomic
def enrolment_create(*, trainee, track, training_body, starts_on, cohort=None, enrolled_by=None):
    """Enrol a trainee in a track of the training body; refused when already enrolled.

    A withdrawn enrolment in the same track is taken up again (same enrolment, same xAPI registration, its history
    kept). Callers enrol only people who consented: an account the body has just created for a new address, or a
    person accepting an offer (see enrolment_request).
    """
    if track.training_body_id != training_body.pk:
        raise DomainError(_("This track does not belong to your training body."), field="track")
    if cohort is not None and (cohort.track_id != track.pk or cohort.training_body_id != training_body.pk):
        raise DomainError(_("This cohort is not a session of the chosen track."), field="cohort")
    existing = Enrolment.objects.select_for_update().filter(trainee=trainee, track=track).first()
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise DomainError(_("%(name)s is already enrolled in the track “%(track)s”.")
                          % {"name": trainee, "track": track.title})
    if existing is not None:
        existing.status, existing.starts_on, existing.cohort = EnrolmentStatus.ACTIVE, starts_on, cohort
        existing.enrolled_by = enrolled_by
        existing.save(update_fields=["status", "starts_on", "cohort", "enrolled_by"])
        traces.enrolled(existing)
        return existing
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(trainee=trainee, track=track, training_body=training_body,
                                                 cohort=cohort, starts_on=starts_on, enrolled_by=enrolled_by)
    except IntegrityError:  # a concurrent request enrolled the same trainee first
        raise DomainError(_("%(name)s is already enrolled in the track “%(track)s”.")
                          % {"name": trainee, "track": track.title}) from None
    traces.enrolled(enrolment)
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment):
    """Undo an enrolment: the trainee leaves the track (it leaves 'My track', its pages close to them).

    The rule: only an enrolment in training can be withdrawn (a completed one keeps its certificate: revoke the
    certificate instead). Nothing is deleted: what the trainee did stays as evidence in the body's records
    (attendance record, attempts) and the xAPI trace is unchanged. The body may enrol the person again later
    (an existing account is asked first), which takes this enrolment up again.
    """
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise DomainError(_("Only an enrolment in training can be withdrawn."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    return enrolment


def trainee_account_create(*, email, first_name, last_name, entry_profile):
    """A new trainee account for an address that has none, without password (they choose it by email).

    Never applied to an existing account: a body does not give someone else's account a trainee role (see
    enrolment_request, which sends that person an offer instead).
    """
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    exists = DomainError(_("An account already exists for this email address."), field="email")
    if User.objects.filter(email__iexact=email).exists():
        raise exists
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=None, first_name=first_name, last_name=last_name)
    except IntegrityError:  # created by a concurrent request in the meantime
        raise exists from None
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    TraineeProfile.objects.create(user=user, entry_profile=entry_profile)
    return user


# --- Enrolling with consent: a new address is enrolled at once, an existing account is sent an offer --------

@dataclass
class EnrolmentRequest:
    """What enrolment_request did for one address: enrolled a new account, or recorded an offer."""

    email: str
    enrolment: Enrolment | None = None
    offer: EnrolmentOffer | None = None

    @property
    def account_created(self):
        return self.enrolment is not None


@transaction.atomic
def enrolment_request(*, email, first_name, last_name, entry_profile, track, training_body, starts_on, cohort=None,
                      requested_by=None, base_url, now=None):
    """Enrol the person at `email` in a track of the body, with their consent.

    - No account at this address: the account is created and enrolled at once (the caller then emails the link to
      choose a password: send_welcome_email).
    - An account exists (a trainee of another body, a practice's doctor, a training body's staff...): nothing
      changes on it. An offer is recorded and emailed; the person accepts or declines it from their space
      (enrolment_offer_accept). Until then the body sees only what it typed.
    """
    email = email.strip().lower()
    if track.training_body_id != training_body.pk:
        raise DomainError(_("This track does not belong to your training body."), field="track")
    if cohort is not None and (cohort.track_id != track.pk or cohort.training_body_id != training_body.pk):
        raise DomainError(_("This cohort is not a session of the chosen track."), field="cohort")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = trainee_account_create(email=email, first_name=first_name, last_name=last_name,
                                      entry_profile=entry_profile)
        enrolment = enrolment_create(trainee=user, track=track, training_body=training_body, starts_on=starts_on,
                                     cohort=cohort, enrolled_by=requested_by)
        return EnrolmentRequest(email=email, enrolment=enrolment)
    offer = enrolment_offer_create(invitee=user, email=email, first_name=first_name, last_name=last_name,
                                   entry_profile=entry_profile, track=track, training_body=training_body,
                                   starts_on=starts_on, cohort=cohort, offered_by=requested_by, base_url=base_url,
                                   now=now)
    return EnrolmentRequest(email=email, offer=offer)


def offer_problem(*, invitee, email, track, now):
    """Why the body cannot offer this track to this account now ('' if it can), in French, naming only what the
    body typed (never the account's own name)."""
    if Enrolment.objects.filter(trainee=invitee, track=track).exclude(status=EnrolmentStatus.WITHDRAWN).exists():
        return _("%(name)s is already enrolled in the track “%(track)s”.") % {"name": email, "track": track.title}
    if EnrolmentOffer.objects.pending(now).filter(invitee=invitee, track=track).exists():
        return _("An invitation to the track “%(track)s” is already waiting for the answer of %(email)s.") % {
            "track": track.title, "email": email}
    return ""


@transaction.atomic
def enrolment_offer_create(*, invitee, email, first_name, last_name, entry_profile, track, training_body, starts_on,
                           cohort=None, offered_by=None, base_url, now=None):
    """Record an offer to enrol an existing account and email it to them; the account itself is left untouched."""
    now = now or timezone.now()
    problem = offer_problem(invitee=invitee, email=email, track=track, now=now)
    if problem:
        raise DomainError(problem, field="email")
    # An offer left unanswered past its date gives way to the new one.
    EnrolmentOffer.objects.filter(invitee=invitee, track=track, status=OfferStatus.PENDING,
                                  expires_at__lte=now).update(status=OfferStatus.EXPIRED)
    try:
        with transaction.atomic():
            offer = EnrolmentOffer.objects.create(
                training_body=training_body, track=track, cohort=cohort, starts_on=starts_on, invitee=invitee,
                email=email, first_name=first_name, last_name=last_name, entry_profile=entry_profile or "",
                offered_by=offered_by, expires_at=now + timedelta(days=settings.LMS_INVITATION_VALID_DAYS))
    except IntegrityError:  # a concurrent request (a double submit) made the same offer first
        raise DomainError(_("An invitation to the track “%(track)s” is already waiting for the answer of %(email)s.")
                          % {"track": track.title, "email": email}, field="email") from None
    context = {"offer": offer, "training_body": training_body, "track_title": track.title,
               "url": base_url.rstrip("/") + reverse("accounts_dashboard"), "site_name": settings.LMS_SITE_NAME}
    subject = _("[%(site)s] %(body)s offers to enrol you in a training") % {
        "site": settings.LMS_SITE_NAME, "body": training_body.name}
    send_on_commit(subject, "learning/email/enrolment_offer.txt", context, [invitee.email])
    return offer


def _open_offer(offer, user, now):
    """The offer, locked, if `user` may still answer it; a DomainError in French otherwise."""
    offer = (EnrolmentOffer.objects.select_for_update(of=("self",))
             .select_related("track", "cohort", "training_body").get(pk=offer.pk))
    if offer.invitee_id != user.pk:
        raise DomainError(_("This invitation is addressed to someone else."))
    status = offer.current_status(now)
    if status == OfferStatus.ACCEPTED:
        raise DomainError(_("You have already accepted this invitation: the track is in “My track”."))
    if status == OfferStatus.REFUSED:
        raise DomainError(_("You have already declined this invitation."))
    if status == OfferStatus.CANCELLED:
        raise DomainError(_("This invitation has been cancelled by the training body that sent it."))
    if status == OfferStatus.EXPIRED:
        raise DomainError(_("This invitation has expired. Ask the training body to send you a new one."))
    return offer


@transaction.atomic
def enrolment_offer_accept(*, offer, user, now=None):
    """The person accepts: they become a trainee if they were not, and are enrolled through enrolment_create
    (so the enrolment is traced like any other). A second answer changes nothing."""
    now = now or timezone.now()
    offer = _open_offer(offer, user, now)
    TraineeProfile.objects.get_or_create(user=user, defaults={
        "entry_profile": offer.entry_profile or EntryProfile.OTHER})
    enrolment = enrolment_create(trainee=user, track=offer.track, training_body=offer.training_body,
                                 starts_on=offer.starts_on, cohort=offer.cohort, enrolled_by=offer.offered_by)
    offer.status, offer.answered_at, offer.enrolment = OfferStatus.ACCEPTED, now, enrolment
    offer.save(update_fields=["status", "answered_at", "enrolment"])
    return enrolment


@transaction.atomic
def enrolment_offer_refuse(*, offer, user, now=None):
    """The person declines: nothing changes on their account; the body sees 'declined'."""
    now = now or timezone.now()
    offer = _open_offer(offer, user, now)
    offer.status, offer.answered_at = OfferStatus.REFUSED, now
    offer.save(update_fields=["status", "answered_at"])
    return offer


@transaction.atomic
def enrolment_offer_cancel(*, offer, now=None):
    """The body takes back an offer not answered yet (a wrong address, a wrong track)."""
    now = now or timezone.now()
    offer = EnrolmentOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.current_status(now) != OfferStatus.PENDING:
        raise DomainError(_("This invitation has already been answered, cancelled or has expired."))
    offer.status, offer.answered_at = OfferStatus.CANCELLED, now
    offer.save(update_fields=["status", "answered_at"])
    return offer


def send_welcome_email(*, enrolment, base_url):
    """Email a trainee enrolled with a new account: who enrolled them, in what, from when, and the link (one use,
    LMS_WELCOME_LINK_DAYS days) that sets their password, confirms their address and opens their track."""
    trainee, body = enrolment.trainee, enrolment.training_body
    context = {"first_name": trainee.first_name, "training_body_name": body.name, "track_title": enrolment.track.title,
               "starts_on": enrolment.starts_on, "cohort_name": enrolment.cohort.name if enrolment.cohort_id else "",
               "url": welcome_url(trainee, base_url), "days": welcome_link_days(), "site_name": settings.LMS_SITE_NAME}
    subject = _("[%(site)s] %(body)s has enrolled you in “%(track)s”") % {
        "site": settings.LMS_SITE_NAME, "body": body.name, "track": enrolment.track.title}
    send_on_commit(subject, "learning/email/welcome.txt", context, [trainee.email])


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


@transaction.atomic(savepoint=False)  # a part of the attempt's transaction, not a unit of its own
def quiz_completion_record(*, enrolment, quiz, now=None, locked=False, structure=None):
    """Record that a quiz of the track was passed, then the module's and the track's completion it brings.

    The quizzes app calls this in the transaction of each passing attempt; only the first pass is recorded (one
    statement, safe against a concurrent pass). `locked`, `structure`: as for enrolment_refresh_completion.
    Returns True when this call completed the enrolment.
    """
    now = now or timezone.now()
    QuizCompletion.objects.bulk_create([QuizCompletion(enrolment=enrolment, quiz_id=quiz.pk, completed_at=now)],
                                       ignore_conflicts=True)
    return enrolment_refresh_completion(enrolment=enrolment, now=now, locked=locked, structure=structure)


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


def csv_key(value):
    """A cell as the import compares it: lower case, no accents, no inclusive-writing dot, punctuation as spaces
    ('Aide-soignant·e (DEAS)' -> 'aide soignante deas'), so that any spelling the interface shows is accepted."""
    value = unicodedata.normalize("NFKD", value.replace("·", "").replace("•", "").replace(".", ""))
    value = "".join(c for c in value if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", value).split())


def profile_aliases():
    """{csv_key of an accepted value: entry profile}: each profile's code, its label in French and English (as the
    interface shows them) and the short names of PROFILE_ALIASES."""
    aliases = {csv_key(alias): code for alias, code in PROFILE_ALIASES.items()}
    for code, label in EntryProfile.choices:
        aliases[csv_key(code)] = code
        for language in ("fr", "en"):
            with override(language):
                aliases[csv_key(str(label))] = code
    return aliases


def profile_accepted_values():
    """[(code, label in the active language, other accepted short names)] of each entry profile, for the import
    page and its error messages; read from the same choices and aliases as the parser."""
    result = []
    for code, label in EntryProfile.choices:
        shown = {csv_key(code), csv_key(str(label))}
        others = []
        for alias, alias_code in PROFILE_ALIASES.items():
            if alias_code == code and csv_key(alias) not in shown:
                shown.add(csv_key(alias))
                others.append(alias)
        result.append((code, str(label), others))
    return result


def _accepted_profiles_text():
    return ", ".join("%s (%s)" % (label, code) for code, label, _others in profile_accepted_values())


def date_formats_text():
    """The start date formats the import reads, as a person types them ('DD/MM/YYYY or YYYY-MM-DD' in English)."""
    names = {"%d": _("DD"), "%m": _("MM"), "%Y": _("YYYY")}
    formats = []
    for fmt in START_FIELD.input_formats:
        for code, name in names.items():
            fmt = fmt.replace(code, name)
        formats.append(fmt)
    return _(" or ").join(formats)


def csv_columns_help():
    """Each column of the import file: its name, whether it is required, what it holds and the values accepted —
    generated from what parse_enrolment_csv reads (never a copy of it)."""
    example_day = date(2026, 9, 1)
    return [
        {"name": "email", "required": True, "description": _("The trainee's email address (one row per address)."),
         "values": [_("an email address, such as marie.dupont@example.fr")]},
        {"name": "prenom", "required": True, "description": _("First name."),
         "values": [_("%(max)s characters at most") % {"max": FIRST_NAME_FIELD.max_length}]},
        {"name": "nom", "required": True, "description": _("Last name."),
         "values": [_("%(max)s characters at most") % {"max": LAST_NAME_FIELD.max_length}]},
        {"name": "profil", "required": True,
         "description": _("The entry profile: it chooses the track (unless a cohort is chosen). Upper or lower case, "
                          "accents and the inclusive-writing dot do not matter."),
         "profiles": profile_accepted_values()},
        {"name": "debut", "required": False,
         "description": _("The start date; empty: the default start date of the form."),
         "values": [_("%(formats)s, for example %(examples)s") % {
             "formats": date_formats_text(),
             "examples": _(" or ").join(example_day.strftime(fmt) for fmt in START_FIELD.input_formats)}]},
    ]


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
    has_account: bool = False  # the address has an account: the import sends it an offer instead of enrolling it


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
    aliases, accepted = profile_aliases(), _accepted_profiles_text()
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
        profile_value = cell("profil")
        row.entry_profile = aliases.get(csv_key(profile_value))
        if row.entry_profile is None:
            row.problems.append(_("line %(line)s, column “%(column)s”: unknown entry profile “%(value)s”; accepted "
                                  "values: %(accepted)s") % {"line": number, "column": "profil",
                                                              "value": profile_value[:100], "accepted": accepted})
        if cell("debut"):
            try:
                row.starts_on = START_FIELD.clean(cell("debut"))
            except ValidationError as error:
                row.problems.append(
                    _("line %(line)s, column “%(column)s”: invalid start date “%(value)s” (expected %(formats)s)")
                    % {"line": number, "column": "debut", "value": cell("debut")[:100], "formats": date_formats_text()}
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
    # Only addresses that passed their field's check reach the database (a NUL byte would be a DataError there).
    emails, tracks_named = valid_emails, [r.track for r in result if r.track]
    existing = set(Enrolment.objects.filter(trainee__email__in=emails, track__in=tracks_named)
                   .exclude(status=EnrolmentStatus.WITHDRAWN).values_list("trainee__email", "track_id"))
    offered = set(EnrolmentOffer.objects.pending(timezone.now()).filter(invitee__email__in=emails, track__in=tracks_named)
                  .values_list("invitee__email", "track_id"))
    with_account = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    for row in result:
        row.has_account = row.email in with_account
        if row.track and (row.email, row.track.pk) in existing:
            row.problems.append(_("already enrolled in “%(track)s”") % {"track": row.track.title})
        elif row.track and (row.email, row.track.pk) in offered:
            row.problems.append(_("an invitation to “%(track)s” is already waiting for an answer")
                                % {"track": row.track.title})
    if not result:
        raise DomainError(_("The file has no data row."))
    return result


@transaction.atomic
def enrolments_import(*, rows, training_body, cohort=None, enrolled_by=None, base_url):
    """Every row, all or nothing, as enrolment_request does for one address: a new address gets its account and
    enrolment, an existing account an offer it may accept. Returns the EnrolmentRequest of each row."""
    if any(row.problems for row in rows):
        raise DomainError(_("Fix the problems listed before importing."))
    return [enrolment_request(email=row.email, first_name=row.first_name, last_name=row.last_name,
                              entry_profile=row.entry_profile, track=row.track, training_body=training_body,
                              starts_on=row.starts_on or legal_today(), cohort=cohort,
                              requested_by=enrolled_by, base_url=base_url)
            for row in rows]


@transaction.atomic
def cohort_create(*, training_body, track, name, starts_on, ends_on=None, place="", tutors=()):
    """Open a session of a track."""
    if track.training_body_id != training_body.pk:
        raise DomainError(_("This track does not belong to your training body."), field="track")
    cohort = Cohort.objects.create(training_body=training_body, track=track, name=name, starts_on=starts_on,
                                   ends_on=ends_on, place=place)
    cohort.tutors.set(tutors)
    return cohort


@transaction.atomic(savepoint=False)  # part of the event's transaction: no savepoint of its own to pay for
def enrolment_refresh_completion(*, enrolment, now=None, locked=False, structure=None):
    """Record the track's completion when all modules are complete and the final assessment is passed.

    Called in the transaction of every event that may complete a track (lesson done, quiz passed).
    `locked`: the caller has read the enrolment (with its trainee) locked in this transaction, so it is not read
    again. `structure`: the track's structure, when the caller has read it already. Returns True when this call
    completed the enrolment. One query reads what is done (lessons, quizzes and the modules already recorded).
    """
    trainees_changed([enrolment.trainee_id])  # what is done shows on the trainee's own page (lms.core.cache)
    now = now or timezone.now()
    if not locked:
        enrolment = Enrolment.objects.select_for_update().select_related("trainee", "track").get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return False
    structure = structure or selectors.track_structure(enrolment.track_id)
    if structure is None or not structure.lessons:
        return False
    lessons_done, quizzes_passed, exempted, recorded = selectors.done_items_and_modules(enrolment.pk)
    progress = compute_progress(structure, lessons_done, quizzes_passed, exempted)
    done_modules = [m.module for m in progress.modules if m.complete and not m.exempted]
    new_modules = [m for m in done_modules if m.id not in recorded]
    if new_modules:
        ModuleCompletion.objects.bulk_create([ModuleCompletion(enrolment=enrolment, module_id=m.id, completed_at=now)
                                              for m in new_modules])
        traces.modules_completed(enrolment, new_modules, now)
    if not progress.complete:
        return False
    if not realised_duration(enrolment).share_met:
        return False  # the track requires a realised share of its hours: completed once it is met (see below)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = now
    enrolment.save(update_fields=["status", "completed_at"])
    traces.track_completed(enrolment, now)
    events.track_completed.send(sender=Enrolment, enrolment=enrolment, now=now)
    return True


def waiting_for_time(enrolment, progress):
    """The enrolment's realised duration when all its work is done but the track's minimum realised share is not
    met yet (what the trainee is shown); None otherwise."""
    if enrolment.status != EnrolmentStatus.ACTIVE or not progress.complete or not enrolment.track.min_realised_share:
        return None
    return realised_duration(enrolment)


def enrolments_complete_when_time_met(enrolments=None):
    """Complete the active enrolments whose work is all done and whose realised share is now met (the time counted
    since their last event: re-reading, in-person hours); returns how many were completed. Called by the periodic
    settlement and when the trainee opens their track."""
    if enrolments is None:
        enrolments = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, track__min_realised_share__isnull=False,
                                              completed_at__isnull=True)
    completed = 0
    for enrolment in enrolments:
        with transaction.atomic():
            completed += bool(enrolment_refresh_completion(enrolment=enrolment))
    return completed


MAX_RESULT_DOCUMENT_BYTES = 5 * 1024 * 1024


@transaction.atomic
def qualification_result_record(*, enrolment, obtained_on, jury_reference, document, recorded_by, today=None):
    """Record the certification a trainee obtained at the end of a track that leads to one.

    Avenant 7 (2019), art. 9-2: this, not the completion of the track, makes the assistant qualified
    (lms.learning.qualification). One result in force per enrolment: to correct one, revoke it first.
    """
    today = today or legal_today()
    enrolment = Enrolment.objects.select_for_update().select_related("track").get(pk=enrolment.pk)
    if not enrolment.track.leads_to_certification:
        raise DomainError(_("This track does not lead to a certification: no result can be recorded for it."))
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise DomainError(_("The trainee has been withdrawn from this track."))
    if obtained_on > today:
        raise DomainError(_("The date cannot be in the future."), field="obtained_on")
    if obtained_on < enrolment.starts_on:
        raise DomainError(_("The date is before the start of the training (%(date)s).") % {
            "date": long_date(enrolment.starts_on)}, field="obtained_on")
    jury_reference = (jury_reference or "").strip()
    if not jury_reference:
        raise DomainError(_("Give the reference of the jury's decision."), field="jury_reference")
    if enrolment.qualification_results.filter(revoked_at__isnull=True).exists():
        raise DomainError(_("A result is already recorded for this enrolment: revoke it to correct it."))
    try:
        document = evidence_clean(document, max_bytes=MAX_RESULT_DOCUMENT_BYTES)
    except UploadRejected as error:
        raise DomainError(error.message, field="document") from None
    result = QualificationResult.objects.create(enrolment=enrolment, obtained_on=obtained_on,
                                                jury_reference=jury_reference, document=document,
                                                recorded_by=recorded_by)
    traces.certification_passed(result)  # the trace in the same transaction (STYLE.md, habit 6)
    return result


@transaction.atomic
def qualification_result_revoke(*, result, reason, revoked_by, now=None):
    """Take back a result recorded by mistake (kept, with who revoked it, when and why): the assistant is no longer
    qualified through it, and a corrected result may be recorded."""
    result = QualificationResult.objects.select_for_update().get(pk=result.pk)
    if result.revoked_at is not None:
        raise DomainError(_("This result has already been revoked."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason."), field="reason")
    result.revoked_at, result.revoked_by, result.revocation_reason = now or timezone.now(), revoked_by, reason[:255]
    result.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    traces.certification_revoked(result)
    return result


# --- Module exemptions after the positioning test (Qualiopi indicator 8) ----------------------------------

REASON_MAX_LENGTH = 2000


@transaction.atomic(savepoint=False)  # part of the positioning attempt's transaction
def exemptions_propose(*, enrolment, scores, now=None):
    """Propose an exemption for every module of the track whose positioning score reaches its threshold.

    `scores`: {module id: percent (Decimal)}. A module without a threshold is never exempted. Returns the new
    proposals; an enrolment positions once, and a proposal already made is left as it is.
    """
    now = now or timezone.now()
    thresholds = dict(ModulePage.objects.filter(pk__in=list(scores), exemption_threshold__isnull=False)
                      .values_list("pk", "exemption_threshold"))
    proposals = [ModuleExemption(enrolment=enrolment, module_id=module_id, score=scores[module_id],
                                 threshold=threshold, proposed_at=now)
                 for module_id, threshold in thresholds.items() if scores[module_id] >= threshold]
    if proposals:
        trainees_changed([enrolment.trainee_id])  # a bulk write sends no signal
    return ModuleExemption.objects.bulk_create(proposals, ignore_conflicts=True)


@transaction.atomic
def exemption_decide(*, exemption, by, confirm, reason, now=None):
    """A tutor's decision on a proposed exemption, with its reason (kept, shown to the trainee, in the relevé).

    Confirmed, the module counts as done and its hours come off the enrolment's planned hours; the track may
    complete at once. The trainee is told by email once the decision is committed. Deciding twice is refused.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for your decision."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(_("Keep the reason under %(max)s characters.") % {"max": REASON_MAX_LENGTH}, field="reason")
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("trainee", "track").get(
        pk=exemption.enrolment_id)
    exemption = ModuleExemption.objects.select_for_update(of=("self",)).select_related("module").get(pk=exemption.pk)
    if exemption.status != ExemptionStatus.PROPOSED:
        raise DomainError(_("This exemption has already been decided."))
    exemption.enrolment = enrolment
    exemption.status = ExemptionStatus.CONFIRMED if confirm else ExemptionStatus.REFUSED
    exemption.reason, exemption.decided_by, exemption.decided_at = reason, by, now
    exemption.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    if confirm:
        traces.module_waived(exemption)
        if enrolment.status == EnrolmentStatus.ACTIVE:
            enrolment_refresh_completion(enrolment=enrolment, now=now, locked=True)
    trainee = enrolment.trainee
    if trainee.is_active and trainee.email:
        send_on_commit(_("[%(site)s] Your exemption from “%(module)s”") % {
                           "site": settings.LMS_SITE_NAME, "module": exemption.module.title},
                       "learning/email/exemption_decided.txt",
                       {"exemption": exemption, "track_title": enrolment.track.title,
                        "url": absolute_url(reverse("positioning", args=[enrolment.pk]))}, [trainee.email])
    return exemption
