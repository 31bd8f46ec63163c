"""Who may see a track's pages: its enrolled trainees, its training body's staff, platform admins.

Anonymous visitors are sent to the login page; logged-in users without access get a 404, so that
a track's existence is not revealed. The same readers may open the documents and images its pages use
(lms.learning.files).

On top of that, the page privacy an author sets in Wagtail (a password, logged-in users, some groups) holds on
our trainee views as on the pages Wagtail serves itself: see view_restriction_response.
"""
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction

from lms.learning.selectors import active_enrolment, restriction_holders
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


def restriction_holds(path, holders):
    """Whether a page restriction among `holders` ([(restriction id, holder's tree path)]) holds on the page at
    `path` (set on it or on an ancestor)."""
    return any(path.startswith(holder) for _restriction, holder in holders)


def view_restrictions(page_id, path=None, holders=None):
    """Wagtail's `page.get_view_restrictions()` for a page known by its id (and its tree path, if known): the
    restrictions set on the page or one of its ancestors, an alias ancestor standing for its source page. No query
    when none holds on the page."""
    if holders is None:
        holders = restriction_holders()
    if not holders:
        return PageViewRestriction.objects.none()
    if path is None:
        path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first() or ""
    ids = {restriction_id for restriction_id, holder in holders if path.startswith(holder)}
    return PageViewRestriction.objects.filter(pk__in=ids).order_by("pk") if ids else PageViewRestriction.objects.none()


def view_restriction_response(request, page_id, path=None, holders=None):
    """None when Wagtail's page privacy lets the request read the page; else what Wagtail answers for a page it
    serves (wagtail_hooks.check_view_restrictions): the password form, or the login page.

    A logged-in reader outside the groups the page is restricted to gets a 403 (Wagtail would send them to the
    login page, which sends a logged-in user back: a loop).
    """
    for restriction in view_restrictions(page_id, path, holders):
        if restriction.accept_request(request):
            continue
        if restriction.restriction_type == PageViewRestriction.PASSWORD:
            form = PasswordViewRestrictionForm(instance=restriction, initial={"return_url": request.get_full_path()})
            action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page_id])
            response = Page.objects.get(pk=page_id).specific.serve_password_required_response(request, form, action_url)
        elif request.user.is_authenticated:
            raise PermissionDenied
        else:
            response = redirect_to_login(request.get_full_path())
        add_never_cache_headers(response)
        return response
    return None
