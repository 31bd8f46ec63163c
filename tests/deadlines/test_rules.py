"""The 2-year / 3-year rules: deadlines, every status branch, risk, leap years, ended and re-hired employments."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.deadlines import rules
from lms.deadlines.models import DeadlineRuleSet
from lms.deadlines.rules import deadline_status, enrolment_deadline, qualification_deadline, rule_for

AVENANT_7 = DeadlineRuleSet(name="Avenant 7 (2019)", legal_source="Avenant 7, art. 9-2", enrolment_period=2,
                            qualification_period=3)
HIRED = date(2025, 3, 17)


def status(**kwargs):
    kwargs.setdefault("hired_on", HIRED)
    kwargs.setdefault("rule", AVENANT_7)
    return deadline_status(**kwargs)


@pytest.mark.django_db
def test_migration_installs_the_2019_rule_for_every_hire_date():
    rule = DeadlineRuleSet.objects.get()
    assert (rule.name, rule.enrolment_period, rule.qualification_period) == ("Avenant 7 — art. 9-2", 2, 3)
    assert rule.applies_from is None and rule.applies_until is None
    assert enrolment_deadline(date(2019, 9, 1)) == date(2021, 9, 1)
    assert qualification_deadline(date(2030, 1, 31)) == date(2033, 1, 31)


@pytest.mark.django_db
def test_a_later_rule_applies_to_later_hires_and_rule_argument_overrides():
    DeadlineRuleSet.objects.create(name="Convention 2024", legal_source="Convention médicale 2024",
                                   applies_from=date(2024, 6, 1), enrolment_period=2, qualification_period=2)
    assert qualification_deadline(date(2024, 5, 31)) == date(2027, 5, 31)
    assert qualification_deadline(date(2024, 6, 1)) == date(2026, 6, 1)
    assert rule_for(date(2024, 6, 1)).name == "Convention 2024"
    assert qualification_deadline(date(2024, 6, 1), rule=AVENANT_7) == date(2027, 6, 1)


@pytest.mark.django_db
def test_cached_rule_sets_follow_an_admin_edit_and_deletion(django_assert_num_queries,
                                                            django_capture_on_commit_callbacks):
    """Read once, then from the shared cache; an edit counts once committed (never before: a rolled-back edit
    must not leave its rule in the cache)."""
    assert qualification_deadline(date(2025, 3, 1)) == date(2028, 3, 1)
    with django_assert_num_queries(0):  # read once, then from the cache
        assert qualification_deadline(date(2025, 3, 2)) == date(2028, 3, 2)
    with django_capture_on_commit_callbacks(execute=True):
        recent = DeadlineRuleSet.objects.create(name="Convention 2025", legal_source="x",
                                                applies_from=date(2025, 1, 1), enrolment_period=1,
                                                qualification_period=2)
        assert qualification_deadline(date(2025, 3, 1)) == date(2028, 3, 1)  # not committed yet
    assert qualification_deadline(date(2025, 3, 1)) == date(2027, 3, 1)
    recent.qualification_period = 4
    with django_capture_on_commit_callbacks(execute=True):
        recent.save()
    assert qualification_deadline(date(2025, 3, 1)) == date(2029, 3, 1)
    with django_capture_on_commit_callbacks(execute=True):
        recent.delete()
    assert qualification_deadline(date(2025, 3, 1)) == date(2028, 3, 1)


def test_leap_day_hire_lands_on_28_february():
    assert enrolment_deadline(date(2024, 2, 29), AVENANT_7) == date(2026, 2, 28)
    assert qualification_deadline(date(2024, 2, 29), AVENANT_7) == date(2027, 2, 28)
    four = DeadlineRuleSet(name="x", legal_source="x", enrolment_period=4, qualification_period=4)
    assert enrolment_deadline(date(2024, 2, 29), four) == date(2028, 2, 29)


def test_a_gap_in_the_rules_falls_back_to_the_2019_rule():
    only_recent = DeadlineRuleSet(name="r", legal_source="s", applies_from=date(2030, 1, 1), enrolment_period=1,
                                  qualification_period=2)
    rule = rule_for(date(2025, 1, 1), [only_recent])
    assert (rule.name, rule.enrolment_period, rule.qualification_period) == ("Avenant 7 — art. 9-2", 2, 3)


def test_to_enrol_without_risk():
    s = status(today=date(2025, 6, 1))
    assert s.status == rules.TO_ENROL and not s.at_risk
    assert s.enrolment_deadline == date(2027, 3, 17) and s.enrolment_days_left == (date(2027, 3, 17) - date(2025, 6, 1)).days
    assert s.rule_name == "Avenant 7 (2019)" and str(s.label) == "À inscrire"


def test_to_enrol_near_deadline_is_at_risk():
    s = status(today=date(2027, 1, 1))
    assert s.status == rules.TO_ENROL and s.at_risk and "75 jours" in s.risk_reason


def test_enrolment_overdue():
    s = status(today=date(2027, 3, 18))
    assert s.status == rules.ENROLMENT_OVERDUE and s.at_risk and s.enrolment_days_left == -1


def test_in_training_on_time():
    s = status(today=date(2026, 1, 1), training_started_on=date(2025, 9, 1), planned_end=date(2026, 1, 15))
    assert s.status == rules.IN_TRAINING and not s.at_risk


def test_in_training_planned_end_after_qualification_deadline_is_at_risk():
    s = status(today=date(2027, 1, 1), training_started_on=date(2027, 1, 1), planned_end=date(2028, 4, 1))
    assert s.status == rules.IN_TRAINING and s.at_risk and "1er avril 2028" in s.risk_reason


def test_in_training_near_qualification_deadline_is_at_risk():
    s = status(today=date(2028, 1, 1), training_started_on=date(2026, 1, 1))
    assert s.at_risk and s.qualification_days_left == (date(2028, 3, 17) - date(2028, 1, 1)).days


def test_training_started_after_enrolment_deadline_is_flagged():
    s = status(today=date(2027, 4, 1), training_started_on=date(2027, 3, 20), planned_end=date(2027, 7, 20))
    assert s.status == rules.IN_TRAINING and s.at_risk and "après l'échéance" in s.risk_reason


def test_future_training_start_does_not_count_yet():
    assert status(today=date(2025, 6, 1), training_started_on=date(2025, 7, 1)).status == rules.TO_ENROL


def test_qualification_overdue():
    s = status(today=date(2028, 3, 18), training_started_on=date(2026, 1, 1))
    assert s.status == rules.QUALIFICATION_OVERDUE and s.at_risk


def test_qualified_wins_even_after_deadlines():
    s = status(today=date(2030, 1, 1), training_started_on=date(2026, 1, 1), qualified_on=date(2026, 5, 1))
    assert s.status == rules.QUALIFIED and not s.at_risk and s.soonest_open_deadline is None


def test_employment_that_ended_has_no_open_deadline():
    s = status(today=date(2028, 1, 1), ended_on=date(2026, 6, 30))
    assert s.status == rules.ENDED and not s.at_risk
    assert status(today=date(2026, 6, 30), ended_on=date(2026, 6, 30)).status == rules.TO_ENROL  # last day worked


def test_rehire_counts_from_the_new_hire_date():
    first = status(hired_on=date(2022, 1, 10), ended_on=date(2023, 1, 10), today=date(2025, 1, 1))
    second = status(hired_on=date(2024, 9, 1), today=date(2025, 1, 1))
    assert first.status == rules.ENDED
    assert second.status == rules.TO_ENROL and second.enrolment_deadline == date(2026, 9, 1)


@given(st.dates(min_value=date(2019, 1, 1), max_value=date(2100, 12, 31)), st.integers(1, 5), st.integers(0, 5))
def test_deadlines_keep_the_day_or_fall_back_to_month_end(hired_on, enrol_years, extra):
    rule = DeadlineRuleSet(name="r", legal_source="s", enrolment_period=enrol_years, qualification_period=enrol_years + extra)
    deadline = enrolment_deadline(hired_on, rule)
    assert deadline.year == hired_on.year + enrol_years and deadline.month == hired_on.month
    assert deadline.day == hired_on.day or (hired_on.month, hired_on.day, deadline.day) == (2, 29, 28)
    assert qualification_deadline(hired_on, rule) >= deadline


@given(st.dates(min_value=date(2019, 1, 1), max_value=date(2040, 1, 1)), st.integers(-2000, 2000))
def test_status_days_left_are_consistent(hired_on, offset):
    today = hired_on + timedelta(days=max(offset, 0))
    s = deadline_status(hired_on=hired_on, today=today, rule=AVENANT_7)
    assert s.enrolment_deadline - timedelta(days=s.enrolment_days_left) == today
    assert s.status in (rules.TO_ENROL, rules.ENROLMENT_OVERDUE)
    assert (s.status == rules.ENROLMENT_OVERDUE) == (s.enrolment_days_left < 0)
