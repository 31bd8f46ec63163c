"""The deadline tables count days in Paris (issue 14, point 5): a track completed at 00:30 in Paris on 1 June
is completed on 1 June, not 31 May (it does not qualify the assistant: issue 15); a declaration filed then was filed on 1 June. The current time
zone is set to UTC in every test, as a server or a request might have it, and changes nothing."""
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from lms.deadlines.models import DeclarationKind, DeclaredTraining
from lms.deadlines.selectors import (_declared_dates, deadline_rows, declarations_for, employment_rows,
                                     employment_timeline, unsettled)
from lms.organisations.models import Employment
from tests.certificates.test_certificates import complete
from tests.core.test_legal_dates import MOMENT_IDS, PARIS_DAYS
from lms.deadlines.rules import IN_TRAINING, QUALIFIED, TRAINING_COMPLETED
from tests.factories import make_enrolment, make_practice, make_track, make_trainee, record_result

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def utc():
    with timezone.override("UTC"):
        yield


def employment_of(trainee, *, hired_on=date(2025, 1, 15), ended_on=None, practice=None):
    return Employment.objects.create(trainee=trainee, practice=practice or make_practice(), hired_on=hired_on,
                                     ended_on=ended_on, working_time="full")


def completed_at(monkeypatch, trainee, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)
    complete(make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=1), starts_on=date(2026, 5, 4)))
    monkeypatch.undo()


def rows_of(employment, today):
    employments = Employment.objects.filter(pk=employment.pk).select_related("trainee", "practice")
    return employment_rows(employments, today)[0], deadline_rows(employments, today)[0]


@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_training_completed_on_the_day_in_paris(monkeypatch, moment, day):
    """A track finished at 00:30 in Paris is finished that day; finishing it is not the qualification (issue 15)."""
    trainee = make_trainee()
    employment = employment_of(trainee)
    completed_at(monkeypatch, trainee, moment)
    for row in rows_of(employment, day):
        assert row.qualified_on is None and row.deadline.status == TRAINING_COMPLETED
    for row in rows_of(employment, day - timedelta(days=1)):
        assert row.deadline.status == IN_TRAINING
    _row, events = employment_timeline(employment, day + timedelta(days=1))
    assert [when for when, label, _kind in events if label.startswith(("Track completed", "Parcours terminé"))] == [day]


@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_a_practice_whose_employment_ended_the_day_before_does_not_see_the_completion(monkeypatch, moment, day):
    trainee = make_trainee()
    ended = employment_of(trainee, ended_on=day - timedelta(days=1))
    kept = employment_of(trainee, ended_on=day)
    completed_at(monkeypatch, trainee, moment)
    later = day + timedelta(days=30)
    for row in rows_of(ended, later):
        assert row.enrolment.status == "active" and row.enrolment.completed_at is None
    for row in rows_of(kept, later):
        assert row.enrolment.status == "completed" and row.qualified_on is None


@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_a_completion_alone_never_settles_the_deadlines(monkeypatch, moment, day):
    """The assistant who finished a track is still to be qualified: the body's report keeps reading them."""
    trainee = make_trainee()
    employment = employment_of(trainee)
    completed_at(monkeypatch, trainee, moment)
    employments = Employment.objects.filter(pk=employment.pk)
    assert list(unsettled(employments, day + timedelta(days=30))) == [employment]


def test_unsettled_until_the_day_of_the_recorded_result():
    """On the eve of the jury's decision the assistant is not qualified yet; on its day, they are."""
    trainee = make_trainee()
    employment = employment_of(trainee)
    enrolment = make_enrolment(trainee=trainee, track=make_track(modules=1, lessons=1, certification=True),
                               starts_on=date(2026, 1, 5))
    record_result(enrolment, obtained_on=date(2026, 6, 1))
    employments = Employment.objects.filter(pk=employment.pk)
    assert list(unsettled(employments, date(2026, 5, 31))) == [employment]
    assert list(unsettled(employments, date(2026, 6, 1))) == []
    row = rows_of(employment, date(2026, 6, 1))[1]
    assert row.qualified_on == date(2026, 6, 1) and row.deadline.status == QUALIFIED


@pytest.mark.parametrize("moment, day", PARIS_DAYS, ids=MOMENT_IDS)
def test_a_declaration_filed_after_the_end_in_paris_stays_with_the_former_employment(monkeypatch, moment, day):
    """Filed on the former employment at `moment`: it counts for the next one only if filed by the end of the
    former one, compared in Paris days by every reader (the queryset, the subquery, the joined query)."""
    trainee = make_trainee()
    for ended_on, counts in ((day - timedelta(days=1), False), (day, True)):
        DeclaredTraining.objects.filter(trainee=trainee).delete()
        Employment.objects.filter(trainee=trainee).delete()
        former = employment_of(trainee, hired_on=date(2025, 1, 15), ended_on=ended_on)
        current = employment_of(trainee, hired_on=day + timedelta(days=10))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        DeclaredTraining.objects.create(trainee=trainee, employment=former, kind=DeclarationKind.QUALIFICATION,
                                        occurred_on=date(2026, 5, 20), organisation="IFAS",
                                        evidence=ContentFile(b"%PDF-1.4", name="preuve.pdf"))
        monkeypatch.undo()
        assert declarations_for(current).exists() is counts
        declared = _declared_dates([current.pk])[current.pk][1]  # earliest qualification declared that counts
        assert (declared == date(2026, 5, 20)) is counts
        assert (rows_of(current, day + timedelta(days=20))[1].qualified_on == date(2026, 5, 20)) is counts
