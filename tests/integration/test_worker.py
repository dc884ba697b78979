"""Tasks through a real Redis into a real Celery worker process, results back through Redis."""

from __future__ import annotations

import uuid

import pytest

from plm_portal.tasks import ping_task, send_email_task
from tests.factories import UserFactory

pytestmark = pytest.mark.integration

RESULT_TIMEOUT_SECONDS = 30


def test_ping_round_trips_through_worker(celery_worker):
    # Committed by transactional_db: the worker counting it proves it works on the test database.
    UserFactory()

    result = ping_task.apply_async(queue=celery_worker.queue)

    assert result.get(timeout=RESULT_TIMEOUT_SECONDS) == {
        "pong": True,
        "database": "postgresql",
        "users": 1,
    }
    assert result.state == "SUCCESS"


def test_send_email_task_runs_in_worker(celery_worker):
    subject = f"Uji integrasi {uuid.uuid4().hex[:8]}"

    result = send_email_task.apply_async(
        kwargs={
            "to": ["petugas@dispusip.jambiprov.go.id"],
            "subject": subject,
            "body": "Pesan uji dari worker Celery.",
        },
        queue=celery_worker.queue,
    )

    assert result.get(timeout=RESULT_TIMEOUT_SECONDS) == 1
    assert result.state == "SUCCESS"
    # Without EMAIL_HOST the worker's mailer is the console, which prints into the worker's log.
    assert f"Subject: {subject}" in celery_worker.log()
