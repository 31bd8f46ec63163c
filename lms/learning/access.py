"""Who may see a track's pages: its enrolled trainees, its training body's staff, platform admins.

Anonymous visitors are sent to the login page; logged-in users without access get a 404, so that
a track's existence is not revealed. The same readers may open the documents and images its pages use
(lms.learning.files).
"""
from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from lms.learning.selectors import active_enrolment
from lms.organisations.selectors import is_staff_of


class LoginRequired(Exception):
    def __init__(self, request):
        super().__init__("login required")
        self.response = redirect_to_login(request.get_full_path())


def track_access(request, structure, enrolment):
    """Return (enrolment, is_staff) for a track's reader, or raise/redirect for anyone else.

    `enrolment` is the user's active enrolment in the track (lms.learning.selectors.active_enrolment) or None.
    """
    if not request.user.is_authenticated:
        raise LoginRequired(request)
    if enrolment is not None:
        return enrolment, False
    if structure is not None and is_staff_of(request.user, structure.training_body_id):
        return None, True
    raise Http404


def reads_track(user, track_id, training_body_id):
    """Whether the user is a reader of the track by the rule of track_access (a live track is assumed)."""
    if not user.is_authenticated:
        return False
    return active_enrolment(user, track_id) is not None or is_staff_of(user, training_body_id)
