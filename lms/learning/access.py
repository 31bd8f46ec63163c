"""Who may see a track's pages: its enrolled trainees, its training body's staff, platform admins.

Anonymous visitors are sent to the login page; logged-in users without access get a 404, so that
a track's existence is not revealed.
"""
from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from lms.organisations.selectors import is_staff_of


class LoginRequired(Exception):
    def __init__(self, request):
        super().__init__("login required")
        self.response = redirect_to_login(request.get_full_path())


def track_access(request, structure, enrolment):
    """Return (enrolment, is_staff) for a track's reader, or raise/redirect for anyone else."""
    if not request.user.is_authenticated:
        raise LoginRequired(request)
    if enrolment is not None:
        return enrolment, False
    if structure is not None and is_staff_of(request.user, structure.training_body_id):
        return None, True
    raise Http404
