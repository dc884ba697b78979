"""Faults injected into the real services: Redis stopped while a report is asked for, workers SIGKILLed mid-render.

Each test starts a Redis of its own on a free port (``redis-server`` as a child process it stops and starts
again) and points this process's Celery app and its workers at it: the shared Redis of the machine (and of CI)
is never stopped or flushed. Reports live in pytest's PostgreSQL test database, as in test_reports_worker.py;
workers run the project's app with the test-only faults of tests/reports/worker_app.py. Media files go to a
temporary folder this process and its workers share.

Each test prints its figures (faults injected, reports completed, duplicates): the closing note of issue 15.
"""

from __future__ import annotations

import datetime as dt
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import kombu.pools
import pytest
from django.urls import reverse
from django.utils import timezone

from reports.documents import NothingToPrint
from reports.models import Report
from reports.services import request_report, sweep_stuck_reports
from reports.tasks import render_report_task, sweep_stuck_reports_task
from tests.integration.conftest import LiveWorker, _start_worker, _stop
from tests.integration.test_reports_worker import finished_renders, pdf_text, wait_for
from tests.reports.builders import add_people, make_host

pytestmark = pytest.mark.integration

FAULTY_APP = "tests.reports.worker_app"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
QUEUE_AWAY = "Layanan antrean sedang tidak tersedia"
KILLS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A throwaway redis-server on a free port, without persistence: stopping it loses its queues."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [
                    REDIS_SERVER,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("private redis-server did not start:\n" + self.log_path.read_text())
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _point_celery_at(url: str) -> None:
    """Send this process's tasks (and worker pings) through ``url``: new pools, no cached connections."""
    from plm_portal.celery import app

    app.conf.broker_url = url
    app.conf.result_backend = url
    # Close and forget every pool, kombu's registry too: it hands out one pool per broker URL, so a pool closed
    # here and left registered would be given back, closed, when the shared Redis is pointed at again.
    kombu.pools.reset()
    app._after_fork()  # forgets the app's connection and producer pools
    app.control.mailbox.__dict__.pop("producer_pool", None)  # the pings' (a cached property)
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


class Stack:
    """A private Redis, the workers started on it (one queue of this test's own) and their shared media."""

    def __init__(self, tmp_path: Path, redis: PrivateRedis, media: Path) -> None:
        self.tmp_path, self.redis, self.media = tmp_path, redis, media
        self.queue = f"plm-faults-{uuid.uuid4().hex[:12]}"
        self.workers: list[LiveWorker] = []

    def start_worker(self, *, idle: bool = False, **env: str) -> LiveWorker:
        """A worker on this test's queue; ``idle``: on an empty queue of its own, for ``take_work``."""
        number = len(self.workers) + 1
        worker = _start_worker(
            f"{self.queue}-idle-{number}" if idle else self.queue,
            f"{self.queue}-{number}@pytest",
            self.tmp_path / f"worker-{number}.log",
            app=FAULTY_APP,
            extra_env={"REDIS_URL": self.redis.url, "DJANGO_MEDIA_ROOT": str(self.media), **env},
        )
        self.workers.append(worker)
        return worker

    def take_work(self, worker: LiveWorker) -> None:
        """Let an idle worker consume this test's queue. (A --pool=solo worker that starts on a queue with
        work waiting takes a task before it answers the ping its start waits for: the render blocks it.)"""
        from plm_portal.celery import app

        replies = app.control.add_consumer(self.queue, destination=[worker.hostname], reply=True)
        assert replies, f"{worker.hostname} did not answer add_consumer"

    def renders(self) -> list[str]:
        """What every render task of every worker returned ('ready', 'skipped', …), in start order."""
        return [result for worker in self.workers for result in finished_renders(worker.log())]

    def logs(self) -> str:
        return "\n".join(f"--- {w.hostname} ---\n{w.log()}" for w in self.workers)


@pytest.fixture
def stack(
    _require_real_services, transactional_db, tmp_path, settings, monkeypatch
) -> Iterator[Stack]:
    from plm_portal.celery import app

    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    redis = PrivateRedis(tmp_path / "redis.log")
    redis.start()
    stack = Stack(tmp_path, redis, media)
    # The web side's cache on the private Redis too, as in a deployment where one Redis serves both.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis.url,
            "KEY_PREFIX": "plm",
        }
    }
    for task in (render_report_task, sweep_stuck_reports_task):
        monkeypatch.setattr(task, "queue", stack.queue, raising=False)
        monkeypatch.setattr(task, "_exec_options", None)  # Celery caches a task's routing options
    was = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    app.conf.task_always_eager = False
    _point_celery_at(redis.url)
    try:
        yield stack
    finally:
        for worker in stack.workers:
            _stop(worker.process)
        print(stack.logs())  # shown by pytest when the test failed
        for worker in stack.workers:
            worker._log_file.close()
        redis.stop()
        app.conf.task_always_eager = was[0]
        _point_celery_at(was[1])
        app.conf.result_backend = was[2]


@pytest.fixture
def plm(scenario):
    make_host(scenario.meeting)
    add_people(scenario.meeting)
    return scenario.meeting


def wait_until(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout} s: {what}")
        time.sleep(0.05)


def worker_answers(worker: LiveWorker) -> bool:
    from plm_portal.celery import app

    try:
        return bool(app.control.ping(destination=[worker.hostname], timeout=0.5))
    except (
        Exception
    ):  # this process's own connection to the restarted Redis is being re-established
        return False


