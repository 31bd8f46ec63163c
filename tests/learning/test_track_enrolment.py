"""learning.selectors.track_enrolment is raw SQL (the reader's enrolment in a track, with its cohort's planned end
and the accommodation's longer duration, as the outline reads it): on varied data its answer equals the ORM's
formulation of the same question (on SQLite here, on PostgreSQL when DATABASE_URL names one, as in CI)."""
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.accommodations.models import Accommodation
from lms.accommodations.selectors import extra_duration_subquery
from lms.learning.models import Cohort, Enrolment, EnrolmentStatus
from lms.learning.selectors import track_enrolment
from tests.factories import make_track, make_trainee, make_training_body

pytestmark = pytest.mark.django_db


def orm_track_enrolment(user_id, track_id):
    """The same question asked through the ORM (what the outline asked before it was written in SQL)."""
    enrolment = (Enrolment.objects.filter(trainee_id=user_id, track_id=track_id)
                 .exclude(status=EnrolmentStatus.WITHDRAWN).select_related("cohort")
                 .annotate(extra_percent=extra_duration_subquery()).order_by("pk").first())
    if enrolment is not None:
        enrolment.extra_percent = enrolment.extra_percent or 0
    return enrolment


def answer(enrolment):
    """What the outline reads of the answer: every field of the enrolment, its cohort's planned end and the extra
    duration."""
    if enrolment is None:
        return None
    return ({field.attname: getattr(enrolment, field.attname) for field in Enrolment._meta.concrete_fields},
            enrolment.cohort.ends_on if enrolment.cohort_id else None, enrolment.extra_percent)


@pytest.fixture
def world():
    """Two trainees, two tracks of one body and one of another; a cohort with a planned end and one without on
    the first track."""
    body, other_body = make_training_body(), make_training_body()
    tracks = [make_track(training_body=body, title="Parcours A"), make_track(training_body=body, title="Parcours B"),
              make_track(training_body=other_body, title="Parcours C")]
    cohorts = [Cohort.objects.create(training_body=body, track=tracks[0], name="Session datée",
                                     starts_on=date(2026, 1, 5), ends_on=date(2026, 6, 30)),
               Cohort.objects.create(training_body=body, track=tracks[0], name="Session ouverte",
                                     starts_on=date(2026, 2, 2))]
    trainees = [make_trainee(email=f"apprenant{n}@example.org") for n in range(2)]
    return {"bodies": [body, other_body], "tracks": tracks, "cohorts": cohorts, "trainees": trainees}


def state(world):
    """Per trainee: the tracks they enrol in (any status, a cohort or none for the first track) and their
    accommodations (with either body, any longer duration)."""
    enrolment = st.tuples(st.sampled_from(EnrolmentStatus.values), st.sampled_from([None, 0, 1]),
                          st.dates(date(2025, 1, 1), date(2027, 1, 1)))
    per_trainee = st.fixed_dictionaries({
        "enrolments": st.dictionaries(st.integers(0, len(world["tracks"]) - 1), enrolment),
        "accommodations": st.dictionaries(st.integers(0, 1), st.integers(0, 100)),
    })
    return st.tuples(*(per_trainee for _ in world["trainees"]))


def write(world, data):
    Enrolment.objects.all().delete()
    Accommodation.objects.all().delete()
    for trainee, mine in zip(world["trainees"], data):
        for track_index, (status, cohort_index, starts_on) in mine["enrolments"].items():
            track = world["tracks"][track_index]
            Enrolment.objects.create(
                trainee=trainee, track=track, training_body=track.training_body, status=status, starts_on=starts_on,
                cohort=world["cohorts"][cohort_index] if cohort_index is not None and track_index == 0 else None,
                completed_at=timezone.now() if status == EnrolmentStatus.COMPLETED else None)
        for body_index, percent in mine["accommodations"].items():
            Accommodation.objects.create(training_body=world["bodies"][body_index], trainee=trainee,
                                         extra_duration_percent=percent, updated_at=timezone.now())


def test_the_sql_answers_as_the_orm_on_varied_data(world):
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=state(world), who=st.integers(0, 1), track_index=st.integers(0, 2))
    def check(data, who, track_index):
        write(world, data)
        user, track = world["trainees"][who], world["tracks"][track_index]
        found = answer(track_enrolment(user, track.pk))
        assert found == answer(orm_track_enrolment(user.pk, track.pk))
        mine = data[who]["enrolments"].get(track_index)
        assert (found is None) == (mine is None or mine[0] == EnrolmentStatus.WITHDRAWN)
        if found is not None:  # the extra duration is the accommodation with the enrolling body, 0 without one
            assert found[2] == data[who]["accommodations"].get(0 if track_index < 2 else 1, 0)

    check()


def test_one_query_the_cohort_loads_on_access_and_the_anonymous(world, django_assert_num_queries):
    trainee, track, cohort = world["trainees"][0], world["tracks"][0], world["cohorts"][0]
    enrolment = Enrolment.objects.create(trainee=trainee, track=track, training_body=track.training_body,
                                         cohort=cohort, starts_on=date(2026, 1, 5))
    with django_assert_num_queries(1):
        found = track_enrolment(trainee, track.pk)
        assert (found.pk, found.starts_on, found.cohort.ends_on, found.extra_percent) == (
            enrolment.pk, date(2026, 1, 5), date(2026, 6, 30), 0)
        assert found.enrolled_at == enrolment.enrolled_at and found.enrolled_at.tzinfo is not None
    with django_assert_num_queries(1):
        assert found.cohort.name == "Session datée"  # a field of the cohort not read loads on access
    assert found.cohort.ends_on - found.starts_on == timedelta(days=176)
    with django_assert_num_queries(0):
        assert track_enrolment(AnonymousUser(), track.pk) is None
