"""learning.selectors.done_items_of is raw SQL (one UNION ALL over the completion tables, see its docstring): on
varied data its answer equals the ORM's formulation of the same question, with and without the recorded modules,
for any subset of enrolments (on SQLite here, on PostgreSQL when DATABASE_URL names one, as in CI)."""
from datetime import timedelta

import pytest
from django.db.models import Value
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.catalog.models import LessonPage, ModulePage
from lms.learning.models import (ExemptionStatus, LessonCompletion, ModuleCompletion, ModuleExemption,
                                 QuizCompletion)
from lms.learning.selectors import done_items_of
from lms.learning.services import enrolment_create
from tests.factories import make_quiz, make_track, make_trainee

pytestmark = pytest.mark.django_db


def orm_done_items_of(enrolment_ids, *, modules=False):
    """The same question asked through the ORM (what done_items_of was before it was written in SQL)."""
    enrolment_ids = list(enrolment_ids)
    done = {pk: (set(), set(), set(), set()) if modules else (set(), set(), set()) for pk in enrolment_ids}
    parts = [LessonCompletion.objects.filter(enrolment_id__in=enrolment_ids).values_list(
                 "enrolment_id", Value(0), "lesson_id"),
             QuizCompletion.objects.filter(enrolment_id__in=enrolment_ids).values_list(
                 "enrolment_id", Value(1), "quiz_id"),
             ModuleExemption.objects.filter(enrolment_id__in=enrolment_ids, status=ExemptionStatus.CONFIRMED)
             .values_list("enrolment_id", Value(2), "module_id")]
    if modules:
        parts.append(ModuleCompletion.objects.filter(enrolment_id__in=enrolment_ids).values_list(
            "enrolment_id", Value(3), "module_id"))
    for enrolment_id, kind, item in parts[0].union(*parts[1:], all=True) if enrolment_ids else ():
        done[enrolment_id][kind].add(item)
    return done


@pytest.fixture
def world():
    tracks = [make_track(modules=3, lessons=2, title=f"Parcours {n}") for n in range(2)]
    enrolments = []
    for n in range(4):
        track = tracks[n % 2]
        enrolments.append(enrolment_create(trainee=make_trainee(email=f"apprenant{n}@example.org"), track=track,
                                           training_body=track.training_body, starts_on=timezone.localdate()))
    lessons = list(LessonPage.objects.values_list("pk", flat=True))
    modules = list(ModulePage.objects.values_list("pk", flat=True))
    quizzes = [make_quiz(parent=ModulePage.objects.get(pk=pk)).pk for pk in modules[:4]]
    return {"enrolments": [e.pk for e in enrolments], "lessons": lessons, "modules": modules, "quizzes": quizzes}


def rows(world):
    """Completion rows to write: for each enrolment, subsets of the lessons, quizzes and modules, and exemptions of
    every status (only confirmed ones count)."""
    per_enrolment = st.fixed_dictionaries({
        "lessons": st.sets(st.sampled_from(world["lessons"])),
        "quizzes": st.sets(st.sampled_from(world["quizzes"])),
        "completed": st.sets(st.sampled_from(world["modules"])),
        "exempted": st.dictionaries(st.sampled_from(world["modules"]), st.sampled_from(ExemptionStatus.values)),
    })
    return st.fixed_dictionaries({pk: per_enrolment for pk in world["enrolments"]})


def write(data):
    now = timezone.now()
    for model in (LessonCompletion, QuizCompletion, ModuleCompletion, ModuleExemption):
        model.objects.all().delete()
    for enrolment_id, done in data.items():
        LessonCompletion.objects.bulk_create([LessonCompletion(enrolment_id=enrolment_id, lesson_id=pk)
                                              for pk in done["lessons"]])
        QuizCompletion.objects.bulk_create([QuizCompletion(enrolment_id=enrolment_id, quiz_id=pk, completed_at=now)
                                            for pk in done["quizzes"]])
        ModuleCompletion.objects.bulk_create([ModuleCompletion(enrolment_id=enrolment_id, module_id=pk,
                                                               completed_at=now) for pk in done["completed"]])
        ModuleExemption.objects.bulk_create([
            ModuleExemption(enrolment_id=enrolment_id, module_id=pk, status=status, score=80, threshold=70,
                            proposed_at=now - timedelta(days=1)) for pk, status in done["exempted"].items()])


def test_the_sql_answers_as_the_orm_on_varied_data(world):
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=rows(world), asked=st.lists(st.sampled_from(world["enrolments"]), unique=True), modules=st.booleans())
    def check(data, asked, modules):
        write(data)
        assert done_items_of(asked, modules=modules) == orm_done_items_of(asked, modules=modules)
        assert done_items_of(asked, modules=modules) == {
            pk: tuple(part for part in (data[pk]["lessons"], data[pk]["quizzes"],
                                        {m for m, s in data[pk]["exempted"].items() if s == ExemptionStatus.CONFIRMED},
                                        data[pk]["completed"])[:4 if modules else 3]) for pk in asked}

    check()


def test_one_statement_and_none_for_no_enrolment(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert done_items_of([]) == {}
    with django_assert_num_queries(1):
        done_items_of(world["enrolments"], modules=True)
