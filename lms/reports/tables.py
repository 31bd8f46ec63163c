"""The cells of the deadline tables, formatted once in Python for the rows of the page shown.

A template that includes a sub-template and runs three date filters per cell costs about a millisecond a row;
these plain strings in plain dicts (a template finds a dict key at its first try, an attribute only after a
failed key lookup) cost a tenth of that, and the templates only place them.
"""
from django.urls import reverse
from django.utils.translation import gettext as _, ngettext

from lms.accounts.models import EntryProfile
from lms.core.display import DateText, choice_labels, full_name
from lms.deadlines.rules import ENDED, ENROLMENT_OVERDUE, QUALIFICATION_OVERDUE, QUALIFIED, TRAINING_COMPLETED

# What `lines` reads of each employment: pass them as `fields` to lms.deadlines.selectors.deadline_rows.
FIELDS = ("trainee__first_name", "trainee__last_name", "trainee__email", "practice__name",
          "trainee__trainee_profile__entry_profile")

# Status is never told by colour alone: each has an icon (hidden from screen readers) and its label.
STATUS_ICONS = {QUALIFIED: "✔", TRAINING_COMPLETED: "◐", ENROLMENT_OVERDUE: "✘", QUALIFICATION_OVERDUE: "✘",
                ENDED: "–"}
DEFAULT_ICON = "●"


def entry_profiles():
    """Entry profile labels by value, in the active language."""
    return choice_labels(EntryProfile)


def status_cell(deadline):
    return {"code": deadline.status, "icon": STATUS_ICONS.get(deadline.status, DEFAULT_ICON),
            "label": str(deadline.label), "at_risk": deadline.at_risk, "risk_reason": deadline.risk_reason}


def rule_cell(deadline):
    """The rule set a row's deadlines come from: its short name, its legal source and where to read it."""
    return {"name": deadline.rule_name, "source": deadline.rule_source, "url": deadline.rule_url}


def _deadline_cell(fmt, done_on, declared, done_message, deadline, days_left):
    """Met: when (and whether declared); else the deadline and the days left or since it passed."""
    if done_on:
        text = done_message % {"d": fmt(done_on)}
        if declared:
            text = "%s (%s)" % (text, _("declared"))
        return {"met": True, "text": text}
    if days_left < 0:
        days = _("passed %(n)s days ago") % {"n": -days_left}
    else:
        days = ngettext("%(counter)s day left", "%(counter)s days left", days_left) % {"counter": days_left}
    return {"met": False, "text": fmt(deadline), "days": days}


def employment_link(row):
    """The employing practice's page of the row's employment."""
    return reverse("employment_detail", args=[row.employment.pk])


def lines(rows, *, certificate_urls=None, link=employment_link):
    """The cells of rows of deadline_rows(..., fields=FIELDS), in their order; `link(row)`: where the name leads."""
    fmt, profiles = DateText(), entry_profiles()
    met, obtained = _("met on %(d)s"), _("obtained %(d)s")
    certificate_urls = certificate_urls or {}
    result = []
    for r in rows:
        e, deadline = r.employment, r.deadline
        result.append({
            "name": full_name(e.trainee__first_name, e.trainee__last_name, e.trainee__email),
            "url": link(r),
            "practice": e.practice__name,
            "entry_profile": profiles.get(e.trainee__trainee_profile__entry_profile, ""),
            "hired": fmt(e.hired_on),
            "track": r.track_title or "—",
            "progress": f"{r.percent} %" if r.enrolment else "—",
            "start": _deadline_cell(fmt, deadline.enrolment_met_on, r.training_started_declared and (
                                        r.training_started_on == deadline.enrolment_met_on),
                                    _("met late, on %(d)s") if deadline.enrolment_met_late else met,
                                    deadline.enrolment_deadline, deadline.enrolment_days_left),
            "qualification": _deadline_cell(fmt, r.qualified_on, r.qualified_declared, obtained,
                                            deadline.qualification_deadline, deadline.qualification_days_left),
            "next_deadline": fmt(deadline.soonest_open_deadline),
            "status": status_cell(deadline),
            "rule": rule_cell(deadline),
            "certificate_url": certificate_urls.get(r.enrolment.pk) if r.enrolment else None,
        })
    return result
