"""Security headers and production settings."""
import importlib
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_site_pages_have_a_strict_policy(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_no_inline_script_in_our_pages(client):
    html = client.get(reverse("home")).content.decode()
    assert "<script>" not in html and "onclick=" not in html and "style=" not in html


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True)
def test_hsts_on_https(client):
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_personal_pages_are_not_cached(client):
    from tests.factories import make_user

    client.force_login(make_user())
    assert client.get(reverse("accounts_dashboard"))["Cache-Control"] == "private, no-store"


def test_production_settings_cookies_and_https(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "parcours-am.example.org")
    monkeypatch.setenv("LMS_BASE_URL", "https://parcours-am.example.org")
    sys.modules.pop("lms.settings.production", None)
    production = importlib.import_module("lms.settings.production")
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY and production.CSRF_COOKIE_HTTPONLY
    assert production.SESSION_COOKIE_SAMESITE == "Lax" and production.SECURE_SSL_REDIRECT
    assert production.SECURE_HSTS_SECONDS >= 31536000 and production.LMS_REQUIRE_STAFF_MFA
    assert production.X_FRAME_OPTIONS == "DENY"
    sys.modules.pop("lms.settings.production", None)
