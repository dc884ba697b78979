"""Shared fixtures. In CI (CI=true) a skipped test fails the run: every part must really run there."""

from __future__ import annotations

import os
import sys

import pytest

from libraries.models import Province, Regency
from tests.roles import scenario  # noqa: F401 - the role matrix fixture, for every test module


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"CI: {skipped} skipped test(s) count as failures.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The access walk's case counts (tests/test_access_walk.py), when it ran."""
    walk = sys.modules.get("tests.test_access_walk")
    for mode, count in sorted(getattr(walk, "WALK_COUNTS", {}).items()):
        terminalreporter.write_line(f"access walk: {count} cases, {mode}")


@pytest.fixture
def jambi(db) -> Province:
    province, _ = Province.objects.get_or_create(
        code="15", defaults={"name": "Jambi", "time_zone": Province.TimeZone.WIB}
    )
    return province


@pytest.fixture
def riau(db) -> Province:
    province, _ = Province.objects.get_or_create(
        code="14", defaults={"name": "Riau", "time_zone": Province.TimeZone.WIB}
    )
    return province


@pytest.fixture
def kota_jambi(jambi) -> Regency:
    regency, _ = Regency.objects.get_or_create(
        code="15.71", defaults={"province": jambi, "name": "Kota Jambi", "kind": Regency.Kind.KOTA}
    )
    return regency


@pytest.fixture(autouse=True)
def _fresh_dashboard_figures():
    """Each test starts with no cached national figures or totals (a new generation; the cache itself is shared with
    the Celery broker in CI, so it is not flushed)."""
    from plm_portal.freshness import bump

    bump("dashboard")
    bump("people")
    bump("activities")
