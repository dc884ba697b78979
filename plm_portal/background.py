"""Long jobs (registry imports, big exports) queued so that their page can show progress while they run.

With a broker (``REDIS_URL``) a long job is an ordinary Celery task, sent when the transaction that queued it
commits. The embedded default (``make run``: no Redis, ``CELERY_TASK_ALWAYS_EAGER``) would run it inside the web
request instead: a 50,000-row import would hold the browser for a minute with no progress bar. There, and only
when ``PLM_LONG_TASKS_IN_THREAD`` is on (settings turn it on exactly in the embedded mode; the tests turn it
off so that they stay deterministic), the same task runs eagerly in a daemon thread of the web process, and the
page polls its progress as it would with a worker. The job rows carry their own status, so a thread lost with
the process (a restart of ``runserver``) leaves a job the user can start again, as a lost worker would.
"""

from __future__ import annotations

import logging
import threading

from celery import Task
from django.conf import settings
from django.db import close_old_connections, transaction

logger = logging.getLogger(__name__)


def enqueue_long(task: Task, **kwargs) -> None:
    """Queue ``task(**kwargs)`` after the current transaction commits (a broker, or a thread when embedded)."""
    if getattr(settings, "PLM_LONG_TASKS_IN_THREAD", False):
        transaction.on_commit(lambda: _start_thread(task, kwargs))
    else:
        task.delay_on_commit(**kwargs)


def _start_thread(task: Task, kwargs: dict) -> None:
    threading.Thread(target=_run, args=(task, kwargs), name=f"plm-{task.name}", daemon=True).start()


def _run(task: Task, kwargs: dict) -> None:
    """Run the task eagerly in this thread with its own database connection, closed at the end."""
    try:
        task.apply(kwargs=kwargs)
    except Exception:
        # The task's service records the failure on its job row; this only keeps the thread from dying loud.
        logger.exception("Background task %s failed", task.name)
    finally:
        close_old_connections()
