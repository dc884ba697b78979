"""The self check-in guess and search limits on a real Redis: concurrent tries are counted atomically.

Run with REDIS_URL and a PostgreSQL DATABASE_URL (tests/integration/conftest.py skips otherwise).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid

import pytest
from django.core.cache import caches
from django.utils import timezone

import meetings.services.attendance as attendance_services
from meetings.models import Attendance
from meetings.services.attendance import (
    SELF_CHECKIN_MAX_FAILURES,
    SELF_CHECKIN_MAX_SEARCHES,
    SelfCheckInBlocked,
    SelfCheckInMismatch,
    attempt_self_check_in,
    count_self_checkin_search,
)
from tests.factories import ParticipationFactory, PersonFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

MEETING_MORNING = dt.datetime(2022, 8, 2, 1, 5, tzinfo=dt.UTC)
TRIES = 40


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"plm-test-{uuid.uuid4().hex}",
        }
    }
    assert type(caches["default"]).__name__ == "RedisCache"
    return caches["default"]


def run_together(count: int, work) -> None:
    start = threading.Barrier(count)

    def run() -> None:
        start.wait()
        work()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_redis_concurrent_wrong_guesses_compare_at_most_the_limit(
    redis_cache, scenario, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: MEETING_MORNING)
    siti = ParticipationFactory(
        meeting=scenario.meeting,
        person=PersonFactory(
            full_name="Siti Rahmawati", phone="+6281234567890", province=scenario.jambi
        ),
    )
    compared = []
    outcomes: list[str] = []
    real_check_in = attendance_services.self_check_in

    def counting_check_in(**kwargs):
        compared.append(1)
        threading.Event().wait(0.02)
        return real_check_in(**kwargs)

    monkeypatch.setattr(attendance_services, "self_check_in", counting_check_in)

    def guess() -> None:
        try:
            attempt_self_check_in(
                meeting=scenario.meeting,
                participation=siti,
                phone_digits="0000",
                address="198.51.100.20",
            )
        except SelfCheckInMismatch:
            outcomes.append("wrong")
        except SelfCheckInBlocked:
            outcomes.append("blocked")

    run_together(TRIES, guess)

    assert len(compared) == SELF_CHECKIN_MAX_FAILURES
    assert outcomes.count("wrong") == SELF_CHECKIN_MAX_FAILURES
    assert outcomes.count("blocked") == TRIES - SELF_CHECKIN_MAX_FAILURES
    assert not Attendance.objects.exists()


def test_redis_concurrent_searches_allowed_exactly_the_budget(redis_cache, scenario):
    allowed: list[bool] = []

    def one_search() -> None:
        allowed.append(count_self_checkin_search(meeting=scenario.meeting, address="198.51.100.21"))

    run_together(SELF_CHECKIN_MAX_SEARCHES + 20, one_search)

    assert allowed.count(True) == SELF_CHECKIN_MAX_SEARCHES
    assert allowed.count(False) == 20
