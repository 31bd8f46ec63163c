"""allauth, fitted to the platform: the client's address, failed logins, the site's name and address in emails."""
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from lms.core import ratelimit
from lms.core.site import base_url


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's emails call `current_site`: the platform's name, not the host a request came to."""

    name: str
    domain: str


def _on_site(url, base):
    """An absolute link that allauth built from the request's host, moved to the site's address."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return url
    parts = urlsplit(url)
    return base + parts.path + (f"?{parts.query}" if parts.query else "")


def _client_failures_key(request):
    return f"login-failed-client:{ratelimit.client_ip(request)}"


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """Every allauth rate limit per address sees the address `lms.core.ratelimit.client_ip` sees."""
        return ratelimit.client_ip(request)

    def pre_authenticate(self, request, **credentials):
        """Refuse when this client address failed too often (a backstop), then allauth's count per account.

        The backstop only looks: a failure is counted once the password has been checked (authentication_failed),
        so a room full of people logging in at once never spends it.
        """
        limit, window = settings.LMS_CLIENT_LOGIN_FAILURES
        if ratelimit.hits(_client_failures_key(request), window_seconds=window) >= limit:
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        _limit, window = settings.LMS_CLIENT_LOGIN_FAILURES
        ratelimit.hit(_client_failures_key(request), window_seconds=window)
        super().authentication_failed(request, **credentials)

    def send_mail(self, template_prefix, email, context):
        """allauth's emails name the platform and link to its address (LMS_BASE_URL), whatever the request's host."""
        base = base_url(self.request)
        context = {name: _on_site(value, base) if name.endswith("_url") else value for name, value in context.items()}
        context["current_site"] = SiteIdentity(name=settings.LMS_SITE_NAME, domain=urlsplit(base).netloc)
        super().send_mail(template_prefix, email, context)
