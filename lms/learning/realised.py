"""THE realised duration of an enrolment: the one function the attestation, the certificat de réalisation, the relevé
and the minimum-share check all call.

Realised = the honest active time recorded for the enrolment (its lessons' time, learning.attendance) + the time of
every other source registered here: the quizzes app registers its attempts' active time (learning does not know
attempts); the in-person sessions (issue 17) will register the hours attended. No source, no time: nothing is
estimated or assumed.

A source is `fn(enrolment_ids) -> {enrolment_id: seconds}`, registered once by the app that owns the data with a
key and a label (shown on the relevé's totals).
"""
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from lms.learning.attendance import settle
from lms.learning.models import ExemptionStatus, LessonTime, ModuleExemption


@dataclass(frozen=True)
class TimeSource:
    key: str
    label: str
    seconds: object  # (enrolment ids) -> {enrolment id: seconds}


def _lesson_seconds(enrolment_ids):
    rows = (LessonTime.objects.filter(enrolment_id__in=enrolment_ids).values("enrolment_id")
            .annotate(seconds=Sum("active_seconds")).values_list("enrolment_id", "seconds"))
    return dict(rows)


_sources = [TimeSource("lessons", _("Lessons (active time)"), _lesson_seconds)]


def register_time_source(source: TimeSource):
    """Add a source of realised time (once per key): the quizzes' attempts, later the in-person hours attended."""
    if all(existing.key != source.key for existing in _sources):
        _sources.append(source)


def time_sources():
    return list(_sources)


def seconds_to_hours(seconds):
    """Whole seconds as hours with one decimal place (rounded half up): 45 000 s -> Decimal('12.5')."""
    return (Decimal(int(seconds or 0)) / Decimal(3600)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class RealisedDuration:
    """An enrolment's realised time, by source, against its track's nominal hours and required share."""

    parts: dict = field(default_factory=dict)  # source key -> seconds
    labels: dict = field(default_factory=dict)  # source key -> label
    nominal_hours: Decimal = Decimal(0)  # the planned hours of THIS enrolment: the track's, less the exempted modules'
    exempted_hours: Decimal = Decimal(0)  # the nominal hours of the modules a tutor exempted the trainee from
    min_share: int | None = None  # percent of the nominal hours required before completion; None: none

    @property
    def seconds(self):
        return sum(self.parts.values())

    @property
    def hours(self):
        return seconds_to_hours(self.seconds)

    @property
    def share(self):
        """Percent of the nominal hours realised (one decimal), None without nominal hours."""
        if not self.nominal_hours:
            return None
        return (Decimal(self.seconds) * 100 / (Decimal(self.nominal_hours) * 3600)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def required_hours(self):
        """The hours to realise before completion (one decimal, rounded up so that it is never less than the
        share), None when the track requires none."""
        if not self.min_share:
            return None
        return (Decimal(self.nominal_hours) * self.min_share / 100).quantize(Decimal("0.1"), rounding=ROUND_CEILING)

    @property
    def share_met(self):
        """True when no share is required or the realised time reaches it (compared in seconds, not rounded)."""
        if not self.min_share:
            return True
        return self.seconds * 100 >= Decimal(self.nominal_hours) * 3600 * self.min_share

    @property
    def rows(self):
        """[(label, seconds)] per source, in registration order."""
        return [(self.labels[key], seconds) for key, seconds in self.parts.items()]


def exempted_hours_of(enrolment_ids):
    """{enrolment id: nominal hours of its confirmed module exemptions}, in one query."""
    rows = (ModuleExemption.objects.filter(enrolment_id__in=list(enrolment_ids), status=ExemptionStatus.CONFIRMED)
            .values("enrolment_id").annotate(hours=Sum("module__nominal_hours")).values_list("enrolment_id", "hours"))
    return {pk: Decimal(hours or 0) for pk, hours in rows}


def planned_hours(track_hours, exempted):
    """THE planned hours of an enrolment: the track's nominal hours less those of the modules it is exempted from
    (never below zero). The relevé, the attestation and the minimum-share check read it through realised_durations."""
    return max(Decimal(track_hours) - Decimal(exempted or 0), Decimal(0))


def realised_durations(enrolments, *, settle_first=True):
    """{enrolment id: RealisedDuration} for these enrolments (with their track loaded), in a constant number of
    queries. The heartbeats logged since the last settlement are counted first (`settle_first`)."""
    enrolments = list(enrolments)
    if settle_first:
        settle({e.trainee_id for e in enrolments})
    ids = [e.pk for e in enrolments]
    by_source = {source.key: source.seconds(ids) for source in _sources}
    labels = {source.key: str(source.label) for source in _sources}
    exempted = exempted_hours_of(ids)
    return {e.pk: RealisedDuration(parts={key: int(values.get(e.pk) or 0) for key, values in by_source.items()},
                                   labels=labels, nominal_hours=planned_hours(e.track.nominal_hours, exempted.get(e.pk)),
                                   exempted_hours=exempted.get(e.pk, Decimal(0)),
                                   min_share=e.track.min_realised_share)
            for e in enrolments}


def realised_duration(enrolment, *, settle_first=True):
    """THE realised duration of one enrolment (see the module's docstring)."""
    return realised_durations([enrolment], settle_first=settle_first)[enrolment.pk]
