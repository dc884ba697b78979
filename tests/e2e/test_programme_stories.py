"""Impact stories as the programme tells them: the Jambi officer, on a phone, writes a story with its person's
consent and verifies it; national staff publish it; the Riau officer finds it only among the published stories,
and anonymised."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import Page, expect

from programs.models import ImpactStory
from tests.e2e.conftest import PHONE, page_width
from tests.factories import ActivityFactory, NationalUserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Dari pembaca menjadi pengusaha keripik"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def _photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (180, 120, 60)).save(out, "JPEG")
    return {"name": "keripik.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def assert_fits_phone(page: Page) -> None:
    assert page_width(page) <= PHONE["width"], f"{page.url} scrolls sideways at 360 px"


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page (the CSP is bypassed by the context)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"][:3]])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], page.url


def test_story_written_verified_published_and_shared_anonymised(
    browser, live_server, outside_requests, sign_in, jambi_world
):
    world = jambi_world
    library = world.libraries.mendalo_darat
    ActivityFactory(library=library, title="Pelatihan olahan pangan lokal")
    NationalUserFactory(email="nasional@example.test", full_name="Staf Nasional")

    def phone_page() -> Page:
        context = browser.new_context(viewport=PHONE, bypass_csp=True)
        return context.new_page()

    # --- the Jambi officer writes the story, on a phone ------------------------------------------------------
    page = phone_page()
    sign_in(page, "jambi@example.test")
    page.goto(f"{live_server.url}/programme/stories/")
    expect(page.get_by_role("heading", name="Cerita dampak")).to_be_visible()
    page.get_by_role("link", name="Cerita baru").click()
    expect(page.get_by_role("heading", name="Cerita baru")).to_be_visible()
    assert_fits_phone(page)

    # The library select lists the offices; a village library is found by typing its name (htmx).
    page.locator("#id_library_search").fill("Mendalo")
    library_select = page.locator("#id_library")
    expect(library_select.locator("option", has_text=library.name)).to_have_count(1)
    library_select.select_option(label=library.name)
    # Its activities follow the library chosen.
    activity = page.get_by_label("Kegiatan yang membantu")
    expect(activity.locator("option", has_text="Pelatihan olahan pangan lokal")).to_have_count(1)
    activity.select_option(label="01-09-2022 · Pelatihan olahan pangan lokal")
    # The person: searched among the library province's people.
    page.locator("#id_person_search").fill("Nurhay")
    expect(page.locator("#id_person_status")).to_contain_text("1 orang cocok")
    page.get_by_label("Narasumber (orang yang diceritakan)").select_option(
        label=f"Nurhayati · {library.name}"
    )
    expect(page.get_by_label("Tanpa nama", exact=False)).to_be_checked()
    page.get_by_label("Nama samaran").fill("Ibu N., 45 tahun")
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Lini kerja").select_option(label="Kegiatan pelibatan masyarakat")
    page.locator("#id_date").fill("2022-10-01")
    page.get_by_label("Keadaan sebelum").fill("Ibu rumah tangga tanpa penghasilan sendiri.")
    page.get_by_label("Keadaan sesudah").fill("Menjual keripik pisang ke tiga warung.")
    page.locator("#id_story").fill(
        "Ia belajar resep dan pengemasan dari buku dan pelatihan di perpustakaan desa."
    )
    page.get_by_label("Pendapatan").check()
    page.get_by_label("Keterampilan").check()
    page.get_by_label("Foto", exact=True).set_input_files(_photo())
    page.get_by_label("Narasumber setuju ceritanya diterbitkan").check()
    page.get_by_label("Tanggal persetujuan").fill("2022-10-02")
    page.get_by_label("Formulir tertulis").check()
    assert_fits_phone(page)
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="tersimpan sebagai draf")).to_be_visible()
    expect(
        page.get_by_text("Nurhayati", exact=True)
    ).to_be_visible()  # the editors see the real person
    expect(page.locator("main").get_by_text("anonim", exact=True)).to_be_visible()
    expect(page.locator("main img")).to_have_js_property("naturalWidth", 1200)
    assert_fits_phone(page)
    assert_accessible(page)
    page.get_by_role("button", name="Verifikasi cerita").click()
    expect(page.get_by_role("status").filter(has_text="Cerita terverifikasi")).to_be_visible()
    expect(page.get_by_text("Menunggu diterbitkan oleh staf nasional.")).to_be_visible()
    story = ImpactStory.objects.get(title=TITLE)
    assert (story.status, story.verified_by, story.consent_recorded_by) == (
        ImpactStory.Status.VERIFIED,
        world.officer,
        world.officer,
    )
    page.goto(f"{live_server.url}/programme/stories/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/programme/stories/{story.pk}/edit/")
    expect(page.get_by_text("Cerita ini sudah diverifikasi.", exact=False)).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)
    page.context.close()

    # --- national staff publish it -------------------------------------------------------------------------
    page = phone_page()
    sign_in(page, "nasional@example.test")
    page.goto(f"{live_server.url}/programme/stories/?status=verified")
    page.get_by_role("link", name=re.compile(TITLE)).click()
    page.get_by_role("button", name="Terbitkan cerita").click()
    expect(page.get_by_role("status").filter(has_text="Cerita terbit")).to_be_visible()
    story.refresh_from_db()
    assert story.status == ImpactStory.Status.PUBLISHED
    page.context.close()

    # --- the Riau officer: only on the published page, anonymised ------------------------------------------
    page = phone_page()
    sign_in(page, "riau@example.test")
    page.goto(f"{live_server.url}/programme/stories/")
    expect(page.get_by_text("Belum ada cerita yang cocok.")).to_be_visible()
    expect(page.get_by_text(TITLE)).to_have_count(0)
    for path in (f"{story.pk}/", f"{story.pk}/edit/"):
        response = page.goto(f"{live_server.url}/programme/stories/{path}")
        assert response.status == 404, path
    page.goto(f"{live_server.url}/programme/stories/published/")
    assert_fits_phone(page)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(TITLE)).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Ibu N., 45 tahun")
    expect(main).not_to_contain_text("Nurhayati")
    expect(main.locator("img")).to_have_js_property("naturalWidth", 1200)
    assert_fits_phone(page)
    assert_accessible(page)
    page.context.close()
    assert outside_requests == []
    story.photo.storage.delete(story.photo.name)
