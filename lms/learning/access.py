"""Who may see a track's pages: its enrolled trainees, its training body's staff, platform admins."""
from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from lms.learning.selectors import active_enrolment


def is_track_staff(user, track):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.training_body_memberships.filter(training_body_id=track.training_body_id).exists()


def track_access(request, track):
    """Return (enrolment or None, is_staff); raise or redirect for anyone else.

    Anonymous visitors are sent to the login page; logged-in users without access get a 404,
    so that a track's existence is not revealed.
    """
    if not request.user.is_authenticated:
        raise LoginRequired(request)
    enrolment = active_enrolment(request.user, track.pk)
    if enrolment is not None:
        return enrolment, False
    if is_track_staff(request.user, track):
        return None, True
    raise Http404


class LoginRequired(Exception):
    def __init__(self, request):
        super().__init__("login required")
        self.response = redirect_to_login(request.get_full_path())
