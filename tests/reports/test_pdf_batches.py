"""Documents of sheets that stand alone (certificates, charters) laid out a batch at a time and joined: the
joined PDF reads as the one laid out whole. ``reports.pdf.BATCH_SHEETS`` is made small to get several batches."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from meetings.models import Award
from reports import pdf
from reports.documents import build_document, normalize_options
from reports.models import Report
from tests.factories import AwardFactory, LibraryFactory
from tests.reports.builders import add_people, crowd, make_host

pytestmark = pytest.mark.django_db

GENERATED_AT = dt.datetime(2022, 8, 2, 9, 5, tzinfo=dt.UTC)
FONT_FILES = ("/FontFile2", "/FontFile3", "/FontFile")


def render(meeting, kind: str) -> pdf.RenderedPdf:
    options = normalize_options(meeting=meeting, kind=kind, options={})
    document = build_document(meeting=meeting, kind=kind, options=options)
    return pdf.render_document(document, verification_code="3F9A1C07", generated_at=GENERATED_AT)


def pdftotext_pages(content: bytes) -> list[str]:
    """Each page's text as poppler's pdftotext reads it (it ends every page with a form feed)."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return [" ".join(page.split()) for page in done.stdout.decode().split("\f")[:-1]]


def embedded_fonts(content: bytes) -> dict[str, set[str]]:
    """Each font name the pages use → the SHA-256 of the font files embedded under that name."""
    found: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            named = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = named["/FontDescriptor"].get_object()
            files = [descriptor[key].get_data() for key in FONT_FILES if key in descriptor]
            digests = found.setdefault(str(font["/BaseFont"]), set())
            digests.update(hashlib.sha256(data).hexdigest() for data in files)
    return found


@pytest.fixture
def ten_attendees(scenario):
    make_host(scenario.meeting)
    add_people(scenario.meeting, crowd(10))
    return scenario.meeting


def test_certificates_in_batches_one_page_per_attendee_in_order(ten_attendees, monkeypatch):
    monkeypatch.setattr(pdf, "BATCH_SHEETS", 4)

    rendered = render(ten_attendees, Report.Kind.CERTIFICATES)

    pages = pdftotext_pages(rendered.content)
    assert rendered.page_count == 10
    assert len(pages) == 10
    for number, text in enumerate(pages, start=1):
        assert f"Peserta {number:04d}" in text
        assert f"Kode verifikasi 3F9A1C07-{number:03d}" in text
        assert sum(f"Peserta {other:04d}" in text for other in range(1, 11)) == 1


def test_certificates_in_batches_read_as_laid_out_whole(ten_attendees, monkeypatch):
    whole = render(ten_attendees, Report.Kind.CERTIFICATES).content
    monkeypatch.setattr(pdf, "BATCH_SHEETS", 4)

    joined = render(ten_attendees, Report.Kind.CERTIFICATES).content

    assert pdftotext_pages(joined) == pdftotext_pages(whole)
    joined_reader, whole_reader = PdfReader(io.BytesIO(joined)), PdfReader(io.BytesIO(whole))
    assert dict(joined_reader.metadata) == dict(whole_reader.metadata)
    assert joined_reader.metadata.title == "Sertifikat — PLM Provinsi Jambi 2022"
    assert joined_reader.trailer["/Root"]["/Lang"] == "id"
    bookmarks = [
        (item.title, joined_reader.get_destination_page_number(item))
        for item in joined_reader.outline
    ]
    assert bookmarks == [("SERTIFIKAT", number) for number in range(10)]


def test_certificates_in_batches_embed_each_font_subset_under_its_own_name(
    ten_attendees, monkeypatch
):
    monkeypatch.setattr(pdf, "BATCH_SHEETS", 4)

    content = render(ten_attendees, Report.Kind.CERTIFICATES).content

    fonts = embedded_fonts(content)
    assert {name.split("+")[1] for name in fonts} == {
        "DejaVu-Serif",
        "DejaVu-Serif-Bold",
        "DejaVu-Serif-Italic",
        "DejaVu-Sans",
        "DejaVu-Sans-Bold",
    }
    # One embedded font file per name: different subsets of a font get different tags.
    assert all(len(digests) == 1 for digests in fonts.values())
    listed = subprocess.run(["pdffonts", "-"], input=content, capture_output=True, check=True)
    rows = listed.stdout.decode().splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows)  # the "emb" column


def test_certificates_in_batches_embed_the_logo_once(ten_attendees, monkeypatch):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (11, 79, 138)).save(buffer, format="PNG")
    ten_attendees.host_library.logo.save("logo-jambi.png", ContentFile(buffer.getvalue()))
    monkeypatch.setattr(pdf, "BATCH_SHEETS", 4)

    reader = PdfReader(io.BytesIO(render(ten_attendees, Report.Kind.CERTIFICATES).content))

    images = {
        reference.idnum
        for page in reader.pages
        for reference in page["/Resources"]["/XObject"].values()
    }
    assert [len(page.images) for page in reader.pages] == [1] * 10
    assert len(images) == 1


def test_award_charters_in_batches_one_page_per_award_in_order(scenario, monkeypatch):
    make_host(scenario.meeting)
    # Printed by category (regency or city first), then by rank.
    for name, category, rank in (
        ("Perpustakaan Desa Sungai Duren", Award.Category.BEST_VILLAGE_LIBRARY, 2),
        ("Dinas Perpustakaan Kota Jambi", Award.Category.BEST_REGENCY_LIBRARY, 1),
        ("Perpustakaan Desa Mendalo Darat", Award.Category.BEST_VILLAGE_LIBRARY, 1),
        ("Dinas Perpustakaan Kabupaten Muaro Jambi", Award.Category.BEST_REGENCY_LIBRARY, 2),
    ):
        library = LibraryFactory(name=name, regency=scenario.kota_jambi)
        AwardFactory(
            province=scenario.jambi,
            library=library,
            category=category,
            rank=rank,
            meeting=scenario.meeting,
        )
    monkeypatch.setattr(pdf, "BATCH_SHEETS", 1)

    rendered = render(scenario.meeting, Report.Kind.AWARD_CHARTERS)

    pages = pdftotext_pages(rendered.content)
    assert rendered.page_count == 4
    expected = [
        ("Dinas Perpustakaan Kota Jambi", "001"),
        ("Dinas Perpustakaan Kabupaten Muaro Jambi", "002"),
        ("Perpustakaan Desa Mendalo Darat", "003"),
        ("Perpustakaan Desa Sungai Duren", "004"),
    ]
    assert len(pages) == len(expected)
    for text, (library, number) in zip(pages, expected, strict=True):
        assert "PIAGAM PENGHARGAAN" in text
        assert library in text
        assert f"Kode verifikasi 3F9A1C07-{number}" in text
