"""The training body's learners at risk: a deadline missed or near (lms.deadlines), or behind the planned pace of
their track (the pace of 'Mon parcours', lms.learning.progress). One row per learner, with every reason."""
from dataclasses import dataclass

from django.utils.translation import ngettext

from lms.accounts.models import User
from lms.core.display import DateText, full_name
from lms.deadlines.selectors import deadline_rows, unsettled
from lms.learning import selectors as learning_selectors
from lms.learning.models import Enrolment, EnrolmentStatus
from lms.learning.progress import items_text
from lms.organisations.models import Employment
from lms.reports import tables


@dataclass
class AtRisk:
    """One learner at risk: the employment whose deadlines the row shows (an at-risk one first), the enrolment
    behind its pace with where it stands (EnrolmentPace), and the reasons."""

    trainee_id: int
    employment_id: int | None = None
    deadline: object = None  # DeadlineStatus of that employment, when at risk
    behind: tuple | None = None  # (enrolment record, EnrolmentPace)

    @property
    def sort_key(self):
        """Deadline risks first, soonest deadline first; then the learners most behind their pace."""
        if self.deadline is not None:
            return (0, _deadline_key(self.deadline), 0)
        return (1, None, -self.behind[1].pace.behind_by)

    @property
    def reasons(self):
        """Why the learner is listed, as sentences: written for the page shown only (lines_for), not for every
        learner sorted (a body of 2,000 learners spent about 400 ms writing the reasons of rows it did not show)."""
        reasons = []
        if self.deadline is not None:
            reasons.append(self.deadline.risk_reason)
        if self.behind is not None:
            reasons.append(pace_reason(self.behind[1]))
        return reasons


def pace_reason(summary):
    """'Behind the planned pace by 4 items (3 / 12 done; planned end 12 March 2027)'."""
    pace, progress = summary.pace, summary.progress
    return ngettext(
        "Behind the planned pace by %(count)s item (%(done)s done; planned end %(end)s).",
        "Behind the planned pace by %(count)s items (%(done)s done; planned end %(end)s).",
        pace.behind_by) % {"count": pace.behind_by, "done": items_text(progress.items_done, progress.items_total),
                           "end": DateText()(summary.planned_end)}


def _deadline_key(deadline):
    """The day a deadline risk is sorted by: the soonest deadline still open."""
    return deadline.soonest_open_deadline or deadline.qualification_deadline


def learners_at_risk(bodies, today):
    """The learners of `bodies` at risk, sorted (AtRisk, without names: lines_for reads them for one page).

    Deadlines: the unsettled employments of the bodies' learners, their status computed without progress (it never
    depends on it). Pace: the bodies' active enrolments, in bulk (learning.selectors.paces_of). A constant number
    of queries whatever the number of learners.
    """
    trainee_ids = Enrolment.objects.filter(training_body__in=bodies).values("trainee_id")
    employments = unsettled(Employment.objects.filter(trainee_id__in=trainee_ids), today).order_by("pk")
    entries, first_employment = {}, {}
    for row in deadline_rows(employments, today, progress=False):
        trainee_id = row.employment.trainee_id
        first_employment.setdefault(trainee_id, row.employment.pk)
        if row.deadline.at_risk:
            entry = entries.setdefault(trainee_id, AtRisk(trainee_id))
            if entry.deadline is None or _deadline_key(row.deadline) < _deadline_key(entry.deadline):
                entry.employment_id, entry.deadline = row.employment.pk, row.deadline
    active = list(Enrolment.objects.filter(training_body__in=bodies, status=EnrolmentStatus.ACTIVE)
                  .order_by("starts_on", "pk")
                  .values_list("pk", "trainee_id", "track_id", "track__title", "starts_on", "cohort__ends_on", "status",
                               named=True))
    paces = learning_selectors.paces_of(active, today)
    for enrolment in active:
        summary = paces[enrolment.pk]
        if summary is None or summary.pace.status != "behind":
            continue
        entry = entries.setdefault(enrolment.trainee_id, AtRisk(enrolment.trainee_id))
        if entry.behind is None or summary.pace.behind_by > entry.behind[1].pace.behind_by:
            entry.behind = (enrolment, summary)
    for entry in entries.values():
        if entry.employment_id is None:
            entry.employment_id = first_employment.get(entry.trainee_id)
    return sorted(entries.values(), key=lambda e: (*e.sort_key, e.trainee_id))


def lines_for(entries, today, link):
    """The table's cells for one page of learners at risk (tables.lines for those with an employment, the learner's
    name and track for the others); `link(trainee_id)`: the body's page of the learner."""
    employment_ids = [e.employment_id for e in entries if e.employment_id]
    rows = {r.employment.pk: r for r in deadline_rows(Employment.objects.filter(pk__in=employment_ids), today,
                                                      fields=tables.FIELDS)}
    # The names of the whole page, in one query (those without an employment row need them; one query whatever
    # the page holds keeps the page's count of queries constant).
    names = {u.pk: u for u in User.objects.filter(pk__in=[e.trainee_id for e in entries])
             .only("pk", "first_name", "last_name", "email")} if entries else {}
    lines = []
    for entry in entries:
        row = rows.get(entry.employment_id)
        if row is not None:
            line = tables.lines([row], link=lambda r: link(entry.trainee_id))[0]
            if entry.deadline is None:  # the row's deadlines are shown, but only the pace puts it here
                line["status"] = dict(line["status"], at_risk=False)
        else:
            user = names.get(entry.trainee_id)
            line = {"name": full_name(user.first_name, user.last_name, user.email) if user else "—",
                    "url": link(entry.trainee_id), "practice": "—", "track": "—", "progress": "—",
                    "next_deadline": "—", "status": None, "rule": None}
        if entry.behind is not None:
            summary = entry.behind[1]
            line["progress"] = f"{summary.progress.percent} %"
            line["track"] = entry.behind[0].track__title
        line["reasons"] = entry.reasons
        lines.append(line)
    return lines
