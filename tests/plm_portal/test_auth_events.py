"""Structured auth events: one JSON line per sign-in, failed sign-in, MFA and permission-denied event."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from plm_portal.auth_events import login_hash
from tests.factories import NationalUserFactory, UserFactory
from tests.plm_portal.test_mfa import current_code, give_totp

pytestmark = pytest.mark.django_db

PASSWORD = "plm-test-password"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "plm_portal.auth"]


def _assert_no_secrets(caplog, *secrets: str) -> None:
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "plm_portal.auth")
    for secret in secrets:
        assert secret not in text


def test_sign_in_and_failed_sign_in_are_logged_without_password_or_email(client, caplog):
    caplog.set_level(logging.INFO, logger="plm_portal.auth")
    user = UserFactory(email="jambi@example.test")

    client.post(
        reverse("account_login"), {"login": "jambi@example.test", "password": "salah-sekali"}
    )
    client.post(reverse("account_login"), {"login": "jambi@example.test", "password": PASSWORD})

    failed, login = _events(caplog)
    assert failed == {
        "event": "login_failed",
        "user_id": None,
        "login_hash": login_hash("jambi@example.test"),
        "ip": "127.0.0.1",
        "path": reverse("account_login"),
    }
    assert login == {
        "event": "login",
        "user_id": user.pk,
        "ip": "127.0.0.1",
        "path": reverse("account_login"),
    }
    assert len(failed["login_hash"]) == 12
    _assert_no_secrets(caplog, "salah-sekali", PASSWORD, "jambi@example.test")


def test_mfa_events_are_logged_without_codes(client, caplog, settings):
    settings.PLM_MFA_REQUIRED = True
    caplog.set_level(logging.INFO, logger="plm_portal.auth")
    user = NationalUserFactory(email="nasional@example.test")
    secret = give_totp(user)

    client.post(reverse("account_login"), {"login": "nasional@example.test", "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    code = current_code(secret)
    client.post(reverse("mfa_authenticate"), {"code": code})

    events = [(e["event"], e.get("user_id"), e.get("type")) for e in _events(caplog)]
    assert events == [
        ("mfa_failed", user.pk, "totp"),
        ("mfa_used", user.pk, "totp"),
        ("login", user.pk, None),
    ]
    _assert_no_secrets(caplog, code, secret, PASSWORD, "nasional@example.test")


def test_activating_totp_is_logged(client, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO, logger="plm_portal.auth")
    user = UserFactory(email="jambi@example.test")
    client.post(reverse("account_login"), {"login": "jambi@example.test", "password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    added = [e for e in _events(caplog) if e["event"] == "mfa_added"]
    assert [(e["user_id"], e["type"]) for e in added] == [
        (user.pk, "totp"),
        (user.pk, "recovery_codes"),
    ]
    _assert_no_secrets(caplog, secret)


def test_permission_denied_is_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="plm_portal.auth")
    user = UserFactory()
    client.force_login(user)

    response = client.get(reverse("admin:login"))  # signed in without admin access: 403

    assert response.status_code == 403
    (denied,) = [e for e in _events(caplog) if e["event"] == "permission_denied"]
    assert denied == {
        "event": "permission_denied",
        "user_id": user.pk,
        "method": "GET",
        "ip": "127.0.0.1",
        "path": reverse("admin:login"),
    }


def test_logging_config_prints_the_auth_logger(settings):
    assert settings.LOGGING["loggers"]["plm_portal.auth"]["level"] == "INFO"
