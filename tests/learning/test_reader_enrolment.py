"""learning.selectors.reader_enrolment is raw SQL (the reader's enrolment in a lesson's track with the lesson's done
flag, see its docstring): on varied data its answer equals the ORM's formulation of the same question (on SQLite
here, on PostgreSQL when DATABASE_URL names one, as in CI)."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.catalog.models import LessonPage, ModulePage
from lms.learning.models import Enrolment, EnrolmentStatus, LessonCompletion
from lms.learning.selectors import READER_ENROLMENT_FIELDS, reader_enrolment
from lms.learning.services import enrolment_create
from tests.factories import make_track, make_trainee

pytestmark = pytest.mark.django_db


def orm_reader_enrolment(user, lesson_id):
    """The same question asked through the ORM (what the lesson view asked before it was written in SQL)."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id, path__startswith=OuterRef("track__path"))
    enrolments = (Enrolment.objects.filter(trainee_id=user.pk).exclude(status=EnrolmentStatus.WITHDRAWN)
                  .filter(Exists(lesson)).only(*READER_ENROLMENT_FIELDS).order_by("pk"))
    enrolment = enrolments.annotate(lesson_done=Exists(
        LessonCompletion.objects.filter(enrolment_id=OuterRef("pk"), lesson_id=lesson_id))).first()
    return enrolment, bool(enrolment is not None and enrolment.lesson_done)


def answer(pair):
    enrolment, done = pair
    return (None if enrolment is None else tuple(getattr(enrolment, name) for name in READER_ENROLMENT_FIELDS)), done


@pytest.fixture
def world():
    """Two trainees and three tracks (the third sharing the first's training body); pages of every kind to ask
    about: lessons of each track, a module (not a lesson) and an id that names no page."""
    tracks = [make_track(modules=2, lessons=2, title=f"Parcours {n}") for n in range(3)]
    trainees = [make_trainee(email=f"lecteur{n}@example.org") for n in range(2)]
    lessons = list(LessonPage.objects.order_by("pk").values_list("pk", flat=True))
    module = ModulePage.objects.order_by("pk").values_list("pk", flat=True).first()
    return {"tracks": tracks, "trainees": trainees, "lessons": lessons, "asked": lessons + [module, 999_999]}


def state(world):
    """For each trainee, the tracks they enrol in (one enrolment per track, with any status) and the lessons they
    completed in each (of any track); and the lessons that are unpublished."""
    enrolment = st.tuples(st.sampled_from(EnrolmentStatus.values), st.sets(st.sampled_from(world["lessons"])))
    return st.fixed_dictionaries({
        "enrolments": st.tuples(*(st.dictionaries(st.integers(0, len(world["tracks"]) - 1), enrolment)
                                  for _ in world["trainees"])),
        "unpublished": st.sets(st.sampled_from(world["lessons"]), max_size=2),
    })


def write(world, data):
    Enrolment.objects.all().delete()
    LessonPage.objects.update(live=True)
    LessonPage.objects.filter(pk__in=data["unpublished"]).update(live=False)
    for trainee, enrolments in zip(world["trainees"], data["enrolments"]):
        for track_index, (status, done) in enrolments.items():
            track = world["tracks"][track_index]
            enrolment = Enrolment.objects.create(trainee=trainee, track=track, training_body=track.training_body,
                                                 status=status, starts_on=timezone.localdate())
            LessonCompletion.objects.bulk_create([LessonCompletion(enrolment=enrolment, lesson_id=pk)
                                                  for pk in done])


def test_the_sql_answers_as_the_orm_on_varied_data(world):
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=state(world), who=st.integers(0, 1), lesson_id=st.sampled_from(world["asked"]),
           unpublish_it=st.booleans())
    def check(data, who, lesson_id, unpublish_it):
        if unpublish_it:  # the lesson asked about is often the one unpublished
            data = {**data, "unpublished": data["unpublished"] | {lesson_id}}
        write(world, data)
        user = world["trainees"][who]
        found = answer(reader_enrolment(user, lesson_id))
        assert found == answer(orm_reader_enrolment(user, lesson_id))
        if found[0] is not None:  # an answer the data explains: the first not-withdrawn enrolment of the track
            enrolment = Enrolment.objects.get(pk=found[0][0])
            assert enrolment.trainee_id == user.pk and enrolment.status != EnrolmentStatus.WITHDRAWN
            assert LessonPage.objects.live().descendant_of(enrolment.track).filter(pk=lesson_id).exists()
            assert found[1] == LessonCompletion.objects.filter(enrolment=enrolment, lesson_id=lesson_id).exists()

    check()


def test_one_query_deferred_fields_and_the_anonymous(world, django_assert_num_queries):
    track, trainee = world["tracks"][1], world["trainees"][0]
    enrolment = enrolment_create(trainee=trainee, track=track, training_body=track.training_body,
                                 starts_on=timezone.localdate())
    lesson = LessonPage.objects.live().descendant_of(track).order_by("path").first()
    LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
    with django_assert_num_queries(1):
        found, done = reader_enrolment(trainee, lesson.pk)
    assert (found.pk, found.track_id, found.status, done) == (enrolment.pk, track.pk, enrolment.status, True)
    assert found.get_deferred_fields() >= {"starts_on", "training_body_id"}
    assert found.starts_on == enrolment.starts_on  # a deferred field loads on access
    with django_assert_num_queries(0):
        assert reader_enrolment(AnonymousUser(), lesson.pk) == (None, False)
