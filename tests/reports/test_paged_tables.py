"""The employer table and the learners-at-risk report: fifty rows to a page, sorting, filtering and counts over
every row, links that keep them, a bounded number of queries whatever the number of rows."""
import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lms.catalog.models import LessonPage
from lms.certificates.models import Certificate
from lms.deadlines.models import DeclaredTraining
from lms.learning.models import EnrolmentStatus, LessonCompletion
from lms.organisations.models import Employment
from tests.factories import (make_employer, make_enrolment, make_practice, make_staff, make_track, make_trainee,
                             record_result)

pytestmark = pytest.mark.django_db


def names_in(html):
    """The assistants' names of a table, in order (the row headers' links)."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


def queries_of(client, url, params):
    """The number of queries of a request, the page having been seen once (sessions, caches warm)."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def build_practice(count, *, track=None):
    """A practice with `count` assistants: odd ones enrolled (some with progress), every fifth not enrolled and
    near the enrolment deadline (at risk), one qualified by declaration, one certified."""
    today = timezone.localdate()
    practice = make_practice(name="Cabinet Large")
    employer = make_employer(practice=practice)
    track = track or make_track(modules=1, lessons=2)
    lesson_ids = list(LessonPage.objects.descendant_of(track).values_list("pk", flat=True))
    for i in range(count):
        near = i % 5 == 0
        trainee = make_trainee(first_name=f"Prénom{i:03d}", last_name=f"Nom{i:03d}", practice=practice,
                               hired_on=today - timedelta(days=2 * 365 - 30 if near else 100 + i))
        if i % 2 and not near:
            enrolment = make_enrolment(trainee=trainee, track=track, starts_on=today - timedelta(days=5))
            if i % 3 == 0:
                LessonCompletion.objects.create(enrolment=enrolment, lesson_id=lesson_ids[0])
    return {"practice": practice, "employer": employer, "track": track, "today": today}


def test_employer_table_shows_fifty_rows_a_page_sorted_over_all_assistants(client):
    """Page 1 and page 2 of 60 assistants sorted by name: 50 then 10, in order over the whole practice."""
    world = build_practice(60)
    client.force_login(world["employer"])
    first = client.get(reverse("practice_home"), {"tri": "nom"}).content.decode()
    second = client.get(reverse("practice_home"), {"tri": "nom", "page": 2}).content.decode()
    expected = [f"Prénom{i:03d} Nom{i:03d}" for i in range(60)]
    assert names_in(first) == expected[:50] and names_in(second) == expected[50:]
    assert '<a href="?tri=nom&amp;ordre=asc&amp;page=2" aria-current="page">' in second
    assert 'rel="prev"' in second and 'rel="next"' not in second and 'rel="next"' in first
    descending = client.get(reverse("practice_home"), {"tri": "nom", "ordre": "desc"}).content.decode()
    assert names_in(descending)[0] == expected[-1]  # the last name of all, not of the first page
    assert 'aria-sort="descending"' in descending


@pytest.mark.parametrize("page,expected_first", [("999", 50), ("0", 0), ("-3", 0), ("abc", 0), ("2.5", 0),
                                                 ("9" * 40, 50)])
def test_a_page_number_out_of_range_or_not_a_number_gives_the_nearest_page(client, page, expected_first):
    """Never a 404 or a 500: past the end is the last page, anything else the first."""
    world = build_practice(55)
    client.force_login(world["employer"])
    response = client.get(reverse("practice_home"), {"tri": "nom", "page": page})
    assert response.status_code == 200
    assert names_in(response.content.decode())[0] == f"Prénom{expected_first:03d} Nom{expected_first:03d}"


def test_page_links_keep_the_sort_and_the_filter_and_counts_cover_every_assistant(client):
    """The status filter's counts and the at-risk banner count all 60 assistants, whatever the page and filter;
    page links carry the sort, the order and the filter."""
    world = build_practice(120)
    client.force_login(world["employer"])
    html = client.get(reverse("practice_home"), {"tri": "recrutement", "ordre": "desc", "statut": "to_enrol",
                                                 "page": 1}).content.decode()
    # 120 assistants: 24 near the enrolment deadline (every fifth), 48 enrolled (odd, not fifth), 48 to enrol
    assert "Tous les statuts (120)</option>" in html
    assert re.search(r'value="in_training"[^>]*>En formation \(48\)', html)
    assert re.search(r'value="to_enrol" selected>À inscrire \(72\)', html)
    assert "24 assistant·es sont en risque." in html
    assert len(names_in(html)) == 50
    assert 'href="?tri=recrutement&amp;ordre=desc&amp;statut=to_enrol&amp;page=2"' in html
    assert 'rel="next"' in html
    last = client.get(reverse("practice_home"), {"tri": "recrutement", "ordre": "desc", "statut": "to_enrol",
                                                 "page": 2}).content.decode()
    assert len(names_in(last)) == 22
    assert "24 assistant·es sont en risque." in last


def test_status_is_shown_with_an_icon_and_text_and_risk_with_its_reason(client):
    """Never colour alone: each status has its label next to an icon hidden from screen readers."""
    world = build_practice(6)
    client.force_login(world["employer"])
    html = client.get(reverse("practice_home")).content.decode()
    assert '<span aria-hidden="true">●</span> À inscrire</span>' in html
    assert '<span aria-hidden="true">⚠</span> En risque : Aucune formation commencée' in html
    assert '<caption class="visually-hidden">' in html and "jours restants" in html


