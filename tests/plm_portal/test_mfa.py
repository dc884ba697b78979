"""Two-factor sign-in (allauth.mfa, TOTP + recovery codes): required for national staff and admin users."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse

from tests.factories import FacilitatorUserFactory, NationalUserFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "plm-test-password"


@pytest.fixture(autouse=True)
def _mfa_required(settings):
    settings.PLM_MFA_REQUIRED = True
    cache.clear()  # rate limits and used codes of earlier tests
    yield
    cache.clear()


def current_code(secret: str) -> str:
    (counter,) = yield_hotp_counters_from_time()
    return format_hotp_value(hotp_value(secret, counter))


def give_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_national_staff_without_totp_is_sent_to_set_it_up(client):
    NationalUserFactory(email="nasional@example.test")

    response = _sign_in(client, "nasional@example.test")
    assert response.status_code == 302
    for path in (reverse("home"), reverse("meetings:meeting_list"), reverse("admin:index")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp")

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    text = page.text
    assert 'id="mfa-required"' in text
    assert "wajib memakai verifikasi dua langkah" in text
    assert 'src="data:image/svg+xml;base64,' in text  # the QR code is inline, nothing fetched
    assert "<script" not in text.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'class="navbar-brand fw-semibold"' in text
    for word in ("Activate", "Authenticator secret", "Sign In"):
        assert word not in text
    assert client.get(reverse("healthz")).status_code == 200


def test_htmx_request_is_redirected_by_header(client):
    NationalUserFactory(email="nasional@example.test")
    _sign_in(client, "nasional@example.test")

    response = client.get(reverse("meetings:meeting_list"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_activating_totp_opens_the_portal_and_shows_recovery_codes(client):
    user = NationalUserFactory(email="nasional@example.test")
    _sign_in(client, "nasional@example.test")
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200 and "Kode pemulihan" in codes.text
    assert client.get(reverse("home")).status_code == 200


def test_national_staff_with_totp_signs_in_only_after_the_code(client):
    user = NationalUserFactory(email="nasional@example.test")
    secret = give_totp(user)

    response = _sign_in(client, "nasional@example.test")
    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))

    page = client.get(reverse("mfa_authenticate"))
    assert "Verifikasi dua langkah" in page.text and "Sign In" not in page.text
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and SESSION_KEY not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_also_signs_in(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = NationalUserFactory(email="nasional@example.test")
    give_totp(user)
    codes = RecoveryCodes.activate(user).generate_codes()
    _sign_in(client, "nasional@example.test")

    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize("factory", [UserFactory, FacilitatorUserFactory])
def test_officers_and_facilitators_are_not_forced(client, factory):
    factory(email="petugas@example.test")
    _sign_in(client, "petugas@example.test")

    assert client.get(reverse("home")).status_code == 200
    # ... and may enable it themselves from their account.
    assert reverse("mfa_index") in client.get(reverse("account_change_password")).text
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_staff_flag_alone_requires_it(client):
    UserFactory(email="petugas@example.test", is_staff=True)
    _sign_in(client, "petugas@example.test")

    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_required_users_cannot_switch_it_off(client):
    user = NationalUserFactory(email="nasional@example.test")
    secret = give_totp(user)
    _sign_in(client, "nasional@example.test")
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    client.post(reverse("mfa_deactivate_totp"))

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_mfa_pages_are_indonesian_in_the_portal_layout(client):
    user = UserFactory(email="petugas@example.test")
    give_totp(user)
    client.force_login(user)
    for name in ("mfa_index", "mfa_deactivate_totp", "mfa_generate_recovery_codes"):
        # Without a fresh sign-in in this session, allauth first asks for the password again.
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        assert 'class="navbar-brand fw-semibold"' in response.text
        for word in (
            "Two-Factor",
            "Deactivate",
            "Generate",
            "Authenticator App",
            "Confirm",
            "Password",
        ):
            assert word not in response.text, (name, word)


# --- the admin signs in through allauth ------------------------------------------------------------------


def test_admin_login_redirects_to_the_portal_sign_in_with_next(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/plm_portal/user/"})

    assert response.status_code == 302
    assert (
        response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fplm_portal%2Fuser%2F"
    )
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_admin_login_ignores_an_outside_next(client):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_admin_login_accepts_no_password_and_allauth_limits_hold(client, settings):
    settings.PLM_MFA_REQUIRED = False  # the limits alone
    user = NationalUserFactory(email="admin@example.test", is_superuser=True)

    for _ in range(20):
        response = client.post(
            reverse("admin:login"), {"username": "admin@example.test", "password": "salah"}
        )
        assert response.status_code == 302
        assert SESSION_KEY not in client.session
    # The admin page took no password at all: the portal's sign-in is the only door, and its limits hold.
    for _ in range(5):
        _sign_in(client, "admin@example.test", "salah")
    refused = _sign_in(client, "admin@example.test", PASSWORD)

    assert SESSION_KEY not in client.session
    assert refused.status_code in (200, 429)
    assert user.pk  # still there


def test_signed_in_user_without_admin_access_gets_403_not_a_loop(client):
    client.force_login(UserFactory())

    assert client.get(reverse("admin:login")).status_code == 403


def test_admin_user_reaches_the_admin_after_totp(client):
    user = NationalUserFactory(email="admin@example.test", is_superuser=True)
    secret = give_totp(user)
    response = client.post(
        reverse("account_login"),
        {"login": "admin@example.test", "password": PASSWORD, "next": "/admin/"},
    )
    assert response["Location"] == reverse("mfa_authenticate")

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
