"""The retention periods: how long each kind of personal data is kept, read from the settings in one place.

The daily command that applies them (lms.reports.retention, `manage.py apply_retention`) and the privacy notice that
announces them (lms.legal) both read this list, so the notice states exactly what the command does. The periods
live in core because the legal pages sit on core only; what each period deletes is decided in lms.reports.retention.

Sources of the defaults:
- evidence of training (enrolments, progress, attempts, results, attestations, statements, connection record):
  funders (OPCO) audit afterwards and may ask for it; DOMAIN.md: "keep the certificate 3 years and the evidence
  6 years (10 when co-financed by EU funds)" — Code du travail L6353-1 (attestation), D6313-3-1 (online training
  proven by platform extracts and connection logs);
- inactive accounts: CNIL's recommendation (delete an account unused for 3 years, after a warning);
- technical logs, stale invitations and revoked calendar addresses: kept only as long as they serve (CNIL).
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lms.core.dates import add_days, add_years

YEARS, DAYS = "years", "days"


@dataclass(frozen=True)
class Period:
    """One retention period: `amount` `unit` counted from `starts` (a phrase), for `data` (a phrase)."""

    key: str
    setting: str
    default: int
    unit: str
    data: str
    starts: str

    @property
    def amount(self):
        return int(getattr(settings, self.setting, self.default))

    def cutoff(self, today):
        """The first day still kept: what started before it is past its period on `today`.

        Something dated D is kept through D + period (French rule for years: 29 February + 1 year is 28 February)
        and goes the day after; `D < cutoff(today)` says exactly that.
        """
        if self.unit == DAYS:
            return add_days(today, -self.amount)
        cutoff = add_years(today, -self.amount)
        # On 29 February, a year back lands on 28 February, whose period ended the day before: the next day.
        return cutoff if add_years(cutoff, self.amount) >= today else add_days(cutoff, 1)

    @property
    def duration_label(self):
        if self.unit == YEARS:
            return ngettext("%(count)d year", "%(count)d years", self.amount) % {"count": self.amount}
        return ngettext("%(count)d day", "%(count)d days", self.amount) % {"count": self.amount}


PERIODS = (
    Period("evidence", "LMS_EVIDENCE_RETENTION_YEARS", 6, YEARS,
           _("Training evidence: enrolments, lessons and quizzes done, attempts and answers, active time, "
             "certification results and their documents, attestations and their PDFs, learning traces (xAPI)"),
           _("after the end of the training (its completion, last activity or certification, whichever is latest); "
             "a certification result in force stays as long as its holder is employed by a practice on the "
             "platform, then for the same period")),
    Period("connection_log", "LMS_CONNECTION_LOG_RETENTION_YEARS", 6, YEARS,
           _("Connection record (login dates, last activity, active time of each session)"),
           _("after the session")),
    Period("declarations", "LMS_DECLARATION_RETENTION_YEARS", 6, YEARS,
           _("Trainings and qualifications declared by the employer, with their supporting document"),
           _("after the declared date; kept as long as the assistant is employed by a practice on the platform, "
             "then for the same period")),
    Period("statements", "LMS_STATEMENT_RETENTION_YEARS", 6, YEARS,
           _("Learning traces (xAPI) no longer attached to an enrolment"),
           _("after the trace was recorded")),
    Period("inactive_accounts", "LMS_INACTIVE_ACCOUNT_YEARS", 3, YEARS,
           _("Accounts not used (no login)"),
           _("after the last login; a warning email is sent beforehand, and the evidence still under its period "
             "is kept with the person's name and the date of deletion")),
    Period("inactivity_warning", "LMS_INACTIVE_WARNING_DAYS", 30, DAYS,
           _("Warning before an unused account is deleted"),
           _("before the deletion; logging in again keeps the account")),
    Period("invitations", "LMS_STALE_INVITATION_DAYS", 90, DAYS,
           _("Invitations to join a body or a practice and invitations to enrol that were answered, cancelled or "
             "expired"),
           _("after the answer, the cancellation or the expiry")),
    Period("calendar_tokens", "LMS_REVOKED_CALENDAR_TOKEN_DAYS", 30, DAYS,
           _("Private calendar addresses that were revoked"),
           _("after the revocation")),
    Period("activity_beats", "LMS_ACTIVITY_BEAT_DAYS", 7, DAYS,
           _("Presence signals of open pages not yet counted into active time"),
           _("after they were received (they are counted, then deleted, within minutes)")),
)
BY_KEY = {period.key: period for period in PERIODS}


def period(key):
    return BY_KEY[key]
