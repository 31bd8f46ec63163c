"""Rule sets as the law changes them: periods in months or years, entry profiles, the admin's checks, and every
page, export and message naming the rule applied to each assistant."""
import csv
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lms.core.dates import add_years
from lms.deadlines.models import DeadlineRuleSet, PeriodUnit
from lms.deadlines.rules import add_period, default_rule, pick_rule, qualification_deadline, rule_for
from lms.deadlines.selectors import employment_rows
from lms.deadlines.services import calendar_token_create
from lms.organisations.models import Employment
from tests.factories import (
    make_employer,
    make_enrolment,
    make_practice,
    make_staff,
    make_track,
    make_trainee,
    make_training_body,
    make_user,
)

PROFILES = ["secretary", "care_assistant", "childcare_assistant", "nurse", "other"]
dates = st.dates(min_value=date(2019, 1, 1), max_value=date(2100, 12, 31))


def rule(name="r", *, start=None, end=None, profiles=(), enrol=(2, PeriodUnit.YEARS),
         qualify=(3, PeriodUnit.YEARS), pk=None):
    return DeadlineRuleSet(pk=pk, name=name, legal_source=f"source {name}", applies_from=start, applies_until=end,
                           applies_to_profiles=list(profiles), enrolment_period=enrol[0], enrolment_unit=enrol[1],
                           qualification_period=qualify[0], qualification_unit=qualify[1])


# --- Month arithmetic -----------------------------------------------------------------------------------------

def test_a_month_after_31_january_is_the_last_day_of_february():
    assert add_period(date(2025, 1, 31), 1, PeriodUnit.MONTHS) == date(2025, 2, 28)
    assert add_period(date(2024, 1, 31), 1, PeriodUnit.MONTHS) == date(2024, 2, 29)
    assert add_period(date(2025, 3, 31), 18, PeriodUnit.MONTHS) == date(2026, 9, 30)
    assert add_period(date(2024, 2, 29), 1, PeriodUnit.YEARS) == date(2025, 2, 28)


@given(dates, st.integers(1, 10))
def test_years_are_twelve_months_and_agree_with_add_years(start, years):
    assert add_period(start, years, PeriodUnit.YEARS) == add_period(start, 12 * years, PeriodUnit.MONTHS) \
        == add_years(start, years)


@given(dates, st.integers(1, 60))
def test_months_keep_the_day_or_fall_on_the_month_end(start, months):
    end = add_period(start, months, PeriodUnit.MONTHS)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    next_day = end + timedelta(days=1)
    assert end.day == start.day or (end.day < start.day and next_day.month != end.month)


@given(dates, dates, st.integers(1, 60), st.integers(0, 24))
def test_deadlines_are_monotonic_in_the_hire_date_and_the_period(first, second, months, more):
    early, late = min(first, second), max(first, second)
    assert add_period(early, months, PeriodUnit.MONTHS) <= add_period(late, months, PeriodUnit.MONTHS)
    assert add_period(early, months, PeriodUnit.MONTHS) <= add_period(early, months + more, PeriodUnit.MONTHS)


# --- Choosing the rule ----------------------------------------------------------------------------------------

@given(dates, st.sampled_from(PROFILES + [None]), st.sets(st.sampled_from(PROFILES), min_size=1))
def test_a_rule_for_given_profiles_applies_to_them_only_and_wins_over_the_general_one(hired_on, profile, chosen):
    general, specific = rule("general", pk=1), rule("specific", profiles=sorted(chosen), pk=2)
    picked = pick_rule(hired_on, profile, [specific, general])
    assert picked is (specific if profile in chosen else general)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 1, 1)), st.integers(0, 3000),
       st.integers(-5, 5), st.sampled_from(PROFILES))
def test_a_rule_applies_from_its_first_to_its_last_hire_date_inclusive(start, length, offset, profile):
    end = start + timedelta(days=length)
    earlier, bounded = rule("before", end=start - timedelta(days=1), pk=1), rule("bounded", start=start, end=end, pk=2)
    later = rule("after", start=end + timedelta(days=1), pk=3)
    rules = [earlier, bounded, later]
    assert pick_rule(start, profile, rules) is bounded and pick_rule(end, profile, rules) is bounded
    day = start + timedelta(days=offset)
    assert pick_rule(day, profile, rules) is (earlier if day < start else bounded if day <= end else later)
    day = end + timedelta(days=offset)
    assert pick_rule(day, profile, rules) is (later if day > end else bounded if day >= start else earlier)


