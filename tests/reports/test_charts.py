"""The server-drawn charts: the geometry of the deadline timeline and of the cohort grid, and the pages that draw
them (an SVG the screen reader reads as one image, and the same data as a table)."""
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lms.catalog.models import LessonPage
from lms.core.display import long_date
from lms.deadlines.rules import deadline_status, default_rule
from lms.learning.progress import ModuleItem, ModuleProgress
from lms.learning.services import cohort_create, lesson_complete
from lms.organisations.models import Employment
from lms.reports.charts import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    ROW_HEIGHT_GRID,
    TIMELINE_MARGIN,
    TIMELINE_WIDTH,
    cohort_grid,
    date_scale,
    module_state,
    timeline_chart,
)
from tests.factories import make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee


def status(hired_on, today, **kwargs):
    return deadline_status(hired_on=hired_on, today=today, rule=default_rule(), **kwargs)


# --- geometry ---


@given(st.dates(min_value=date(2019, 1, 1), max_value=date(2035, 12, 31)),
       st.dates(min_value=date(2019, 1, 1), max_value=date(2035, 12, 31)))
def test_dates_map_monotonically_inside_the_axis(a, b):
    """A later day is never drawn left of an earlier one, and every day stays between the axis' ends."""
    x = date_scale(date(2020, 1, 1), date(2030, 1, 1), 24, 576)
    first, second = sorted([a, b])
    assert 24 <= x(first) <= x(second) <= 576


def test_scale_ends_and_middle():
    x = date_scale(date(2024, 1, 1), date(2024, 1, 11), 0, 100)
    assert (x(date(2024, 1, 1)), x(date(2024, 1, 6)), x(date(2024, 1, 11))) == (0, 50, 100)


def test_timeline_runs_from_hire_to_qualification_deadline_with_today_between():
    """Hired 15 January 2025, seen on 1 July 2026: the axis ends on the 3-year deadline, today sits in between."""
    hired, today = date(2025, 1, 15), date(2026, 7, 1)
    chart = timeline_chart(hired_on=hired, deadline=status(hired, today), today=today)
    by_key = {m.key: m for m in chart.markers}
    assert by_key["hire"].x == TIMELINE_MARGIN
    assert by_key["qualification_deadline"].day == date(2028, 1, 15)
    assert by_key["qualification_deadline"].x == TIMELINE_WIDTH - TIMELINE_MARGIN
    expected = TIMELINE_MARGIN + (today - hired).days / (date(2028, 1, 15) - hired).days * (
        TIMELINE_WIDTH - 2 * TIMELINE_MARGIN)
    assert chart.today_x == pytest.approx(expected, abs=0.1)
    assert by_key["hire"].x < by_key["enrolment_deadline"].x < by_key["qualification_deadline"].x
    assert [t.label for t in chart.ticks] == ["2026", "2027", "2028"]
    # one row per step, in date order, each lower than the one before
    assert [m.day for m in chart.markers] == sorted(m.day for m in chart.markers)
    assert all(a.y < b.y for a, b in zip(chart.markers, chart.markers[1:]))
    assert chart.height > chart.markers[-1].y


def test_today_after_the_qualification_deadline_extends_the_axis():
    """Seen after the 3-year deadline, the axis runs to today, which is drawn at its right end."""
    hired, today = date(2020, 3, 1), date(2024, 6, 1)
    chart = timeline_chart(hired_on=hired, deadline=status(hired, today), today=today)
    assert chart.ends_on == today and chart.today_x == TIMELINE_WIDTH - TIMELINE_MARGIN
    qualification = [m for m in chart.markers if m.key == "qualification_deadline"][0]
    assert qualification.x < chart.today_x


def test_deadlines_past_and_future_read_in_shape_and_words():
    """Not enrolled 2 years and a month after hiring: the first deadline is missed (a cross), the second still to
    come (an open triangle), said in words too."""
    hired, today = date(2024, 1, 10), date(2026, 2, 10)
    chart = timeline_chart(hired_on=hired, deadline=status(hired, today), today=today)
    by_key = {m.key: m for m in chart.markers}
    assert by_key["enrolment_deadline"].shape == "deadline_missed"
    assert by_key["enrolment_deadline"].state == "dépassée" and by_key["enrolment_deadline"].past
    assert by_key["qualification_deadline"].shape == "deadline_open"
    assert by_key["qualification_deadline"].state == "à venir, dans 334 jours"
    assert not by_key["qualification_deadline"].past


