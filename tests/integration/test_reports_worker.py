"""PDF reports through a real Redis into real Celery worker processes, on pytest's PostgreSQL database.

Workers started here run the project's app with test-only faults (tests/reports/worker_app.py): a slow render
to kill a worker in the middle of, storage that fails a few times. Media files go to a temporary folder that
the test process and its workers share.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import signal
import time

import pytest
from django.utils import timezone
from pypdf import PdfReader

from reports.models import Report
from reports.services import request_report, sweep_stuck_reports
from reports.tasks import render_report_task, sweep_stuck_reports_task
from tests.reports.builders import ATTENDED_IN_ORDER, add_people, make_host

pytestmark = pytest.mark.integration

FAULTY_APP = "tests.reports.worker_app"
TIMEOUT_SECONDS = 60


@pytest.fixture
def workers(celery_worker_factory, monkeypatch, settings, tmp_path):
    """Worker starter whose workers share media with this process; report tasks go to their queue."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    for task in (render_report_task, sweep_stuck_reports_task):
        monkeypatch.setattr(task, "queue", celery_worker_factory.queue, raising=False)
        # Celery caches a task's routing options on first use.
        monkeypatch.setattr(task, "_exec_options", None)

    def start(**env: str):
        return celery_worker_factory.start(
            app=FAULTY_APP, env={"DJANGO_MEDIA_ROOT": str(media), **env}
        )

    return start


@pytest.fixture
def plm(scenario):
    make_host(scenario.meeting)
    add_people(scenario.meeting)
    return scenario.meeting


def ask(meeting) -> Report:
    """The attended-only list, asked for by the meeting's assigned facilitator."""
    return request_report(
        meeting=meeting,
        kind=Report.Kind.ATTENDANCE,
        options={"attended_only": True},
        by=meeting.assigned_facilitators.get(),
    )


def wait_for(report: Report, *statuses: str, timeout: float = TIMEOUT_SECONDS) -> Report:
    deadline = time.monotonic() + timeout
    while True:
        report.refresh_from_db()
        if report.status in statuses:
            return report
        if time.monotonic() > deadline:
            pytest.fail(f"Report {report.pk} still {report.status} after {timeout} s")
        time.sleep(0.2)


def pdf_reader(report: Report) -> PdfReader:
    with report.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def pdf_text(report: Report) -> str:
    return " ".join(" ".join(page.extract_text() for page in pdf_reader(report).pages).split())


def finished_renders(log: str) -> list[str]:
    """What each render task of a worker log returned: 'ready', 'skipped', …"""
    return re.findall(r"reports\.render_report\[[^\]]+\] succeeded in [\d.]+s: '(\w+)'", log)


def renders_logged(worker, count: int) -> list[str]:
    """The worker's finished renders once ``count`` are logged (or the timeout passes).

    The task marks the report ready before Celery logs that it succeeded, so the log lags the database.
    """
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while len(renders := finished_renders(worker.log())) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return renders


def test_worker_renders_report_end_to_end(workers, plm):
    worker = workers()

    report = wait_for(ask(plm), Report.Status.READY)

    text = pdf_text(report)
    assert "DAFTAR HADIR" in text
    assert all(name in text for name in ATTENDED_IN_ORDER)
    assert (report.attempts, report.error_message) == (1, "")
    assert report.page_count == len(pdf_reader(report).pages)
    assert renders_logged(worker, 1) == ["ready"]


def test_report_requested_twice_renders_once(workers, plm):
    worker = workers(PLM_TEST_RENDER_DELAY="2")

    first = ask(plm)
    second = ask(plm)
    wait_for(first, Report.Status.READY)
    # Duplicate messages (a redelivery, a second enqueue) find nothing to claim.
    duplicates = [render_report_task.delay(report_id=first.pk) for _ in range(2)]

    assert second.pk == first.pk
    assert [result.get(timeout=TIMEOUT_SECONDS) for result in duplicates] == ["skipped", "skipped"]
    first.refresh_from_db()
    assert (first.attempts, Report.objects.count()) == (1, 1)
    assert renders_logged(worker, 3) == ["ready", "skipped", "skipped"]


def test_worker_killed_mid_render_message_redelivered_to_new_worker(workers, plm):
    doomed = workers(PLM_TEST_RENDER_DELAY="120")
    report = wait_for(ask(plm), Report.Status.RENDERING)

    doomed.process.send_signal(signal.SIGKILL)
    doomed.process.wait(timeout=10)
    # acks_late: the message stays unacknowledged in Redis. A worker restores it once the visibility timeout
    # (twice the task time limit) has passed, and takes the report over: it outlived the time limit.
    successor = workers(
        CELERY_TASK_SOFT_TIME_LIMIT="2", CELERY_TASK_TIME_LIMIT="4", PLM_TEST_FAST_RESTORE="1"
    )

    report = wait_for(report, Report.Status.READY)

    assert doomed.process.returncode == -signal.SIGKILL
    assert report.attempts == 2
    assert "DAFTAR HADIR" in pdf_text(report)
    assert renders_logged(successor, 1) == ["ready"]


def test_worker_killed_mid_render_sweep_requeues_for_new_worker(workers, plm, settings):
    doomed = workers(PLM_TEST_RENDER_DELAY="120")
    report = wait_for(ask(plm), Report.Status.RENDERING)
    doomed.process.send_signal(signal.SIGKILL)
    doomed.process.wait(timeout=10)
    successor = workers()
    # As if beat's sweep ran after the time limit: the render started longer ago than that.
    Report.objects.filter(pk=report.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    )

    requeued = sweep_stuck_reports()

    report = wait_for(report, Report.Status.READY)
    assert requeued == [report.pk]
    assert report.attempts == 2
    assert renders_logged(successor, 1) == ["ready"]


def test_worker_retries_transient_storage_errors_with_backoff(workers, plm):
    worker = workers(PLM_TEST_STORAGE_FAILURES="2")

    report = wait_for(ask(plm), Report.Status.READY)

    assert report.attempts == 3
    assert worker.log().count("Retry in") == 2
    assert renders_logged(worker, 1) == ["ready"]


def test_sweep_task_runs_in_worker(workers, plm):
    workers()

    result = sweep_stuck_reports_task.delay()

    assert result.get(timeout=TIMEOUT_SECONDS) == []
