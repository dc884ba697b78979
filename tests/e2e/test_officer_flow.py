"""The officers' portal as the Jambi provincial officer uses it, from planning a PLM to its RTL,
and what the Riau officer sees of it (nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from libraries.models import Person
from meetings.models import Attendance, Meeting, Participation, RtlAction, Session
from tests.e2e.conftest import PHONE, page_width
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    ParticipationFactory,
    RtlActionFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILES = Path(__file__).parent / "files"
TITLE = "Peer Learning Meeting (PLM) Provinsi Jambi 2022"


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("link", name=name, exact=True)).to_have_attribute(
        "aria-current", "page"
    )


def assert_fits_phone(page: Page) -> None:
    assert page_width(page) <= PHONE["width"], f"{page.url} scrolls sideways at 360 px"


def person_search(page: Page):
    """The box to find registered people (inside the search form of the same name)."""
    return page.get_by_role("search", name="Cari orang terdaftar").get_by_label(
        "Cari orang terdaftar"
    )


def add_by_search(page: Page, typed: str, name: str) -> None:
    """Add a registered person found by typing part of their name; role and library as suggested."""
    person_search(page).fill(typed)
    page.get_by_role("link", name=f"Pilih {name}").click()
    pick = page.locator("#pick-panel")
    expect(pick.get_by_role("heading", name=name)).to_be_visible()
    pick.get_by_role("button", name="Tambahkan ke pertemuan").click()
    expect(page.get_by_role("status").filter(has_text=f"{name} ditambahkan")).to_be_visible()


def add_new_person(
    page: Page,
    *,
    name: str,
    gender: str,
    phone: str = "",
    email: str = "",
    position: str = "",
    institution: str = "",
    role: str,
    library: str,
) -> None:
    page.get_by_role("link", name="Orang baru", exact=True).click()
    expect(page.get_by_role("heading", name="Tambah orang baru")).to_be_visible()
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("Jenis kelamin").select_option(label=gender)
    page.get_by_label("Nomor HP").fill(phone)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Jabatan").fill(position)
    page.get_by_label("Instansi/asal").fill(institution)
    page.get_by_label("Peran").select_option(label=role)
    # The select lists the province's offices; any other library is found by typing its name (htmx).
    represented = page.get_by_label("Perpustakaan yang diwakili")
    page.locator("#id_library_search").fill(library)
    expect(represented.locator("option", has_text=library)).to_have_count(1)
    expect(page.locator("#id_library_status")).to_contain_text("1 perpustakaan cocok")
    represented.select_option(label=library)
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("status").filter(has_text=f"{name} ditambahkan")).to_be_visible()


def attendance_row(page: Page, name: str):
    return page.locator("#att-list li.att-row").filter(has_text=name)


def search_for(page: Page, search, text: str) -> None:
    """Type into the attendance search and wait for the server's answer (slow under load, never skipped)."""
    with page.expect_response(lambda r: "/attendance/?" in r.url and r.request.method == "GET"):
        search.fill(text)


def mark_present(page: Page, name: str) -> None:
    row = attendance_row(page, name)
    row.get_by_role("button", name="Hadir").click()
    expect(row.get_by_role("button", name="Urungkan")).to_be_visible()
    expect(page.locator("#att-status")).to_contain_text(f"{name} hadir pukul")


def write_rtl_row(page: Page, library: str, **fields: str) -> None:
    card = page.get_by_role("region", name=library)
    if not card.get_by_label("Kegiatan").is_visible():
        # After a saved row the card's form stays open for the next one.
        # The form is loaded into the card when asked for.
        card.get_by_role("link", name="Tambah baris RTL").click()
    card.get_by_label("Kegiatan").fill(fields["activity"])
    card.get_by_label("Lini kerja TPBIS").select_option(label=fields["line"])
    card.get_by_label("Tujuan").fill(fields["objective"])
    card.get_by_label("Sasaran").fill(fields["target"])
    card.get_by_label("Waktu").fill(fields["timeline"])
    card.get_by_label("Penanggung jawab").fill(fields["responsible"])
    card.get_by_label("Indikator").fill(fields["indicator"])
    card.get_by_role("button", name="Simpan baris").click()
    expect(
        card.get_by_role("table").get_by_role("row").filter(has_text=fields["activity"])
    ).to_be_visible()


