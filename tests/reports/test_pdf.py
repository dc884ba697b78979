"""The PDFs themselves: their text as pypdf reads it, page by page, and what the renderer may fetch."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import os
import threading
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from libraries.models import Province
from meetings.models import Award
from reports.documents import NothingToPrint, build_document, normalize_options
from reports.models import Report
from reports.pdf import (
    LocalOnlyFetcher,
    render_document,
    render_pdf,
    user_agent_stylesheet,
)
from tests.factories import (
    AwardFactory,
    LibraryFactory,
    MeetingFactory,
    ProvinceFactory,
    RegencyFactory,
    RtlActionFactory,
)
from tests.reports.builders import (
    ATTENDED_IN_ORDER,
    add_people,
    crowd,
    in_order,
    make_host,
    pdf_pages,
)

pytestmark = pytest.mark.django_db

GENERATED_AT = dt.datetime(2022, 8, 2, 9, 5, tzinfo=dt.UTC)  # 16.05 WIB, 17.05 WITA
HEADER = "No. Nama L/P Instansi/Asal Jabatan Peran No. HP Tanda Tangan"


def flat(pages: list[str]) -> str:
    """All pages as one line: names wrapped inside a narrow cell read whole again."""
    return " ".join(" ".join(pages).split())


def render(meeting, kind: str, **options) -> bytes:
    options = normalize_options(meeting=meeting, kind=kind, options=options)
    document = build_document(meeting=meeting, kind=kind, options=options)
    return render_document(
        document, verification_code="3F9A1C07", generated_at=GENERATED_AT
    ).content


@pytest.fixture
def plm(scenario):
    make_host(scenario.meeting)
    add_people(scenario.meeting)
    return scenario.meeting


# --- Daftar hadir --------------------------------------------------------------------------------------


def test_attendance_pdf_lists_every_attended_name_in_order(plm):
    text = flat(pdf_pages(render(plm, Report.Kind.ATTENDANCE, attended_only=True)))

    assert in_order(text, ATTENDED_IN_ORDER)
    assert "Hendra Gunawan" not in text


def test_attendance_pdf_full_list_includes_absent_in_order(plm):
    text = flat(pdf_pages(render(plm, Report.Kind.ATTENDANCE)))

    assert in_order(text, ["Andi Kurniawan", "Nurhayati", "Desi Ratnasari", "Hendra Gunawan"])
    assert "tercatat hadir 8 dari 9" in text


def test_attendance_pdf_has_letterhead_title_day_venue_and_signature(plm):
    pages = pdf_pages(render(plm, Report.Kind.ATTENDANCE))
    first, last = " ".join(pages[0].split()), " ".join(pages[-1].split())

    for expected in (
        "PEMERINTAH PROVINSI JAMBI",
        "DINAS PERPUSTAKAAN DAN ARSIP DAERAH PROVINSI JAMBI",
        "Jl. Jenderal Sudirman No. 1, Kota Jambi 36138",
        "DAFTAR HADIR",
        "PLM Provinsi Jambi 2022",
        "Selasa, 2 Agustus 2022",
        "Ballroom Hotel Puri Sipin, Kota Jambi",
        "Dicetak 2 Agustus 2022 16.05 WIB",
        "3F9A1C07",
    ):
        assert expected in first, expected
    for expected in (
        "Jambi, 2 Agustus 2022",
        "Kepala Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi",
        "Syamsul Rizal",
        "NIP. 196805121994031005",
    ):
        assert expected in last, expected


def test_attendance_pdf_separates_participants_facilitators_and_committee(plm):
    text = flat(pdf_pages(render(plm, Report.Kind.ATTENDANCE)))

    assert in_order(
        text,
        [
            "A. PESERTA",
            "Suryadi",
            "B. FASILITATOR DAN NARASUMBER",
            "Wahyu Setiawan",
            "Lestari Handayani",
            "C. PANITIA",
            "Rizky Pratama",
        ],
    )


@pytest.mark.parametrize("count", [16, 200, 1000])
def test_attendance_pdf_header_and_page_numbers_on_every_page(scenario, count):
    make_host(scenario.meeting)
    add_people(scenario.meeting, crowd(count))

    pages = pdf_pages(render(scenario.meeting, Report.Kind.ATTENDANCE, attended_only=True))

    for number, text in enumerate(pages, start=1):
        assert HEADER in " ".join(text.split()), f"header missing on page {number}"
        assert f"Halaman {number} dari {len(pages)}" in text
    assert in_order(flat(pages), [f"Peserta {n:04d}" for n in range(1, count + 1)])
    assert len(pages) > count // 40


def sign_boxes(content: bytes) -> list[tuple[int, float, str]]:
    """(row number, x in pt, text) of what the first page prints in each signature box, in page order: the
    number, and for who checked in the time ("1. ✓07.35")."""
    found: list[tuple[int, float, str]] = []

    def visit(text, cm, tm, font, size) -> None:
        number, dot, rest = text.strip().partition(".")
        if dot and number.isdigit() and (not rest or rest.startswith(" ✓")):
            found.append((int(number), cm[4] + tm[4] * cm[0], text.strip()))

    PdfReader(io.BytesIO(content)).pages[0].extract_text(visitor_text=visit)
    return found


def test_attendance_pdf_signature_boxes_alternate_left_and_right(plm):
    boxes = sign_boxes(render(plm, Report.Kind.ATTENDANCE))

    left = {round(x) for number, x, _ in boxes if number % 2}
    right = {round(x) for number, x, _ in boxes if not number % 2}
    assert [number for number, _, _ in boxes] == [*range(1, 10), 1, 2, 3]  # A and B; C is on page 2
    assert len(left) == 1 and len(right) == 1
    # An even row's number starts half the 30 mm box (~40 pt) right of an odd row's.
    assert 35 < right.pop() - left.pop() < 45


def test_attendance_pdf_full_list_prints_check_in_time_in_signature_box(plm):
    content = render(plm, Report.Kind.ATTENDANCE)
    attended = flat(pdf_pages(render(plm, Report.Kind.ATTENDANCE, attended_only=True)))

    boxes = [text for _, _, text in sign_boxes(content)]
    # Andi Kurniawan, Nurhayati, Desi Ratnasari, Hendra Gunawan (absent).
    assert boxes[:4] == ["1. ✓07.35", "2. ✓07.32", "3. ✓07.55", "4."]
    assert "tercatat hadir 8 dari 9 (✓ jam check-in, WIB)" in flat(pdf_pages(content))
    assert "✓" not in attended


def test_attendance_pdf_time_in_province_time_zone(scenario):
    bali = ProvinceFactory(code="51", name="Bali", time_zone=Province.TimeZone.WITA)
    meeting = MeetingFactory(province=bali, title="PLM Provinsi Bali 2022")

    text = pdf_pages(render(meeting, Report.Kind.ATTENDANCE))[0]

    assert "Dicetak 2 Agustus 2022 17.05 WITA" in text
    assert "Belum ada peserta terdaftar." in text


def test_attendance_pdf_multi_day_meeting_one_list_per_day(scenario):
    meeting = scenario.meeting
    meeting.end_date = meeting.start_date + dt.timedelta(days=2)
    meeting.save()

    text = pdf_pages(render(meeting, Report.Kind.ATTENDANCE, day="2022-08-03"))[0]

    assert "Rabu, 3 Agustus 2022 (hari ke-2 dari 3)" in text


def test_attendance_pdf_logo_from_media_storage(plm):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (11, 79, 138)).save(buffer, format="PNG")
    plm.host_library.logo.save("logo-jambi.png", ContentFile(buffer.getvalue()))

    content = render(plm, Report.Kind.ATTENDANCE)

    assert len(PdfReader(io.BytesIO(content)).pages[0].images) == 1


# --- Laporan RTL ---------------------------------------------------------------------------------------


@pytest.fixture
def rtl(plm, scenario):
    muaro = RegencyFactory(province=scenario.jambi, code="15.05", name="Kabupaten Muaro Jambi")
    kota = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    muaro_office = LibraryFactory(name="Dinas Perpustakaan Kabupaten Muaro Jambi", regency=muaro)
    rows = [
        (kota, "layanan", "Pojok literasi digital", "done"),
        (muaro_office, "advokasi", "Audiensi dengan Bupati", "in_progress"),
        (kota, "publikasi", "Unggahan rutin di Instagram", "planned"),
        (muaro_office, "pelibatan", "Pelatihan olahan hasil kebun", "planned"),
    ]
    for order, (library, line, activity, status) in enumerate(rows):
        RtlActionFactory(
            meeting=plm,
            library=library,
            line_of_work=line,
            activity=activity,
            status=status,
            order=order,
            responsible="Siti Aminah",
        )
    return plm


def test_rtl_pdf_groups_rows_by_library(rtl):
    text = flat(pdf_pages(render(rtl, Report.Kind.RTL)))

    assert "LAPORAN RENCANA TINDAK LANJUT (RTL)" in text
    assert in_order(
        text,
        [
            "1. Dinas Perpustakaan Kabupaten Muaro Jambi",
            "Audiensi dengan Bupati",
            "Pelatihan olahan hasil kebun",
            "2. Dinas Perpustakaan Kota Jambi",
            "Pojok literasi digital",
            "Unggahan rutin di Instagram",
        ],
    )
    between = text.split("2. Dinas Perpustakaan Kota Jambi")[1]
    assert "Audiensi dengan Bupati" not in between


def test_rtl_pdf_counts_per_line_of_work(rtl):
    text = " ".join(pdf_pages(render(rtl, Report.Kind.RTL))[0].split())

    # line, total, planned, in progress, done
    assert "1 Peningkatan layanan informasi 1 0 0 1" in text
    assert "2 Kegiatan pelibatan masyarakat 1 1 0 0" in text
    assert "3 Advokasi 1 0 1 0" in text
    assert "4 Publikasi 1 1 0 0" in text
    assert "Jumlah 4 2 1 1" in text


def test_rtl_pdf_landscape_with_page_numbers(rtl):
    content = render(rtl, Report.Kind.RTL)

    page = PdfReader(io.BytesIO(content)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    assert "Halaman 1 dari" in pdf_pages(content)[0]


# --- Sertifikat dan piagam --------------------------------------------------------------------------------


def test_certificates_pdf_one_page_per_attendee(plm):
    pages = pdf_pages(render(plm, Report.Kind.CERTIFICATES))

    assert len(pages) == len(ATTENDED_IN_ORDER)
    pages = [" ".join(text.split()) for text in pages]
    for number, (text, name) in enumerate(zip(pages, ATTENDED_IN_ORDER, strict=True), start=1):
        assert "SERTIFIKAT" in text
        assert name in text
        assert f"Kode verifikasi 3F9A1C07-{number:03d}" in text
        assert "Syamsul Rizal" in text
    assert "sebagai Peserta dalam kegiatan" in pages[0]
    assert "sebagai Narasumber dalam kegiatan" in pages[10]
    assert not any("Hendra Gunawan" in text for text in pages)


def test_certificates_without_attendees_nothing_to_print(scenario):
    with pytest.raises(NothingToPrint):
        build_document(meeting=scenario.meeting, kind=Report.Kind.CERTIFICATES, options={})


def test_award_charters_pdf_one_page_per_award_of_this_meeting(plm, scenario):
    kota = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    other = LibraryFactory(name="Dinas Perpustakaan Lain", regency=scenario.kota_jambi)
    AwardFactory(province=scenario.jambi, library=kota, meeting=plm, citation="Layanan terbaik.")
    AwardFactory(
        province=scenario.jambi,
        library=other,
        rank=2,
        meeting=MeetingFactory(province=scenario.jambi, title="PLM lain"),
    )
    AwardFactory(province=scenario.jambi, year=2021, library=other, rank=1)

    pages = pdf_pages(render(plm, Report.Kind.AWARD_CHARTERS))

    assert len(pages) == 1
    text = " ".join(pages[0].split())
    assert "PIAGAM PENGHARGAAN" in text
    assert "Dinas Perpustakaan Kota Jambi" in text
    assert "PERPUSTAKAAN KABUPATEN/KOTA TERBAIK I PROVINSI JAMBI TAHUN 2022" in text
    assert "Layanan terbaik." in text


def test_award_charters_include_awards_not_recorded_at_any_meeting(plm, scenario):
    kota = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    AwardFactory(province=scenario.jambi, library=kota, meeting=None)
    AwardFactory(
        province=scenario.jambi,
        library=kota,
        category=Award.Category.BEST_VILLAGE_LIBRARY,
        meeting=plm,
    )

    pages = pdf_pages(render(plm, Report.Kind.AWARD_CHARTERS))

    assert len(pages) == 2
    assert "KABUPATEN/KOTA TERBAIK" in pages[0]
    assert "DESA TERBAIK" in pages[1]


# --- The renderer ------------------------------------------------------------------------------------------


def test_pdf_user_agent_stylesheet_lean_and_list_markers_kept():
    content = render_pdf(html="<ol><li>Satu</li><li>Dua</li></ol><ul><li>Tiga</li></ul>").content

    # None would mean WeasyPrint's html5_ua.css changed: PDFs still render, with ~70 MiB more at 1,000 rows.
    assert user_agent_stylesheet() is not None
    assert "_ua_stylesheets" in vars(HTML)
    assert pdf_pages(content)[0].split() == ["Satu", "Dua", "Tiga", "1.", "2.", "•"]


# --- What the renderer may fetch --------------------------------------------------------------------------


@pytest.fixture
def http_server():
    """A real HTTP server on localhost that counts the requests it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_fetcher_never_fetches_http_or_files_outside_static_and_media(http_server):
    base, hits = http_server
    fetcher = LocalOnlyFetcher()
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      </head><body>
      <img src="{base}/logo.png"><img src="http://example.com/x.png">
      <img src="https://example.com/y.png"><img src="file:///etc/passwd">
      <p>Daftar hadir</p></body></html>"""

    result = render_pdf(html=html, fetcher=fetcher)

    assert hits == []
    assert sorted(fetcher.refused) == sorted(
        [
            f"{base}/style.css",
            "file:///etc/passwd",
            f"{base}/logo.png",
            "http://example.com/x.png",
            "https://example.com/y.png",
            "file:///etc/passwd",
        ]
    )
    assert "Daftar hadir" in pdf_pages(result.content)[0]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x.png",
        "file:///etc/passwd",
        "file://example.com/etc/passwd",
        "FILE:///etc/passwd",
    ],
)
def test_fetcher_refuses_non_local_urls(url):
    fetcher = LocalOnlyFetcher()

    with pytest.raises(OSError, match="Refused URL"):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


def test_fetcher_refuses_escapes_from_media_root(settings):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    (media / "passwd-link").symlink_to("/etc/passwd")
    fetcher = LocalOnlyFetcher()

    for url in (f"file://{media}/../../../../etc/passwd", f"file://{media}/passwd-link"):
        with pytest.raises(OSError, match="Refused URL"):
            fetcher.fetch(url)


def test_fetcher_reads_static_media_and_data_urls(settings):
    name = default_storage.save("logos/kop.png", ContentFile(b"\x89PNG fake"))
    fetcher = LocalOnlyFetcher()
    css = Path(settings.BASE_DIR) / "static" / "reports" / "pdf" / "base.css"

    for url in (
        f"file://{default_storage.path(name)}",
        f"file://{css}",
        "data:text/plain;base64,SGFsbw==",
    ):
        response = fetcher.fetch(url)
        assert response.read()
        response.close()

    assert fetcher.refused == []


def test_fetcher_allowed_directories_include_static_and_media(settings):
    fetcher = LocalOnlyFetcher()

    assert Path(os.path.realpath(settings.MEDIA_ROOT)) in fetcher.directories
    assert Path(os.path.realpath(Path(settings.BASE_DIR) / "static")) in fetcher.directories
