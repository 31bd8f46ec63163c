"""Prepared queries give the ORM's answer, with new parameter values, in one query each."""
import threading
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from lms.accounts.models import Session
from lms.core.prepared import Prepared
from lms.learning.models import Cohort, Enrolment, EnrolmentStatus
from lms.learning.selectors import enrolment_list, enrolments_of
from tests.factories import make_enrolment, make_track, make_trainee, make_training_body

pytestmark = pytest.mark.django_db

FIELDS = [f.attname for f in Enrolment._meta.concrete_fields]


def _values(obj):
    return [getattr(obj, name) for name in FIELDS]


def test_model_rows_with_select_related_equal_the_orm(django_assert_num_queries):
    body = make_training_body()
    track_a, track_b = make_track(training_body=body), make_track(training_body=body)
    trainee = make_trainee()
    cohort = Cohort.objects.create(training_body=body, track=track_a, name="Lyon printemps",
                                   starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 20), place="Lyon")
    make_enrolment(trainee=trainee, track=track_a, cohort=cohort, starts_on=date(2026, 3, 2))
    make_enrolment(trainee=trainee, track=track_b)  # no cohort: the nullable relation is None
    make_enrolment(trainee=make_trainee(), track=track_a)  # someone else's
    expected = list(enrolments_of(trainee))

    with django_assert_num_queries(1):
        rows = enrolment_list(trainee_id=trainee.pk)

    assert [_values(r) for r in rows] == [_values(e) for e in expected]
    assert len(rows) == 2
    with_cohort = next(r for r in rows if r.cohort_id)
    without = next(r for r in rows if not r.cohort_id)
    with django_assert_num_queries(0):  # related rows are loaded, dates converted
        assert with_cohort.cohort.name == "Lyon printemps"
        assert with_cohort.cohort.ends_on == date(2026, 3, 20)
        assert with_cohort.training_body.name == body.name
        assert without.cohort is None
        assert isinstance(with_cohort.starts_on, date)
    assert with_cohort._state.db == "default" and not with_cohort._state.adding


def test_new_values_each_call_and_nothing_for_an_unknown_id():
    first, second = make_enrolment(), make_enrolment()
    assert [e.pk for e in enrolment_list(trainee_id=first.trainee_id)] == [first.pk]
    assert [e.pk for e in enrolment_list(trainee_id=second.trainee_id)] == [second.pk]
    assert enrolment_list(trainee_id=10 ** 9) == []


def test_constants_of_the_query_stay():
    enrolment = make_enrolment()
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.WITHDRAWN)
    assert enrolment_list(trainee_id=enrolment.trainee_id) == []


def test_values_list_rows_flat_rows_and_string_parameters():
    trainee = make_trainee(first_name="Zoé")
    by_email = Prepared(lambda email: get_user_model().objects.filter(email=email).values_list("pk", "date_joined"),
                        email=str)
    flat = Prepared(lambda email: get_user_model().objects.filter(email=email).values_list("first_name", flat=True),
                    email=str)
    [(pk, joined)] = by_email(email=trainee.email)
    assert pk == trainee.pk and joined == trainee.date_joined and joined.tzinfo is not None
    assert flat(email=trainee.email) == ["Zoé"]
    assert flat(email="nobody@example.org") == []
    assert flat(email="x' OR '1'='1") == []  # a value, never SQL


def test_parameters_are_checked():
    by_id = Prepared(lambda pk: get_user_model().objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError):
        by_id(pk="1")
    with pytest.raises(TypeError):
        by_id(pk=True)
    with pytest.raises(TypeError):
        by_id()
    with pytest.raises(TypeError):
        by_id(pk=1, other=2)
    with pytest.raises(TypeError):
        Prepared(lambda when: Session.objects.filter(expire_date=when), when=date)


def test_a_lookup_that_changes_its_value_cannot_be_prepared():
    contains = Prepared(lambda text: get_user_model().objects.filter(email__icontains=text), text=str)
    with pytest.raises(ValueError, match="cannot be prepared"):
        contains(text="alice")


def test_each_thread_compiles_its_own():
    by_id = Prepared(lambda pk: get_user_model().objects.filter(pk=pk).values_list("pk", flat=True), pk=int)
    assert by_id(pk=1) in ([], [1])
    compiled_here = by_id._local.compiled
    seen = []

    def other():
        by_id._compiled()
        seen.append(by_id._local.compiled)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen and seen[0] is not compiled_here


def test_session_store_reads_expires_and_refuses_unknown_keys():
    from lms.accounts.sessions import SessionStore

    store = SessionStore()
    store["colour"] = "vert"
    store.create()
    key = store.session_key
    assert Session.objects.get(session_key=key).user_id is None
    assert SessionStore(key)["colour"] == "vert"
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.get("colour") is None and expired.session_key is None
    assert SessionStore("k" * 32).get("colour") is None


