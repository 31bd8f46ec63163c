"""The training body's learners at risk (issue 16, point 4): deadline risks and learners behind their track's
planned pace, one row per learner with each reason; only the body's own learners."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.catalog.models import LessonPage
from lms.core.dates import legal_today
from lms.learning.models import LessonCompletion
from lms.reports.at_risk import learners_at_risk
from tests.factories import make_enrolment, make_practice, make_staff, make_track, make_trainee

pytestmark = pytest.mark.django_db


def names_in(html):
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


def row_of(html, name):
    return html[html.index(f">{name}</a>"):].split("</tr>")[0]


@pytest.fixture
def world():
    """A 12-day track of 4 lessons and learners in every situation; another body's late learner."""
    today = timezone.localdate()
    track = make_track(modules=2, lessons=2)
    first_lesson = LessonPage.objects.descendant_of(track).order_by("path").first()
    practice = make_practice()
    # Behind her pace only: hired a month ago, started 40 days ago, one lesson of 4.
    late = make_enrolment(trainee=make_trainee(first_name="Anna", last_name="Lente", practice=practice,
                                               hired_on=today - timedelta(days=30)),
                          track=track, starts_on=today - timedelta(days=40))
    LessonCompletion.objects.create(enrolment=late, lesson=first_lesson)
    # Both: her qualification deadline is 20 days away, and she is behind her pace.
    make_enrolment(trainee=make_trainee(first_name="Berthe", last_name="Double", practice=practice,
                                        hired_on=today - timedelta(days=3 * 365 - 20)),
                   track=track, starts_on=today - timedelta(days=40))
    # Her deadline only: started today, on time.
    make_enrolment(trainee=make_trainee(first_name="Chloé", last_name="Échéance", practice=practice,
                                        hired_on=today - timedelta(days=3 * 365 - 30)), track=track, starts_on=today)
    # Neither: on time, hired recently.
    make_enrolment(trainee=make_trainee(first_name="Denis", last_name="Serein", practice=practice,
                                        hired_on=today - timedelta(days=30)), track=track, starts_on=today)
    # Behind her pace, with no employment recorded.
    make_enrolment(trainee=make_trainee(first_name="Eva", last_name="Seule"), track=track,
                   starts_on=today - timedelta(days=40))
    # Another training body's learner behind her pace.
    make_enrolment(trainee=make_trainee(first_name="Fanny", last_name="Ailleurs", practice=practice),
                   track=make_track(), starts_on=today - timedelta(days=40))
    return track


def test_report_lists_learners_behind_their_pace_with_their_reasons(client, world):
    client.force_login(make_staff(training_body=world.training_body, role="tutor"))
    html = client.get(reverse("training_body_deadlines")).content.decode()
    # Deadline risks first (soonest first), then the most behind.
    assert names_in(html) == ["Berthe Double", "Chloé Échéance", "Eva Seule", "Anna Lente"]
    assert '<th scope="col">Motifs</th>' in html
    both = row_of(html, "Berthe Double")
    assert re.search(r"Pas encore qualifié·e, à 2[01] jours de l&#x27;échéance", both)
    assert "En retard de 4 éléments sur le rythme prévu (fait : 0 / 4 éléments ; fin prévue le" in both
    assert both.count("<li>") == 2
    deadline_only = row_of(html, "Chloé Échéance")
    assert "jours de l&#x27;échéance" in deadline_only and "rythme prévu" not in deadline_only
    pace_only = row_of(html, "Anna Lente")
    assert "En retard de 3 éléments sur le rythme prévu (fait : 1 / 4 éléments" in pace_only
    assert "jours de l&#x27;échéance" not in pace_only and "<td>25 %</td>" in pace_only
    assert world.title in pace_only  # the track behind its pace
    alone = row_of(html, "Eva Seule")
    assert "En retard de 4 éléments" in alone and alone.count("<td>—</td>") >= 2
    assert "Serein" not in html and "Ailleurs" not in html


def test_each_learner_appears_once_and_queries_do_not_grow(world):
    """The selector: one entry per learner, in the same number of queries for 4 or 9 learners at risk (the
    tracks' structures cached, as on a page seen before)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.organisations.models import TrainingBody

    bodies = TrainingBody.objects.filter(pk=world.training_body_id)
    learners_at_risk(bodies, legal_today())  # the track's structure into the cache
    with CaptureQueriesContext(connection) as few:
        entries = learners_at_risk(bodies, legal_today())
    assert len({e.trainee_id for e in entries}) == len(entries) == 4
    for extra in range(5):
        make_enrolment(trainee=make_trainee(first_name="Encore", last_name=f"E{extra}"), track=world,
                       starts_on=timezone.localdate() - timedelta(days=40))
    with CaptureQueriesContext(connection) as more:
        assert len(learners_at_risk(bodies, legal_today())) == 9
    assert len(few.captured_queries) == len(more.captured_queries) <= 6
