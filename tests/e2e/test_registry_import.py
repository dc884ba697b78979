"""A provincial officer imports a people file in the browser: upload, mapping with preview, the check with its
progress bar (htmx polling), the apply, the summary; every step passes axe at phone width, no sideways scroll."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from libraries.models import ImportJob, Person
from reports import demo
from tests.demo_regions import create_demo_regions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTH = 360


def people_csv(count: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Nama Lengkap", "Jenis Kelamin", "No. WA", "E-mail", "Jabatan"])
    for n in range(count):
        writer.writerow(
            [f"Pustakawan Impor {n}", "P" if n % 2 else "L", f"0813 9900 {n:04d}", "", "Pustakawan"]
        )
    return buffer.getvalue().encode("utf-8")


def audit(page, problems: list[str], label: str) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            problems.append(
                f"{label}: {violation['id']} {[n['target'] for n in violation['nodes'][:3]]}"
            )
    if page.evaluate("document.documentElement.scrollWidth") > WIDTH:
        problems.append(f"{label}: scrolls sideways")


def test_officer_imports_people_file_with_progress_and_summary(browser, live_server, monkeypatch):
    create_demo_regions()
    demo.load_demo()
    # The check waits in the queue (as with a real worker) until this test runs it: the page shows progress.
    from libraries.tasks import check_import_task

    monkeypatch.setattr(check_import_task, "delay_on_commit", lambda **kwargs: None)
    people_before = Person.objects.filter(province_id="15").count()
    context = browser.new_context(viewport={"width": WIDTH, "height": 800}, bypass_csp=True)
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
    )
    problems: list[str] = []

    page.goto(f"{live_server.url}{reverse('account_login')}")
    page.get_by_label("Email").fill("jambi@demo.test")
    page.get_by_label("Kata sandi").fill("plm-demo-2022")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{reverse('libraries:person_import')}")
    audit(page, problems, "start")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(
        files=[{"name": "pustakawan.csv", "mimeType": "text/csv", "buffer": people_csv(30)}]
    )
    page.get_by_role("button", name="Unggah").click()

    expect(page.get_by_role("heading", name="Pemetaan kolom")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Pustakawan Impor 0")
    audit(page, problems, "mapping")
    page.get_by_label("Jabatan").select_option(
        label="— tidak diimpor —"
    )  # htmx: the preview follows
    expect(page.get_by_role("table")).not_to_contain_text("Pustakawan Impor 0Pustakawan")
    page.get_by_role("button", name="Periksa semua baris").click()

    progress = page.locator("progress")
    expect(progress).to_be_visible()
    expect(page.get_by_text("Memeriksa semua baris")).to_be_visible()
    audit(page, problems, "progress")
    job = ImportJob.objects.get()
    from libraries.importing.pipeline import check_job

    assert check_job(job_id=job.pk) == "checked"  # the worker's turn; the page polls every 2 s

    expect(page.get_by_text("Siap disimpan: 30 baru, 0 diperbarui, 0 dilewati")).to_be_visible()
    audit(page, problems, "checked")
    page.get_by_role("button", name="Simpan ke registri").click()

    expect(page.get_by_role("heading", name="Ringkasan")).to_be_visible()
    expect(page.locator("#summary-created")).to_have_text("30")
    audit(page, problems, "summary")
    assert Person.objects.filter(province_id="15").count() == people_before + 30
    assert Person.objects.get(phone="+6281399000007").position == ""
    assert problems == []
    assert outside == []
    context.close()