def test_a_logged_in_page_view_reads_session_and_user_in_one_query(client, django_assert_num_queries):
    trainee = make_trainee(first_name="Ysé")
    client.force_login(trainee)
    assert Session.objects.get().user_id == trainee.pk
    client.get("/")
    with django_assert_num_queries(1) as ctx:
        response = client.get("/")
    assert response.wsgi_request.user == trainee and response.wsgi_request.user.first_name == "Ysé"
    assert "accounts_user" in ctx.captured_queries[0]["sql"] and "session" in ctx.captured_queries[0]["sql"]


def test_the_user_read_with_the_session_serves_once_and_only_that_user():
    from django.core.signals import request_finished
    from django.db import close_old_connections

    from lms.accounts import sessions
    from lms.accounts.backends import ModelBackend

    trainee, other = make_trainee(), make_trainee()
    store = sessions.SessionStore()
    store["_auth_user_id"] = str(trainee.pk)
    store.create()
    assert sessions.SessionStore(store.session_key).load()["_auth_user_id"] == str(trainee.pk)
    assert sessions.take_loaded_user(other.pk) is None  # another id: not handed over, and dropped
    assert sessions.take_loaded_user(trainee.pk) is None
    sessions.SessionStore(store.session_key).load()
    assert sessions.take_loaded_user(trainee.pk) == trainee
    assert sessions.take_loaded_user(trainee.pk) is None  # once
    sessions.SessionStore(store.session_key).load()
    request_finished.disconnect(close_old_connections)  # as Django's test client does: keep the test's transaction
    try:
        request_finished.send(sender=None)
    finally:
        request_finished.connect(close_old_connections)
    assert sessions.take_loaded_user(trainee.pk) is None
    get_user_model().objects.filter(pk=trainee.pk).update(is_active=False)
    sessions.SessionStore(store.session_key).load()
    assert ModelBackend().get_user(str(trainee.pk)) is None  # the row read with the session is checked too


def test_deactivated_or_password_changed_elsewhere_means_logged_out(client):
    trainee = make_trainee()
    client.force_login(trainee)
    assert client.get(reverse("my_track")).status_code == 200
    trainee.set_password("Un-autre-mot-de-passe-99")
    trainee.save()
    assert client.get(reverse("my_track")).status_code == 302
    client.force_login(trainee)
    get_user_model().objects.filter(pk=trainee.pk).update(is_active=False)
    assert client.get(reverse("my_track")).status_code == 302


def test_backend_loads_the_user_and_refuses_inactive_or_forged_ids(client):
    from lms.accounts.backends import AuthenticationBackend, ModelBackend

    trainee = make_trainee()
    for backend in (ModelBackend(), AuthenticationBackend()):
        assert backend.get_user(str(trainee.pk)) == trainee
        assert backend.get_user("abc") is None
        assert backend.get_user(str(10 ** 9)) is None
    get_user_model().objects.filter(pk=trainee.pk).update(is_active=False)
    assert ModelBackend().get_user(str(trainee.pk)) is None
    client.force_login(make_trainee(first_name="Ysé"))
    response = client.get(reverse("my_track"))
    assert response.status_code == 200 and response.wsgi_request.user.first_name == "Ysé"


def test_statements_are_planned_once_on_postgresql_and_still_counted(django_assert_num_queries):
    from django.db import connection

    from lms.core.prepared import raw_statement, statement_cursor

    enrolment = make_enrolment()
    with django_assert_num_queries(3):
        assert [e.pk for e in enrolment_list(trainee_id=enrolment.trainee_id)] == [enrolment.pk]
        with statement_cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM learning_enrolment WHERE trainee_id = %s AND status <> %s",
                           [enrolment.trainee_id, "withdrawn"])
            assert cursor.fetchone()[0] == 1
        [row] = raw_statement(Enrolment, "SELECT id, trainee_id, status FROM learning_enrolment WHERE id = %s",
                              [enrolment.pk])
        assert (row.pk, row.trainee_id, row.status) == (enrolment.pk, enrolment.trainee_id, "active")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [statement for (statement,) in cursor.fetchall()]
        assert any("learning_enrolment" in s and "COUNT(*)" in s for s in prepared)
        assert any('"learning_enrolment"."trainee_id" = $1' in s for s in prepared)
    else:
        assert type(statement_cursor().cursor) is type(connection.cursor().cursor)


def test_prepared_statements_can_be_turned_off(settings):
    from django.db import connection

    from lms.core.prepared import statement_cursor

    settings.LMS_PG_PREPARED_STATEMENTS = False
    assert type(statement_cursor().cursor) is type(connection.cursor().cursor)
    enrolment = make_enrolment()
    assert [e.pk for e in enrolment_list(trainee_id=enrolment.trainee_id)] == [enrolment.pk]