def test_an_assistant_without_a_known_profile_falls_under_the_rules_for_all():
    nurses = rule("nurses", profiles=["nurse"], pk=1)
    assert rule_for(date(2025, 1, 1), [nurses], None).name == default_rule().name
    assert rule_for(date(2025, 1, 1), [nurses], "nurse") is nurses


def test_months_rule_computes_both_deadlines():
    short = rule("short", enrol=(18, PeriodUnit.MONTHS), qualify=(30, PeriodUnit.MONTHS))
    assert qualification_deadline(date(2025, 8, 31), short) == date(2028, 2, 29)
    status_rule = rule_for(date(2025, 8, 31), [short], "nurse")
    assert status_rule is short


# --- The admin's checks (model clean, in French) --------------------------------------------------------------

@pytest.mark.django_db
def test_shipped_rule_cites_article_9_2_in_years():
    shipped = DeadlineRuleSet.objects.get()
    assert shipped.name == "Avenant 7 — art. 9-2"
    assert (shipped.enrolment_period, shipped.enrolment_unit, shipped.qualification_period,
            shipped.qualification_unit) == (2, "years", 3, "years")
    assert "article 9-2" in shipped.legal_source and shipped.applies_to_profiles == []
    assert "dans les deux ans suivant son recrutement" in shipped.source_excerpt
    assert "trois ans suivant son recrutement" in shipped.source_excerpt


def errors_of(candidate):
    with pytest.raises(ValidationError) as raised:
        candidate.full_clean()
    return raised.value.message_dict


@pytest.mark.django_db
def test_admin_checks_periods_dates_and_overlaps_in_french():
    errors = errors_of(rule("zero", start=date(2030, 1, 1), enrol=(0, PeriodUnit.MONTHS)))
    assert "enrolment_period" in errors
    errors = errors_of(rule("backwards", start=date(2030, 1, 1), end=date(2029, 1, 1)))
    assert errors["applies_until"] == ["La dernière date de recrutement doit être égale ou postérieure à la première."]
    errors = errors_of(rule("shorter", start=date(2030, 1, 1), enrol=(2, PeriodUnit.YEARS),
                            qualify=(20, PeriodUnit.MONTHS)))
    assert "ne peut pas être plus court" in errors["qualification_period"][0]
    errors = errors_of(rule("ghost", start=date(2030, 1, 1), profiles=["astronaut"]))
    assert errors["applies_to_profiles"] == ["Choisissez les profils d'entrée dans la liste."]
    # Every profile, from 2030: the shipped rule covers every hire date already
    message = errors_of(rule("Convention 2030", start=date(2030, 1, 1)))["__all__"][0]
    assert "recouvrent ceux de la règle « Avenant 7 — art. 9-2 » (toutes les dates de recrutement)" in message


@pytest.mark.django_db
def test_profile_rules_may_sit_inside_the_general_one_but_not_overlap_each_other():
    nurses = rule("Infirmiers 2030", start=date(2030, 1, 1), end=date(2030, 12, 31), profiles=["nurse"])
    nurses.full_clean()
    nurses.save()
    rule("Secrétaires 2030", start=date(2030, 6, 1), profiles=["secretary"]).full_clean()  # no profile shared
    rule("Soignants 2031", start=date(2031, 1, 1), profiles=["nurse", "care_assistant"]).full_clean()  # after
    message = errors_of(rule("Soignants", start=date(2030, 12, 31), profiles=["care_assistant", "nurse"]))["__all__"][0]
    assert "« Infirmiers 2030 » (recrutements du 1er janvier 2030 au 31 décembre 2030)" in message
    # Closing the general rule lets a later general one in
    shipped = DeadlineRuleSet.objects.get(name="Avenant 7 — art. 9-2")
    shipped.applies_until = date(2029, 12, 31)
    shipped.full_clean()
    shipped.save()
    rule("Convention 2030", start=date(2030, 1, 1)).full_clean()


# --- Added in the admin, applied everywhere -------------------------------------------------------------------

@pytest.fixture
def practice_with_assistants():
    practice = make_practice(name="Cabinet des Tilleuls")
    employer = make_employer(practice=practice)
    nurse = make_trainee(first_name="Ines", last_name="Infirmiere", entry_profile="nurse", practice=practice,
                         hired_on=date(2026, 1, 31))
    secretary = make_trainee(first_name="Sam", last_name="Secretaire", entry_profile="secretary", practice=practice,
                             hired_on=date(2026, 1, 31))
    old_nurse = make_trainee(first_name="Ada", last_name="Ancienne", entry_profile="nurse", practice=practice,
                             hired_on=date(2025, 12, 31))
    return {"practice": practice, "employer": employer, "nurse": nurse, "secretary": secretary,
            "old_nurse": old_nurse}


