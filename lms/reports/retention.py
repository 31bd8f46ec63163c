"""Retention that really ends: what `manage.py apply_retention` deletes or erases each day, category by category.

The periods are lms.core.retention's (settings with documented defaults, also stated on the privacy notice). Every
category is a query of what is past its period on `today`; a dry run counts it, a real run deletes it in its own
transaction (stored files through the storage API once it commits) and reports the same count. Running again the
same day finds nothing more: the command is idempotent.

Personal data, legal basis and period (what this module applies):

| data | basis | kept |
| --- | --- | --- |
| account (email, password, second factors, preferences) | contract (the service) | until erased, or 3 years unused after a warning |
| name of a person with evidence | legal obligation (funders' audits; Code du travail L6353-1, D6313-3-1) | with the evidence |
| enrolment, lessons and quizzes done, attempts, lesson time, results and documents, attestations and PDFs, statements of the enrolment | legal obligation | 6 years after the end of the training (a result in force: while employed, then 6 years) |
| connection record (study sessions) | legal obligation | 6 years after each session |
| declared trainings and their documents | legitimate interest of the practice (avenant 7 deadlines) | 6 years after the date declared, while employed then 6 years; erased with the account |
| statements without their enrolment | legal obligation | 6 years |
| invitations and enrolment offers (names typed by others) | legitimate interest | 90 days after answer or expiry |
| revoked calendar addresses | contract | 30 days |
| presence beats not yet counted | legal obligation (they become active time) | counted within minutes; 7 days at most |
| expired login sessions | contract | deleted once expired |
| employments and the reminders sent on them | the practice's own records | as long as the practice keeps the employment (not this command) |
"""
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import DateTimeField, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from lms.certificates.models import Certificate
from lms.core.dates import add_days, legal_day_start
from lms.core.mail import EncodedSubjectEmail
from lms.core.retention import period
from lms.deadlines.models import CalendarToken, DeclaredTraining
from lms.learning.attendance import settle
from lms.learning.models import (ActivityBeat, Enrolment, EnrolmentOffer, LessonCompletion, LessonTime, OfferStatus,
                                 QualificationResult, StudySession)
from lms.organisations.models import Employment, Invitation
from lms.quizzes.models import Attempt
from lms.reports.personal_data import account_erase, has_evidence, storage_delete_on_commit
from lms.xapi.models import Statement

User = get_user_model()


@dataclass
class Line:
    """One category of the report: what it covers, how many rows (and stored files) it concerns."""

    key: str
    label: str
    count: int
    files: int = 0


def _still_employed(cutoff, trainee_ref="trainee"):
    """The person is employed by a practice on the platform, or was on `cutoff` or later: what they hold as a
    qualification still serves their employer's deadlines (avenant 7), so it stays."""
    return Exists(Employment.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff),
                                            trainee=OuterRef(trainee_ref)))


def expired_enrolments(today):
    """Enrolments whose training ended before the evidence period's cutoff: nothing of theirs is dated later
    (enrolment, start, completion, lesson done or read, attempt, attestation issued or revoked, result obtained
    or recorded), and no result in force still serves an employment."""
    cutoff = period("evidence").cutoff(today)
    moment = legal_day_start(cutoff)
    later = {"enrolment": OuterRef("pk")}
    return (Enrolment.objects.filter(enrolled_at__lt=moment, starts_on__lt=cutoff)
            .exclude(completed_at__gte=moment)
            .exclude(Exists(LessonCompletion.objects.filter(completed_at__gte=moment, **later)))
            .exclude(Exists(LessonTime.objects.filter(last_seen_at__gte=moment, **later)))
            .exclude(Exists(Attempt.objects.filter(Q(started_at__gte=moment) | Q(submitted_at__gte=moment), **later)))
            .exclude(Exists(Certificate.objects.filter(Q(issued_at__gte=moment) | Q(revoked_at__gte=moment), **later)))
            .exclude(Exists(QualificationResult.objects.filter(
                Q(obtained_on__gte=cutoff) | Q(recorded_at__gte=moment) | Q(revoked_at__gte=moment), **later)))
            .exclude(Exists(QualificationResult.objects.filter(revoked_at__isnull=True, **later))
                     & _still_employed(cutoff)))


