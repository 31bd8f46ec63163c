"""The client's address: REMOTE_ADDR, or the entry of X-Forwarded-For written by the first trusted proxy; every
limit per address uses it (allauth's included, and certificate verification)."""
import pytest
from allauth.account.adapter import get_adapter
from django.test import Client, RequestFactory
from django.urls import reverse

from lms.certificates.views import VERIFY_LIMIT
from lms.core.ratelimit import client_ip

PROXY = "10.0.0.2"


@pytest.mark.parametrize("trusted, forwarded, expected", [
    (0, None, PROXY),
    (0, "203.0.113.5", PROXY),  # nobody trusted: a header anyone can write is ignored
    (1, "203.0.113.5", "203.0.113.5"),
    (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client wrote the left part; our proxy appended the right
    (2, "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
    (2, "203.0.113.5", PROXY),  # fewer entries than trusted proxies: the nearest proxy, not a chosen value
    (1, None, PROXY),
    (1, "not-an-address", PROXY),
    (1, " 2001:db8::1 ", "2001:db8::1"),
])
def test_client_ip_believes_x_forwarded_for_only_up_to_the_trusted_proxies(settings, trusted, forwarded, expected):
    settings.LMS_TRUSTED_PROXY_COUNT = trusted
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)
    assert client_ip(request) == expected


def test_allauth_sees_the_same_client_address(settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.5"


def _verify(address, forwarded):
    client = Client(REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)
    return client.get(reverse("certificate_verify", args=["AAAAA-BBBBB-CCCCC-DDDDD"])).status_code


@pytest.mark.django_db
def test_certificate_verification_limit_is_per_client_behind_the_proxy_and_not_escaped_by_a_spoofed_header(settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 1
    assert {_verify(PROXY, "203.0.113.5") for _ in range(VERIFY_LIMIT)} == {404}
    assert _verify(PROXY, "203.0.113.5") == 429
    assert _verify(PROXY, "203.0.113.6") == 404  # another client of the same proxy

    settings.LMS_TRUSTED_PROXY_COUNT = 0
    assert {_verify("198.51.100.9", f"203.0.113.{n}") for n in range(VERIFY_LIMIT)} == {404}
    assert _verify("198.51.100.9", "203.0.113.200") == 429