def test_met_deadline_and_training_steps():
    """Started a training in time: the 2-year deadline is met on that day; the start and planned end are drawn."""
    hired, today, started = date(2025, 1, 15), date(2026, 3, 1), date(2025, 9, 1)
    deadline = status(hired, today, training_started_on=started)
    chart = timeline_chart(hired_on=hired, deadline=deadline, today=today, training_started_on=started,
                           planned_end=date(2026, 1, 5))
    by_key = {m.key: m for m in chart.markers}
    assert by_key["enrolment_deadline"].shape == "deadline_met"
    assert by_key["enrolment_deadline"].state == "respectée le 1er septembre 2025"
    assert by_key["start"].x < by_key["planned"].x < chart.today_x < by_key["enrolment_deadline"].x
    assert by_key["planned"].state == "prévue, date passée"
    assert [m.key for m in chart.markers] == ["hire", "start", "planned", "enrolment_deadline",
                                              "qualification_deadline"]
    # labels of the right half run leftwards, so that none leaves the drawing
    assert by_key["hire"].anchor == "start" and by_key["qualification_deadline"].anchor == "end"


def test_module_state():
    module = ModuleItem(1, "M", "", lessons=(), quiz=None)
    assert module_state(ModuleProgress(module, 2, 2, True)) == DONE
    assert module_state(ModuleProgress(module, 1, 2, False)) == IN_PROGRESS
    assert module_state(ModuleProgress(module, 2, 2, False)) == IN_PROGRESS  # lessons done, quiz not passed
    assert module_state(ModuleProgress(module, 0, 2, False)) == NOT_STARTED


def test_cohort_grid_places_cells_by_learner_and_module():
    grid = cohort_grid([("M1", "Accueil"), ("M2", "Constantes"), ("ÉF", "Évaluation finale")], [
        ("Alice Durand", [DONE, IN_PROGRESS, NOT_STARTED], 60, "on_time", "Dans les temps"),
        ("Bérénice de La Tour-Dupin-Montaigu-Sur-Mer", [NOT_STARTED, NOT_STARTED, None], 0, "behind", "En retard"),
    ])
    first, second = grid.rows
    assert [c.state for c in first.cells] == [DONE, IN_PROGRESS, NOT_STARTED]
    assert len(second.cells) == 2  # no cell where the state is None
    assert first.cells[0].y == second.cells[0].y - ROW_HEIGHT_GRID
    assert [c.x for c in first.cells] == [col.x for col in grid.columns]
    assert first.text_y < first.cells[0].y < second.text_y  # a learner's line of words, then their cells
    assert second.short_name.endswith("…") and len(second.short_name) <= 22
    assert grid.width >= grid.columns[-1].x + grid.cell and grid.height > second.cells[0].y + grid.cell


# --- pages ---


def _svg(html, cls):
    match = re.search(r'<svg class="chart-svg %s".*?</svg>' % cls, html, re.S)
    assert match, "no chart drawn"
    return match.group(0)


