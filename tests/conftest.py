"""Shared fixtures. In CI (CI=true) a skipped test fails the run: every part must really run there."""

from __future__ import annotations

import os

import pytest

from libraries.models import Province, Regency


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"CI: {skipped} skipped test(s) count as failures.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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


# The role matrix every view is tested against: who asks, and what they should get.
ROLES = ("national", "officer", "other_officer", "facilitator", "other_facilitator", "anonymous")


@pytest.fixture
def scenario(db):
    """A Jambi meeting and one user of each role; ``client_for(role)`` signs that user in."""
    from django.test import Client

    from tests.factories import (
        FacilitatorUserFactory,
        MeetingFactory,
        NationalUserFactory,
        ProvinceFactory,
        RegencyFactory,
        UserFactory,
    )

    jambi = ProvinceFactory(code="15", name="Jambi")
    riau = ProvinceFactory(code="14", name="Riau", time_zone=Province.TimeZone.WIB)
    kota_jambi = RegencyFactory(province=jambi, code="15.71", name="Kota Jambi")
    meeting = MeetingFactory(
        province=jambi, venue_regency=kota_jambi, title="PLM Provinsi Jambi 2022"
    )
    facilitator = FacilitatorUserFactory(email="fasilitator@example.test")
    meeting.assigned_facilitators.add(facilitator)
    users = {
        "national": NationalUserFactory(email="nasional@example.test"),
        "officer": UserFactory(email="jambi@example.test", province=jambi),
        "other_officer": UserFactory(email="riau@example.test", province=riau),
        "facilitator": facilitator,
        "other_facilitator": FacilitatorUserFactory(email="lain@example.test"),
        "anonymous": None,
    }

    def client_for(role: str) -> Client:
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    class Scenario:
        pass

    s = Scenario()
    s.jambi, s.riau, s.kota_jambi, s.meeting, s.users, s.client_for = (
        jambi,
        riau,
        kota_jambi,
        meeting,
        users,
        client_for,
    )
    return s