def test_redis_stopped_while_report_requested_kept_and_made_when_back(stack, plm, scenario):
    worker = stack.start_worker()
    officer = scenario.users["officer"]
    client = scenario.client_for("officer")
    stack.redis.stop()

    started = time.monotonic()
    response = client.post(
        reverse("reports:report_request", args=[plm.pk]),
        {"kind": Report.Kind.ATTENDANCE, "day": "2022-08-02", "attended_only": "on"},
    )
    took = time.monotonic() - started

    assert response.status_code == 302
    assert took < 5, f"the request waited {took:.1f} s on the missing queue"
    report = Report.objects.get()
    assert (report.status, report.attempts) == (Report.Status.PENDING, 0)
    assert report.error_message.startswith(QUEUE_AWAY)
    # The page says it, while Redis is still away (the message after the redirect, then the report's line).
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.content.decode().count(QUEUE_AWAY) == 2
    # The sweep runs while Redis is still away: nothing is lost, nothing raised, the note stays.
    assert sweep_stuck_reports() == [report.pk]
    report.refresh_from_db()
    assert (report.status, report.error_message.startswith(QUEUE_AWAY)) == ("pending", True)

    stack.redis.start()  # empty: whatever it held before is gone
    wait_until(lambda: worker_answers(worker), "the worker reconnects to Redis")
    # Beat's next sweep, here run in this process: the report is sent and the same worker makes it.
    assert sweep_stuck_reports() == [report.pk]
    report = wait_for(report, Report.Status.READY)

    assert (report.attempts, report.error_message) == (1, "")
    assert "DAFTAR HADIR" in pdf_text(report)
    assert client.get(response["Location"]).content.decode().count(QUEUE_AWAY) == 0
    wait_until(lambda: stack.renders() == ["ready"], "the worker logs one render")
    assert Report.objects.count() == 1
    assert sorted(p.name for p in stack.media.rglob("*.pdf")) == [Path(report.file.name).name]
    assert officer.pk == report.requested_by_id
    print(
        f"\nfaults: Redis stopped 1x during a request ({took:.2f} s, answered 302); "
        f"reports completed: 1; duplicates: 0"
    )


def _ask_documents(meeting, officer) -> list[Report]:
    """Every distinct attendance list the officer may ask for (attended only or not, full phones or not)."""
    reports = []
    for attended_only in (False, True):
        for full_phones in (False, True):
            try:
                reports.append(
                    request_report(
                        meeting=meeting,
                        kind=Report.Kind.ATTENDANCE,
                        options={"attended_only": attended_only, "full_phones": full_phones},
                        by=officer,
                    )
                )
            except NothingToPrint:
                continue
    return reports


def test_worker_sigkilled_mid_render_ten_times_every_report_ready_once(
    stack, plm, scenario, settings
):
    officer = scenario.users["officer"]
    reports = _ask_documents(plm, officer)
    assert len({report.pk for report in reports}) == len(reports) >= 4
    killed: list[int] = []
    for _round in range(KILLS):
        before = dict(Report.objects.values_list("pk", "attempts"))

        def claimed(before=before) -> list[Report]:
            rendering = Report.objects.filter(status=Report.Status.RENDERING)
            return [r for r in rendering if r.attempts > before[r.pk]]

        doomed = stack.start_worker(idle=True, PLM_TEST_RENDER_DELAY="120")
        stack.take_work(doomed)
        wait_until(lambda: bool(claimed()), "the doomed worker claims a report")
        [victim] = claimed()
        doomed.process.send_signal(
            signal.SIGKILL
        )  # --pool=solo: the worker process is the renderer
        doomed.process.wait(timeout=10)
        assert doomed.process.returncode == -signal.SIGKILL
        killed.append(victim.pk)
        # As if beat's sweep ran once the render outlived the time limit: only the killed report is stuck,
        # and goes back to the end of the queue.
        Report.objects.filter(pk=victim.pk).update(
            started_at=timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
        )
        assert sweep_stuck_reports() == [victim.pk]

    # A healthy worker finishes every report; it also restores the killed workers' unacknowledged messages
    # (visibility timeout 8 s here), which find nothing left to claim.
    stack.start_worker(
        CELERY_TASK_SOFT_TIME_LIMIT="2", CELERY_TASK_TIME_LIMIT="4", PLM_TEST_FAST_RESTORE="1"
    )
    for report in reports:
        wait_for(report, Report.Status.READY)
    wait_until(
        lambda: len(stack.renders()) >= len(reports) + KILLS,
        "the redelivered messages of the killed renders are skipped",
        timeout=60,
    )

    finished = Report.objects.filter(pk__in=[r.pk for r in reports])
    renders = stack.renders()
    files = sorted(p.name for p in stack.media.rglob("*.pdf"))
    assert renders.count("ready") == len(reports)
    assert set(renders) == {"ready", "skipped"}
    assert all(r.status == Report.Status.READY for r in finished)
    assert sorted(Path(r.file.name).name for r in finished) == files
    assert len(files) == len(set(files)) == len(reports)
    assert all(r.attempts == killed.count(r.pk) + 1 for r in finished)
    assert max(r.attempts for r in finished) <= 5
    assert Report.objects.count() == len(reports)
    print(
        f"\nfaults: worker SIGKILLed mid-render {len(killed)}x (reports killed: "
        f"{sorted(killed.count(pk) for pk in set(killed))}); reports completed: "
        f"{renders.count('ready')} of {len(reports)}; duplicates: {renders.count('ready') - len(reports)}; "
        f"redelivered messages skipped: {renders.count('skipped')}"
    )