def deadlines_by_name(today):
    rows = employment_rows(Employment.objects.select_related("trainee"), today)
    return {row.trainee.last_name: (row.deadline.enrolment_deadline, row.deadline.qualification_deadline,
                                    row.deadline.rule_name) for row in rows}


NURSES_2026 = {"name": "Infirmiers 2026 (test)", "legal_source": "Texte de test, article 1",
               "source_url": "https://www.legifrance.gouv.fr/exemple", "source_excerpt": "« … »",
               "takes_effect_on": "2026-01-01", "applies_from": "2026-01-01", "applies_until": "",
               "applies_to_profiles": ["nurse"], "enrolment_period": "6", "enrolment_unit": "months",
               "qualification_period": "13", "qualification_unit": "months"}


@pytest.mark.django_db
def test_a_rule_added_in_the_admin_changes_the_deadlines_of_matching_assistants_only(
        client, practice_with_assistants, django_capture_on_commit_callbacks):
    today = date(2026, 3, 1)
    before = deadlines_by_name(today)
    assert before["Infirmiere"] == (date(2028, 1, 31), date(2029, 1, 31), "Avenant 7 — art. 9-2")
    client.force_login(make_user(email="admin@plateforme.example", is_staff=True, is_superuser=True))
    form = client.get(reverse("admin:deadlines_deadlineruleset_add")).content.decode()
    assert "Délai pour entrer en formation" in form and "Profils d&#x27;entrée" in form
    assert "Unité du délai pour obtenir la qualification" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:deadlines_deadlineruleset_add"), NURSES_2026)
    assert response.status_code == 302
    created = DeadlineRuleSet.objects.get(name="Infirmiers 2026 (test)")
    assert created.applies_to_profiles == ["nurse"] and created.takes_effect_on == date(2026, 1, 1)
    after = deadlines_by_name(today)  # the cached rule sets were replaced once the admin's change committed
    # 31 January + 6 months = 31 July; + 13 months = 28 February (2027 has no 29th)
    assert after["Infirmiere"] == (date(2026, 7, 31), date(2027, 2, 28), "Infirmiers 2026 (test)")
    assert after["Secretaire"] == before["Secretaire"]  # another profile
    assert after["Ancienne"] == before["Ancienne"]  # hired before the rule applies


@pytest.mark.django_db
def test_the_admin_refuses_an_overlapping_rule_naming_the_other(client):
    client.force_login(make_user(email="admin@plateforme.example", is_staff=True, is_superuser=True))
    data = {**NURSES_2026, "applies_to_profiles": [], "name": "Convention générale (test)"}
    response = client.post(reverse("admin:deadlines_deadlineruleset_add"), data)
    assert response.status_code == 200
    assert "recouvrent ceux de la règle « Avenant 7 — art. 9-2 »" in response.content.decode()
    assert not DeadlineRuleSet.objects.filter(name="Convention générale (test)").exists()


