"""The demo data on a phone (360 px): the Jambi officer finds something on every programme page — enrolment
history, an activity with its photo, impact stories in every state, checks due, the award score sheet — and
enrols the one village library the demo leaves unenrolled; national staff see the anonymous story by its alias.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from libraries.models import Library
from programs.models import Activity, Enrollment, ImpactStory
from reports import demo
from tests.demo_regions import create_demo_regions
from tests.e2e.conftest import PHONE, page_width
from tests.programs.factories_activities import private_storage_fixture  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHANGED = "Perpustakaan Desa Mendalo Darat"
UNENROLLED = "Perpustakaan Desa Pematang Gajah"
WITH_PHOTO = "Kelas literasi digital untuk pelajar"


@pytest.fixture
def demo_world(private_storage):
    create_demo_regions()
    demo.load_demo()


def assert_fits_phone(page: Page) -> None:
    assert page_width(page) <= PHONE["width"], f"{page.url} scrolls sideways at 360 px"


def test_demo_tour_of_the_programme_pages_on_a_phone(
    page: Page, live_server, outside_requests, sign_in, demo_world
):
    page.set_viewport_size(PHONE)
    password = demo.demo_password()
    sign_in(page, "jambi@demo.test", password)

    # --- a library's enrolment history: partner, then replication with a note -------------------------------
    library = Library.objects.get(name=CHANGED)
    page.goto(f"{live_server.url}/libraries/{library.pk}/")
    changes = page.get_by_role("list", name="Riwayat kepesertaan 2023").get_by_role("listitem")
    expect(changes).to_have_count(2)
    expect(changes.first).to_contain_text("Replikasi (anggaran daerah)")
    expect(changes.first).to_contain_text("oleh Fitri Handayani")
    expect(changes.first).to_contain_text("APBDes 2023 sudah disahkan")
    expect(changes.last).to_contain_text("Mitra program")
    assert_fits_phone(page)

    # --- an activity with its photo, served through the scoped view ---------------------------------------
    activity = Activity.objects.get(title=WITH_PHOTO)
    page.goto(f"{live_server.url}/programme/activities/{activity.pk}/")
    expect(page.get_by_role("heading", name=WITH_PHOTO)).to_be_visible()
    photo = page.get_by_role(
        "img", name="Pelajar SMP memeriksa kebenaran berita daring", exact=False
    )
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    page.wait_for_function(
        "() => [...document.images].every(img => img.complete && img.naturalWidth > 0)"
    )
    assert_fits_phone(page)

    # --- impact stories: a draft without consent, one verified, three published ----------------------------
    page.goto(f"{live_server.url}/programme/stories/")
    results = page.locator("#results")
    expect(results).to_contain_text("5 cerita")
    expect(results).to_contain_text("belum ada persetujuan")
    for status in ImpactStory.Status:
        expect(results.get_by_text(str(status.label), exact=True).first).to_be_visible()
    assert_fits_phone(page)

    # --- checks due: the demo's 2022 meetings left some long overdue --------------------------------------
    page.goto(f"{live_server.url}/meetings/follow-ups/")
    expect(page.locator("#results")).to_contain_text("terlambat")
    assert_fits_phone(page)

    # --- the score sheet of 2022 ranks the libraries from their recorded work -----------------------------
    page.goto(f"{live_server.url}/reports/awards/scores/?year=2022")
    regency_rows = page.locator("section[aria-labelledby=sheet-kabkota] tbody tr")
    expect(regency_rows).to_have_count(6)
    expect(regency_rows.first).to_contain_text("Dinas Perpustakaan dan Arsip Kota Jambi")
    village_rows = page.locator("section[aria-labelledby=sheet-desa] tbody tr")
    expect(village_rows.first).to_contain_text(CHANGED)
    expect(village_rows.first).to_contain_text("Pemenang peringkat 1")
    assert_fits_phone(page)

    # --- the one village library left unenrolled is enrolled for 2022 -------------------------------------
    page.goto(f"{live_server.url}/programme/enrollments/new/")
    page.get_by_label("Tahun program").select_option(label="TPBIS 2022")
    page.locator("#id_library_search").fill("Pematang")
    page.locator("#id_library").select_option(label=UNENROLLED)
    page.get_by_label("Status kemitraan").select_option(label="Mitra program")
    page.get_by_label("Tanggal bergabung").fill("2022-09-01")
    assert_fits_phone(page)
    page.get_by_role("button", name="Simpan").click()
    expect(
        page.get_by_role("status").filter(has_text=f"“{UNENROLLED}” terdaftar di TPBIS 2022")
    ).to_be_visible()
    assert Enrollment.objects.filter(library__name=UNENROLLED, programme_year__year=2022).exists()

    # --- national staff: the anonymous published story shows its alias, never the name --------------------
    page.context.clear_cookies()
    sign_in(page, "nasional@demo.test", password)
    page.goto(f"{live_server.url}/programme/stories/published/")
    expect(page.locator("main")).to_contain_text("Ibu E., 38 tahun")
    expect(page.locator("main")).not_to_contain_text("Ernawati")
    assert_fits_phone(page)
    assert outside_requests == []
