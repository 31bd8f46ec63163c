"""The results a training body publishes for each track (Qualiopi indicator 2; issue 17, point 6), computed from
what the platform recorded, with the period they cover.

- trainees: enrolments in the track that started within the period;
- completion rate: of those whose outcome is known (completed or withdrawn), the share that completed (a
  completion withdrawn since, such as a revoked certificate, does not count);
- qualification rate, for a track leading to a certification, once a result is recorded: of the completed
  enrolments, the share that holds a result in force (lms.learning.qualification.qualifying).
A rate over fewer than MIN_OUTCOMES enrolments is not published: too few to mean anything, and close to naming
someone.
"""
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q

from lms.learning.models import Enrolment, EnrolmentStatus
from lms.learning.qualification import completed_in_force, qualifying

MIN_OUTCOMES = 5

# Indicators other apps add (the satisfaction rate, lms.surveys): key -> function(track ids) -> {track id: value}.
_extra_sources = {}


def register_indicator(key, compute):
    """Add a published indicator computed by another app, shown under `key` in TrackIndicators.extra."""
    _extra_sources[key] = compute


@dataclass(frozen=True)
class TrackIndicators:
    since: date | None  # the first start within the period (None: nobody yet)
    until: date
    trainees: int
    outcomes: int  # completed or withdrawn
    completed: int
    qualified: int
    extra: dict = None  # {key: value} of the registered indicators

    @staticmethod
    def _rate(part, whole):
        if whole < MIN_OUTCOMES:
            return None
        return (Decimal(100 * part) / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def completion_rate(self):
        return self._rate(self.completed, self.outcomes)

    @property
    def qualification_rate(self):
        return self._rate(self.qualified, self.completed) if self.qualified else None

    @property
    def minimum(self):
        """The number of outcomes below which no rate is published."""
        return MIN_OUTCOMES


def track_indicators(track_ids, *, today):
    """{track id: TrackIndicators} for the tracks, over every enrolment started on or before `today` (the period:
    from the first start to today): one query, and one per registered indicator."""
    rows = (Enrolment.objects.filter(track_id__in=track_ids, starts_on__lte=today).values("track_id")
            .annotate(since=Min("starts_on"), trainees=Count("pk"),
                      outcomes=Count("pk", filter=Q(status__in=[EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN])),
                      completed=Count("pk", filter=completed_in_force()),
                      qualified=Count("pk", filter=completed_in_force() & qualifying())))
    found = {row["track_id"]: row for row in rows}
    extras = {key: compute(track_ids) for key, compute in _extra_sources.items()}
    result = {}
    for track_id in track_ids:
        row = found.get(track_id)
        if row is None:
            result[track_id] = TrackIndicators(None, today, 0, 0, 0, 0,
                                               {key: values.get(track_id) for key, values in extras.items()})
        else:
            result[track_id] = TrackIndicators(row["since"], today, row["trainees"], row["outcomes"], row["completed"],
                                               row["qualified"],
                                               {key: values.get(track_id) for key, values in extras.items()})
    return result
