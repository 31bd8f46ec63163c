"""Each module declares how its nominal hours break down (reading, exercises and quizzes, tutored work, in-person
hours), and the declarations add up: in the shipped content, in the loader and in the Wagtail forms (issue 15)."""
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from lms.catalog.loader import ContentError, load_content, read_content
from lms.catalog.models import HOURS_BREAKDOWN, ModulePage, TrackPage
from lms.catalog.authoring import training_body_setup
from tests.catalog.test_loader import content_copy  # noqa: F401 (fixture)
from tests.factories import make_staff, make_track, make_training_body

pytestmark = pytest.mark.django_db
CONTENT = Path(settings.BASE_DIR) / "content"


def test_shipped_breakdowns_add_up_and_reading_matches_the_lessons():
    """Every module of both shipped tracks: the four parts add up to its nominal hours, the modules to the track's;
    the reading time is within half an hour of the lessons' estimated minutes."""
    for track in read_content(CONTENT).tracks:
        assert sum(hours for _m, _d, hours, _b in track.modules) == Decimal(str(track.nominal_hours)), track.slug
        for module, _day, hours, breakdown in track.modules:
            assert set(breakdown) == set(HOURS_BREAKDOWN)
            assert sum(breakdown.values()) == hours, (track.slug, module.slug)
            minutes = sum(lesson.duration_minutes for lesson in module.lessons)
            assert abs(breakdown["reading_hours"] * 60 - minutes) <= 30, (track.slug, module.slug)


def test_loaded_modules_carry_their_breakdown(content_copy):  # noqa: F811
    body = make_training_body(name="Institut", slug="institut")
    load_content(read_content(content_copy), training_body_page=training_body_setup(body))
    track = TrackPage.objects.get(slug="assistant-medical-secretaires-12-jours")
    modules = list(ModulePage.objects.child_of(track))
    assert sum(m.nominal_hours for m in modules) == track.nominal_hours == 84
    for module in modules:
        assert sum(hours for _label, hours in module.hours_breakdown) == module.nominal_hours
    constantes = next(m for m in modules if m.slug == "constantes")
    assert [h for _l, h in constantes.hours_breakdown] == [Decimal("2.0"), Decimal("2.0"), Decimal("3.0"),
                                                          Decimal("7.0")]


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("hours: {reading: 2, exercises: 2, tutored: 3, in_person: 7}",
     "hours: {reading: 2, exercises: 2, tutored: 3, in_person: 8}", "hours", "adds up to 15 h"),
    ("hours: {reading: 2, exercises: 2, tutored: 3, in_person: 7}", "hours: {reading: 2, exercises: 2}",
     "hours", "exactly"),
    ("hours: {reading: 2, exercises: 2, tutored: 3, in_person: 7}",
     "hours: {reading: deux, exercises: 2, tutored: 3, in_person: 7}", "hours", "reading"),
    ("{module: constantes, day_offset: 5, nominal_hours: 14,", "{module: constantes, day_offset: 5, nominal_hours: 15,",
     "hours", "adds up to 14"),
])
def test_the_loader_refuses_a_breakdown_that_does_not_add_up(content_copy, old, new, field, message):  # noqa: F811
    path = content_copy / "tracks" / "assistant-medical-secretaires-12-jours" / "track.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_content(content_copy)
    problems = [(fld, msg) for f, fld, msg in error.value.problems if f == str(path)]
    assert any(fld.endswith(field) and message in msg for fld, msg in problems), problems


def test_the_loader_refuses_modules_that_do_not_add_up_to_the_track(content_copy):  # noqa: F811
    path = content_copy / "tracks" / "assistant-medical-secretaires-12-jours" / "track.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("nominal_hours: 84", "nominal_hours: 90"),
                    encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_content(content_copy)
    assert any(fld == "modules" and "not the track's 90" in msg for _f, fld, msg in error.value.problems)


def _form(page, data, user):
    form_class = type(page).get_edit_handler().get_form_class()
    fields = {name: getattr(page, name) for name in ("title", "slug", "summary", "objectives")}
    return form_class({**fields, **data}, instance=page, for_user=user, parent_page=page.get_parent())


def test_the_module_form_refuses_a_breakdown_that_does_not_add_up_in_french():
    track = make_track(modules=1, lessons=1)
    module = ModulePage.objects.child_of(track).get()
    user = make_staff(training_body=track.training_body)
    data = {"nominal_hours": "7", "reading_hours": "2", "exercise_hours": "1", "tutored_hours": "2",
            "in_person_hours": "1", "day_offset": "0"}
    with translation.override("fr"):
        form = _form(module, data, user)
        form.is_valid()
        assert form.errors["nominal_hours"] == [
            "La répartition totalise 6,0 h et non 7,0 h : lecture, exercices et quiz, travail tutoré et heures en "
            "présentiel doivent totaliser la durée prévue du module."]
        form = _form(module, {**data, "in_person_hours": "2"}, user)
        form.is_valid()
        assert "nominal_hours" not in form.errors


def test_the_track_form_refuses_nominal_hours_its_modules_do_not_add_up_to():
    track = make_track(modules=2, lessons=1)
    ModulePage.objects.child_of(track).update(nominal_hours=Decimal("7"))
    user = make_staff(training_body=track.training_body)
    data = {"entry_profiles": ["secretary"], "duration_value": "12", "duration_unit": "days", "nominal_hours": "84",
            "outcome": "module", "min_realised_share": "70"}
    with translation.override("fr"):
        form = _form(track, data, user)
        form.is_valid()
        assert form.errors["nominal_hours"] == ["Les modules de ce parcours totalisent 14,0 h ; sa durée prévue doit "
                                                "être la même."]
        form = _form(track, {**data, "nominal_hours": "14"}, user)
        form.is_valid()
        assert "nominal_hours" not in form.errors and "min_realised_share" not in form.errors
        form = _form(track, {**data, "nominal_hours": "14", "min_realised_share": "150"}, user)
        form.is_valid()
        assert "min_realised_share" in form.errors


def test_the_outline_of_a_shipped_track_shows_each_modules_breakdown_adding_up(client, content_copy):  # noqa: F811
    """D6313-3-1: the trainee is told each activity's average duration. On the 12-day track's outline, every module
    shows its hours and their breakdown, the parts add up to the module's hours and the modules to the track's 84 h."""
    import re

    from django.urls import reverse

    from tests.factories import make_enrolment

    body = make_training_body(name="Institut", slug="institut")
    load_content(read_content(content_copy), training_body_page=training_body_setup(body))
    track = TrackPage.objects.get(slug="assistant-medical-secretaires-12-jours")
    enrolment = make_enrolment(track=track)
    client.force_login(enrolment.trainee)
    page = client.get(reverse("track_outline", args=[track.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    number = r"(\d+(?:,\d)?) h"
    lines = re.findall(rf"{number} : lecture {number}, exercices et quiz {number}, travail tutoré {number}, "
                       rf"présentiel {number}", page)
    assert len(lines) == ModulePage.objects.child_of(track).count() == 8
    values = [[Decimal(v.replace(",", ".")) for v in line] for line in lines]
    assert all(nominal == sum(parts) for nominal, *parts in values)
    assert sum(nominal for nominal, *_parts in values) == 84