def test_declared_qualification_and_certificate_show_on_the_page(client):
    world = build_practice(3)
    qualified = Employment.objects.get(practice=world["practice"], trainee__last_name="Nom002").trainee
    DeclaredTraining.objects.create(trainee=qualified, kind="qualification", organisation="CFA",
                                    occurred_on=world["today"] - timedelta(days=3))
    enrolment = Employment.objects.get(practice=world["practice"], trainee__last_name="Nom001").trainee.enrolments.get()
    enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, timezone.now() - timedelta(days=1)
    enrolment.save()
    certificate = Certificate.objects.create(
        enrolment=enrolment, code="CODE-TEST-PAGE", issued_at=timezone.now(), trainee_name="x", track_title="t",
        training_body_name="b", nominal_hours=84, starts_on=enrolment.starts_on, ends_on=world["today"])
    client.force_login(world["employer"])
    html = client.get(reverse("practice_home")).content.decode()
    with translation.override("fr"):  # the catalogue's word, whether or not it is compiled yet
        assert f"({translation.gettext('declared')})" in html and "Qualifié·e" in html
    assert reverse("certificate_download", args=[certificate.pk]) in html


def test_csv_export_keeps_every_row(client):
    world = build_practice(60)
    client.force_login(world["employer"])
    rows = list(csv.reader(io.StringIO(client.get(reverse("employer_csv")).content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 61
    assert {row[0] for row in rows[1:]} == {f"Nom{i:03d}" for i in range(60)}
    assert rows[1][4] == "Secrétaire médical·e"  # the entry profile's label, not its code


@pytest.mark.parametrize("url_name", ["practice_home", "employer_csv"])
def test_employer_queries_do_not_grow_with_the_number_of_assistants(client, django_assert_max_num_queries, url_name):
    """5 or 60 assistants (enrolled, with progress), page 1 or 2, sorted by progress: the same number of queries."""
    track = make_track(modules=1, lessons=2)
    counted = []
    for count in (5, 60):
        world = build_practice(count, track=track)
        client.force_login(world["employer"])
        counted += [queries_of(client, reverse(url_name), {"page": page, "tri": "progression"}) for page in (1, 2)]
        with django_assert_max_num_queries(9):
            client.get(reverse(url_name))
    assert len(set(counted)) == 1, counted


def at_risk_world(count):
    """`count` learners of one training body near their qualification deadline, a qualified one, an ended one."""
    today = timezone.localdate()
    track = make_track(modules=1, lessons=1)
    practice = make_practice()
    for i in range(count):
        trainee = make_trainee(first_name="Risque", last_name=f"R{i:03d}", practice=practice,
                               hired_on=today - timedelta(days=3 * 365 - 10 - i))
        make_enrolment(trainee=trainee, track=track, starts_on=today - timedelta(days=300))
    qualified = make_trainee(first_name="Deja", last_name="Qualifiee", practice=practice,
                             hired_on=today - timedelta(days=3 * 365 - 5))
    certification = make_track(modules=1, lessons=1, training_body=track.training_body, certification=True)
    record_result(make_enrolment(trainee=qualified, track=certification, starts_on=today - timedelta(days=300),
                                 status=EnrolmentStatus.COMPLETED, completed_at=timezone.now() - timedelta(days=2)),
                  obtained_on=today - timedelta(days=2))
    gone = make_trainee(first_name="Partie", last_name="Ailleurs", practice=practice,
                        hired_on=today - timedelta(days=3 * 365 - 5))
    Employment.objects.filter(trainee=gone).update(ended_on=today - timedelta(days=1))
    make_enrolment(trainee=gone, track=track, starts_on=today - timedelta(days=300))
    return track


def test_training_body_report_pages_learners_at_risk_soonest_first(client):
    track = at_risk_world(60)
    client.force_login(make_staff(training_body=track.training_body, role="tutor"))
    first = client.get(reverse("training_body_deadlines")).content.decode()
    second = client.get(reverse("training_body_deadlines"), {"page": 2}).content.decode()
    expected = [f"Risque R{i:03d}" for i in range(60)]  # hired earliest first: the soonest deadline first
    # The learner who left her practice has no deadline at risk there, but is behind her track's pace: she comes
    # after every deadline risk, once, with that reason only.
    assert names_in(first) == expected[:50] and names_in(second) == expected[50:] + ["Partie Ailleurs"]
    assert "Qualifiee" not in first + second
    gone_row = second[second.index("Partie Ailleurs"):].split("</tr>")[0]
    assert "Behind the planned pace" not in gone_row  # French, as users read it
    assert "En retard de 1 élément sur le rythme prévu" in gone_row and "jours de l" not in gone_row
    assert '<a href="?page=2" aria-current="page">' in second
    assert names_in(client.get(reverse("training_body_deadlines"), {"page": "x"}).content.decode())[0] == expected[0]


def test_training_body_report_queries_do_not_grow(client):
    """5 or 60 learners at risk, page 1 or 2: the same number of queries, at most 14 (the deadlines, the pace of
    every active enrolment in bulk, the staff navigation's roles)."""
    counted = []
    for count in (5, 60):
        track = at_risk_world(count)
        client.force_login(make_staff(training_body=track.training_body, role="tutor"))
        counted += [queries_of(client, reverse("training_body_deadlines"), {"page": page}) for page in (1, 2)]
    assert len(set(counted)) == 1 and counted[0] <= 14, counted  # 14: the accommodations' longer durations in one query
