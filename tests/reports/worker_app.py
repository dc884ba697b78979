"""The project's Celery app with faults an integration test switches on through the worker's environment.

Started as ``celery -A tests.reports.worker_app worker`` by tests/integration/test_reports_worker.py only:

- ``PLM_TEST_RENDER_DELAY=<seconds>``: each PDF render sleeps first, after its report was claimed, so the
  test can kill the worker in the middle of a render;
- ``PLM_TEST_STORAGE_FAILURES=<n>``: the first n PDF saves of the worker fail with ConnectionError, as object
  storage that is briefly away would;
- ``PLM_TEST_FAST_RESTORE=1``: the worker looks for unacknowledged messages to restore every second instead
  of every ~100 s, so a redelivery after a killed worker shows within the test's patience.
"""

from __future__ import annotations

import os
import time

from celery.signals import task_prerun

from plm_portal.celery import app

__all__ = ["app"]

if os.environ.get("PLM_TEST_FAST_RESTORE"):
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }

_installed = False


@task_prerun.connect
def _install_faults(**kwargs) -> None:
    # On the first task, when Django is set up: patch the render and the storage of this process only.
    global _installed
    if _installed:
        return
    _installed = True
    from django.core.files.storage import default_storage

    from reports import pdf

    delay = float(os.environ.get("PLM_TEST_RENDER_DELAY", "0"))
    if delay:
        render_pdf = pdf.render_pdf

        def slow_render_pdf(*args, **kwargs):
            time.sleep(delay)
            return render_pdf(*args, **kwargs)

        pdf.render_pdf = slow_render_pdf

    failures = [int(os.environ.get("PLM_TEST_STORAGE_FAILURES", "0"))]
    if failures[0]:
        save = default_storage.save

        def flaky_save(*args, **kwargs):
            if failures[0] > 0:
                failures[0] -= 1
                raise ConnectionError("object storage away (integration test)")
            return save(*args, **kwargs)

        default_storage.save = flaky_save
