"""The demo's second factor, shown where it is asked for: ``{% demo_totp_code form.user as code %}``.

The demo accounts that must use two-factor sign-in share a TOTP key published in the demo data and README, like
their password. Showing the current code of that key on the code page weakens nothing (anyone can compute it)
and lets a visitor try the demo without an authenticator app. Any other key, the one every real account sets up,
shows nothing.
"""

from __future__ import annotations

import time

from django import template

register = template.Library()


@register.simple_tag
def demo_totp_code(user) -> str:
    """The current code of ``user``'s TOTP key when it is the published demo key, else ""."""
    if user is None or not getattr(user, "pk", None):
        return ""
    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    from reports.demo import demo_totp_secret

    secret = demo_totp_secret()
    keys = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).values_list(
        "data", flat=True
    )
    if not any(decrypt(data.get("secret", "")) == secret for data in keys):
        return ""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
