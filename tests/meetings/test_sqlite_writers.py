"""The embedded default (SQLite, `make run`) takes concurrent writers without a 500, and one row per form key.

tests/meetings/sqlite_writers.py runs in a process of its own with the portal set up as `make run` sets it
(a SQLite file in WAL mode, transactions IMMEDIATE, a 20 s busy timeout): whatever database this suite runs
on (PostgreSQL in CI), the SQLite default is exercised for real, five writers at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def test_embedded_sqlite_takes_five_writers_at_once(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.meetings.sqlite_writers", str(tmp_path)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])

    assert figures["database"].startswith(str(tmp_path))
    assert figures["options"]["transaction_mode"] == "IMMEDIATE"
    assert figures["options"]["timeout"] == 20
    assert "journal_mode=WAL" in figures["options"]["init_command"]
    rounds = figures["rounds"]
    assert rounds["same_meeting"] == [302] * 5, rounds
    assert rounds["sessions"] == [302] * 5, rounds
    assert rounds["rtl_rows"] == [302] * 5, rounds
    assert rounds["people"] == [302] * 5, rounds
    assert rounds["same_person"] == [302] * 5, rounds
    assert figures["rows"] == {
        "same_meeting": 1,
        "sessions": 5,
        "rtl_rows": 5,
        "people": 5,
        "same_person": 1,
        "participations": 6,
    }
