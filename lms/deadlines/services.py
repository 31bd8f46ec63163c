"""Writes on deadlines: declared trainings, reminders (each exactly once), calendar tokens."""
import logging
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from smtplib import SMTPException, SMTPServerDisconnected

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from django.utils.translation import override

from lms.core.dates import legal_today
from lms.core.display import long_date
from lms.core.errors import DomainError
from lms.core.mail import EncodedSubjectEmail
from lms.core.uploads import UploadRejected, evidence_clean
from lms.deadlines.models import (
    MAX_EVIDENCE_BYTES,
    CalendarToken,
    DeadlineRuleSet,
    DeclaredTraining,
    ReminderPreference,
    ReminderSent,
    hash_token,
)
from lms.deadlines.rules import DueReminder, reminder_due, rule_for
from lms.deadlines.selectors import employment_rows, reminder_candidates, rule_sets
from lms.organisations.models import Employment, PracticeMembership
from lms.organisations.selectors import within_employment

logger = logging.getLogger(__name__)


def check_evidence(upload):
    """A PDF, PNG or JPEG of at most 5 MB, judged by its bytes, not its name; returns the file to store
    (an image re-encoded without its metadata: lms.core.uploads)."""
    try:
        return evidence_clean(upload, max_bytes=MAX_EVIDENCE_BYTES)
    except UploadRejected as error:
        raise DomainError(error.message, field="evidence") from None


@transaction.atomic
def declared_training_create(*, kind, occurred_on, organisation, evidence, declared_by, employment=None,
                             trainee=None, today=None):
    """Record a training start or qualification obtained elsewhere; it counts for the deadline status.

    A practice declares on its `employment` of the assistant, and the declaration belongs to it
    (lms.deadlines.selectors.declarations_for says where it counts); on an ended employment, nothing dated
    after the end: the former practice keeps its past, the assistant's later life is not its to record.
    Without an employment (`trainee` only), the declaration is the person's, outside any employment.
    """
    today = today or legal_today()
    if employment is not None:
        trainee = employment.trainee
    if occurred_on > today:
        raise DomainError(_("The date cannot be in the future."), field="occurred_on")
    if employment is not None and not within_employment(occurred_on, employment.ended_on):
        raise DomainError(_("The date is after the end of this employment (%(date)s).") % {
            "date": long_date(employment.ended_on)}, field="occurred_on")
    evidence = check_evidence(evidence)
    return DeclaredTraining.objects.create(trainee=trainee, employment=employment, kind=kind,
                                           occurred_on=occurred_on, organisation=organisation.strip(),
                                           evidence=evidence, declared_by=declared_by)


def _wants(user_id, threshold, preferences):
    """Missed-deadline notices always go; advance ones per the member's choice (all by default)."""
    chosen = preferences.get(user_id)
    return threshold == 0 or chosen is None or threshold in chosen


@dataclass
class _Outgoing:
    """One reminder to send: what its email says, to whom, then its record and message."""

    employment_id: int
    due: DueReminder
    name: str  # the trainee's, as shown
    rule: DeadlineRuleSet
    track_title: str
    percent: int
    recipients: list
    record: ReminderSent = None
    message: EncodedSubjectEmail = None


def reminders_send(*, today, base_url, dry_run=False, stdout=None, chunk_size=500, batch_size=100):
    """Send the reminders due on `today`; each (employment, deadline, threshold) goes out once.

    A run that missed days sends only the most urgent reminder due, not a burst. A mail server that refuses
    the message leaves nothing recorded, so the next run tries again. Employments are read in chunks (memory
    stays flat), the mails go through one connection, and the number of queries depends on the number of
    chunks and batches, not on the rows.
    """
    rules = rule_sets()
    sent = 0
    connection = None if dry_run else get_connection()
    if connection:
        connection.open()
    try:
        with override("fr"):
            emails = ReminderEmails(base_url)
            for candidates in reminder_candidates(today, rules, chunk_size):
                outgoing = _due_and_not_sent(candidates, today, rules)
                if dry_run:
                    for item in outgoing:
                        if stdout:
                            stdout.write(f"would send {item.due.deadline} J-{item.due.threshold} to "
                                         f"{', '.join(item.recipients)}")
                    sent += len(outgoing)
                    continue
                for start in range(0, len(outgoing), batch_size):
                    batch = outgoing[start:start + batch_size]
                    for item in batch:
                        item.message = emails.build(item, connection)
                    sent += _deliver(batch)
    finally:
        if connection:
            connection.close()
    return sent


