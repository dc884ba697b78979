"""Sign-in pages (django-allauth) in the portal's layout and in Indonesian: reset, change, set, sign out."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from plm_portal.models import User
from tests.factories import UserFactory
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Perpustakaan-Desa-2022"
LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+")
# Words of allauth's English templates that must not leak onto the portal's pages.
ENGLISH = ("Sign Out", "Sign In", "Password Reset", "Change Password", "Set Password", "Bad Token")


def _reset_link(message) -> str:
    return LINK.search(message.body).group(0)


def _assert_portal_page(response) -> None:
    text = response.text
    assert '<html lang="id">' in text
    assert 'class="navbar-brand fw-semibold"' in text  # inside base.html, not allauth's bare layout
    for word in ENGLISH:
        assert word not in text, word


def test_password_reset_sends_indonesian_email_after_commit(
    client, django_capture_on_commit_callbacks, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.example.test"]
    UserFactory(email="jambi@example.test", full_name="Sari Jambi")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("account_reset_password"),
            {"email": "JAMBI@example.test"},
            HTTP_HOST="portal.example.test:8000",
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jambi@example.test"]
    assert message.subject == "[Portal PLM] Atur ulang kata sandi"
    assert message.body.startswith("Halo Sari Jambi,")
    assert _reset_link(message).startswith(
        "http://portal.example.test:8000/accounts/password/reset/key/"
    )


def test_password_reset_link_sets_a_new_password(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="jambi@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "jambi@example.test"})
    link = _reset_link(mail.outbox[0])

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.request["PATH_INFO"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert "Atur ulang kata sandi" in form_page.text
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    signed_in = client.post(
        reverse("account_login"), {"login": "jambi@example.test", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_password_reset_link_works_only_once(client, django_capture_on_commit_callbacks):
    UserFactory(email="jambi@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "jambi@example.test"})
    link = _reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    client.post(
        form_page.request["PATH_INFO"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    response = client.get(link)

    assert response.status_code == 200
    assert "Tautan tidak berlaku" in response.text
    assert reverse("account_reset_password") in response.text
    _assert_portal_page(response)


def test_password_reset_mismatched_passwords_shows_error_and_keeps_password(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="jambi@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "jambi@example.test"})
    form_page = client.get(_reset_link(mail.outbox[0]), follow=True)

    response = client.post(
        form_page.request["PATH_INFO"], {"password1": NEW_PASSWORD, "password2": "lain-sekali-99"}
    )

    assert response.status_code == 200
    assert "is-invalid" in response.text
    user.refresh_from_db()
    assert user.check_password("plm-test-password")


def test_password_reset_unknown_email_reveals_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "siapa@example.test"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "tidak ada akun dengan alamat ini" in body
    assert "/accounts/signup/" not in body


def test_password_reset_bad_email_keeps_input(client):
    response = client.post(reverse("account_reset_password"), {"email": "bukan-email"})

    assert response.status_code == 200
    assert 'value="bukan-email"' in response.text
    assert "is-invalid" in response.text
    assert mail.outbox == []


def test_password_reset_invalid_token_page(client):
    user = UserFactory()

    response = client.get(
        reverse(
            "account_reset_password_from_key", kwargs={"uidb36": f"{user.pk:x}", "key": "salah"}
        )
    )

    assert response.status_code == 200
    assert "Tautan tidak berlaku" in response.text
    _assert_portal_page(response)


def test_change_password_with_current_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "plm-test-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Kata sandi berhasil diubah." in response.text
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)  # still signed in


def test_change_password_wrong_current_password_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "salah", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert 'id="id_oldpassword_error"' in response.text
    user.refresh_from_db()
    assert user.check_password("plm-test-password")


def test_change_password_anonymous_redirects_to_login(client):
    response = client.get(reverse("account_change_password"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_set_password_for_account_without_one(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    page = client.get(reverse("account_change_password"), follow=True)
    response = client.post(
        reverse("account_set_password"),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert page.redirect_chain[-1][0] == reverse("account_set_password")
    assert "Buat kata sandi" in page.text
    assert "Kata sandi berhasil dibuat." in response.text
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_logout_asks_before_signing_out(client):
    user = UserFactory()
    client.force_login(user)

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert "Keluar dari Portal PLM?" in response.text
    assert client.session[SESSION_KEY] == str(user.pk)


def test_logout_post_signs_out(client):
    client.force_login(UserFactory())

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))


def test_signup_is_closed(client):
    page = client.get(reverse("account_signup"))
    response = client.post(
        reverse("account_signup"),
        {"email": "baru@example.test", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert "Pendaftaran ditutup" in page.text
    assert "Pendaftaran ditutup" in response.text
    assert not User.objects.filter(email="baru@example.test").exists()
    _assert_portal_page(page)


def test_deactivated_user_cannot_sign_in(client):
    UserFactory(email="lama@example.test", is_active=False)

    response = client.post(
        reverse("account_login"),
        {"login": "lama@example.test", "password": "plm-test-password"},
        follow=True,
    )

    assert SESSION_KEY not in client.session
    assert "Akun nonaktif" in response.text


@pytest.mark.parametrize(
    ("url_name", "signed_in", "heading"),
    [
        ("account_login", False, "Masuk ke Portal PLM"),
        ("account_reset_password", False, "Lupa kata sandi"),
        ("account_reset_password_done", False, "Periksa email Anda"),
        ("account_reset_password_from_key_done", False, "Kata sandi tersimpan"),
        ("account_signup", False, "Pendaftaran ditutup"),
        ("account_inactive", False, "Akun nonaktif"),
        ("account_logout", True, "Keluar dari Portal PLM?"),
        ("account_change_password", True, "Ganti kata sandi"),
    ],
)
def test_account_pages_are_indonesian_inside_the_layout(client, url_name, signed_in, heading):
    if signed_in:
        client.force_login(UserFactory())

    response = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert f'<h1 class="h3 mb-3">{heading}</h1>' in response.text
    _assert_portal_page(response)


@pytest.mark.parametrize("role", ROLES)
def test_change_password_page_role_matrix(scenario, role):
    response = scenario.client_for(role).get(reverse("account_change_password"))

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 200
        assert '<h1 class="h3 mb-3">Ganti kata sandi</h1>' in response.text
