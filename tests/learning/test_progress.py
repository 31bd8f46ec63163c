"""Completion, progress and pace rules, as pure functions."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.core.dates import add_months, add_working_days, add_years
from lms.learning.progress import (
    LessonItem,
    ModuleItem,
    QuizItem,
    TrackStructure,
    compute_progress,
    pace_status,
    planned_end,
)


def structure(with_quizzes=False):
    lessons = lambda m: tuple(LessonItem(m * 10 + i, f"L{m}.{i}", f"/l/{m}/{i}/", 10) for i in (1, 2))  # noqa: E731
    modules = tuple(ModuleItem(m, f"M{m}", "", lessons(m), QuizItem(100 + m, "Q", "/q/") if with_quizzes else None)
                    for m in (1, 2))
    return TrackStructure(1, modules, QuizItem(999, "Final", "/f/") if with_quizzes else None)


def test_nothing_done():
    progress = compute_progress(structure(), set())
    assert progress.percent == 0 and not progress.complete
    assert progress.next_lesson.id == 11


def test_next_lesson_skips_done_ones_and_percent_counts_items():
    progress = compute_progress(structure(), {11, 12, 21})
    assert progress.next_lesson.id == 22
    assert progress.percent == 75
    assert progress.modules[0].complete and not progress.modules[1].complete


def test_all_lessons_without_quiz_completes_track():
    assert compute_progress(structure(), {11, 12, 21, 22}).complete


def test_failed_or_missing_quiz_never_completes_module():
    progress = compute_progress(structure(with_quizzes=True), {11, 12, 21, 22}, passed_quiz_ids=set())
    assert not any(m.complete for m in progress.modules)
    assert not progress.complete
    assert progress.percent == round(100 * 4 / 7)


def test_track_complete_needs_final_assessment():
    done = {11, 12, 21, 22}
    assert not compute_progress(structure(True), done, {101, 102}).complete
    assert compute_progress(structure(True), done, {101, 102, 999}).complete


def test_planned_end_days_counts_working_days():
    # Monday 2 March 2026 + 12 training days -> Tuesday 17 March 2026
    assert planned_end(starts_on=date(2026, 3, 2), duration_value=12, duration_unit="days") == date(2026, 3, 17)


def test_planned_end_months_and_cohort_calendar():
    assert planned_end(starts_on=date(2026, 10, 31), duration_value=4, duration_unit="months") == date(2027, 2, 28)
    assert planned_end(starts_on=date(2026, 1, 5), duration_value=4, duration_unit="months",
                       cohort_ends_on=date(2026, 6, 30)) == date(2026, 6, 30)


@pytest.mark.parametrize("share_done,today,expected", [
    (0.0, date(2026, 1, 1), "not_started"),
    (0.5, date(2026, 1, 11), "on_time"),
    (0.2, date(2026, 1, 11), "behind"),
    (0.45, date(2026, 1, 11), "on_time"),  # within the 10-point tolerance
    (0.9, date(2026, 3, 1), "behind"),
])
def test_pace(share_done, today, expected):
    pace = pace_status(share_done=share_done, complete=False, starts_on=date(2026, 1, 2), ends_on=date(2026, 1, 20),
                       today=today)
    assert pace.status == expected


def test_behind_says_by_how_much_and_what_it_takes():
    """20 items over 28 days; half the time gone with 4 done: 6 behind, 16 left over 14 days = 8 a week."""
    pace = pace_status(share_done=4 / 20, complete=False, starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 29),
                       today=date(2026, 1, 15), items_done=4, items_total=20)
    assert (pace.status, pace.behind_by, pace.remaining, pace.per_week) == ("behind", 6, 16, 8)
    late = pace_status(share_done=0.9, complete=False, starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 29),
                       today=date(2026, 3, 1), items_done=18, items_total=20)
    assert (late.status, late.remaining, late.per_week, late.ends_on) == ("behind", 2, 0, date(2026, 1, 29))


@given(total=st.integers(1, 200), done_share=st.floats(0, 1), days=st.integers(1, 400), day=st.integers(0, 500))
def test_the_advised_pace_finishes_on_time(total, done_share, days, day):
    """Doing `per_week` items a week from today finishes every remaining item by the planned end."""
    start = date(2026, 1, 1)
    done = int(total * done_share)
    today, end = start + timedelta(days=day), start + timedelta(days=days)
    pace = pace_status(share_done=done / total, complete=done == total, starts_on=start, ends_on=end, today=today,
                       items_done=done, items_total=total)
    if pace.status == "behind":
        assert 0 <= pace.behind_by <= total - done == pace.remaining
        if today < end:
            assert pace.per_week * (end - today).days / 7 >= pace.remaining
        else:
            assert pace.per_week == 0


def test_pace_complete():
    assert pace_status(share_done=1, complete=True, starts_on=date(2026, 1, 1), ends_on=date(2026, 2, 1),
                       today=date(2027, 1, 1)).status == "complete"


def test_leap_day_plus_years_lands_on_28_february():
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(min_value=0, max_value=60))
def test_add_months_keeps_day_or_clamps(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (result.day < start.day and (result + __import__("datetime").timedelta(days=1)).day == 1)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(min_value=1, max_value=100))
def test_add_working_days_lands_on_a_weekday(start, days):
    result = add_working_days(start, days)
    assert result.weekday() < 5 and result >= start
