"""RTL follow-ups in a browser at 360 px, on the demo data: the Jambi officer finds the checks due, closes a
1-month check from the RTL tab and another from the due list; the Riau officer finds none of Jambi's."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from meetings.models import RtlAction, RtlFollowUp
from reports import demo
from tests.demo_regions import create_demo_regions
from tests.e2e.conftest import PHONE, page_width

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FROM_TAB = "Menambah koleksi buku budidaya kopi dan kayu manis"
FROM_LIST = "Pendampingan perpustakaan desa menyelenggarakan pelatihan olahan hasil kebun"


@pytest.fixture
def demo_world(db):
    create_demo_regions()
    demo.load_demo()
    return {
        "from_tab": RtlAction.objects.get(activity=FROM_TAB),
        "from_list": RtlAction.objects.get(activity=FROM_LIST),
    }


def assert_fits_phone(page: Page) -> None:
    assert page_width(page) <= PHONE["width"], f"{page.url} scrolls sideways at 360 px"


def due_item(page: Page, activity: str, month: str):
    return (
        page.locator("#results li.fu-item")
        .filter(has_text=activity)
        .filter(has_text=f"Tindak lanjut {month},")
    )


def test_jambi_officer_closes_follow_ups_riau_officer_sees_none(
    page: Page, live_server, outside_requests, sign_in, demo_world
):
    page.set_viewport_size(PHONE)
    password = demo.demo_password()
    from_tab = demo_world["from_tab"]
    sign_in(page, "jambi@demo.test", password)

    # --- the due list ------------------------------------------------------------------------------------
    page.goto(f"{live_server.url}/meetings/follow-ups/")
    expect(page.get_by_role("heading", name="Tindak lanjut RTL jatuh tempo")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("terlambat")
    expect(due_item(page, FROM_TAB, "1 bulan")).to_have_count(1)
    assert_fits_phone(page)

    # --- from the list to the row in the RTL tab, the check recorded there ----------------------------------
    due_item(page, FROM_TAB, "1 bulan").get_by_role("link", name=FROM_TAB, exact=True).click()
    row = page.locator(f"#rtl-row-{from_tab.pk}")
    expect(row).to_contain_text("1 bulan: terlambat")
    assert_fits_phone(page)
    row.get_by_role("link", name="Catat tindak lanjut").click()
    expect(row.get_by_label("Hasil")).to_be_focused()
    row.get_by_label("Hasil").select_option(label="Terlaksana")
    row.get_by_label("Catatan").fill("Dua puluh judul buku kopi diterima dari Dinas.")
    row.get_by_label("Tautan bukti").fill("bukan tautan")
    row.get_by_role("button", name="Simpan").click()
    expect(row).to_contain_text("Masukkan alamat tautan yang lengkap")
    expect(row.get_by_label("Catatan")).to_have_value(
        "Dua puluh judul buku kopi diterima dari Dinas."
    )
    assert_fits_phone(page)
    row.get_by_label("Tautan bukti").fill("https://jambiprov.go.id/berita/buku-kopi")
    row.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status").filter(has_text="Tindak lanjut 1 bulan")).to_contain_text(
        "tersimpan"
    )
    row = page.locator(f"#rtl-row-{from_tab.pk}")
    expect(row).to_contain_text("1 bulan: Terlaksana")
    expect(row).to_contain_text("Selesai")
    expect(page.locator("#rtl-completion")).to_contain_text("selesai")
    assert_fits_phone(page)

    # --- from the list's own button: the form is a page, and saving returns to the list ---------------------
    page.goto(f"{live_server.url}/meetings/follow-ups/")
    expect(due_item(page, FROM_TAB, "1 bulan")).to_have_count(0)
    item = due_item(page, FROM_LIST, "1 bulan")
    item.get_by_role("link", name="Catat tindak lanjut").click()
    expect(page.get_by_role("heading", name="Catat tindak lanjut")).to_be_visible()
    assert_fits_phone(page)
    page.get_by_label("Hasil").select_option(label="Sebagian terlaksana")
    page.get_by_label("Catatan").fill("Pelatihan pertama di dua desa.")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Tindak lanjut RTL jatuh tempo")).to_be_visible()
    expect(page.get_by_text(f"Tindak lanjut 1 bulan “{FROM_LIST}” tersimpan.")).to_be_visible()
    expect(due_item(page, FROM_LIST, "1 bulan")).to_have_count(0)

    checked = RtlFollowUp.objects.get(rtl_action=from_tab, month=1)
    assert (checked.status, checked.evidence_url) == (
        RtlFollowUp.Status.DONE,
        "https://jambiprov.go.id/berita/buku-kopi",
    )
    assert checked.recorded_by.email == "jambi@demo.test"
    assert RtlAction.objects.get(activity=FROM_LIST).status == RtlAction.Status.IN_PROGRESS

    # --- the Riau officer ---------------------------------------------------------------------------------
    page.context.clear_cookies()
    sign_in(page, "riau@demo.test", password)
    page.goto(f"{live_server.url}/meetings/follow-ups/")
    expect(page.get_by_role("heading", name="Tindak lanjut RTL jatuh tempo")).to_be_visible()
    expect(page.locator("#results")).not_to_contain_text(FROM_LIST)
    expect(page.locator("#results")).not_to_contain_text("Jambi")
    response = page.goto(
        f"{live_server.url}/meetings/{from_tab.meeting_id}/rtl/{from_tab.pk}/follow-up/?month=3"
    )
    assert response.status == 404
    assert outside_requests == []
