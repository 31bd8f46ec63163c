"""'Mon parcours', a track's outline and a lesson's content kept in the shared cache for an enrolled trainee
(lms.learning.views, lms.core.cache.read_stamped): a reload sends no query, and every change of what the page
shows is on it at the next request once committed — the trainee's own rows, the shared rows every trainee's page
names, the track's publication, the page restrictions, the day, the language — even when the change commits while
the page is built."""
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.accommodations.models import Accommodation
from lms.accommodations.services import referent_name
from lms.certificates.models import Certificate
from lms.certificates.services import certificate_issue, certificate_revoke
from lms.deadlines.models import DeadlineRuleSet, DeclarationKind, DeclaredTraining
from lms.learning import selectors, services, views
from lms.learning.models import Cohort, ModuleExemption
from lms.organisations.models import Practice, TrainingBody
from tests.factories import (make_enrolment, make_practice, make_quiz, make_staff, make_track, make_trainee,
                             record_result)

pytestmark = pytest.mark.django_db

URL = reverse("my_track")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as a committed transaction: its commit callbacks (the cache invalidations) run."""
    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                return change(*args, **kwargs)
    return run


@pytest.fixture
def world():
    practice = make_practice(name="Cabinet des Tilleuls")
    trainee = make_trainee(practice=practice, hired_on=date.today() - timedelta(days=200), first_name="Inès",
                           last_name="Moreau")
    track = make_track(title="Parcours des tests", certification=True)
    cohort = Cohort.objects.create(training_body=track.training_body, track=track, name="Promotion d'automne",
                                   starts_on=date.today() - timedelta(days=5), ends_on=date.today() + timedelta(days=40))
    enrolment = make_enrolment(trainee=trainee, track=track, cohort=cohort, starts_on=date.today() - timedelta(days=5))
    final = make_quiz(parent=track, title="Évaluation finale")
    return {"trainee": trainee, "track": track, "cohort": cohort, "enrolment": enrolment, "practice": practice,
            "final": final,
            "staff": make_staff(training_body=track.training_body, first_name="Julien", last_name="Roux")}


def page(client):
    """The page's main content (the header and footer carry the request's nonce and CSRF token)."""
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def lessons(track):
    from lms.catalog.models import LessonPage

    return list(LessonPage.objects.descendant_of(track).live().order_by("path"))


def test_a_reload_is_read_from_the_cache_without_a_query(client, world):
    client.force_login(world["trainee"])
    first = page(client)
    assert "Parcours des tests" in first and "Cabinet des Tilleuls" in first
    with CaptureQueriesContext(connection) as queries:
        again = page(client)
    assert again == first
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "learning_enrolment" not in tables and "organisations_employment" not in tables
    # the session and the user, as every page (the test settings keep the cache in memory)
    assert len(queries) <= 2, [q["sql"] for q in queries.captured_queries]


def test_each_trainee_reads_only_their_own_page(client, world):
    other = make_enrolment(trainee=make_trainee(first_name="Zoé"), track=make_track(title="Un autre parcours"))
    client.force_login(world["trainee"])
    mine = page(client)
    client.force_login(other.trainee)
    theirs = page(client)
    assert "Un autre parcours" in theirs and "Parcours des tests" not in theirs
    assert "Un autre parcours" not in mine


def test_the_page_of_another_language_is_its_own(client, world):
    client.force_login(world["trainee"])
    assert "Mon parcours" in page(client)
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    english = english[english.index("<main"):]
    assert "My track" in english and "Progression" not in english


def test_a_new_day_builds_the_page_again(client, world, monkeypatch):
    """The pace and the deadlines' days left move with the date: the page is kept for one day."""
    client.force_login(world["trainee"])
    page(client)
    monkeypatch.setattr(views, "legal_today", lambda: date.today() + timedelta(days=1))
    with CaptureQueriesContext(connection) as queries:
        page(client)
    assert any("learning_enrolment" in q["sql"] for q in queries.captured_queries)


def _mark_done(world):
    services.lesson_complete(enrolment=world["enrolment"], lesson=lessons(world["track"])[0])


def _quiz_passed(world):
    services.quiz_completion_record(enrolment=world["enrolment"], quiz=world["final"])


def _rename_body(world):
    body = TrainingBody.objects.get(pk=world["track"].training_body_id)
    body.name = "Institut renommé"
    body.save()


def _rename_practice(world):
    practice = Practice.objects.get(pk=world["practice"].pk)
    practice.name = "Cabinet renommé"
    practice.save()


def _move_cohort_end(world):
    cohort = world["cohort"]
    cohort.ends_on = date(2031, 3, 14)
    cohort.save()


def _name_referent(world):
    referent_name(training_body=world["track"].training_body, user=world["staff"], by=world["staff"],
                  email="referent@example.org")


