"""A facilitator downloads the demo PLM's documents from the meeting page, as the issue's user would."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import Meeting
from reports import demo
from tests.demo_regions import create_demo_regions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def jambi_plm(db) -> Meeting:
    create_demo_regions()
    demo.load_demo()
    return Meeting.objects.get(title=demo.meeting_title("plm_jambi"))


def _download(page, heading: str) -> tuple[str, str]:
    card = page.locator("section.card").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )
    card.get_by_role("button", name="Buat PDF").click()
    link = card.get_by_role("link", name="Unduh PDF").first
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    download = info.value
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(download.path().read_bytes())).pages
    )
    return download.suggested_filename, text


def test_facilitator_downloads_the_three_documents(page, live_server, outside_requests, jambi_plm):
    page.goto(f"{live_server.url}{reverse('account_login')}")
    page.get_by_label("Email").fill("fasilitator@demo.test")
    page.get_by_label("Kata sandi").fill("plm-demo-2022")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}{reverse('meetings:meeting_detail', args=[jambi_plm.pk])}")
    page.get_by_role("link", name="Laporan").click()

    attendance_name, attendance = _download(page, "Daftar Hadir")
    rtl_name, rtl = _download(page, "Laporan RTL")
    certificates_name, certificates = _download(page, "Sertifikat")

    assert attendance_name == "daftar-hadir-plm-provinsi-jambi-2022-08-02.pdf"
    assert "DAFTAR HADIR" in attendance
    assert "Selasa, 2 Agustus 2022" in attendance
    assert "Halaman 1 dari" in attendance
    assert rtl_name.startswith("laporan-rtl-")
    assert "Rencana Tindak Lanjut" in rtl or "RENCANA TINDAK LANJUT" in rtl
    assert certificates_name.startswith("sertifikat-")
    assert certificates.count("SERTIFIKAT") >= 15 or certificates.count("S E R T I F I K A T") >= 15
    assert outside_requests == []
