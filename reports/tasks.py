"""Celery tasks of the report pipeline and their retry policy. Thin: ids in, the work is in reports.services.

Enqueue through ``reports.services.request_report`` (after commit), not by calling these directly. Services
import this module; this module imports services only inside the tasks, so neither import loops back.
"""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

# Failures worth retrying a little later: the database or a network service was briefly away. Everything else
# (a template error, bad data, a file that cannot be written) fails the report with its reason at once.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
)
# Renders a report may start, counting those a dead worker never finished, before it is failed for good.
MAX_ATTEMPTS = 5


@shared_task(
    name="reports.render_report",
    bind=True,
    # Acknowledged after the work, and redelivered if the worker process dies in the middle: the claim in
    # render_report takes a report over only when it is pending or its render outlived the time limit.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    # The first run is an attempt too: its last retry is the last attempt.
    max_retries=MAX_ATTEMPTS - 1,
)
def render_report_task(self: Task, *, report_id: int) -> str:
    """Render report ``report_id`` to PDF; returns "ready", "failed", "skipped" (not claimable) or "gone".

    Run eagerly (no REDIS_URL) there is no later: a transient error fails the report at once, with its
    reason and the page's retry button, instead of blocking the web request through the backoff.
    """
    from reports.services import render_report

    last_try = self.request.is_eager or self.request.retries >= self.max_retries
    return render_report(report_id=report_id, last_try=last_try)


@shared_task(name="reports.sweep_stuck_reports", acks_late=True)
def sweep_stuck_reports_task() -> list[int]:
    """Re-queue reports stuck in rendering (or pending) past the time limit. Scheduled by Celery beat."""
    from reports.services import sweep_stuck_reports

    return sweep_stuck_reports()


@shared_task(
    name="reports.build_export",
    bind=True,
    soft_time_limit=settings.PLM_LONG_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.PLM_LONG_TASK_TIME_LIMIT,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS - 1,
)
def build_export_task(self: Task, *, export_id: int) -> str:
    """Build XLSX export ``export_id``; returns "ready", "failed", "skipped" or "gone" (as render_report)."""
    from reports.exports.services import build_export

    last_try = self.request.is_eager or self.request.retries >= self.max_retries
    return build_export(export_id=export_id, last_try=last_try)


@shared_task(name="reports.sweep_exports", acks_late=True)
def sweep_exports_task() -> dict[str, int]:
    """Delete exports past their keeping time and fail stuck ones. Scheduled by Celery beat."""
    from reports.exports.services import sweep_exports

    return sweep_exports()


@shared_task(name="reports.sweep_old_reports", acks_late=True)
def sweep_old_reports_task() -> dict[str, int]:
    """Delete superseded PDFs and those past PLM_REPORT_RETENTION_DAYS, with their files. Celery beat."""
    from reports.retention import sweep_old_reports

    result = sweep_old_reports()
    return {"superseded": result.superseded, "expired": result.expired}
