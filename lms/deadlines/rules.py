"""The 2-year / 3-year rules as pure functions of dates; `today` is always passed in.

Avenant 7 (2019), art. 9-2: an assistant hired without the qualification starts a training within
2 years of hiring and obtains the qualification within 3 years. The periods come from rule sets
stored in the database, so that a later text can change them without a code change: counted in months
or years, for the hires of a range of dates and, when the rule says so, of given entry profiles only.
"""
import logging
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from lms.core.dates import add_days, add_months
from lms.core.display import long_date
from lms.deadlines.models import DeadlineRuleSet, PeriodUnit, period_months

logger = logging.getLogger(__name__)
RISK_WINDOW_DAYS = 90
REMINDER_THRESHOLDS = (180, 90, 30, 7)  # days before a deadline; a last reminder goes once it is missed

TO_ENROL = "to_enrol"
IN_TRAINING = "in_training"
TRAINING_COMPLETED = "training_completed"  # a track finished, the qualification not recorded yet
QUALIFIED = "qualified"
ENROLMENT_OVERDUE = "enrolment_overdue"
QUALIFICATION_OVERDUE = "qualification_overdue"
ENDED = "ended"

LABELS = {
    TO_ENROL: _("To enrol"),
    IN_TRAINING: _("In training"),
    TRAINING_COMPLETED: _("Training completed"),
    QUALIFIED: _("Qualified"),
    ENROLMENT_OVERDUE: _("Enrolment overdue"),
    QUALIFICATION_OVERDUE: _("Qualification overdue"),
    ENDED: _("Employment ended"),
}
STATUS_ORDER = [ENROLMENT_OVERDUE, QUALIFICATION_OVERDUE, TO_ENROL, IN_TRAINING, TRAINING_COMPLETED, QUALIFIED, ENDED]


def default_rule():
    """Avenant 7 (2019), art. 9-2 — what the data migrations install; used if an admin left a gap in the rules."""
    return DeadlineRuleSet(name="Avenant 7 — art. 9-2", enrolment_period=2, enrolment_unit=PeriodUnit.YEARS,
                           qualification_period=3, qualification_unit=PeriodUnit.YEARS,
                           legal_source="Avenant n° 7 (2019) à la convention nationale des médecins libéraux du "
                                        "25 août 2016, article 9-2, approuvé par l'arrêté du 14 août 2019")


def pick_rule(hired_on, entry_profile, rules):
    """The rule set that applies to a hire date and an entry profile, among `rules`, or None. Pure.

    A rule for given profiles takes precedence over a rule for every profile; among rules of the same reach
    (the admin refuses overlaps, data loaded otherwise may have some) the latest start wins, then the latest
    created.
    """
    matching = [r for r in rules if r.applies_to(hired_on, entry_profile)]
    if not matching:
        return None
    return max(matching, key=lambda r: (bool(r.applies_to_profiles), r.applies_from or date.min, r.pk or 0))


def rule_for(hired_on, rules=None, entry_profile=None):
    """The rule set that applies to a hire date and an entry profile (the 2019 rule when none covers them)."""
    if rules is None:
        from lms.deadlines.selectors import rule_sets  # selectors imports this module: read when called

        rules = rule_sets()
    rule = pick_rule(hired_on, entry_profile, rules)
    if rule is None:
        logger.warning("No deadline rule set covers the hire date %s (%s): the 2019 rule applies", hired_on,
                       entry_profile)
        return default_rule()
    return rule


def add_period(start, amount, unit):
    """`start` plus a period of the law: months keep the day-number or fall on the month's last day (31 January
    + 1 month = 28 or 29 February); years are 12 months (29 February + 1 year = 28 February)."""
    return add_months(start, period_months(amount, unit))


def enrolment_deadline(hired_on, rule=None, entry_profile=None):
    """The date by which a training must have started."""
    rule = rule or rule_for(hired_on, entry_profile=entry_profile)
    return add_period(hired_on, rule.enrolment_period, rule.enrolment_unit)


def qualification_deadline(hired_on, rule=None, entry_profile=None):
    """The date by which the qualification must be obtained."""
    rule = rule or rule_for(hired_on, entry_profile=entry_profile)
    return add_period(hired_on, rule.qualification_period, rule.qualification_unit)


@dataclass(frozen=True)
class DeadlineStatus:
    status: str
    enrolment_deadline: date
    qualification_deadline: date
    enrolment_days_left: int
    qualification_days_left: int
    at_risk: bool
    risk_reason: str
    rule_name: str
    rule_source: str
    enrolment_met_on: date | None = None  # a training started (or the qualification obtained): the deadline is met
    qualification_met_on: date | None = None
    rule_url: str = ""  # where the rule's text can be read, when the rule set gives it

    @property
    def enrolment_met_late(self):
        return self.enrolment_met_on is not None and self.enrolment_met_on > self.enrolment_deadline

    @property
    def label(self):
        return LABELS[self.status]

    @property
    def soonest_open_deadline(self):
        """The next deadline still to meet (for sorting), or None."""
        if self.status in (QUALIFIED, ENDED):
            return None
        if self.status in (TO_ENROL, ENROLMENT_OVERDUE):
            return self.enrolment_deadline
        return self.qualification_deadline


