"""Long jobs (XLSX exports, registry imports) through a real Redis into a real Celery worker process.

The jobs are asked for through the pages, as a user does: ``plm_portal.background.enqueue_long`` sends them to
the broker when the request's transaction commits, and the worker (the project's own app, which autodiscovers
``reports.tasks`` and ``libraries.tasks``) builds or checks and applies them on pytest's PostgreSQL database.
The private storage (uploads, exports) is a temporary folder the test process and its worker share.
"""

from __future__ import annotations

import time
import uuid

import pytest
from django.urls import reverse

from libraries.models import ImportJob, Person
from libraries.tasks import apply_import_task, check_import_task
from reports.models import Export
from reports.tasks import build_export_task
from tests.factories import PersonFactory
from tests.libraries.registry_import_helpers import (
    csv_bytes,
    mapping_post,
    person_row,
    uploaded_job,
)
from tests.reports.export_fixtures import (  # noqa: F401 - fixtures
    column,
    export_world_fixture,
    private_exports_fixture,
    xlsx_rows,
)

pytestmark = pytest.mark.integration

TIMEOUT_SECONDS = 60
PEOPLE_ROWS = 300
LONG_TASKS = (build_export_task, check_import_task, apply_import_task)


@pytest.fixture
def worker(celery_worker_factory, monkeypatch, private_exports):
    """One worker of the project's app, sharing the private storage; the long jobs go to its queue."""
    for task in LONG_TASKS:
        monkeypatch.setattr(task, "queue", celery_worker_factory.queue, raising=False)
        # Celery caches a task's routing options on first use.
        monkeypatch.setattr(task, "_exec_options", None)
    # Uploads and exports share one private storage: the folder the worker is told about.
    assert ImportJob._meta.get_field("file").storage is Export._meta.get_field("file").storage
    started = celery_worker_factory.start(env={"DJANGO_PRIVATE_MEDIA_ROOT": str(private_exports)})
    # The worker knows the tasks by name: its start-up banner lists every registered task.
    log = started.log()
    assert all(task.name in log for task in LONG_TASKS), log
    return started


def wait_for(row, *statuses: str, timeout: float = TIMEOUT_SECONDS):
    """``row`` once its status is one of ``statuses`` (polled from the database, as the page polls)."""
    deadline = time.monotonic() + timeout
    while True:
        row.refresh_from_db()
        if row.status in statuses:
            return row
        if time.monotonic() > deadline:
            pytest.fail(f"{type(row).__name__} {row.pk} still {row.status} after {timeout} s")
        time.sleep(0.2)


def test_xlsx_export_is_built_by_worker_and_downloaded(worker, export_world):
    client = export_world.client_for("officer")

    response = client.post(
        reverse("reports:export_xlsx", args=["participants"]),
        {"query": "", "form_key": uuid.uuid4().hex},
    )

    export = Export.objects.get()
    assert response.status_code == 302
    assert export.status in (Export.Status.PENDING, Export.Status.RUNNING, Export.Status.READY)
    export = wait_for(export, Export.Status.READY, Export.Status.FAILED)
    assert (export.status, export.error_message) == (Export.Status.READY, "")
    assert (export.attempts, export.rows_done, export.rows_total) == (1, 2, 2)
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert download.status_code == 200
    rows = xlsx_rows(b"".join(download.streaming_content))
    # The officer's scope, read by the worker: Jambi's people only, never Riau's.
    assert column(rows, "Nama") == ["Siti Aminah", "Budi Pelatih"]
    assert set(column(rows, "Provinsi")) == {"Jambi"}
    assert "Rahmat Riau" not in {cell for row in rows for cell in row}
    # Someone else's export is not theirs to download.
    other = export_world.client_for("other_officer")
    assert other.get(reverse("reports:export_download", args=[export.pk])).status_code == 404


def _check_and_wait(client, job: ImportJob) -> ImportJob:
    response = client.post(reverse("libraries:import_mapping", args=[job.pk]), mapping_post(job))
    assert response.status_code == 302
    return wait_for(job, ImportJob.Status.CHECKED, ImportJob.Status.FAILED)