def _enrolments_delete(enrolments):
    """Delete enrolments with all their evidence (cascades), their attestations and statements, and their files."""
    ids = list(enrolments.values_list("pk", flat=True))
    certificates = Certificate.objects.filter(enrolment_id__in=ids)
    results = QualificationResult.objects.filter(enrolment_id__in=ids)
    files = list(certificates.exclude(pdf="").values_list("pdf", flat=True)) + list(
        results.exclude(document="").values_list("document", flat=True))
    Statement.objects.filter(registration__in=Enrolment.objects.filter(pk__in=ids).values("registration")).delete()
    certificates.update(superseded_by=None)
    certificates.delete()  # the attestation protects its enrolment: it goes first, with its log
    Enrolment.objects.filter(pk__in=ids).delete()  # completions, attempts, times, results, beats
    storage_delete_on_commit(files)
    return len(ids), len(files)


def expired_declarations(today):
    """Declared trainings past their period, unless their person is still employed (their employer's proof)."""
    cutoff = period("declarations").cutoff(today)
    return (DeclaredTraining.objects.filter(occurred_on__lt=cutoff, declared_at__lt=legal_day_start(cutoff))
            .exclude(_still_employed(cutoff)))


def _last_seen():
    """When the person last used the account: the latest of joining, logging in and a session's activity."""
    joined = "date_joined"
    activity = Subquery(StudySession.objects.filter(user=OuterRef("pk")).values("user")
                        .annotate(last=Max("last_activity_at")).values("last")[:1], output_field=DateTimeField())
    return Greatest(Coalesce("last_login", joined), Coalesce(activity, joined))


def _inactivity_candidates():
    return (User.objects.filter(is_superuser=False, erased_at__isnull=True)
            .annotate(last_seen=_last_seen()))


def inactive_to_warn(today):
    """Accounts that will be due for deletion within the warning period, not yet warned since their last use."""
    due_from = legal_day_start(add_days(period("inactive_accounts").cutoff(today),
                                        period("inactivity_warning").amount))
    return (_inactivity_candidates().filter(last_seen__lt=due_from, is_active=True)
            .filter(Q(inactivity_warned_at__isnull=True) | Q(inactivity_warned_at__lt=F("last_seen"))))


def inactive_to_delete(today, now):
    """Accounts unused for the whole period, warned at least the warning period ago and not used since."""
    cutoff = legal_day_start(period("inactive_accounts").cutoff(today))
    warned_before = now - timedelta(days=period("inactivity_warning").amount)
    return (_inactivity_candidates().filter(last_seen__lt=cutoff, inactivity_warned_at__lte=warned_before)
            .filter(inactivity_warned_at__gt=F("last_seen")))


def erased_without_evidence(*, leaving_enrolments=(), leaving_declarations=()):
    """Erased accounts whose evidence has all gone (or is about to: `leaving_*`, for a dry run's count)."""
    return (User.objects.filter(erased_at__isnull=False)
            .exclude(Exists(Enrolment.objects.filter(trainee=OuterRef("pk")).exclude(pk__in=leaving_enrolments)))
            .exclude(Exists(DeclaredTraining.objects.filter(trainee=OuterRef("pk"))
                            .exclude(pk__in=leaving_declarations))))


def orphan_statements(today):
    cutoff = legal_day_start(period("statements").cutoff(today))
    return (Statement.objects.filter(timestamp__lt=cutoff)
            .exclude(Exists(Enrolment.objects.filter(registration=OuterRef("registration")))))


def old_sessions(today):
    return StudySession.objects.filter(last_activity_at__lt=legal_day_start(period("connection_log").cutoff(today)))


def stale_offers(today):
    moment = legal_day_start(period("invitations").cutoff(today))
    return EnrolmentOffer.objects.filter(Q(answered_at__lt=moment)
                                         | Q(status=OfferStatus.PENDING, expires_at__lt=moment))


def stale_invitations(today):
    moment = legal_day_start(period("invitations").cutoff(today))
    return Invitation.objects.filter(Q(accepted_at__lt=moment) | Q(revoked_at__lt=moment)
                                     | Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lt=moment))


def revoked_calendar_tokens(today):
    return CalendarToken.objects.filter(revoked_at__lt=legal_day_start(period("calendar_tokens").cutoff(today)))


def stale_beats(today):
    return ActivityBeat.objects.filter(at__lt=legal_day_start(period("activity_beats").cutoff(today)))


