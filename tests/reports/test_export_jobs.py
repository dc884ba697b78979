"""XLSX exports: the job's life (eager), progress, failure and retry, one job per double tap, the download
for its requester only, the file read back with openpyxl, and the sweep of old files."""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.exports import services
from reports.models import Export
from tests.factories import ParticipationFactory, PersonFactory
from tests.reports.export_fixtures import (  # noqa: F401 - fixtures
    column,
    export_world_fixture,
    private_exports_fixture,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db


def post_xlsx(client, dataset: str, query: str = "", key: str | None = None):
    data = {"query": query, "form_key": key or uuid.uuid4().hex}
    return client.post(reverse("reports:export_xlsx", args=[dataset]), data)


def download(client, export: Export) -> bytes:
    response = client.get(reverse("reports:export_download", args=[export.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the eager job as it runs under ``make run``: when the request's transaction commits."""

    def post(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post_xlsx(*args, **kwargs)

    return post


def test_export_xlsx_job_builds_the_file_and_links_it(export_world, run_on_commit):
    client = export_world.client_for("officer")

    response = run_on_commit(client, "participants", "year=2022")

    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reports:exports')}#export-{export.pk}"
    assert export.status == Export.Status.READY
    assert (export.rows_done, export.rows_total, export.percent) == (2, 2, 100)
    assert export.requested_by == export_world.users["officer"]
    assert export.filters == {"year": ["2022"]}
    assert export.summary == "Tahun: 2022"
    page = client.get(reverse("reports:exports"))
    assert reverse("reports:export_download", args=[export.pk]) in page.content.decode()
    rows = xlsx_rows(download(client, export))
    assert rows[0][:3] == ["Provinsi", "Pertemuan", "Jenis pertemuan"]
    assert column(rows, "Nama") == ["Siti Aminah", "Budi Pelatih"]
    assert column(rows, "Tahun") == [2022, 2022]  # numbers stay numbers
    assert column(rows, "Tanggal mulai") == [dt.datetime(2022, 8, 2)] * 2  # dates stay dates


def test_export_xlsx_download_has_a_safe_name_and_is_private(export_world, run_on_commit):
    client = export_world.client_for("officer")
    run_on_commit(client, "libraries")
    export = Export.objects.get()

    response = client.get(reverse("reports:export_download", args=[export.pk]))

    assert response["Content-Disposition"].startswith('attachment; filename="perpustakaan-')
    assert response["Cache-Control"] == "private, no-store"
    assert export.file.name.startswith(f"exports/{export.requested_by_id}/")


def test_export_xlsx_neutralises_formulas_and_keeps_them_text(export_world, run_on_commit):
    ParticipationFactory(
        meeting=export_world.meeting,
        person=PersonFactory(full_name="=1+1", position="@cmd", province=export_world.jambi),
    )
    client = export_world.client_for("officer")
    run_on_commit(client, "participants")

    content = download(client, Export.objects.get())

    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value in ("'=1+1", "'@cmd")]
    assert [(cell.value, cell.data_type) for cell in cells] == [("'=1+1", "s"), ("'@cmd", "s")]
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_export_xlsx_of_jambi_has_no_other_province(export_world, run_on_commit):
    client = export_world.client_for("officer")
    run_on_commit(client, "participants", "province=14")

    rows = xlsx_rows(download(client, Export.objects.get()))

    assert set(column(rows, "Provinsi")) == {"Jambi"}


def test_export_double_post_makes_one_job(export_world, run_on_commit):
    client = export_world.client_for("officer")
    key = uuid.uuid4().hex

    first = run_on_commit(client, "participants", "", key)
    second = run_on_commit(client, "participants", "", key)

    export = Export.objects.get()
    assert (
        first["Location"]
        == second["Location"]
        == (f"{reverse('reports:exports')}#export-{export.pk}")
    )


def test_export_same_request_joins_the_open_job(export_world):
    officer = export_world.users["officer"]
    fingerprint = services.export_fingerprint("participants", {})
    waiting = Export.objects.create(
        requested_by=officer, dataset="participants", fingerprint=fingerprint
    )

    export = services.request_export(
        by=officer, dataset="participants", params=QueryDict(""), language="id"
    )

    assert export == waiting
    assert Export.objects.count() == 1


def test_export_refused_dataset_makes_no_job(export_world):
    response = post_xlsx(export_world.client_for("facilitator"), "people")

    assert response.status_code == 403
    assert Export.objects.count() == 0


def test_export_failure_says_why_and_retry_builds_it(
    export_world, run_on_commit, monkeypatch, django_capture_on_commit_callbacks
):
    client = export_world.client_for("officer")
    working = services.write_xlsx

    def broken(*args, **kwargs):
        raise RuntimeError("disk")

    monkeypatch.setattr(services, "write_xlsx", broken)
    run_on_commit(client, "participants")
    export = Export.objects.get()
    assert export.status == Export.Status.FAILED
    assert "RuntimeError" in export.error_message
    page = client.get(reverse("reports:exports")).content.decode()
    assert "Coba lagi" in page and "RuntimeError" in page

    monkeypatch.setattr(services, "write_xlsx", working)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_retry", args=[export.pk]))

    export.refresh_from_db()
    assert response.status_code == 302
    assert (export.status, export.error_message, export.rows_total) == ("ready", "", 2)
    assert Export.objects.count() == 1


def test_export_retry_after_failure(export_world, django_capture_on_commit_callbacks):
    officer = export_world.users["officer"]
    failed = Export.objects.create(
        requested_by=officer,
        dataset="libraries",
        fingerprint=services.export_fingerprint("libraries", {}),
        status=Export.Status.FAILED,
        attempts=1,
        error_message="Gagal",
    )
    client = export_world.client_for("officer")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:export_retry", args=[failed.pk]), HTTP_HX_REQUEST="true"
        )

    failed.refresh_from_db()
    assert failed.status == Export.Status.READY
    assert failed.error_message == ""
    # The row answered (drawn before the test's transaction ran the job) polls until the file is there.
    assert f'id="export-{failed.pk}"' in response.content.decode()


def test_export_progress_is_shown_and_polled(export_world):
    running = Export.objects.create(
        requested_by=export_world.users["officer"],
        dataset="participants",
        fingerprint="x" * 64,
        status=Export.Status.RUNNING,
        rows_done=250,
        rows_total=1000,
    )
    client = export_world.client_for("officer")

    response = client.get(reverse("reports:export_status", args=[running.pk]))

    html = response.content.decode()
    assert "250 dari 1000 baris" in html
    assert 'value="25"' in html
    assert 'hx-trigger="every 2s"' in html


def test_export_progress_updates_while_rows_are_written(export_world, monkeypatch):
    for _ in range(5):
        ParticipationFactory(meeting=export_world.meeting, person__province=export_world.jambi)
    export = Export.objects.create(
        requested_by=export_world.users["officer"], dataset="participants", fingerprint="p" * 64
    )
    seen = []
    original = services.write_xlsx

    def watching(*args, on_progress, **kwargs):
        def record(done):
            on_progress(done)
            seen.append(Export.objects.values_list("rows_done", "rows_total").get(pk=export.pk))

        return original(*args, on_progress=record, **kwargs)

    monkeypatch.setattr(services, "write_xlsx", watching)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 3)

    assert services.build_export(export_id=export.pk) == "ready"
    assert seen == [(3, 7), (6, 7)]


@pytest.mark.parametrize("role", ["national", "other_officer", "facilitator"])
def test_export_download_only_for_its_requester(export_world, run_on_commit, role):
    run_on_commit(export_world.client_for("officer"), "participants")
    export = Export.objects.get()
    client = export_world.client_for(role)

    for name in ("export_download", "export_status"):
        assert client.get(reverse(f"reports:{name}", args=[export.pk])).status_code == 404
    assert client.post(reverse("reports:export_retry", args=[export.pk])).status_code == 404
    assert f'id="export-{export.pk}"' not in client.get(reverse("reports:exports")).content.decode()


def test_export_anonymous_cannot_download(export_world, run_on_commit):
    run_on_commit(export_world.client_for("officer"), "participants")
    export = Export.objects.get()

    response = export_world.client_for("anonymous").get(
        reverse("reports:export_download", args=[export.pk])
    )

    assert response.status_code == 302


def test_export_claim_takes_over_a_dead_build_once(export_world, settings):
    stale = timezone.now() - dt.timedelta(seconds=settings.PLM_LONG_TASK_TIME_LIMIT + 1)
    export = Export.objects.create(
        requested_by=export_world.users["officer"],
        dataset="participants",
        fingerprint="d" * 64,
        status=Export.Status.RUNNING,
        started_at=stale,
        attempts=1,
    )

    assert services.claim_export(export_id=export.pk) is True
    assert services.claim_export(export_id=export.pk) is False


def test_export_sweep_deletes_old_files_and_fails_stuck_jobs(export_world, run_on_commit):
    run_on_commit(export_world.client_for("officer"), "libraries")
    old = Export.objects.get()
    path = old.file.path
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    stuck = Export.objects.create(
        requested_by=export_world.users["officer"],
        dataset="people",
        fingerprint="s" * 64,
        status=Export.Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(hours=2),
    )

    assert services.sweep_exports() == {"deleted": 1, "stuck": 1}
    assert not Export.objects.filter(pk=old.pk).exists()
    assert not os.path.exists(path)
    stuck.refresh_from_db()
    assert stuck.status == Export.Status.FAILED


def test_export_list_page_query_count(export_world, run_on_commit, django_assert_num_queries):
    client = export_world.client_for("officer")
    run_on_commit(client, "libraries")
    client.get(reverse("reports:exports"))  # warm the session

    with django_assert_num_queries(3):
        client.get(reverse("reports:exports"))
    run_on_commit(client, "people")
    run_on_commit(client, "participants")
    with django_assert_num_queries(3):
        client.get(reverse("reports:exports"))


def test_export_job_keeps_the_language_it_was_asked_in(export_world, run_on_commit):
    client = export_world.client_for("officer")
    client.cookies["django_language"] = "en"

    run_on_commit(client, "people")

    assert Export.objects.get().language == "en"
