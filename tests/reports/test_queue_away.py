"""A report asked for while the task queue (Redis) is unreachable: kept pending with a note, sent again later.

In-process (SQLite, tasks eager); publishing is made to fail as kombu fails it when Redis refuses connections.
The same with a real Redis stopped and started again: tests/integration/test_faults.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from reports.models import Report
from reports.services import request_report, sweep_stuck_reports
from reports.tasks import render_report_task
from tests.reports.builders import add_people, make_host

pytestmark = pytest.mark.django_db

QUEUE_AWAY = "Layanan antrean sedang tidak tersedia"


@pytest.fixture
def plm(scenario):
    make_host(scenario.meeting)
    add_people(scenario.meeting)
    return scenario.meeting


@pytest.fixture
def officer(scenario):
    return scenario.users["officer"]


@pytest.fixture
def queue_away(monkeypatch):
    """Publishing fails until ``back()`` is called; counts the publish attempts."""
    state = {"away": True, "tries": 0}
    publish = render_report_task.apply_async

    def apply_async(*args, **kwargs):
        state["tries"] += 1
        if state["away"]:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return publish(*args, **kwargs)

    monkeypatch.setattr(render_report_task, "apply_async", apply_async)
    state["back"] = lambda: state.update(away=False)
    return state


def ask(meeting, user) -> Report:
    return request_report(
        meeting=meeting, kind=Report.Kind.ATTENDANCE, options={"attended_only": True}, by=user
    )


def test_request_while_queue_away_keeps_report_pending_with_note(
    plm, officer, queue_away, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(plm, officer)

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.PENDING, 0)
    assert report.error_message.startswith(QUEUE_AWAY)
    assert queue_away["tries"] == 1


def test_sweep_sends_noted_report_at_once_when_queue_back(
    plm, officer, queue_away, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(plm, officer)
    # Still away: the sweep tries, the note stays.
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stuck_reports() == [report.pk]
    report.refresh_from_db()
    assert report.error_message.startswith(QUEUE_AWAY)

    queue_away["back"]()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stuck_reports() == [report.pk]

    report.refresh_from_db()
    assert (report.status, report.attempts, report.error_message) == (Report.Status.READY, 1, "")
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stuck_reports() == []


def test_asking_again_when_queue_back_sends_kept_report(
    plm, officer, queue_away, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(plm, officer)
    queue_away["back"]()

    with django_capture_on_commit_callbacks(execute=True):
        again = ask(plm, officer)

    again.refresh_from_db()
    assert again.pk == first.pk
    assert (again.status, again.attempts, again.error_message) == (Report.Status.READY, 1, "")
    assert Report.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # the view's commit runs the send, as in production
def test_page_says_report_is_kept_while_queue_away(client, plm, officer, queue_away):
    client.force_login(officer)

    response = client.post(
        reverse("reports:report_request", args=[plm.pk]),
        {"kind": Report.Kind.ATTENDANCE, "day": "2022-08-02", "attended_only": "on"},
        follow=True,
    )

    assert response.status_code == 200
    assert response.content.decode().count(QUEUE_AWAY) == 2  # the message and the report's line
    assert Report.objects.get().status == Report.Status.PENDING