def _rename_referent(world):
    _name_referent(world)
    staff = world["staff"]
    staff.last_name = "Roux-Delorme"
    staff.save(update_fields=["last_name"])


def _accommodate(world):
    Accommodation.objects.create(training_body=world["track"].training_body, trainee=world["trainee"],
                                 extra_time_percent=0, extra_duration_percent=100, note="", updated_at=timezone.now())


def _declare(world):
    DeclaredTraining.objects.create(trainee=world["trainee"], kind=DeclarationKind.QUALIFICATION,
                                    occurred_on=date(2026, 1, 2), organisation="Organisme déclaré",
                                    evidence="declarations/x.pdf")


def _result(world):
    record_result(world["enrolment"], obtained_on=date.today())


def _withdraw(world):
    services.enrolment_withdraw(enrolment=world["enrolment"])


def _publish_title(world):
    track = world["track"].specific
    track.title = "Parcours republié"
    track.save_revision().publish()


def _rule_renamed(world):
    rule = DeadlineRuleSet.objects.order_by("pk").first()
    rule.name = "Règles amendées"
    rule.save()


def _exempted(world):
    from lms.catalog.models import ModulePage

    module = ModulePage.objects.child_of(world["track"]).first()
    exemption = ModuleExemption.objects.create(enrolment=world["enrolment"], module=module, score=90, threshold=80,
                                               proposed_at=timezone.now())
    services.exemption_decide(exemption=exemption, by=world["staff"], confirm=True, reason="Acquis vérifiés.")


CHANGES = [
    # (what changes, the change, what the page shows after it)
    ("a lesson marked done", _mark_done, "1 leçon terminée sur 4"),
    ("a quiz passed", _quiz_passed, "Progression : 20 %"),
    ("the training body renamed", _rename_body, "Institut renommé"),
    ("the practice renamed", _rename_practice, "Cabinet renommé"),
    ("the cohort's end moved", _move_cohort_end, "14 mars 2031"),
    ("a disability referent named", _name_referent, "referent@example.org"),
    ("the referent's account renamed", _rename_referent, "Roux-Delorme"),
    ("an accommodation lengthening the track", _accommodate, None),
    ("a qualification declared", _declare, "obtenue le 2 janvier 2026"),
    ("a certification result recorded", _result, "JURY-2026-042"),
    ("the enrolment withdrawn", _withdraw, None),
    ("the track's title published", _publish_title, "Parcours republié"),
    ("a deadline rule set renamed", _rule_renamed, "Règles amendées"),
    ("a module exempted", _exempted, "Progression : 40 %"),
]


