"""The training body's learners list: fifty to a page, searchable by name or email, filters kept in the page links,
a bounded number of queries whatever the number of learners."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.catalog.models import LessonPage
from lms.learning.models import EnrolmentStatus, LessonCompletion
from tests.factories import make_enrolment, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db


def names_in(html):
    """The learners' names of the table, in order (the row headers' links)."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


def learners_world(count, domain="exemple.fr"):
    """`count` learners enrolled in one track of a new training body, each with its first lesson done (their
    progress is read); returns the track."""
    track = make_track(modules=1, lessons=2)
    lesson = LessonPage.objects.descendant_of(track).first()
    for i in range(count):
        enrolment = make_enrolment(trainee=make_trainee(first_name="Apprenant", last_name=f"L{i:03d}",
                                                        email=f"l{i:03d}@{domain}"), track=track)
        LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
    return track


def queries_of(client, url, params):
    """The number of queries of a request, the page having been seen once (sessions, caches warm)."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_learners_list_is_paged_searchable_and_keeps_its_filters(client):
    """60 learners of a track: 50 then 10 by name; the track filter is in the page links; search by name or email."""
    track = learners_world(60)
    other = make_track(training_body=track.training_body, title="Autre parcours")
    make_enrolment(trainee=make_trainee(first_name="Zoé", last_name="Ailleurs"), track=other)
    client.force_login(make_staff(training_body=track.training_body, role="tutor"))
    url = reverse("enrolment_list")
    first = client.get(url, {"parcours": track.pk}).content.decode()
    assert names_in(first) == [f"Apprenant L{i:03d}" for i in range(50)]
    assert f'href="?parcours={track.pk}&amp;page=2"' in first and 'rel="next"' in first
    second = client.get(url, {"parcours": track.pk, "page": 2}).content.decode()
    assert names_in(second) == [f"Apprenant L{i:03d}" for i in range(50, 60)] and "Ailleurs" not in second
    assert f'<a href="?parcours={track.pk}&amp;page=2" aria-current="page">' in second
    assert names_in(client.get(url, {"q": "l007@"}).content.decode()) == ["Apprenant L007"]  # the email address
    assert names_in(client.get(url, {"q": "apprenant L059"}).content.decode()) == ["Apprenant L059"]
    assert names_in(client.get(url, {"q": "ailleurs zoé"}).content.decode()) == ["Zoé Ailleurs"]
    assert names_in(client.get(url, {"q": "personne"}).content.decode()) == []


@pytest.mark.parametrize("page,expected_first", [("999", 50), ("0", 0), ("abc", 0)])
def test_learners_list_page_out_of_range_gives_the_nearest_page(client, page, expected_first):
    track = learners_world(51)
    client.force_login(make_staff(training_body=track.training_body, role="tutor"))
    response = client.get(reverse("enrolment_list"), {"page": page})
    assert response.status_code == 200
    assert names_in(response.content.decode())[0] == f"Apprenant L{expected_first:03d}"


def test_learners_list_shows_only_the_bodys_learners(client):
    track = learners_world(3)
    stranger = learners_world(2, domain="ailleurs.fr")
    client.force_login(make_staff(training_body=stranger.training_body, role="tutor"))
    assert client.get(reverse("enrolment_list"), {"organisme": track.training_body.pk}).status_code == 403
    html = client.get(reverse("enrolment_list"), {"q": "apprenant"}).content.decode()
    assert len(names_in(html)) == 2 and "@exemple.fr" not in html


def test_learners_list_queries_do_not_grow(client, django_assert_max_num_queries):
    """5 or 60 learners, searched, page 1 or 2: the same number of queries, at most 11 (with the staff
    navigation's roles and what the page's learners have done, read once for their progress and pace)."""
    counted = []
    for count, domain in ((5, "petit.fr"), (60, "grand.fr")):
        track = learners_world(count, domain)
        client.force_login(make_staff(training_body=track.training_body, role="tutor"))
        counted += [queries_of(client, reverse("enrolment_list"), {"page": page, "q": "apprenant"}) for page in (1, 2)]
        with django_assert_max_num_queries(11):  # one more: the accommodations' longer durations
            client.get(reverse("enrolment_list"))
    assert len(set(counted)) == 1, counted


def row_of(html, name):
    """The table row of the learner `name`."""
    return html[html.index(f">{name}</a>"):].split("</tr>")[0]


def test_learners_list_shows_progress_and_pace(client):
    """Each learner's progress ('25 %', '1 / 4 éléments') and pace, by the rules of 'Mon parcours': behind by the
    items the planned pace would have done by today, on time, not started, none for a withdrawn learner."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    track = make_track(modules=2, lessons=2)  # 4 items over 12 working days
    lessons = list(LessonPage.objects.descendant_of(track).order_by("path"))
    late = make_enrolment(trainee=make_trainee(first_name="Lina", last_name="Tardive"), track=track,
                          starts_on=today - timedelta(days=40))  # the planned end has passed
    LessonCompletion.objects.create(enrolment=late, lesson=lessons[0])
    make_enrolment(trainee=make_trainee(first_name="Omar", last_name="Ponctuel"), track=track, starts_on=today)
    make_enrolment(trainee=make_trainee(first_name="Paul", last_name="Futur"), track=track,
                   starts_on=today + timedelta(days=10))
    gone = make_enrolment(trainee=make_trainee(first_name="Rita", last_name="Partie"), track=track,
                          starts_on=today - timedelta(days=40), status=EnrolmentStatus.WITHDRAWN)
    LessonCompletion.objects.create(enrolment=gone, lesson=lessons[0])
    client.force_login(make_staff(training_body=track.training_body, role="tutor"))
    html = client.get(reverse("enrolment_list")).content.decode()
    assert '<th scope="col">Progression</th><th scope="col">Rythme</th>' in html
    row = row_of(html, "Lina Tardive")
    assert "<td>25 %<br>" in row and "1 / 4 éléments" in row and "En retard de 3 éléments" in row
    row = row_of(html, "Omar Ponctuel")
    assert "<td>0 %<br>" in row and "0 / 4 éléments" in row and "Dans les temps" in row
    assert "Pas encore commencé" in row_of(html, "Paul Futur")
    row = row_of(html, "Rita Partie")
    assert "1 / 4 éléments" in row and "En retard" not in row and row.endswith("<td>—</td>")