@pytest.fixture
def nurses_rule(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return DeadlineRuleSet.objects.create(
            name="Infirmiers 2026 (test)", legal_source="Texte de test, article 1",
            source_url="https://www.legifrance.gouv.fr/exemple", applies_from=date(2026, 1, 1),
            applies_to_profiles=["nurse"], enrolment_period=6, enrolment_unit="months", qualification_period=13,
            qualification_unit="months")


@pytest.mark.django_db
def test_employer_table_timeline_csv_and_calendar_name_each_rule(client, practice_with_assistants, nurses_rule):
    p = practice_with_assistants
    client.force_login(p["employer"])
    html = client.get(reverse("practice_home")).content.decode()
    assert '<th scope="col">Règle appliquée</th>' in html
    assert ('<a href="https://www.legifrance.gouv.fr/exemple" title="Texte de test, article 1">'
            'Infirmiers 2026 (test)</a>') in html
    assert '<abbr title="Avenant n° 7 (2019) à la convention nationale' in html and ">Avenant 7 — art. 9-2</abbr>" in html
    nurse_employment = Employment.objects.get(trainee=p["nurse"])
    html = client.get(reverse("employment_detail", args=[nurse_employment.pk])).content.decode()
    assert "Infirmiers 2026 (test) — <a href=\"https://www.legifrance.gouv.fr/exemple\">Texte de test" in html
    rows = list(csv.reader(io.StringIO(client.get(reverse("employer_csv")).content.decode("utf-8-sig")),
                           delimiter=";"))
    header = rows[0]
    by_name = {row[0]: dict(zip(header, row)) for row in rows[1:]}
    assert by_name["Infirmiere"]["Règle"] == "Infirmiers 2026 (test)"
    assert by_name["Infirmiere"]["Source juridique"] == "Texte de test, article 1"
    assert by_name["Secretaire"]["Règle"] == "Avenant 7 — art. 9-2"
    token = calendar_token_create(user=p["employer"])
    feed = client.get(reverse("calendar_feed", args=[token])).content.decode().replace("\r\n ", "")
    assert "règle appliquée : Infirmiers 2026 (test) (Texte de test\\, article 1) https://www.legifrance" in feed
    assert "règle appliquée : Avenant 7 — art. 9-2" in feed


@pytest.mark.django_db
def test_training_body_deadlines_page_names_the_rule(client, nurses_rule):
    today = timezone.localdate()
    practice = make_practice()
    nurse = make_trainee(last_name="Infirmiere", entry_profile="nurse", practice=practice,
                         hired_on=today - timedelta(days=170))  # the 6 months run out in about 10 days: at risk
    body = make_training_body()
    track = make_track(training_body=body, profiles=("nurse",))
    staff = make_staff(training_body=body)
    nurses_rule.applies_from = today - timedelta(days=400)
    nurses_rule.save()
    make_enrolment(trainee=nurse, track=track, starts_on=today + timedelta(days=30))
    client.force_login(staff)
    html = client.get(reverse("training_body_deadlines")).content.decode()
    assert "Infirmiere" in html and '<th scope="col">Règle appliquée</th>' in html
    assert ">Infirmiers 2026 (test)</a>" in html


@pytest.mark.django_db
def test_reminder_email_names_the_rule_and_its_text(nurses_rule):
    practice = make_practice()
    make_employer(practice=practice, email="medecin@example.org")
    today = timezone.localdate()
    nurses_rule.applies_from = today - timedelta(days=1000)
    nurses_rule.save()
    make_trainee(entry_profile="nurse", practice=practice, hired_on=add_years(today, -1) + timedelta(days=20))
    call_command("send_deadline_reminders")
    message = mail.outbox[0]
    assert "Règle appliquée : Infirmiers 2026 (test) (Texte de test, article 1). " \
           "https://www.legifrance.gouv.fr/exemple" in message.body
    assert '<a href="https://www.legifrance.gouv.fr/exemple">Lire le texte</a>' in message.alternatives[0][0]


def make_assistants(practice, count):
    for n in range(count):
        make_trainee(last_name=f"Assistant{n}", entry_profile=PROFILES[n % len(PROFILES)], practice=practice,
                     hired_on=date(2026, 1, 1) + timedelta(days=n))


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["practice_home", "employer_csv"])
def test_employer_pages_read_the_rules_in_constant_queries(client, nurses_rule, django_assert_max_num_queries,
                                                           url_name):
    """The rule sets are few and cached: ten assistants of every profile cost no more queries than one."""
    small, large = make_practice(), make_practice()
    make_assistants(small, 1)
    make_assistants(large, 10)
    client.force_login(make_employer(practice=small))
    client.get(reverse(url_name))  # warm the caches
    with django_assert_max_num_queries(100) as one:
        assert client.get(reverse(url_name)).status_code == 200
    queries = len(one)  # now: the next request empties the connection's log
    assert queries > 0
    client.force_login(make_employer(practice=large))
    client.get(reverse(url_name))
    with django_assert_max_num_queries(queries):
        response = client.get(reverse(url_name))
    text = response.content.decode("utf-8-sig")
    assert "Infirmiers 2026 (test)" in text and "Avenant 7 — art. 9-2" in text


@pytest.mark.django_db
def test_the_database_refuses_periods_out_of_order_even_without_the_admin():
    """The constraints compare the periods in months whatever their units (a rule loaded by a script too)."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        rule("shorter", start=date(2030, 1, 1), enrol=(2, PeriodUnit.YEARS), qualify=(23, PeriodUnit.MONTHS)).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        rule("backwards", start=date(2030, 1, 1), end=date(2029, 12, 31)).save()
    rule("equal", start=date(2030, 1, 1), enrol=(2, PeriodUnit.YEARS), qualify=(24, PeriodUnit.MONTHS)).save()
