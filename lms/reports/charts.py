"""Geometry of the server-drawn charts: an assistant's deadline timeline and a cohort's learners × modules grid.

Plain functions of dates and states that return coordinates in the SVG's own units (its viewBox); the templates
(templates/reports/_timeline_chart.html, _cohort_chart.html) only draw them. No JavaScript, no library: the
pages work as they are and the same data is given as a table beside each chart.
"""
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.core.display import long_date

# --- The deadline timeline ---------------------------------------------------------------------------------

TIMELINE_WIDTH = 480  # drawn at this size on a desktop, scaled down to a phone's width (the text stays legible)
TIMELINE_MARGIN = 16  # room at both ends of the axis for a marker drawn on the first or last day
AXIS_Y = 44
ROW_TOP = AXIS_Y + 14  # the first step's row: its name and date on one line, its marker on the line below
ROW_HEIGHT = 58
MARKER_DROP = 36  # from the top of a row to its marker's centre
LABEL_GAP = 16  # between a marker and the words beside it

# The state of a deadline, drawn by shape (and said in words), never by colour alone (WCAG 1.4.1).
MET, MET_LATE, MISSED, OPEN = "met", "met_late", "missed", "open"


@dataclass(frozen=True)
class TimelineMarker:
    """One dated step: where it is drawn, what it says, and how (its `shape`)."""

    key: str
    label: str
    day: date
    x: float
    y: float
    shape: str  # hire, start, planned, deadline_met, deadline_missed, deadline_open
    state: str  # the words that go with it in the chart and the table ("atteinte le …", "à venir"…)
    past: bool

    @property
    def text_y(self):
        """The baseline of the step's name and date, above its marker."""
        return self.y - MARKER_DROP + 16

    @property
    def state_y(self):
        return self.y + 5

    @property
    def anchor(self):
        """The words beside a marker of the right half run leftwards, so that none leaves the drawing."""
        return "end" if self.x > TIMELINE_WIDTH / 2 else "start"

    @property
    def label_x(self):
        return self.x - LABEL_GAP if self.anchor == "end" else self.x + LABEL_GAP

    @property
    def date_text(self):
        return long_date(self.day)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    axis_y: int
    axis_start: float
    axis_end: float
    starts_on: date
    ends_on: date
    ticks: tuple
    markers: tuple
    today: date
    today_x: float

    @property
    def today_anchor(self):
        return "end" if self.today_x > self.width / 2 else "start"

    @property
    def today_label_x(self):
        return self.today_x - 6 if self.today_anchor == "end" else self.today_x + 6

    @property
    def today_text(self):
        return long_date(self.today)


def date_scale(starts_on, ends_on, x_start, x_end):
    """A function mapping a day to its x between `x_start` (on `starts_on`) and `x_end` (on `ends_on`), linearly;
    days outside the range are clamped to its ends."""
    span = max((ends_on - starts_on).days, 1)

    def x(day):
        share = min(max((day - starts_on).days / span, 0.0), 1.0)
        return round(x_start + share * (x_end - x_start), 1)
    return x


def deadline_state(deadline, met_on, today, *, late=False):
    """(shape, words) of a deadline: met (on time or late), missed, or still open."""
    if met_on is not None:
        if late:
            return "deadline_met", _("met late, on %(d)s") % {"d": long_date(met_on)}
        return "deadline_met", _("met on %(d)s") % {"d": long_date(met_on)}
    if today > deadline:
        return "deadline_missed", _("missed")
    days = (deadline - today).days
    if not days:
        return "deadline_open", _("today")
    return "deadline_open", ngettext("to come, in %(days)s day", "to come, in %(days)s days", days) % {"days": days}


