"""The address of the client behind the deployment's reverse proxies, for every per-address limit.

``settings.TRUSTED_PROXY_COUNT`` (env ``PLM_TRUSTED_PROXY_COUNT``) says how many proxies we run in front of
the app. Each appends the address it received the request from to ``X-Forwarded-For``, so with n trusted
proxies the n-th entry from the right is the one the outermost of ours saw: the client. Entries further left
are whatever the client claimed and are never believed. With 0 (the default, no proxy) the header is ignored
and ``REMOTE_ADDR`` is the client. allauth reads the same count (``ALLAUTH_TRUSTED_PROXY_COUNT``), so its sign-in
limits and the self check-in's count the same address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# An IPv6 client usually holds a whole /64: limits count the network, or one phone could rotate addresses.
IPV6_LIMIT_PREFIX = 64


def _clean(value: str) -> str:
    """``value`` as a normalised IP address, or "" when it is not one (ports and brackets dropped)."""
    text = value.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:5678
        text = text.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return ""
    # ::ffff:203.0.113.7 (a dual-stack socket) is the IPv4 client 203.0.113.7.
    return str(getattr(ip, "ipv4_mapped", None) or ip)


def client_ip(request: HttpRequest) -> str:
    """The client's address ("" if none can be told): see the module docstring.

    A forwarded entry that is missing (fewer entries than trusted proxies: the request did not come through
    all of them) or not an address falls back to ``REMOTE_ADDR``, never to an entry the client wrote.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(entries) >= count and (forwarded := _clean(entries[-count])):
            return forwarded
    return _clean(request.META.get("REMOTE_ADDR", ""))


def limit_key(address: str) -> str:
    """What a per-address limit counts for ``address``: the address, or its /64 for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and not ip.ipv4_mapped:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_LIMIT_PREFIX}", strict=False))
    return str(getattr(ip, "ipv4_mapped", None) or ip)
