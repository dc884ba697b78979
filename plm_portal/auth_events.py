"""Structured log lines for sign-in, failed sign-in, two-factor and permission-denied events.

Each event is one JSON object on one line of the ``plm_portal.auth`` logger, e.g.::

    {"event": "login_failed", "user_id": null, "login_hash": "3f1c9a0b2d4e", "ip": "203.0.113.7",
     "path": "/accounts/login/"}

What is logged: the event name, the user's id when known, a truncated keyed hash of the identifier typed into
the sign-in form (so repeated attempts on one account can be correlated without writing e-mail addresses into
logs), the client address (``plm_portal.client.client_ip``: the same address the limits count), the path and,
for two-factor events, the authenticator type. Never passwords, codes, secrets or phone numbers.

Connected once at start-up (``PlmPortalConfig.ready``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger("plm_portal.auth")

# Credential keys that may name the account (never the password, which Django already strips).
_IDENTIFIER_KEYS = ("email", "login", "username")


def login_hash(identifier: str) -> str:
    """A short keyed hash of a sign-in identifier (lower-cased): correlates attempts, reveals nothing."""
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, identifier.strip().lower().encode(), hashlib.sha256).hexdigest()
    return digest[:12]


def log_event(event: str, request: HttpRequest | None, **fields: Any) -> None:
    """Write one ``event`` line with the request's client address and path plus ``fields``."""
    from plm_portal.client import client_ip

    record: dict[str, Any] = {"event": event}
    record.update(fields)
    if request is not None:
        record["ip"] = client_ip(request) or None
        record["path"] = request.path
    logger.info(json.dumps(record, ensure_ascii=False, sort_keys=False, default=str))


def _user_id(user: Any) -> int | None:
    return getattr(user, "pk", None)


# --- receivers -------------------------------------------------------------------------------------------


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log_event("login", request, user_id=_user_id(user))


def on_user_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log_event("logout", request, user_id=_user_id(user))


def on_user_login_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    identifier = next((str(credentials[k]) for k in _IDENTIFIER_KEYS if credentials.get(k)), "")
    log_event("login_failed", request, user_id=None, login_hash=login_hash(identifier) or None)


def on_authenticator_added(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any):
    log_event("mfa_added", request, user_id=_user_id(user), type=authenticator.type)


def on_authenticator_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any):
    log_event("mfa_removed", request, user_id=_user_id(user), type=authenticator.type)


def on_authenticator_reset(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any):
    log_event("mfa_reset", request, user_id=_user_id(user), type=authenticator.type)


def on_authenticator_used(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any):
    log_event(
        "mfa_used",
        request,
        user_id=_user_id(user),
        type=authenticator.type,
        reauthenticated=bool(kw.get("reauthenticated")),
    )


def on_mfa_failed(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any):
    log_event(
        "mfa_failed",
        request,
        user_id=_user_id(user),
        type=authenticator.type,
        reauthentication=bool(kw.get("reauthentication")),
    )


def log_permission_denied(request: HttpRequest) -> None:
    """A view refused a signed-in (or anonymous) user: called by MfaRequiredMiddleware.process_exception."""
    user = getattr(request, "user", None)
    user_id = _user_id(user) if user is not None and user.is_authenticated else None
    log_event("permission_denied", request, user_id=user_id, method=request.method)


def connect() -> None:
    """Connect the receivers (idempotent: each has a dispatch_uid)."""
    from allauth.mfa import signals as mfa_signals
    from django.contrib.auth import signals as auth_signals

    pairs = (
        (auth_signals.user_logged_in, on_user_logged_in),
        (auth_signals.user_logged_out, on_user_logged_out),
        (auth_signals.user_login_failed, on_user_login_failed),
        (mfa_signals.authenticator_added, on_authenticator_added),
        (mfa_signals.authenticator_removed, on_authenticator_removed),
        (mfa_signals.authenticator_reset, on_authenticator_reset),
        (mfa_signals.authenticator_used, on_authenticator_used),
        (mfa_signals.authentication_failed, on_mfa_failed),
    )
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"plm_portal.auth_events.{receiver.__name__}")
