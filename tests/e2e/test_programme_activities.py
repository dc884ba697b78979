"""Implementation activities as the Jambi officer records them on a phone: a village library's community
activity with its beneficiaries and a photo from the phone's gallery (GPS and all), a refusal that keeps what was
typed, a caption added afterwards, the list's totals; and the Riau officer finds none of it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import Page, expect

from programs.models import Activity
from tests.e2e.conftest import PHONE, page_width
from tests.programs.factories_activities import private_storage_fixture  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Kelas menjahit untuk ibu-ibu PKK"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def phone_photo(folder: Path) -> Path:
    """A photo as a phone saves it: JPEG with the camera and a GPS position in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"
    exif.get_ifd(0x8825)[2] = (1.0, 35.0, 0.0)
    path = folder / "IMG_20220912_101500.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (60, 120, 180)).save(out, "JPEG", exif=exif.tobytes())
    path.write_bytes(out.getvalue())
    return path


def assert_fits_phone(page: Page) -> None:
    assert page_width(page) <= PHONE["width"], f"{page.url} scrolls sideways at 360 px"


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation (the context bypasses the CSP only to inject axe)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"][:3]])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], page.url


def fill_activity(page: Page, library: str) -> None:
    page.locator("#id_library_search").fill("Mendalo")
    # Labels of required fields read "… (wajib)": the selects and the first date are found by their ids.
    expect(page.locator("#id_library option", has_text=library)).to_have_count(1)
    expect(page.locator("#id_library_status")).to_contain_text("1 perpustakaan cocok")
    page.locator("#id_library").select_option(label=library)
    page.get_by_label("Kegiatan pelibatan masyarakat").check()
    page.get_by_label("Judul kegiatan").fill(TITLE)
    page.get_by_label("Uraian").fill("Tiga hari belajar menjahit bersama PKK Desa Mendalo Darat.")
    page.locator("#id_date").fill("2022-09-12")
    page.get_by_label("Tanggal selesai").fill("2022-09-14")
    page.get_by_label("Tempat").fill("Balai Desa Mendalo Darat")
    page.get_by_label("Mitra/pihak yang terlibat").fill("PKK Desa Mendalo Darat")
    page.locator("#id_beneficiaries_female").fill("18")
    page.locator("#id_beneficiaries_male").fill("2")
    page.get_by_label("Tautan bukti").fill("https://example.org/mendalo/kelas-menjahit")


def test_jambi_officer_records_an_activity_with_a_photo_on_a_phone(
    browser, live_server, outside_requests, sign_in, jambi_world, private_storage, tmp_path
):
    world = jambi_world
    library = world.libraries.mendalo_darat.name
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    sign_in(page, "jambi@example.test")

    # --- the list, empty --------------------------------------------------------------------------------
    page.goto(f"{live_server.url}/programme/activities/")
    expect(page.get_by_role("heading", level=1, name="Kegiatan implementasi")).to_be_visible()
    expect(page.get_by_text("Belum ada kegiatan yang cocok.")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)

    # --- a refusal keeps what was typed ------------------------------------------------------------------
    page.get_by_role("link", name="Catat kegiatan").click()
    expect(page.get_by_role("heading", level=1, name="Catat kegiatan")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)
    fill_activity(page, library)
    page.get_by_label("Di antaranya penyandang disabilitas").fill("30")  # more than 18 + 2
    photo = phone_photo(tmp_path)
    page.get_by_label("Foto kegiatan").set_input_files(photo)
    page.get_by_role("button", name="Simpan").click()

    expect(
        page.get_by_text("tidak boleh melebihi jumlah perempuan dan laki-laki (20)")
    ).to_be_visible()
    expect(page.get_by_text("Pilih fotonya lagi", exact=False)).to_be_visible()
    expect(page.get_by_label("Judul kegiatan")).to_have_value(TITLE)
    expect(page.locator("#id_library")).to_have_value(str(world.libraries.mendalo_darat.pk))
    expect(page.get_by_label("Kegiatan pelibatan masyarakat")).to_be_checked()
    assert not Activity.objects.exists()
    assert_fits_phone(page)
    assert_accessible(page)

    # --- corrected, with the photo chosen again -------------------------------------------------------------
    page.get_by_label("Di antaranya penyandang disabilitas").fill("3")
    page.get_by_label("Foto kegiatan").set_input_files(photo)
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="tersimpan")).to_be_visible()
    image = page.get_by_role("img", name="Foto kegiatan 1")
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()  # loaded lazily
    expect(image).to_have_js_property("naturalWidth", 1600)
    assert_fits_phone(page)
    assert_accessible(page)
    activity = Activity.objects.get(title=TITLE)
    assert (activity.library, activity.created_by) == (world.libraries.mendalo_darat, world.officer)
    assert (
        activity.beneficiaries_female,
        activity.beneficiaries_male,
        activity.beneficiaries_disabled,
    ) == (18, 2, 3)
    stored = activity.photos.get()
    served = page.request.get(f"{live_server.url}/programme/activities/photos/{stored.pk}/").body()
    assert b"KameraHP" not in served and not Image.open(io.BytesIO(served)).getexif()

    # --- a caption, afterwards ----------------------------------------------------------------------------------
    page.get_by_role("link", name="Ubah").click()
    expect(page.get_by_text("Masih bisa menambah 4 foto.")).to_be_visible()
    # Too many photos are refused in the browser before a long upload (and again by the server).
    page.get_by_label("Foto kegiatan").set_input_files([photo] * 5)
    expect(page.get_by_role("alert").filter(has_text="Paling banyak 4 foto lagi")).to_be_visible()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", level=1, name="Ubah kegiatan")).to_be_visible()
    page.get_by_label("Foto kegiatan").set_input_files([])
    page.get_by_label("Keterangan foto 1").fill("Ibu-ibu PKK belajar memotong pola")
    assert_fits_phone(page)
    assert_accessible(page)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("figure")).to_contain_text("Ibu-ibu PKK belajar memotong pola")
    expect(page.get_by_role("img", name="Ibu-ibu PKK belajar memotong pola")).to_be_visible()

    # --- the list with its totals, filtered ---------------------------------------------------------------------
    page.goto(f"{live_server.url}/programme/activities/")
    page.get_by_label("Tahun").select_option("2022")
    expect(page).to_have_url(re.compile(r"/programme/activities/\?year=2022&"))
    totals = page.get_by_role("region", name="Jumlah menurut saringan ini")
    expect(totals).to_contain_text("Kegiatan 1")
    expect(totals).to_contain_text("Penerima manfaat perempuan 18")
    expect(totals).to_contain_text("Di antaranya penyandang disabilitas 3")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_label("Lini kerja").select_option(label="Advokasi")
    expect(page.get_by_text("Belum ada kegiatan yang cocok.")).to_be_visible()
    assert_fits_phone(page)
    context.close()

    # --- the Riau officer finds none of it ------------------------------------------------------------------
    riau = browser.new_context(viewport=PHONE).new_page()
    sign_in(riau, "riau@example.test")
    for path in (
        f"/programme/activities/{activity.pk}/",
        f"/programme/activities/{activity.pk}/edit/",
        f"/programme/activities/photos/{stored.pk}/",
        f"/programme/activities/?library={world.libraries.mendalo_darat.pk}",
    ):
        response = riau.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
    riau.goto(f"{live_server.url}/programme/activities/")
    expect(riau.get_by_text("Belum ada kegiatan yang cocok.")).to_be_visible()
    assert "Mendalo" not in riau.content() and "Jambi" not in riau.content()
    assert outside_requests == []
