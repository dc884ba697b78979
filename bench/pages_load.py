"""The load part of bench/pages.py: gunicorn with DEBUG off on a free port, and wrk against one URL at a time.

wrk is Debian's package (``make bench-deps``); bench/wrk_report.lua makes it print one JSON line.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from pages_db import BASE_DIR, VAR_DIR, HarnessError

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
WRK_MARKER = "WRK_JSON "
WORKERS = 2
START_TIMEOUT = 60  # seconds for gunicorn to answer /healthz


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise HarnessError("wrk is missing: run `make bench-deps` (Debian's wrk package).")
    return path


class Gunicorn:
    """``gunicorn plm_portal.wsgi:application`` in its own process group, stopped by its id."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = VAR_DIR / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        """Start and wait for /healthz; seconds taken."""
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [
            str(gunicorn),
            "plm_portal.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--access-logfile",
            "/dev/null",
            # A slow page under load must show as slow, not as a killed worker.
            "--timeout",
            "120",
        ]
        started = time.perf_counter()
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        while time.perf_counter() - started < START_TIMEOUT:
            if self.process.poll() is not None:
                raise HarnessError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise HarnessError(f"gunicorn did not answer /healthz in {START_TIMEOUT} s:\n{self.tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # The process group of the master we started (start_new_session): the master and its workers.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def warm_up(url: str, headers: dict[str, str]) -> None:
    """A few sequential requests first, so each worker has compiled the page's templates before wrk counts."""
    for _ in range(2 * WORKERS):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60):
                pass
        except urllib.error.HTTPError:
            pass  # wrk counts it


def run_wrk(
    url: str, *, duration: int, connections: int, cookie: str = "", htmx: bool = False
) -> dict[str, float]:
    """wrk's figures for ``url``: requests, p50_ms, p95_ms, non_2xx, errors (see wrk_report.lua)."""
    threads = max(1, min(2, connections))
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        # wrk's default (2 s) drops slower answers from the percentiles; count them instead.
        "--timeout",
        "60s",
        "--latency",
        "-s",
        str(WRK_SCRIPT),
    ]
    headers = {}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    if htmx:
        headers["HX-Request"] = "true"
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    warm_up(url, headers)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 90, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith(WRK_MARKER):
            figures = json.loads(line[len(WRK_MARKER) :])
            figures["socket_errors"] = sum(
                figures[key]
                for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
            )
            return figures
    raise HarnessError(
        f"wrk printed no figures for {url} ({done.returncode}):\n{done.stdout}{done.stderr}"
    )