def _due_and_not_sent(candidates, today, rules):
    """The reminders these candidates are due and no run has recorded yet, with their content and recipients.

    A constant number of queries, whatever the number of candidates; the track and its progress are read only
    for trainees enrolled on the platform (the email mentions them), through the rows the tables use.
    """
    due = {}
    for candidate in candidates:
        rule = rule_for(candidate.hired_on, rules, candidate.entry_profile)
        reminder = reminder_due(hired_on=candidate.hired_on, today=today, rule=rule, ended_on=candidate.ended_on,
                                training_started_on=candidate.started_on, qualified_on=candidate.qualified_on)
        if reminder is not None:
            due[candidate.id] = (candidate, rule, reminder)
    if due:
        recorded = set(ReminderSent.objects.filter(employment_id__gte=candidates[0].id,  # the chunk's key range
                                                   employment_id__lte=candidates[-1].id)
                       .values_list("employment_id", "deadline", "threshold", "deadline_date"))
        due = {pk: entry for pk, entry in due.items() if (pk, *entry[2].key) not in recorded}
    if not due:
        return []
    trainees = (get_user_model().objects.only("first_name", "last_name", "email")
                .in_bulk({candidate.trainee_id for candidate, _rule, _reminder in due.values()}))
    enrolled = [pk for pk, (candidate, _rule, _reminder) in due.items() if candidate.enrolled]
    progress = {row.employment.pk: row for row in employment_rows(
        Employment.objects.filter(pk__in=enrolled).select_related("trainee"), today)} if enrolled else {}
    members = defaultdict(list)
    for practice_id, user_id, email in (PracticeMembership.objects.order_by()
                                        .filter(practice_id__in={c.practice_id for c, _rule, _reminder in due.values()})
                                        .values_list("practice_id", "user_id", "user__email")):
        members[practice_id].append((user_id, email))
    preferences = dict(ReminderPreference.objects.values_list("user_id", "thresholds")
                       .filter(user_id__in={user_id for people in members.values() for user_id, _email in people}))
    outgoing = []
    for pk, (candidate, rule, reminder) in due.items():
        trainee, row = trainees.get(candidate.trainee_id), progress.get(pk)
        if trainee is None:
            continue  # deleted meanwhile
        emails = {email for user_id, email in members[candidate.practice_id]
                  if _wants(user_id, reminder.threshold, preferences)}
        outgoing.append(_Outgoing(pk, reminder, str(trainee), rule, row.track_title if row else "",
                                  row.percent if row else 0, sorted({trainee.email} | emails)))
    return outgoing


def _deliver(batch):
    """Record and send a batch of reminders in one transaction; return how many went out.

    The records are written before sending: a concurrent run waits on them, then skips what this run sent
    (the unique constraint). A message the mail server refuses has its record deleted before the commit,
    so the next run tries again. Should the process die before the commit, nothing of the batch is recorded
    and the next run sends it again: rather twice than never.
    """
    for item in batch:
        item.record = ReminderSent(employment_id=item.employment_id, deadline=item.due.deadline,
                                   threshold=item.due.threshold, deadline_date=item.due.deadline_date,
                                   recipients=", ".join(item.recipients))
    sent, refused = 0, []
    with transaction.atomic():
        for item in _claim(batch):
            try:
                _send(item.message)
            except (OSError, SMTPException) as error:
                logger.warning("Reminder for employment %s not sent (%s); it will be retried",
                               item.employment_id, error)
                refused.append(item.record.pk)
            except Exception:  # one faulty message must not undo, and so send again, the rest of its batch
                logger.exception("Reminder for employment %s not sent; it will be retried", item.employment_id)
                refused.append(item.record.pk)
            else:
                sent += 1
        if refused:
            ReminderSent.objects.filter(pk__in=refused).delete()
    return sent


def _send(message):
    """Send on the run's connection; a server that closed the session (a limit per connection, a timeout) gets
    a new one, once."""
    try:
        message.send()
    except SMTPServerDisconnected:
        message.connection.close()
        message.connection.open()
        message.send()


def _claim(batch):
    """Insert the batch's records; those a concurrent run holds are skipped, one by one."""
    try:
        with transaction.atomic():
            ReminderSent.objects.bulk_create([item.record for item in batch])
        return batch
    except IntegrityError:
        claimed = []
        for item in batch:
            item.record.pk = None
            try:
                with transaction.atomic():
                    item.record.save(force_insert=True)
            except IntegrityError:
                continue  # sent by a concurrent run
            claimed.append(item)
        return claimed


class ReminderEmails:
    """The French reminder email from its templates; use within `override("fr")`.

    Reminders with the same deadline, days left, rule and track progress read the same but for the trainee's
    name: the three templates are rendered once per such content (a bounded cache) with a marker where the name
    goes, then each message gets its name, escaped in the HTML version. Every variable the templates see but
    the name is part of the cache key, so a template edit cannot make two reminders share a wrong text.
    """

    NAME = "\x00name\x00"  # no name, text or template contains a NUL character

    def __init__(self, base_url, cache_size=2048):
        self.templates = [get_template(f"deadlines/email/{name}")
                          for name in ("reminder_subject.txt", "reminder.txt", "reminder.html")]
        self.base_url = base_url.rstrip("/")
        self._content = lru_cache(maxsize=cache_size)(self._render)

    def _render(self, deadline, deadline_date, days_left, missed, rule_name, rule_source, rule_url, track_title,
                percent):
        context = {"name": self.NAME, "deadline": deadline, "deadline_date": deadline_date, "days_left": days_left,
                   "missed": missed, "rule_name": rule_name, "rule_source": rule_source, "rule_url": rule_url,
                   "track_title": track_title,
                   "percent": percent, "base_url": self.base_url, "site_name": settings.LMS_SITE_NAME}
        return [template.render(context) for template in self.templates]

    def content(self, *, name, due, rule_name, rule_source, rule_url="", track_title="", percent=0):
        """(subject, text, html) of the reminder `due` for the trainee called `name`."""
        subject, text, html = self._content(due.deadline, due.deadline_date, due.days_left, due.threshold == 0,
                                            rule_name, rule_source, rule_url, track_title,
                                            percent if track_title else None)
        return (subject.replace(self.NAME, name).strip(), text.replace(self.NAME, name),
                html.replace(self.NAME, conditional_escape(name)))

    def build(self, item, connection):
        subject, text, html = self.content(name=item.name, due=item.due, rule_name=item.rule.name,
                                           rule_source=item.rule.legal_source, rule_url=item.rule.source_url,
                                           track_title=item.track_title,
                                           percent=item.percent)
        message = EncodedSubjectEmail(subject, text, settings.DEFAULT_FROM_EMAIL, item.recipients,
                                      connection=connection)
        message.attach_alternative(html, "text/html")
        return message


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
