import pytest
from playwright.sync_api import expect

from tests.factories import NationalUserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_national_staff_signs_in_and_opens_admin(page, live_server, outside_requests):
    NationalUserFactory(email="nasional@example.test", is_superuser=True, full_name="Staf Nasional")

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Masuk ke Portal PLM")).to_be_visible()
    page.get_by_label("Email").fill("nasional@example.test")
    page.get_by_label("Kata sandi").fill("plm-test-password")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("heading", name="Selamat datang, Staf")).to_be_visible()
    page.get_by_role("link", name="Admin").click()
    expect(page).to_have_title(
        "Transformasi Perpustakaan Berbasis Inklusi Sosial (TPBIS) | Admin Portal PLM"
    )
    assert outside_requests == []


def test_wrong_password_keeps_email_and_says_why(page, live_server):
    NationalUserFactory(email="nasional@example.test")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("nasional@example.test")
    page.get_by_label("Kata sandi").fill("salah")
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("alert")).to_contain_text("tidak benar")
    expect(page.get_by_label("Email")).to_have_value("nasional@example.test")


def test_login_page_fits_a_phone(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360
