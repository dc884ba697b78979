"""Enrolment as the Jambi officer does it on a phone: enrol a village library for 2022, withdraw it with a
note, find it by year and status in the library list and its history on its page; the Riau officer finds
none of it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from programs.models import Enrollment
from tests.e2e.conftest import PHONE, page_width
from tests.factories import ProgrammeYearFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VILLAGE = "Perpustakaan Desa Mendalo Darat"


def assert_fits_phone(page: Page) -> None:
    assert page_width(page) <= PHONE["width"], f"{page.url} scrolls sideways at 360 px"


def test_jambi_officer_enrols_and_withdraws_a_village_library(
    page: Page, live_server, outside_requests, sign_in, jambi_world
):
    year = ProgrammeYearFactory(year=2022, name="TPBIS 2022")
    page.set_viewport_size(PHONE)
    sign_in(page, "jambi@example.test")

    # --- enrol ------------------------------------------------------------------------------------------
    page.goto(f"{live_server.url}/programme/enrollments/")
    expect(page.get_by_role("heading", name="Kepesertaan program")).to_be_visible()
    assert_fits_phone(page)
    page.get_by_role("link", name="Daftarkan perpustakaan").click()
    expect(page.get_by_role("heading", name="Daftarkan perpustakaan")).to_be_visible()
    expect(page.get_by_label("Tahun program")).to_have_value(str(year.pk))
    # The picker lists the province's offices; the village library is found by typing its name (htmx).
    library = page.locator("#id_library")
    page.locator("#id_library_search").fill("Mendalo")
    expect(library.locator("option", has_text=VILLAGE)).to_have_count(1)
    library.select_option(label=VILLAGE)
    page.get_by_label("Status kemitraan").select_option(label="Mitra program")
    page.get_by_label("Angkatan").fill("Angkatan 2022")
    page.get_by_label("Tanggal bergabung").fill("2022-03-14")
    assert_fits_phone(page)
    page.get_by_role("button", name="Simpan").click()

    expect(
        page.get_by_role("status").filter(has_text=f"“{VILLAGE}” terdaftar di TPBIS 2022")
    ).to_be_visible()
    results = page.locator("#results")
    expect(results.get_by_role("link", name=VILLAGE, exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Mitra program 1")).to_be_visible()
    assert_fits_phone(page)

    # --- the status filter narrows the list in place (htmx) ----------------------------------------------
    page.get_by_label("Status kepesertaan").select_option(label="Mengundurkan diri")
    expect(results.get_by_text("Belum ada perpustakaan terdaftar yang cocok.")).to_be_visible()
    page.get_by_label("Status kepesertaan").select_option(label="Semua")
    expect(results.get_by_role("link", name=VILLAGE, exact=True)).to_be_visible()

    # --- withdraw, with a note ------------------------------------------------------------------------------
    results.get_by_role("link", name=f"Ubah {VILLAGE}").click()
    expect(page.get_by_role("heading", name="Ubah kepesertaan")).to_be_visible()
    page.get_by_label("Status kemitraan").select_option(label="Mengundurkan diri")
    page.get_by_label("Catatan perubahan").fill("Pengelola pindah tugas ke kecamatan lain")
    assert_fits_phone(page)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status").filter(has_text="tersimpan")).to_be_visible()

    # --- the library's page shows the status and its history, newest first ------------------------------
    page.locator("#results").get_by_role("link", name=VILLAGE, exact=True).click()
    section = page.locator("section[aria-labelledby=enrollments-heading]")
    expect(section.locator(".badge")).to_have_text("Mengundurkan diri")
    changes = section.get_by_role("list", name="Riwayat kepesertaan 2022").get_by_role("listitem")
    expect(changes).to_have_count(2)
    expect(changes.first).to_contain_text("Mengundurkan diri")
    expect(changes.first).to_contain_text("oleh Petugas Jambi")
    expect(changes.first).to_contain_text("Pengelola pindah tugas ke kecamatan lain")
    expect(changes.last).to_contain_text("Mitra program")
    assert_fits_phone(page)

    # --- the library list filters by year and status -------------------------------------------------------
    page.goto(f"{live_server.url}/libraries/")
    page.get_by_label("Tahun program").select_option("2022")
    page.get_by_label("Status kepesertaan").select_option(label="Mengundurkan diri")
    listed = page.locator("#results .list-group-item")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text(VILLAGE)
    assert_fits_phone(page)
    assert outside_requests == []


def test_riau_officer_finds_no_jambi_enrolment(page: Page, live_server, sign_in, jambi_world):
    year = ProgrammeYearFactory(year=2022, name="TPBIS 2022")
    enrollment = Enrollment.objects.create(
        programme_year=year, library=jambi_world.libraries.mendalo_darat, cohort="Angkatan 2022"
    )
    sign_in(page, "riau@example.test")

    page.goto(f"{live_server.url}/programme/enrollments/?year=2022")
    expect(page.get_by_text("Belum ada perpustakaan terdaftar yang cocok.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Mendalo")
    for path in (
        f"/programme/enrollments/{enrollment.pk}/edit/",
        f"/programme/enrollments/new/?library={jambi_world.libraries.mendalo_darat.pk}",
        f"/libraries/{jambi_world.libraries.mendalo_darat.pk}/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 404, path
        expect(page.locator("main")).not_to_contain_text("Mendalo")
    page.goto(f"{live_server.url}/libraries/?year=2022")
    expect(page.locator("main")).not_to_contain_text("Mendalo")