def deadline_status(*, hired_on, today, rule, ended_on=None, training_started_on=None, qualified_on=None,
                    planned_end=None, training_completed_on=None):
    """Status, risk and days left of one employment.

    training_started_on: the earliest training start (on the platform or declared);
    qualified_on: the date the qualification was obtained (a recorded result or a declaration with evidence);
    planned_end: when the current track should end at its pace (None when not enrolled or finished);
    training_completed_on: when the current track was finished (None while in training). Finishing a track is
    not the qualification: the qualification deadline, its risk and its reminders run on until it is obtained.
    """
    enrol_by, qualify_by = enrolment_deadline(hired_on, rule), qualification_deadline(hired_on, rule)
    enrol_left, qualify_left = (enrol_by - today).days, (qualify_by - today).days
    started = training_started_on is not None and training_started_on <= today
    risk, reason = False, ""
    if qualified_on is not None and qualified_on <= today:
        status = QUALIFIED
    elif ended_on is not None and ended_on < today:
        status = ENDED
    elif not started:
        status = ENROLMENT_OVERDUE if today > enrol_by else TO_ENROL
        if status == ENROLMENT_OVERDUE:
            risk, reason = True, _("The training should have started by %(date)s.") % {"date": long_date(enrol_by)}
        elif enrol_left <= RISK_WINDOW_DAYS:
            risk, reason = True, _("No training started, %(days)s days before the deadline.") % {"days": enrol_left}
    else:
        finished = training_completed_on is not None and training_completed_on <= today
        status = QUALIFICATION_OVERDUE if today > qualify_by else (TRAINING_COMPLETED if finished else IN_TRAINING)
        if status == QUALIFICATION_OVERDUE:
            risk, reason = True, _("The qualification should have been obtained by %(date)s.") % {
                "date": long_date(qualify_by)}
        elif not finished and planned_end is not None and planned_end > qualify_by:
            risk, reason = True, _("At the track's pace, the training ends on %(end)s, after the qualification "
                                   "deadline.") % {"end": long_date(planned_end)}
        elif qualify_left <= RISK_WINDOW_DAYS:
            risk, reason = True, _("Not qualified yet, %(days)s days before the deadline.") % {"days": qualify_left}
        elif training_started_on > enrol_by:
            risk, reason = True, _("The training started after the enrolment deadline.")
    qualified = qualified_on if qualified_on is not None and qualified_on <= today else None
    met = [d for d in (training_started_on if started else None, qualified) if d is not None]
    return DeadlineStatus(status, enrol_by, qualify_by, enrol_left, qualify_left, risk, str(reason),
                          rule.name, rule.legal_source, min(met) if met else None, qualified, rule.source_url)


def due_reminder(days_left):
    """The reminder due for a deadline `days_left` away: the most urgent threshold reached, 0 once missed."""
    if days_left < 0:
        return 0
    reached = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


@dataclass(frozen=True)
class DueReminder:
    """A reminder an employment is due: which deadline, its date, the days left and the threshold reached."""

    deadline: str  # "enrolment" or "qualification"
    deadline_date: date
    days_left: int
    threshold: int  # 0 = missed

    @property
    def key(self):
        """What makes it once: with the employment, the unique key of `ReminderSent`."""
        return self.deadline, self.threshold, self.deadline_date


def reminder_due(*, hired_on, today, rule, ended_on=None, training_started_on=None, qualified_on=None):
    """The reminder an employment is due on `today`, or None: nothing once qualified or the employment ended.

    Until a training start is known the enrolment deadline counts, then the qualification one. A run that
    missed days gets only the most urgent reminder. (The daily job calls this for every candidate: it
    skips what `deadline_status` computes for display, risk and its explanation.)
    """
    if (qualified_on is not None and qualified_on <= today) or (ended_on is not None and ended_on < today):
        return None
    if training_started_on is None:
        deadline, deadline_date = "enrolment", enrolment_deadline(hired_on, rule)
    else:
        deadline, deadline_date = "qualification", qualification_deadline(hired_on, rule)
    days_left = (deadline_date - today).days
    threshold = due_reminder(days_left)
    return None if threshold is None else DueReminder(deadline, deadline_date, days_left, threshold)


def first_reminder_hire_date(today, rules):
    """The latest hire date that can owe a reminder on `today`: a bound for the database, the rules decide after.

    The shortest period reaches its first threshold earliest; three days more cover the hires whose deadline
    falls back on a month's last day (29 to 31 January + 1 month, 29 February + 1 year).
    """
    months = min([rule.enrolment_months for rule in rules] + [default_rule().enrolment_months])
    # 31 March - 1 month = 28 February: hires from 29 to 31 January reach their deadline on that day too
    return add_days(add_months(add_days(today, max(REMINDER_THRESHOLDS)), -months), 3)
