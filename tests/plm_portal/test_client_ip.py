"""The client's address behind TRUSTED_PROXY_COUNT reverse proxies (plm_portal.client)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from plm_portal.client import client_ip, limit_key


def request_with(rf, forwarded: str | None, remote: str = "10.0.0.2"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        # No proxy: the header is the client's own claim, never believed.
        (0, "203.0.113.7", "10.0.0.2"),
        (0, None, "10.0.0.2"),
        # One proxy: it appended the address it saw, the last entry.
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6,203.0.113.7", "203.0.113.7"),
        # Two proxies: the outer one's entry is second from the right; the inner one appended the outer's.
        (2, "203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, "6.6.6.6, 5.5.5.5, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        # Fewer entries than proxies (the request skipped one): the direct peer, not a client's claim.
        (2, "203.0.113.7", "10.0.0.2"),
        (1, None, "10.0.0.2"),
        (1, "", "10.0.0.2"),
        # Junk where the trusted entry should be: the direct peer.
        (1, "203.0.113.7, not-an-address", "10.0.0.2"),
        (1, "203.0.113.7, ", "10.0.0.2"),
        (2, "203.0.113.7, ,10.0.0.1", "10.0.0.2"),
        (1, "<script>", "10.0.0.2"),
        (1, "1" * 5000, "10.0.0.2"),
        # Ports, brackets, quotes, case, mapped IPv4: one spelling per address.
        (1, "203.0.113.7:51234", "203.0.113.7"),
        (1, "[2001:DB8::1]:443", "2001:db8::1"),
        (1, '"2001:db8:0:0::1"', "2001:db8::1"),
        (1, "::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_client_ip_trusted_proxy_count(rf, settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count

    assert client_ip(request_with(rf, forwarded)) == expected


@pytest.mark.parametrize("remote", ["", "unix:/run/gunicorn.sock", "999.1.1.1"])
def test_client_ip_junk_remote_addr_is_empty(rf, settings, remote):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_with(rf, None, remote=remote)) == ""


def test_client_ip_rightmost_entry_cannot_be_spoofed_by_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sends its own X-Forwarded-For; the proxy appends the real address after it.
    claims = [request_with(rf, f"{fake}, 203.0.113.7") for fake in ("1.1.1.1", "2.2.2.2")]

    assert {client_ip(request) for request in claims} == {"203.0.113.7"}


def test_allauth_reads_the_same_proxy_count():
    assert django_settings.ALLAUTH_TRUSTED_PROXY_COUNT == django_settings.TRUSTED_PROXY_COUNT


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", ""),
    ],
)
def test_limit_key_counts_an_ipv6_client_by_its_64(address, expected):
    assert limit_key(address) == expected