@pytest.mark.parametrize("change, expected", [(c[1], c[2]) for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_a_committed_change_is_on_the_next_page(client, world, commit, change, expected):
    client.force_login(world["trainee"])
    before = page(client)
    assert page(client) == before  # kept
    commit(change, world)
    after = page(client)
    assert after != before
    if expected:
        assert expected in after and expected not in before


def test_a_change_not_yet_committed_is_not_on_the_page_and_a_rolled_back_one_never(client, world, commit):
    client.force_login(world["trainee"])
    before = page(client)

    def rolled_back():
        with transaction.atomic():
            _rename_body(world)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        commit(rolled_back)
    assert page(client) == before


def test_a_certificate_issued_then_revoked_shows_at_the_next_request(client, world, commit):
    client.force_login(world["trainee"])
    assert "Mes attestations" not in page(client)
    certificate = commit(certificate_issue, enrolment=world["enrolment"])
    client.force_login(world["trainee"])
    assert "Mes attestations" in page(client)
    commit(certificate_revoke, certificate=Certificate.objects.get(pk=certificate.pk), by=world["staff"],
           reason="Fraude constatée")
    assert "Fraude constatée" in page(client)


def test_a_change_committed_while_the_page_is_built_is_on_the_next_page(client, world, commit, monkeypatch):
    """The build reads the tokens before the rows: stored with the old token, its page is never read again."""
    client.force_login(world["trainee"])
    read_done = selectors.done_items_of

    def done_items_while_a_lesson_is_marked_done(enrolment_ids, **kwargs):
        done = read_done(enrolment_ids, **kwargs)  # read before the change commits
        commit(_mark_done, world)
        return done

    monkeypatch.setattr(views.selectors, "done_items_of", done_items_while_a_lesson_is_marked_done)
    raced = page(client)
    monkeypatch.setattr(selectors, "done_items_of", read_done)
    assert "0 leçon terminée sur 4" in raced  # the request that raced the change shows the old state...
    assert "1 leçon terminée sur 4" in page(client)  # ...and it is the only one


def test_a_page_waiting_for_the_realised_time_is_built_at_each_request(client, world, monkeypatch):
    """All done but the realised hours not reached: the page counts time as it passes, so it is not kept."""
    track = world["track"]
    track.min_realised_share = 100
    track.save_revision().publish()
    for lesson in lessons(track):
        services.lesson_complete(enrolment=world["enrolment"], lesson=lesson)
    services.quiz_completion_record(enrolment=world["enrolment"], quiz=world["final"])
    client.force_login(world["trainee"])
    html = page(client)
    assert "pas encore terminé" in html
    with CaptureQueriesContext(connection) as queries:
        page(client)
    assert any("learning_enrolment" in q["sql"] for q in queries.captured_queries)


# The tables 'Mon parcours' reads to build itself, and what tells the cache when their rows change.
BY_SERVICES = {
    # every completion goes through learning.services.enrolment_refresh_completion (bulk writes send no signal)
    "learning_lessoncompletion", "learning_quizcompletion", "learning_modulecompletion",
}
DELETED_WITH_THE_ENROLMENT = {"learning_moduleexemption"}
NOT_ROWS_OF_THE_PAGE = {
    "lms_cache", "django_session", "accounts_user",  # the cache itself, the session and the request's user
}


def test_every_table_the_page_reads_tells_the_cache_of_its_changes(client, world, commit):
    """Each table read to build the page has its rows watched (lms.core.cache.watch_rows, or a receiver of its
    own), or is written only through a service that says so; the pages of the catalogue are read through the
    tracks' cached structures, whose publication changes their scope."""
    from django.apps import apps
    from django.db.models.signals import post_delete

    commit(_name_referent, world)
    commit(_accommodate, world)
    commit(_declare, world)
    commit(_result, world)
    client.force_login(world["trainee"])
    with CaptureQueriesContext(connection) as queries:
        page(client)
    read = set()
    for model in apps.get_models():
        table = model._meta.db_table
        if any(f'"{table}"' in q["sql"] or f"`{table}`" in q["sql"] for q in queries.captured_queries):
            read.add(model)
    assert {m._meta.db_table for m in read} >= {"learning_enrolment", "organisations_employment",
                                                "certificates_certificate", "deadlines_declaredtraining"}
    unwatched = sorted(m._meta.db_table for m in read
                       if not (post_save.has_listeners(m) and (post_delete.has_listeners(m)
                                                               or m._meta.db_table in DELETED_WITH_THE_ENROLMENT))
                       and m._meta.db_table not in BY_SERVICES | NOT_ROWS_OF_THE_PAGE
                       and not m._meta.db_table.startswith("wagtailcore_"))
    assert unwatched == []


# --- The track's outline ------------------------------------------------------------------------------------


def outline(client, world, status=200):
    response = client.get(reverse("track_outline", args=[world["track"].pk]))
    assert response.status_code == status
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")] if status == 200 else html


def test_an_outline_reloaded_is_read_from_the_cache_without_a_query(client, world):
    client.force_login(world["trainee"])
    first = outline(client, world)
    assert "Parcours des tests" in first and "Leçon 1.1" in first and "À faire" in first
    with CaptureQueriesContext(connection) as queries:
        assert outline(client, world) == first
    assert not any("learning_enrolment" in q["sql"] for q in queries.captured_queries)
    assert len(queries) <= 2, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("change, expected", [
    (_mark_done, "Terminée"), (_quiz_passed, "Progression : 20 %"), (_publish_title, "Parcours republié"),
    (_exempted, "Dispensé"),
], ids=["a lesson marked done", "a quiz passed", "the track's title published", "a module exempted"])
def test_a_committed_change_is_on_the_next_outline(client, world, commit, change, expected):
    client.force_login(world["trainee"])
    before = outline(client, world)
    commit(change, world)
    after = outline(client, world)
    assert expected in after and expected not in before


def test_a_withdrawn_trainee_no_longer_reads_the_kept_outline(client, world, commit):
    client.force_login(world["trainee"])
    outline(client, world)
    commit(_withdraw, world)
    outline(client, world, status=404)


def test_a_restriction_set_after_the_outline_was_kept_holds_at_the_next_request(client, world, commit):
    """Wagtail's page privacy: a password set on the track asks the kept outline's reader for it."""
    from wagtail.models import PageViewRestriction

    client.force_login(world["trainee"])
    outline(client, world)
    commit(PageViewRestriction.objects.create, page=world["track"], restriction_type="password", password="secret")
    html = outline(client, world)
    assert "Leçon 1.1" not in html and 'name="password"' in html
    client.post(reverse("wagtailcore_authenticate_with_password",
                        args=[PageViewRestriction.objects.get().pk, world["track"].pk]),
                {"password": "secret", "return_url": "/"})
    assert "Leçon 1.1" in outline(client, world)
    with CaptureQueriesContext(connection) as queries:
        html = outline(client, world)
    assert "Leçon 1.1" in html  # kept since the restriction was set, read with its check
    assert not any("learning_enrolment" in q["sql"] for q in queries.captured_queries)
    elsewhere = Client()  # the same trainee in another browser, which was not given the password
    elsewhere.force_login(world["trainee"])
    html = outline(elsewhere, world)
    assert "Leçon 1.1" not in html and 'name="password"' in html


def test_the_staffs_outline_is_not_kept(client, world):
    client.force_login(world["staff"])
    first = outline(client, world)
    assert "Leçon 1.1" in first and "À faire" not in first
    with CaptureQueriesContext(connection) as queries:
        outline(client, world)
    assert any("learning_enrolment" in q["sql"] for q in queries.captured_queries)


# The lesson page: its content kept once for every enrolled reader in the same state (lesson done or not).

def lesson_page(client, lesson, status=200):
    response = client.get(reverse("lesson", args=[lesson.pk]))
    assert response.status_code == status
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")] if status == 200 else html


def _csrf(html):
    return html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_a_lesson_read_by_a_second_trainee_comes_from_the_cache_with_their_own_form(client, world):
    """The second reader's request reads neither the track's structure nor the lesson's body (no page query), and
    their form and heartbeat carry their own CSRF token, not the first reader's."""
    lesson = lessons(world["track"])[0]
    client.force_login(world["trainee"])
    first = lesson_page(client, lesson)
    assert "Leçon 1.1" in first and "Marquer comme terminée" in first and "Aide et accompagnement" in first
    other = make_enrolment(track=world["track"]).trainee
    second_client = Client()
    second_client.force_login(other)
    with CaptureQueriesContext(connection) as queries:
        second = lesson_page(second_client, lesson)
    assert not any("wagtailcore_page" in q["sql"] and "learning_enrolment" not in q["sql"]
                   for q in queries.captured_queries), [q["sql"] for q in queries.captured_queries]
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 2, reads  # the user and their enrolment (then their session records the lesson opened)
    assert _csrf(first) != _csrf(second)
    assert second.replace(_csrf(second), "") == first.replace(_csrf(first), "")
    assert f'data-csrf="{_csrf(second)}"' not in first


def test_a_lesson_marked_done_shows_done_and_the_others_still_to_do(client, world, commit):
    lesson = lessons(world["track"])[0]
    client.force_login(world["trainee"])
    before = lesson_page(client, lesson)
    commit(_mark_done, world)
    after = lesson_page(client, lesson)
    assert "Terminée" in after and "Marquer comme terminée" not in after
    assert "Terminée" not in before and "Marquer comme terminée" in before
    other = Client()
    other.force_login(make_enrolment(track=world["track"]).trainee)
    assert "Marquer comme terminée" in lesson_page(other, lesson)  # the done page is not another reader's


@pytest.mark.parametrize("change, expected", [
    (lambda world: _retitle_lesson(world, "Leçon réécrite"), "Leçon réécrite"),
    (_publish_title, "Parcours republié"),
], ids=["the lesson's title published", "the track's title published"])
def test_a_publication_is_on_the_next_lesson_page(client, world, commit, change, expected):
    lesson = lessons(world["track"])[0]
    client.force_login(world["trainee"])
    before = lesson_page(client, lesson)
    commit(change, world)
    after = lesson_page(client, lesson)
    assert expected in after and expected not in before


def _retitle_lesson(world, title):
    lesson = lessons(world["track"])[0]
    lesson.title = title
    lesson.save_revision().publish()


def test_a_restriction_on_a_kept_lesson_holds_for_a_reader_without_the_password(client, world, commit):
    from wagtail.models import PageViewRestriction

    lesson = lessons(world["track"])[0]
    restriction = commit(PageViewRestriction.objects.create, page=lesson, restriction_type="password",
                         password="secret")
    client.force_login(world["trainee"])
    assert 'name="password"' in lesson_page(client, lesson)
    client.post(reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, lesson.pk]),
                {"password": "secret", "return_url": "/"})
    assert "Marquer comme terminée" in lesson_page(client, lesson)  # built and kept
    elsewhere = Client()  # another trainee, who was not given the password, reads the kept content's check
    elsewhere.force_login(make_enrolment(track=world["track"]).trainee)
    html = lesson_page(elsewhere, lesson)
    assert 'name="password"' in html and "Marquer comme terminée" not in html


def test_the_staffs_lesson_page_is_not_kept(client, world):
    lesson = lessons(world["track"])[0]
    client.force_login(world["staff"])
    assert "Marquer comme terminée" not in lesson_page(client, lesson)
    with CaptureQueriesContext(connection) as queries:
        lesson_page(client, lesson)
    assert any("wagtailcore_page" in q["sql"] for q in queries.captured_queries)