def _warn(users, *, today, now, base_url):
    """Send each account its warning, once (recorded in the same transaction as the batch)."""
    deletion_on = add_days(today, period("inactivity_warning").amount)
    sent = 0
    with override("fr"):
        for user in users:
            context = {"name": user.get_full_name() or user.email, "deletion_on": deletion_on,
                       "login_url": base_url.rstrip("/") + reverse("account_login"), "site_name": settings.LMS_SITE_NAME,
                       "years": period("inactive_accounts").amount}
            subject = render_to_string("reports/email/inactivity_warning_subject.txt", context).strip()
            message = EncodedSubjectEmail(subject, render_to_string("reports/email/inactivity_warning.txt", context),
                                          settings.DEFAULT_FROM_EMAIL, [user.email])
            with transaction.atomic():
                # Claimed by comparing with what was read: a concurrent run that warned first wins, once.
                unchanged = (Q(inactivity_warned_at__isnull=True) if user.inactivity_warned_at is None
                             else Q(inactivity_warned_at=user.inactivity_warned_at))
                if User.objects.filter(unchanged, pk=user.pk).update(inactivity_warned_at=now):
                    transaction.on_commit(message.send)
                    sent += 1
    return sent


def _delete_inactive(users, now):
    """Unused accounts go: erased (memberships, offers, declarations and their files first), then the row itself
    unless evidence under its period keeps the name. Returns (deleted, erased with evidence kept)."""
    deleted = erased = 0
    for user in users:
        with transaction.atomic():
            account_erase(user=user, now=now)
            if has_evidence(user):
                erased += 1
            else:
                user.delete()
                deleted += 1
    return deleted, erased


def retention_apply(*, today, now=None, dry_run=False, base_url=""):
    """Apply every retention period on `today`; return the report's lines (counts of what was, or would be, done)."""
    now = now or timezone.now()
    lines = []

    def line(key, label, count, files=0):
        lines.append(Line(key, str(label), count, files))

    to_warn = list(inactive_to_warn(today))
    line("inactivity_warnings", _("Inactive accounts warned by email"),
         len(to_warn) if dry_run else _warn(to_warn, today=today, now=now, base_url=base_url))

    to_delete = list(inactive_to_delete(today, now))
    if dry_run:
        with_evidence = sum(1 for user in to_delete if has_evidence(user))
        deleted, erased = len(to_delete) - with_evidence, with_evidence
    else:
        deleted, erased = _delete_inactive(to_delete, now)
    line("inactive_accounts_deleted", _("Inactive accounts deleted"), deleted)
    line("inactive_accounts_erased", _("Inactive accounts erased, evidence kept with the name"), erased)

    enrolments = expired_enrolments(today)
    ids = list(enrolments.values_list("pk", flat=True))
    if dry_run:
        files = (Certificate.objects.filter(enrolment_id__in=ids).exclude(pdf="").count()
                 + QualificationResult.objects.filter(enrolment_id__in=ids).exclude(document="").count())
        count = len(ids)
    else:
        with transaction.atomic():
            count, files = _enrolments_delete(enrolments)
    line("evidence", _("Enrolments whose evidence period ended (with progress, attempts, results, attestations "
                       "and their statements)"), count, files)

    declarations = expired_declarations(today)
    declaration_ids = list(declarations.values_list("pk", flat=True))
    files = list(declarations.exclude(evidence="").values_list("evidence", flat=True))
    count = declarations.count()
    if not dry_run:
        with transaction.atomic():
            storage_delete_on_commit(files)
            declarations.delete()
    line("declarations", _("Declared trainings past their period"), count, len(files))

    for key, label, queryset in (
            ("statements", _("Learning traces without their enrolment"), orphan_statements(today)),
            ("connection_log", _("Connection record sessions"), old_sessions(today)),
            ("offers", _("Answered or expired enrolment invitations"), stale_offers(today)),
            ("invitations", _("Answered, revoked or expired invitations"), stale_invitations(today)),
            ("calendar_tokens", _("Revoked calendar addresses"), revoked_calendar_tokens(today)),
            ("login_sessions", _("Expired login sessions"), Session.objects.filter(expire_date__lt=now)),
    ):
        count = queryset.count()
        if not dry_run and count:
            with transaction.atomic():
                queryset.delete()
        line(key, label, count)

    beats = stale_beats(today)
    count = beats.count()
    if not dry_run and count:
        settle(set(beats.values_list("user_id", flat=True)))  # counted into active time (evidence), then deleted
        stale_beats(today).delete()  # what settling could not place
    line("activity_beats", _("Presence signals not counted in time"), count)

    # Last: the accounts whose evidence this run (or an earlier one) deleted.
    erased_accounts = (erased_without_evidence(leaving_enrolments=ids, leaving_declarations=declaration_ids)
                       if dry_run else erased_without_evidence())
    count = erased_accounts.count()
    if not dry_run and count:
        with transaction.atomic():
            erased_accounts.delete()
    line("erased_accounts", _("Erased accounts with no evidence left"), count)
    return lines