def timeline_chart(*, hired_on, deadline, today, training_started_on=None, planned_end=None,
                   width=TIMELINE_WIDTH):
    """The timeline of one employment, from its hire date to its qualification deadline (or later, when today or
    the planned end of the training falls after it), one row per step.

    `deadline`: the employment's lms.deadlines.rules.DeadlineStatus (both deadlines, the days they were met).
    """
    steps = [("hire", _("Hired"), hired_on, "hire", "")]
    if training_started_on is not None:
        steps.append(("start", _("Entered training"), training_started_on, "start", ""))
    if planned_end is not None:
        steps.append(("planned", _("Planned end of the training"), planned_end, "planned",
                      _("planned") if planned_end >= today else _("planned, passed")))
    enrol_shape, enrol_state = deadline_state(deadline.enrolment_deadline, deadline.enrolment_met_on, today,
                                              late=deadline.enrolment_met_late)
    qualify_shape, qualify_state = deadline_state(deadline.qualification_deadline, deadline.qualification_met_on,
                                                  today)
    steps.append(("enrolment_deadline", _("Deadline: enter training"), deadline.enrolment_deadline, enrol_shape,
                  enrol_state))
    steps.append(("qualification_deadline", _("Deadline: qualification"), deadline.qualification_deadline,
                  qualify_shape, qualify_state))
    steps.sort(key=lambda s: s[2])  # a stable sort: on the same day, the order above
    starts_on = min(hired_on, *(s[2] for s in steps))
    ends_on = max(deadline.qualification_deadline, today, *(s[2] for s in steps))
    x = date_scale(starts_on, ends_on, TIMELINE_MARGIN, width - TIMELINE_MARGIN)
    markers = tuple(
        TimelineMarker(key, label, day, x(day), ROW_TOP + i * ROW_HEIGHT + MARKER_DROP, shape,
                       state or (_("passed") if day <= today else _("to come")), day <= today)
        for i, (key, label, day, shape, state) in enumerate(steps))
    ticks = tuple(Tick(x(date(year, 1, 1)), str(year)) for year in range(starts_on.year + 1, ends_on.year + 1))
    height = ROW_TOP + len(markers) * ROW_HEIGHT
    return TimelineChart(width, height, AXIS_Y, TIMELINE_MARGIN, width - TIMELINE_MARGIN, starts_on, ends_on,
                         ticks, markers, today, x(today))


# --- The cohort's grid -------------------------------------------------------------------------------------

DONE, IN_PROGRESS, NOT_STARTED = "done", "in_progress", "not_started"
CELL = 40
CELL_GAP = 6
HEADER_HEIGHT = 28  # the modules' keys (M1, M2…) above the first row
ROW_HEIGHT_GRID = 82  # a learner's row: the name, share done and pace on one line, the module cells below
CELLS_DROP = 28  # from the top of a row to its cells
GRID_MIN_WIDTH = 380  # room for the line of a learner's name, share and pace
NAME_CHARACTERS = 22  # a longer name is shortened in the drawing (never in the table)


def module_state(module_progress):
    """done, in_progress or not_started, from a lms.learning.progress.ModuleProgress."""
    if module_progress.complete:
        return DONE
    if module_progress.lessons_done or module_progress.quiz_passed:
        return IN_PROGRESS
    return NOT_STARTED


def final_state(final_passed):
    """The final assessment: passed, or not yet (None: the track has none)."""
    if final_passed is None:
        return None
    return DONE if final_passed else NOT_STARTED


STATE_LABELS = {DONE: _("done"), IN_PROGRESS: _("in progress"), NOT_STARTED: _("not started")}


@dataclass(frozen=True)
class GridCell:
    x: int
    y: int
    state: str

    @property
    def label(self):
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class GridRow:
    name: str
    short_name: str
    y: int  # the top of the row
    text_y: int  # the baseline of its line of words
    cells: tuple
    percent: int
    pace: str  # the pace's status: on_time, behind, complete, not_started
    pace_label: str


@dataclass(frozen=True)
class GridColumn:
    key: str  # "M1"… or "ÉF" for the final assessment
    title: str
    x: int
    centre: int


@dataclass(frozen=True)
class CohortGrid:
    width: int
    height: int
    columns: tuple
    rows: tuple
    cell: int = CELL


def shorten(name, length=NAME_CHARACTERS):
    return name if len(name) <= length else name[:length - 1].rstrip() + "…"


def cohort_grid(columns, learners):
    """The learners × modules grid, a learner under the other (it stays narrow enough for a phone):
    `columns` [(key, title)], `learners` [(name, [state or None per column], percent, pace status, pace label)],
    in the order to draw them (a None state: no cell, the track has no such item)."""
    step = CELL + CELL_GAP
    grid_columns = tuple(GridColumn(key, title, i * step, i * step + CELL // 2) for i, (key, title) in enumerate(columns))
    rows = []
    for r, (name, states, percent, pace, pace_label) in enumerate(learners):
        top = HEADER_HEIGHT + r * ROW_HEIGHT_GRID
        cells = tuple(GridCell(column.x, top + CELLS_DROP, state)
                      for column, state in zip(grid_columns, states) if state)
        rows.append(GridRow(name, shorten(name), top, top + 18, cells, percent, pace, pace_label))
    width = max(len(columns) * step - CELL_GAP, GRID_MIN_WIDTH)
    height = HEADER_HEIGHT + max(len(rows), 1) * ROW_HEIGHT_GRID - 10
    return CohortGrid(width, height, grid_columns, tuple(rows))
