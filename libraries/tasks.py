"""Celery tasks of the registry imports. Thin: ids in, the work is in libraries.importing.pipeline.

Enqueued by libraries.importing.services after the transaction that queued the job commits. Each task claims
its job with a conditional UPDATE first, so a redelivered task (acks_late) does the work once.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


@shared_task(
    name="libraries.check_import",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.PLM_LONG_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.PLM_LONG_TASK_TIME_LIMIT,
)
def check_import_task(*, job_id: int) -> str:
    """Check every row of registry import ``job_id``; returns "checked", "failed", "skipped" or "gone"."""
    from libraries.importing.pipeline import check_job

    return check_job(job_id=job_id)


@shared_task(
    name="libraries.apply_import",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.PLM_LONG_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.PLM_LONG_TASK_TIME_LIMIT,
)
def apply_import_task(*, job_id: int) -> str:
    """Write registry import ``job_id`` all or nothing; returns "applied", "failed", "skipped" or "gone"."""
    from libraries.importing.pipeline import apply_job

    return apply_job(job_id=job_id)
