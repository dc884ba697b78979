"""plm_portal.background: long jobs run by Celery, or, embedded, in a thread so their page can poll progress."""

from __future__ import annotations

import threading

from celery import shared_task

from plm_portal.background import enqueue_long

ran: list[tuple[str, int]] = []
done = threading.Event()


@shared_task(name="tests.background_probe")
def probe_task(*, job_id: int) -> None:
    ran.append((threading.current_thread().name, job_id))
    done.set()


def test_embedded_long_job_runs_in_a_thread_after_commit(
    db, settings, django_capture_on_commit_callbacks
):
    settings.PLM_LONG_TASKS_IN_THREAD = True
    ran.clear()
    done.clear()

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_long(probe_task, job_id=7)
        assert ran == []  # nothing before the commit

    assert done.wait(10)
    assert ran == [("plm-tests.background_probe", 7)]


def test_tests_and_workers_run_it_through_celery(db, settings, django_capture_on_commit_callbacks):
    settings.PLM_LONG_TASKS_IN_THREAD = False
    ran.clear()

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_long(probe_task, job_id=8)

    # CELERY_TASK_ALWAYS_EAGER in the tests: in this thread, at the commit.
    assert ran == [(threading.current_thread().name, 8)]