def test_jambi_officer_logs_a_plm_from_plan_to_rtl(
    page: Page, live_server, outside_requests, sign_in, jambi_world
):
    world = jambi_world
    libs = world.libraries
    sign_in(page, "jambi@example.test")

    # --- the meeting ---------------------------------------------------------------------------------
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Pertemuan"
    ).click()
    page.get_by_role("link", name="Pertemuan baru").click()
    expect(page.get_by_role("heading", name="Pertemuan baru")).to_be_visible()
    expect(page.get_by_label("Provinsi")).to_be_disabled()
    page.get_by_label("Jenis").select_option(label="Peer Learning Meeting (PLM)")
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Tahun program").fill("2022")
    page.get_by_label("Gelombang").fill("3")
    page.get_by_label("Tanggal mulai").fill("2022-08-02")
    page.get_by_label("Tanggal selesai").fill("2022-08-02")
    page.get_by_label("Kabupaten/kota tempat").select_option(label="Kota Jambi")
    page.get_by_label("Penyelenggara").select_option(label=libs.provincial.name)
    page.get_by_label("Nama tempat").fill("Hotel Aston Jambi")
    page.get_by_label("Dibuka oleh").fill(
        "Syamsul Rizal, Kepala Dinas Perpustakaan dan Arsip Daerah"
    )
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="tersimpan")).to_be_visible()
    meeting = Meeting.objects.get(title=TITLE)
    assert (meeting.province_id, meeting.venue_regency_id, meeting.start_date) == (
        "15",
        "15.71",
        dt.date(2022, 8, 2),
    )
    assert meeting.created_by == world.officer

    # --- participants: by search -------------------------------------------------------------------
    open_tab(page, "Peserta")
    expect(page.get_by_text("0 orang terdaftar di pertemuan ini.")).to_be_visible()
    # Riau's people are not offered to a Jambi meeting.
    person_search(page).fill("Rahmat")
    expect(page.locator("#person-results")).to_contain_text("Tidak ada orang “Rahmat”")
    add_by_search(page, "syams", "Syamsul Rizal")
    add_by_search(page, "Hasan", "Hasan Basri")
    add_by_search(page, "marzuki", "Marzuki Harahap")
    add_by_search(page, "nurha", "Nurhayati")

    # --- participants: new people ------------------------------------------------------------------
    add_new_person(
        page,
        name="Ahmad Fauzi",
        gender="Laki-laki",
        phone="0812-7788-1234",
        position="Pustakawan Ahli Pertama",
        role="Dinas Perpustakaan Kabupaten/Kota",
        library=libs.batanghari.name,
    )
    add_new_person(
        page,
        name="Yuliana Sari",
        gender="Perempuan",
        phone="0813 6612 3344",
        position="Pengelola perpustakaan desa",
        role="Perpustakaan Desa",
        library=libs.mendalo_darat.name,
    )
    add_new_person(
        page,
        name="Rudi Hartono",
        gender="Laki-laki",
        email="rudi.hartono@example.id",
        position="Ketua Karang Taruna",
        institution="Karang Taruna Mendalo Darat",
        role="Impact/Dampak",
        library=libs.mendalo_darat.name,
    )
    # The phone typed as 0812-… is shown back as stored, +62….
    expect(page.locator("#participant-list tr").filter(has_text="Ahmad Fauzi")).to_contain_text(
        "+6281277881234"
    )
    assert Person.objects.get(full_name="Ahmad Fauzi").phone == "+6281277881234"
    expect(page.get_by_text("7 orang terdaftar di pertemuan ini.")).to_be_visible()

    # --- participants: a file (preview, then confirm) ----------------------------------------------
    page.get_by_role("link", name="Impor daftar").click()
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(FILES / "peserta-plm-jambi.csv")
    page.get_by_role("button", name="Pratinjau").click()
    preview = page.get_by_role("table", name="Pratinjau baris yang akan diimpor")
    expect(preview.locator("tbody tr")).to_have_count(9)
    expect(preview.locator("tbody tr").filter(has_text="Dewi Lestari")).to_contain_text(
        "Orang terdaftar"
    )
    assert Participation.objects.filter(meeting=meeting).count() == 7, "saved before confirming"
    page.get_by_role("button", name="Konfirmasi impor: tambahkan 9 orang").click()
    expect(
        page.get_by_role("status").filter(has_text="9 orang ditambahkan ke pertemuan")
    ).to_contain_text("8 orang baru terdaftar")
    expect(page.get_by_text("16 orang terdaftar di pertemuan ini.")).to_be_visible()
    assert Participation.objects.filter(meeting=meeting).count() == 16
    # Dewi was matched by phone, not registered twice.
    assert Person.objects.filter(full_name="Dewi Lestari").count() == 1

    # --- attendance at the door, on a phone ---------------------------------------------------------
    page.set_viewport_size(PHONE)
    open_tab(page, "Kehadiran")
    assert_fits_phone(page)
    expect(page.locator("#att-count")).to_have_text("Hadir 0 dari 16")
    search = page.get_by_role("searchbox", name="Cari peserta")
    rows = page.locator("#att-list li.att-row")

    search_for(page, search, "yul")
    expect(rows.filter(visible=True)).to_have_count(1)
    expect(page.locator("#att-matches")).to_have_text("· 1 cocok")
    mark_present(page, "Yuliana Sari")

    search_for(page, search, "1234")  # the last digits of Ahmad Fauzi's phone
    expect(rows.filter(visible=True)).to_have_count(1)
    mark_present(page, "Ahmad Fauzi")

    search_for(page, search, "")
    expect(rows.filter(visible=True)).to_have_count(16)
    for name in ("Syamsul Rizal", "Dewi Lestari", "Sri Wahyuni"):
        mark_present(page, name)
    expect(page.locator("#att-count")).to_have_text("Hadir 5 dari 16")

    # A wrong tap is taken back.
    attendance_row(page, "Sri Wahyuni").get_by_role("button", name="Urungkan").click()
    expect(attendance_row(page, "Sri Wahyuni").get_by_role("button", name="Hadir")).to_be_visible()
    expect(page.locator("#att-count")).to_have_text("Hadir 4 dari 16")
    assert_fits_phone(page)
    present = set(
        Attendance.objects.filter(participation__meeting=meeting).values_list(
            "participation__person__full_name", "day", "method", "recorded_by"
        )
    )
    assert present == {
        (name, dt.date(2022, 8, 2), Attendance.Method.MANUAL, world.officer.pk)
        for name in ("Yuliana Sari", "Ahmad Fauzi", "Syamsul Rizal", "Dewi Lestari")
    }

    # The list survives a reload: what was tapped is what the server has.
    page.reload()
    expect(page.locator("#att-count")).to_have_text("Hadir 4 dari 16")
    expect(attendance_row(page, "Dewi Lestari")).to_contain_text("WIB")

    # --- RTL for two represented libraries ---------------------------------------------------------
    open_tab(page, "RTL")
    assert_fits_phone(page)
    write_rtl_row(
        page,
        libs.mendalo_darat.name,
        activity="Kelas literasi digital bagi pelaku UMKM desa",
        line="Kegiatan pelibatan masyarakat",
        objective="Pelaku UMKM mampu memasarkan produk secara daring",
        target="20 pelaku UMKM Desa Mendalo Darat",
        timeline="Triwulan IV 2022",
        responsible="Yuliana Sari",
        indicator="20 UMKM memiliki akun toko daring",
    )
    write_rtl_row(
        page,
        libs.batanghari.name,
        activity="Pendampingan perpustakaan desa replikasi",
        line="Peningkatan layanan informasi",
        objective="Lima perpustakaan desa menjalankan layanan TPBIS",
        target="Pengelola 5 perpustakaan desa",
        timeline="September-Desember 2022",
        responsible="Ahmad Fauzi",
        indicator="5 perpustakaan desa melapor kegiatan bulanan",
    )
    write_rtl_row(
        page,
        libs.batanghari.name,
        activity="Audiensi dengan Bappeda tentang anggaran perpustakaan desa",
        line="Advokasi",
        objective="Anggaran 2023 untuk perpustakaan desa",
        target="Bappeda Kabupaten Batanghari",
        timeline="Oktober 2022",
        responsible="Kepala Dinas",
        indicator="Surat dukungan anggaran",
    )
    expect(page.locator("#rtl-summary")).to_contain_text("3 baris RTL dari 2 perpustakaan")
    assert_fits_phone(page)
    assert RtlAction.objects.filter(meeting=meeting).count() == 3

    # --- the agenda ------------------------------------------------------------------------------
    open_tab(page, "Agenda")
    page.get_by_role("link", name="Tambah sesi").click()
    add = page.get_by_role("form", name="Tambah sesi")
    add.get_by_label("Judul sesi").fill("Berbagi praktik baik perpustakaan desa")
    add.get_by_label("Jam mulai").fill("09:00")
    add.get_by_label("Jam selesai").fill("10:30")
    add.get_by_label("Fasilitator/narasumber").select_option(
        label="Syamsul Rizal (Dinas Perpustakaan Provinsi)"
    )
    add.get_by_role("button", name="Tambahkan").click()
    session = page.locator("#agenda-list li.agenda-item").filter(
        has_text="Berbagi praktik baik perpustakaan desa"
    )
    expect(session).to_contain_text("09.00\u201310.30")
    expect(session).to_contain_text("Syamsul Rizal")
    assert_fits_phone(page)
    assert Session.objects.filter(meeting=meeting).count() == 1

    # --- all of it on the meeting pages --------------------------------------------------------------
    open_tab(page, "Ringkasan")
    assert_fits_phone(page)
    counters = page.locator(".card-body")
    expect(counters.filter(has=page.get_by_text("Peserta", exact=True))).to_contain_text("16")
    expect(counters.filter(has=page.get_by_text("Hadir", exact=True))).to_contain_text("4")
    expect(counters.filter(has=page.get_by_text("Sesi agenda", exact=True))).to_contain_text("1")
    expect(counters.filter(has=page.get_by_text("Baris RTL", exact=True))).to_contain_text("3")

    open_tab(page, "Peserta")
    assert_fits_phone(page)
    expect(page.get_by_text("16 orang terdaftar di pertemuan ini.")).to_be_visible()
    attended = page.locator("#participant-list tr").filter(has=page.get_by_text("Ya", exact=True))
    expect(attended).to_have_count(4)

    open_tab(page, "RTL")
    for activity in (
        "Kelas literasi digital bagi pelaku UMKM desa",
        "Pendampingan perpustakaan desa replikasi",
        "Audiensi dengan Bappeda tentang anggaran perpustakaan desa",
    ):
        expect(page.get_by_role("cell", name=activity)).to_be_visible()

    open_tab(page, "Penghargaan")
    assert_fits_phone(page)

    page.get_by_role("navigation", name="Remah roti").get_by_role("link", name="Pertemuan").click()
    listed = page.locator("#results a").filter(has_text=TITLE)
    expect(listed).to_contain_text("16 peserta, 4 hadir")
    assert_fits_phone(page)

    assert outside_requests == []


