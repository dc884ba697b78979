"""jambi@demo.test exports Jambi's participants as XLSX from the meeting list, downloads it and finds no other
province in it; the pages on the way pass axe at 360 px without sideways scrolling or outside requests."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from meetings.models import Participation
from reports import demo
from tests.demo_regions import create_demo_regions
from tests.reports.export_fixtures import private_exports_fixture  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def demo_data(db, private_exports):
    create_demo_regions()
    demo.load_demo()
    assert Participation.objects.exclude(meeting__province_id="15").exists()  # others to leave out
    return Participation.objects.filter(meeting__province_id="15").count()


def _audit(page, width: int) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    problems = [
        f"{violation['id']} {[node['target'] for node in violation['nodes'][:3]]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    if page.evaluate("document.documentElement.scrollWidth") > width:
        problems.append("scrolls sideways")
    return problems


def test_jambi_officer_exports_participants_as_xlsx(browser, live_server, demo_data):
    width = 360
    context = browser.new_context(
        viewport={"width": width, "height": 800}, bypass_csp=True, accept_downloads=True
    )
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith((live_server.url, "data:", "blob:")) else outside.append(r.url)
        ),
    )
    page.goto(f"{live_server.url}{reverse('account_login')}")
    page.get_by_label("Email").fill("jambi@demo.test")
    page.get_by_label("Kata sandi").fill("plm-demo-2022")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}{reverse('meetings:meeting_list')}")
    problems = [f"meeting list: {p}" for p in _audit(page, width)]
    # The visually hidden ": Peserta" in the button's name: Chromium reads a space before it.
    page.get_by_role("button", name=re.compile(r"^Unduh XLSX\s*:\s*Peserta$")).click()

    page.wait_for_url(f"{live_server.url}{reverse('reports:exports')}*")
    link = page.get_by_role("link", name=re.compile(r"^Unduh XLSX\s*:\s*Peserta$"))
    expect(link).to_be_visible(timeout=60_000)
    problems += [f"my exports: {p}" for p in _audit(page, width)]
    with page.expect_download() as info:
        link.click()
    download = info.value
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))

    with page.expect_download() as csv_info:
        page.goto(f"{live_server.url}{reverse('meetings:meeting_list')}")
        page.get_by_role("link", name=re.compile(r"^Unduh CSV\s*:\s*Peserta$")).click()
    csv_rows = list(csv.reader(io.StringIO(csv_info.value.path().read_text("utf-8-sig"))))
    context.close()

    assert download.suggested_filename.startswith("peserta-")
    assert download.suggested_filename.endswith(".xlsx")
    provinces = {row[0] for row in rows[1:]}
    assert rows[0][0] == "Provinsi"
    assert provinces == {"Jambi"}
    assert len(rows) - 1 == demo_data
    assert {row[0] for row in csv_rows[1:]} == {"Jambi"}
    assert len(csv_rows) - 1 == demo_data
    assert problems == []
    assert outside == []