@pytest.mark.django_db
def test_employer_sees_the_timeline_as_a_picture_and_a_table(client):
    today = timezone.localdate()
    hired = today - timedelta(days=400)
    practice = make_practice(name="Cabinet des Tilleuls")
    employer = make_employer(practice=practice)
    trainee = make_trainee(first_name="Inès", last_name="Chronos", practice=practice, hired_on=hired)
    started = today - timedelta(days=20)
    make_enrolment(trainee=trainee, track=make_track(duration_value=4, duration_unit="months"), starts_on=started)
    employment = Employment.objects.get(trainee=trainee)
    client.force_login(employer)
    response = client.get(reverse("employment_detail", args=[employment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    svg = _svg(html, "chart-timeline")
    assert 'role="img"' in svg and 'aria-labelledby="timeline-title"' in svg and 'viewBox="0 0 480 ' in svg
    title = re.search(r'<title id="timeline-title">(.*?)</title>', svg, re.S).group(1)
    enrol_by = hired.replace(year=hired.year + 2) if not (hired.month == 2 and hired.day == 29) else None
    for text in ("Recrutement", long_date(hired), "Entrée en formation", long_date(started),
                 "Fin prévue de la formation", "Échéance : entrée en formation", "Échéance : qualification",
                 "Aujourd'hui", long_date(today)):
        assert text in title
    if enrol_by:
        assert long_date(enrol_by) in title and "respectée le %s" % long_date(started) in title
    assert 'aria-hidden="true"' in svg and "style=" not in svg  # the CSP forbids inline styles
    table = re.search(r'<details class="chart-data">.*?</details>', html, re.S).group(0)
    assert "<summary>Voir les données</summary>" in table
    assert "<caption>Échéances et étapes de Inès Chronos</caption>" in table
    assert '<th scope="row">Entrée en formation</th><td>%s</td>' % long_date(started) in table
    assert '<th scope="col">Situation</th>' in table
    assert "<figure" in html and "<figcaption" in html


@pytest.mark.django_db
def test_missed_enrolment_deadline_is_drawn_as_missed(client):
    today = timezone.localdate()
    practice = make_practice()
    employer = make_employer(practice=practice)
    make_trainee(practice=practice, hired_on=today - timedelta(days=2 * 365 + 40))
    client.force_login(employer)
    html = client.get(reverse("employment_detail", args=[Employment.objects.get().pk])).content.decode()
    svg = _svg(html, "chart-timeline")
    assert 'fill="#b00020"' in svg and "M-4.5 -4.5 L4.5 4.5" in svg  # the red disc with a cross
    assert "Échéance : entrée en formation</th><td>" in html and "<td>dépassée</td>" in html


@pytest.fixture
def cohort_world():
    """A cohort of three learners: one who finished two modules of two, one half-way, one not started."""
    track = make_track(modules=2, lessons=2, title="Parcours secrétaires")
    body = track.training_body
    manager = make_staff(training_body=body, role="manager")
    cohort = cohort_create(training_body=body, track=track, name="Session d'hiver",
                           starts_on=timezone.localdate() - timedelta(days=10), ends_on=None, place="", tutors=[])
    lessons = list(LessonPage.objects.descendant_of(track).order_by("path"))
    learners = {}
    for first, last, done in (("Zoé", "Achevée", 4), ("Yann", "Moitié", 1), ("Xavier", "Rien", 0)):
        enrolment = make_enrolment(trainee=make_trainee(first_name=first, last_name=last), track=track, cohort=cohort,
                                   starts_on=cohort.starts_on)
        for lesson in lessons[:done]:
            lesson_complete(enrolment=enrolment, lesson=lesson)
        learners[last] = enrolment
    return {"track": track, "manager": manager, "cohort": cohort, "learners": learners}


@pytest.mark.django_db
def test_cohort_page_draws_learners_by_modules_and_the_same_table(client, cohort_world):
    client.force_login(cohort_world["manager"])
    response = client.get(reverse("cohort_detail", args=[cohort_world["cohort"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    svg = _svg(html, "chart-grid")
    title = re.search(r'<title id="cohort-chart-title">(.*?)</title>', svg, re.S).group(1)
    assert "Zoé Achevée : 100 %" in title and "Yann Moitié : 25 %" in title and "Xavier Rien : 0 %" in title
    # rows in name order: Achevée (2 done), Moitié (1 in progress, 1 not started), Rien (2 not started)
    assert svg.count('fill="#18753c"') == 2 and svg.count('fill="url(#hatch)"') == 1
    assert svg.count('stroke="#767676"') == 3
    assert ">M1<" in svg and ">M2<" in svg
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]+">([^<]+)</a></th>(.*?)</tr>', html, re.S)
    cells = {name: re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S) for name, rest in rows}
    assert [name for name, _ in rows] == ["Zoé Achevée", "Yann Moitié", "Xavier Rien"]
    assert "terminé" in cells["Zoé Achevée"][0] and "terminé" in cells["Zoé Achevée"][1]
    assert "en cours" in cells["Yann Moitié"][0] and "non commencé" in cells["Yann Moitié"][1]
    assert cells["Xavier Rien"][2] == "0 %" and cells["Zoé Achevée"][2] == "100 %"
    assert '<caption class="visually-hidden">Avancement des apprenant·es de Session d&#x27;hiver, module par module</caption>' in html
    assert '<th scope="col">M1<span class="visually-hidden"> — Module 1</span></th>' in html
    assert "<li><strong>M2</strong> : Module 2</li>" in html


@pytest.mark.django_db
def test_cohort_list_links_to_the_cohort_page(client, cohort_world):
    client.force_login(cohort_world["manager"])
    html = client.get(reverse("cohort_list")).content.decode()
    assert reverse("cohort_detail", args=[cohort_world["cohort"].pk]) in html


@pytest.mark.django_db
def test_another_body_and_an_employer_get_no_cohort_page(client, cohort_world):
    url = reverse("cohort_detail", args=[cohort_world["cohort"].pk])
    client.force_login(make_staff(role="manager"))  # of another training body
    assert client.get(url).status_code == 404
    client.force_login(make_employer(practice=make_practice()))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_cohort_page_reads_in_a_constant_number_of_queries(client, cohort_world, django_assert_max_num_queries):
    client.force_login(cohort_world["manager"])
    url = reverse("cohort_detail", args=[cohort_world["cohort"].pk])
    client.get(url)
    with django_assert_max_num_queries(12) as first:
        client.get(url)
    for i in range(4):
        make_enrolment(trainee=make_trainee(first_name=f"Extra{i}"), track=cohort_world["track"],
                       cohort=cohort_world["cohort"])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)
