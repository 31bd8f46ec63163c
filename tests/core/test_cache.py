"""The shared cache under versioned keys (lms.core.cache): a change is seen once committed, by every reader, and a
reader racing a change never leaves the old version behind for the next request."""
import pytest
from django.core.cache import cache
from django.db import transaction

from lms.core.cache import get_or_build, invalidate, versions

pytestmark = pytest.mark.django_db


def read(rows, scope="thing"):
    """What a request does: the scope's token, then the value under it (built from `rows` on a miss)."""
    token = versions([scope])[scope]
    return get_or_build(f"value:{scope}:{token}", lambda: rows["value"], timeout=60)


def test_a_value_is_built_once_then_read_from_the_shared_cache():
    rows, builds = {"value": "v1"}, []
    token = versions(["thing"])["thing"]

    def build():
        builds.append(1)
        return rows["value"]

    assert get_or_build(f"value:{token}", build, 60) == "v1"
    rows["value"] = "v2"  # changed without invalidation: the cached value stands
    assert get_or_build(f"value:{token}", build, 60) == "v1"
    assert len(builds) == 1 and versions(["thing"])["thing"] == token


def test_nothing_is_kept_in_process_memory():
    """Another node writing the shared cache is seen at once: there is no copy in this process to expire."""
    rows = {"value": "v1"}
    assert read(rows) == "v1"
    token = versions(["thing"])["thing"]
    cache.set(f"value:thing:{token}", "written by another node")
    assert read(rows) == "written by another node"
    cache.set("scope-version:thing", "token-set-by-another-node-at-its-commit")
    rows["value"] = "v2"
    assert read(rows) == "v2"


def test_an_invalidation_takes_effect_when_the_transaction_commits(django_capture_on_commit_callbacks):
    rows = {"value": "v1"}
    assert read(rows) == "v1"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            rows["value"] = "v2"
            invalidate(["thing"])
            assert read(rows) == "v1"  # not committed: other readers keep the committed version
        assert read(rows) == "v1"  # committed; the token changes as the commit callbacks run
    assert len(callbacks) == 1
    assert read(rows) == "v2"


def test_a_rolled_back_change_invalidates_nothing(django_capture_on_commit_callbacks):
    rows = {"value": "v1"}
    token = versions(["thing"])["thing"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            invalidate(["thing"])
            raise RuntimeError
    assert callbacks == [] and versions(["thing"])["thing"] == token and read(rows) == "v1"


def test_a_reader_racing_a_change_serves_the_old_version_to_its_own_request_only(django_capture_on_commit_callbacks):
    """The reader reads the token and the old rows; the writer commits (new token) before the reader stores what it
    built: that value sits under the old token, and the next request builds from the new rows."""
    rows = {"value": "old"}
    token = versions(["thing"])["thing"]

    def build_while_a_writer_commits():
        seen = rows["value"]
        rows["value"] = "new"
        with django_capture_on_commit_callbacks(execute=True):
            invalidate(["thing"])
        return seen

    assert get_or_build(f"value:thing:{token}", build_while_a_writer_commits, 60) == "old"
    assert read(rows) == "new"
    assert read(rows) == "new"


def test_tokens_of_many_scopes_in_one_call_and_stable():
    first = versions(["a", "b", "c"])
    assert len(set(first.values())) == 3
    assert versions(["c", "a"]) == {"c": first["c"], "a": first["a"]}


def test_a_build_that_finds_nothing_is_not_cached():
    calls = []
    assert get_or_build("missing", lambda: calls.append(1), 60) is None
    assert get_or_build("missing", lambda: calls.append(1), 60) is None
    assert len(calls) == 2
