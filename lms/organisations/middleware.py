"""Send staff without TOTP to the TOTP set-up page when LMS_REQUIRE_STAFF_MFA is on (staff: a membership here)."""
import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from lms.organisations.roles import must_use_mfa

ALLOWED_PREFIXES = ("/comptes/", "/static/", "/media/", "/i18n/", "/verification/")
# A passed check is remembered in the session this long, so that a trainee's page views do not each pay
# for it; someone made staff meanwhile is asked for TOTP within this delay.
RECHECK_SECONDS = 300
SESSION_KEY = "lms-mfa-checked"


class RequireStaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            settings.LMS_REQUIRE_STAFF_MFA
            and not getattr(view_func, "background_request", False)
            and request.user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and _needs_totp(request)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return None


def _needs_totp(request):
    user, now = request.user, time.time()
    checked = request.session.get(SESSION_KEY)
    if checked and checked[0] == user.pk and 0 <= now - checked[1] < RECHECK_SECONDS:
        return False
    needs = must_use_mfa(user) and not _has_totp(user)
    if not needs:
        request.session[SESSION_KEY] = [user.pk, now]
    return needs


def _has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
