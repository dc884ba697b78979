"""The config package's own pages: language, health check, favicon, error pages, closed allauth pages."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_are_indonesian_even_when_browser_prefers_english(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="id">' in response.content.decode()


def test_language_switch_selects_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})

    response = client.get(reverse("account_login"))

    assert '<html lang="en">' in response.content.decode()


def test_healthz_reports_database_ok(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_favicon_redirects_to_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("plm_portal/favicon.svg")


def test_not_found_page_is_indonesian_in_layout(client):
    response = client.get("/tidak-ada/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in body
    assert 'class="navbar' in body


def test_server_error_page_renders_without_request_context():
    from django.template.loader import render_to_string

    body = render_to_string("500.html")

    assert "Terjadi kesalahan" in body


def test_account_email_page_is_closed(client):
    client.force_login(UserFactory())

    response = client.get("/accounts/email/")

    assert response.status_code == 404
