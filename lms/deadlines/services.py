"""Writes on deadlines: declared trainings, reminders (each exactly once), calendar tokens."""
from django.conf import settings
import logging
from smtplib import SMTPException

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lms.core.errors import DomainError
from lms.core.uploads import UploadRejected, evidence_clean
from lms.deadlines.models import MAX_EVIDENCE_BYTES, CalendarToken, DeclaredTraining, ReminderSent, hash_token

logger = logging.getLogger(__name__)
REMINDER_THRESHOLDS = (180, 90, 30, 7)


def check_evidence(upload):
    """A PDF, PNG or JPEG of at most 5 MB, judged by its bytes, not its name; returns the file to store
    (an image re-encoded without its metadata: lms.core.uploads)."""
    try:
        return evidence_clean(upload, max_bytes=MAX_EVIDENCE_BYTES)
    except UploadRejected as error:
        raise DomainError(error.message, field="evidence") from None


@transaction.atomic
def declared_training_create(*, trainee, kind, occurred_on, organisation, evidence, declared_by, today=None):
    """Record a training start or qualification obtained elsewhere; it counts for the deadline status."""
    today = today or timezone.localdate()
    if occurred_on > today:
        raise DomainError(_("The date cannot be in the future."), field="occurred_on")
    evidence = check_evidence(evidence)
    return DeclaredTraining.objects.create(trainee=trainee, kind=kind, occurred_on=occurred_on,
                                           organisation=organisation.strip(), evidence=evidence, declared_by=declared_by)


def due_reminder(days_left):
    """The reminder due for a deadline `days_left` away: the most urgent threshold reached, 0 once missed."""
    if days_left < 0:
        return 0
    reached = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


def _wants(user, threshold, preferences):
    """Missed-deadline notices always go; advance ones per the member's choice (all by default)."""
    chosen = preferences.get(user.pk)
    return threshold == 0 or chosen is None or threshold in chosen


def reminders_send(*, rows, base_url, today, dry_run=False, stdout=None):
    """Send the reminders due for these rows; each (employment, deadline, threshold) goes out once.

    A run that missed days sends only the most urgent reminder due, not a burst. A mail server that refuses
    the message leaves nothing recorded, so the next run tries again.
    """
    from lms.deadlines.models import ReminderPreference

    member_ids = {m.user_id for row in rows for m in row.employment.practice.memberships.all()}
    preferences = dict(ReminderPreference.objects.filter(user_id__in=member_ids).values_list("user_id", "thresholds"))
    already = set(ReminderSent.objects.filter(employment__in=[r.employment for r in rows])
                  .values_list("employment_id", "deadline", "threshold", "deadline_date"))
    sent = 0
    for row in rows:
        status = row.deadline
        if status.status in ("qualified", "ended"):
            continue
        if row.training_started_on is None:
            deadline, deadline_date, days_left = "enrolment", status.enrolment_deadline, status.enrolment_days_left
        else:
            deadline, deadline_date, days_left = "qualification", status.qualification_deadline, status.qualification_days_left
        threshold = due_reminder(days_left)
        if threshold is None or (row.employment.pk, deadline, threshold, deadline_date) in already:
            continue
        members = [m.user for m in row.employment.practice.memberships.all() if _wants(m.user, threshold, preferences)]
        recipients = sorted({row.trainee.email} | {user.email for user in members})
        if dry_run:
            if stdout:
                stdout.write(f"would send {deadline} J-{threshold} to {', '.join(recipients)}")
            sent += 1
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(employment=row.employment, deadline=deadline, threshold=threshold,
                                            deadline_date=deadline_date, recipients=", ".join(recipients))
                _send_reminder(row, deadline, deadline_date, days_left, threshold, recipients, base_url)
        except IntegrityError:
            continue  # sent by a concurrent run
        except (OSError, SMTPException) as error:
            logger.warning("Reminder for employment %s not sent (%s); it will be retried", row.employment.pk, error)
            continue
        sent += 1
    return sent


def _send_reminder(row, deadline, deadline_date, days_left, threshold, recipients, base_url):
    with override("fr"):
        context = {"row": row, "deadline": deadline, "deadline_date": deadline_date, "days_left": days_left,
                   "missed": threshold == 0, "base_url": base_url.rstrip("/"), "site_name": settings.LMS_SITE_NAME}
        subject = render_to_string("deadlines/email/reminder_subject.txt", context).strip()
        message = EmailMultiAlternatives(subject, render_to_string("deadlines/email/reminder.txt", context),
                                         settings.DEFAULT_FROM_EMAIL, recipients)
        message.attach_alternative(render_to_string("deadlines/email/reminder.html", context), "text/html")
        message.send()


@transaction.atomic
def calendar_token_create(*, user):
    """A new private calendar address; the previous ones stop working."""
    CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = CalendarToken.new_token()
    CalendarToken.objects.create(user=user, token_hash=hash_token(token))
    return token


def calendar_token_revoke(*, user):
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def calendar_user(token):
    found = CalendarToken.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True).select_related("user").first()
    return found.user if found and found.user.is_active else None
