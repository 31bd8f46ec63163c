import pytest
from django.shortcuts import get_object_or_404
from tests.security import test_permission_matrix as m
from tests.security.test_permission_matrix import world  # noqa

pytestmark = pytest.mark.django_db

@pytest.fixture
def broken(monkeypatch):
    import lms.quizzes.views as qv, lms.certificates.views as cv, lms.reports.views as rv
    from lms.quizzes.models import Attempt
    from lms.organisations.models import Employment
    monkeypatch.setattr(qv, "_own_attempt", lambda request, attempt_id: get_object_or_404(Attempt.objects.select_related("quiz","enrolment"), pk=attempt_id))
    monkeypatch.setattr(cv, "_can_download", lambda user, c: user.is_authenticated)
    monkeypatch.setattr(rv, "_employment_for", lambda user, eid: (get_object_or_404(Employment, pk=eid), "employer"))

@pytest.mark.parametrize(("entry", "role"), [p.values for p in m._matrix() if p.values[0].name in ("attempt", "attempt_autosave", "certificate_download", "employment_detail", "declaration_create")])
def test_broken(world, broken, entry, role):
    m.test_outsider_gets_nothing_of_the_victim.__wrapped__(world, entry, role) if hasattr(m.test_outsider_gets_nothing_of_the_victim, "__wrapped__") else m.test_outsider_gets_nothing_of_the_victim(world, entry, role)