def test_riau_officer_finds_nothing_of_the_jambi_meeting(
    page: Page, live_server, sign_in, jambi_world
):
    world = jambi_world
    meeting = MeetingFactory(
        title=TITLE, province=world.province, venue_regency=world.regencies["15.71"]
    )
    participation = ParticipationFactory(
        meeting=meeting, person=world.people.syamsul, library=world.libraries.provincial
    )
    AttendanceFactory(participation=participation)
    SessionFactory(meeting=meeting, title="Pembukaan")
    action = RtlActionFactory(
        meeting=meeting, library=world.libraries.mendalo_darat, activity="Kelas literasi digital"
    )
    sign_in(page, "riau@example.test")
    # Not on the home page's meetings either.
    expect(page.get_by_text(TITLE)).to_have_count(0)

    base = f"{live_server.url}/meetings/{meeting.pk}"
    for path in (
        "/",
        "/edit/",
        "/agenda/",
        "/participants/",
        "/participants/new/",
        "/participants/import/",
        "/participants/search/?q=Syamsul",
        "/attendance/",
        "/attendance/qr/",
        "/rtl/",
        f"/rtl/{action.pk}/edit/",
        "/awards/",
    ):
        response = page.goto(base + path)
        assert response.status == 404, path
        expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("Syamsul")

    page.goto(f"{live_server.url}/meetings/")
    expect(page.get_by_role("heading", name="Pertemuan", exact=True)).to_be_visible()
    expect(page.get_by_text("Belum ada pertemuan yang cocok.")).to_be_visible()
    expect(page.get_by_text(TITLE)).to_have_count(0)
    # Nothing the Riau officer opened changed the meeting.
    meeting.refresh_from_db()
    assert meeting.title == TITLE
    assert Attendance.objects.filter(participation__meeting=meeting).count() == 1
