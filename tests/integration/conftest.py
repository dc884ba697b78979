"""A real Celery worker process, fed through a real Redis, working on pytest's PostgreSQL test database.

Needs REDIS_URL and a PostgreSQL DATABASE_URL; without them every test here is skipped with the reason (and in
CI, where both are set, a skip fails the run: see tests/conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parents[2]
# The celery script of the interpreter running the tests, i.e. .venv/bin/celery.
CELERY = Path(sys.executable).parent / "celery"
READY_TIMEOUT_SECONDS = 60


@dataclass
class LiveWorker:
    queue: str
    hostname: str
    process: subprocess.Popen
    log_path: Path
    _log_file: IO[str] = field(repr=False)

    def log(self) -> str:
        self._log_file.flush()
        return self.log_path.read_text(errors="replace")


def _missing_services_reason() -> str | None:
    from django.conf import settings

    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set: integration tests need a real Redis broker and Celery worker"
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return (
            "DATABASE_URL does not point at PostgreSQL: a worker process cannot see pytest's in-memory "
            "SQLite test database"
        )
    return None


@pytest.fixture(scope="session", autouse=True)
def _require_real_services() -> None:
    reason = _missing_services_reason()
    if reason:
        pytest.skip(reason)


def _test_database_url(test_db_name: str) -> str:
    """The same DATABASE_URL, naming the database pytest-django created (test_<name>)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + quote(test_db_name, safe="")))


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # warm shutdown: finishes the current task, then exits
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _start_worker(
    queue: str,
    hostname: str,
    log_path: Path,
    *,
    app: str = "plm_portal",
    extra_env: dict[str, str] | None = None,
) -> LiveWorker:
    """Start ``celery -A app worker`` on ``queue`` and wait until it answers a ping (else fail the test)."""
    from django.db import connection

    from plm_portal.celery import app as celery_app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plm_portal.settings",
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "integration-test-worker-" + uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": _test_database_url(connection.settings_dict["NAME"]),
        "REDIS_URL": os.environ["REDIS_URL"],
        **(extra_env or {}),
    }
    # No SMTP host: the worker's default mailer is the console, which writes into the log below.
    env.pop("EMAIL_HOST", None)
    log_file = log_path.open("w+")
    process = subprocess.Popen(
        [
            str(CELERY),
            "-A",
            app,
            "worker",
            "--pool=solo",
            "-l",
            "info",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "-n",
            hostname,
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    worker = LiveWorker(
        queue=queue, hostname=hostname, process=process, log_path=log_path, _log_file=log_file
    )
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while not celery_app.control.ping(destination=[hostname], timeout=0.5):
        if process.poll() is not None:
            log_file.close()
            pytest.fail(
                f"Celery worker exited with code {process.returncode} before it was ready:\n"
                + worker.log_path.read_text(errors="replace")
            )
        if time.monotonic() > deadline:
            _stop(process)
            log_file.close()
            pytest.fail(
                f"Celery worker did not answer a ping within {READY_TIMEOUT_SECONDS} s:\n"
                + worker.log_path.read_text(errors="replace")
            )
    return worker


def _delete_queue(queue: str) -> None:
    """Drop the queue and its binding keys from Redis: every run makes a new queue name. The worker
    declared it as a direct exchange of the same name; declaring it here tells kombu what to delete."""
    from plm_portal.celery import app

    with app.connection_for_write() as conn:
        bound = Queue(queue, Exchange(queue, type="direct"), routing_key=queue)(
            conn.default_channel
        )
        bound.declare()
        bound.delete()


def _forget_unacked(queue: str) -> None:
    """Drop messages of ``queue`` a killed worker left unacknowledged, so no later worker restores them.

    kombu's Redis transport keeps them in the ``unacked`` hash (tag → [message, exchange, routing key])
    and the ``unacked_index`` sorted set, shared by every queue of the Redis database.
    """
    import json

    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    for tag, payload in client.hgetall("unacked").items():
        try:
            _message, exchange, routing_key = json.loads(payload)
        except ValueError:
            continue
        if queue in (exchange, routing_key):
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.fixture(scope="module")
def celery_worker_process(
    _require_real_services: None, django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveWorker]:
    from plm_portal.celery import app

    # A queue of its own, so a worker of another test run or a developer's worker on the same Redis
    # never takes these tasks, and this worker never takes theirs.
    queue = f"plm-test-{uuid.uuid4().hex[:12]}"
    hostname = f"{queue}@pytest"
    log_path = tmp_path_factory.mktemp("celery-worker") / "worker.log"
    try:
        worker = _start_worker(queue, hostname, log_path)
    except BaseException:
        _delete_queue(queue)
        raise
    process = worker.process
    was_eager = app.conf.task_always_eager
    try:
        # test_settings makes tasks eager; these tests send them to the real broker instead.
        app.conf.task_always_eager = False
        yield worker
    finally:
        app.conf.task_always_eager = was_eager
        _stop(process)
        _delete_queue(queue)
        if process.returncode not in (0, -15):
            print(f"Celery worker ended with code {process.returncode}:\n{worker.log()}")
        worker._log_file.close()


@pytest.fixture
def celery_worker(celery_worker_process: LiveWorker, transactional_db: None) -> LiveWorker:
    """The running worker. transactional_db commits the test's rows, so the worker can read them."""
    if celery_worker_process.process.poll() is not None:
        pytest.fail("Celery worker is no longer running:\n" + celery_worker_process.log())
    return celery_worker_process


class WorkerFactory:
    """Starts workers on one queue of the test's own; each started worker is stopped (or was killed)."""

    def __init__(self, log_dir: Path) -> None:
        self.queue = f"plm-test-{uuid.uuid4().hex[:12]}"
        self.log_dir = log_dir
        self.workers: list[LiveWorker] = []

    def start(self, *, app: str = "plm_portal", env: dict[str, str] | None = None) -> LiveWorker:
        number = len(self.workers) + 1
        worker = _start_worker(
            self.queue,
            f"{self.queue}-{number}@pytest",
            self.log_dir / f"worker-{number}.log",
            app=app,
            extra_env=env,
        )
        self.workers.append(worker)
        return worker

    def logs(self) -> str:
        return "\n".join(f"--- {worker.hostname} ---\n{worker.log()}" for worker in self.workers)


@pytest.fixture
def celery_worker_factory(
    _require_real_services: None, transactional_db: None, tmp_path: Path
) -> Iterator[WorkerFactory]:
    """Start Celery workers on a queue of this test's own (tasks go there when the test routes them)."""
    from plm_portal.celery import app

    factory = WorkerFactory(tmp_path)
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield factory
    finally:
        app.conf.task_always_eager = was_eager
        for worker in factory.workers:
            _stop(worker.process)
        _forget_unacked(factory.queue)
        _delete_queue(factory.queue)
        for worker in factory.workers:
            worker._log_file.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    report = yield
    worker = getattr(item, "funcargs", {}).get("celery_worker")
    if report.failed and isinstance(worker, LiveWorker):
        report.sections.append(("Celery worker log", worker.log()))
    factory = getattr(item, "funcargs", {}).get("celery_worker_factory")
    if report.failed and isinstance(factory, WorkerFactory):
        report.sections.append(("Celery worker logs", factory.logs()))
    return report
