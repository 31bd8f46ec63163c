"""Send staff without TOTP to the TOTP set-up page when LMS_REQUIRE_STAFF_MFA is on."""
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from lms.accounts.roles import must_use_mfa

ALLOWED_PREFIXES = ("/comptes/", "/static/", "/media/", "/i18n/", "/verification/")


class RequireStaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.LMS_REQUIRE_STAFF_MFA
            and request.user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and must_use_mfa(request.user)
            and not _has_totp(request.user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