def _apply_and_wait(client, job: ImportJob) -> ImportJob:
    response = client.post(reverse("libraries:import_apply", args=[job.pk]))
    assert response.status_code == 302
    return wait_for(job, ImportJob.Status.APPLIED, ImportJob.Status.FAILED)


def test_people_import_checked_and_applied_by_worker(worker, scenario, private_exports):
    # Rows 1-10 are already registered in Jambi under another name: updated, not duplicated.
    for n in range(1, 11):
        PersonFactory(province=scenario.jambi, full_name=f"Nama Lama {n}", phone=f"+6281270{n:06d}")
    # Riau's person with row 20's phone is another province's: row 20 is new in Jambi, Riau's is untouched.
    riau_person = PersonFactory(
        province=scenario.riau, full_name="Orang Riau", phone="+6281270000020"
    )
    rows = [person_row(n) for n in range(1, PEOPLE_ROWS + 1)]
    rows.append(person_row(999, phone="0812 7000 0005", email=""))  # row 5's phone again
    client = scenario.client_for("officer")
    job = uploaded_job(client, "people", "orang.csv", csv_bytes(rows))
    assert job.status == ImportJob.Status.UPLOADED

    job = _check_and_wait(client, job)

    assert (job.status, job.failure_message) == (ImportJob.Status.CHECKED, "")
    assert (job.total_rows, job.error_count) == (PEOPLE_ROWS + 1, 0)
    assert (job.created_count, job.updated_count, job.skipped_count, job.duplicate_count) == (
        PEOPLE_ROWS - 10,
        10,
        1,
        1,
    )
    assert Person.objects.filter(province=scenario.jambi).count() == 10  # the check writes nothing

    job = _apply_and_wait(client, job)

    assert (job.status, job.failure_message) == (ImportJob.Status.APPLIED, "")
    assert (job.total_rows, job.created_count, job.updated_count, job.skipped_count) == (
        PEOPLE_ROWS + 1,
        PEOPLE_ROWS - 10,
        10,
        1,
    )
    jambi_people = Person.objects.filter(province=scenario.jambi)
    assert jambi_people.count() == PEOPLE_ROWS
    assert set(jambi_people.values_list("full_name", flat=True)) == {
        f"Orang Impor {n}" for n in range(1, PEOPLE_ROWS + 1)
    }
    assert jambi_people.get(phone="+6281270000001").email == "orang1@example.id"
    riau_person.refresh_from_db()
    assert (riau_person.full_name, riau_person.email) == ("Orang Riau", "")
    # The registry holds the data now: the uploaded file is deleted (the row keeps its old name).
    assert not job.file.storage.exists(job.file.name)
    assert not any(private_exports.glob("imports/*"))
    page = client.get(job.get_absolute_url())
    assert "Impor tersimpan." in page.content.decode()


def test_people_import_apply_refused_by_worker_writes_nothing(worker, scenario):
    rows = [person_row(n) for n in range(1, 51)]
    client = scenario.client_for("officer")
    job = _check_and_wait(client, uploaded_job(client, "people", "orang.csv", csv_bytes(rows)))
    assert (job.status, job.created_count) == (ImportJob.Status.CHECKED, 50)
    # Between the check and the apply, row 41's phone and e-mail are registered to two different people:
    # the apply checks every row again and refuses the file.
    PersonFactory(province=scenario.jambi, full_name="Pemilik HP", phone="+6281270000040")
    PersonFactory(
        province=scenario.jambi, full_name="Pemilik email", phone="", email="orang40@example.id"
    )

    job = _apply_and_wait(client, job)

    assert (job.status, job.failed_step) == (ImportJob.Status.FAILED, "apply")
    assert "Tidak ada yang disimpan: baris 41" in job.failure_message
    # All or nothing: the 39 good rows before it were rolled back with it.
    assert set(
        Person.objects.filter(province=scenario.jambi).values_list("full_name", flat=True)
    ) == {
        "Pemilik HP",
        "Pemilik email",
    }
    assert job.file.storage.exists(job.file.name)  # kept: the user may fix things and save again
