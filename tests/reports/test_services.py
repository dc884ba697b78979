"""The report pipeline in-process (tasks eager): reuse by fingerprint, one render per data, claims, failures."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.utils import timezone

import reports.tasks
from meetings.models import Attendance
from reports.models import Report
from reports.services import (
    MAX_ATTEMPTS,
    claim_report,
    render_report,
    request_report,
    rerender_report,
    sweep_stuck_reports,
)
from reports.tasks import render_report_task, sweep_stuck_reports_task
from tests.factories import ReportFactory
from tests.reports.builders import add_people, make_host, pdf_pages

pytestmark = pytest.mark.django_db

ATTENDANCE = Report.Kind.ATTENDANCE


@pytest.fixture
def plm(scenario):
    make_host(scenario.meeting)
    add_people(scenario.meeting)
    return scenario.meeting


@pytest.fixture
def officer(scenario):
    return scenario.users["officer"]


def ask(meeting, user, kind=ATTENDANCE, **options) -> Report:
    return request_report(meeting=meeting, kind=kind, options=options, by=user)


@pytest.fixture
def rendered(django_capture_on_commit_callbacks):
    """Ask for a report and run what was enqueued, as the embedded mode does after the commit."""

    def ask_and_render(meeting, user, kind=ATTENDANCE, **options) -> Report:
        with django_capture_on_commit_callbacks(execute=True):
            report = ask(meeting, user, kind, **options)
        report.refresh_from_db()
        return report

    return ask_and_render


# --- request and reuse --------------------------------------------------------------------------------


def test_request_report_renders_and_stores_pdf(plm, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = ask(plm, officer)

    report.refresh_from_db()
    assert len(callbacks) == 1
    assert (report.status, report.attempts, report.requested_by) == (
        Report.Status.READY,
        1,
        officer,
    )
    assert report.options == {"day": "2022-08-02", "attended_only": False}
    assert report.file.name == (
        f"reports/{plm.pk}/{report.pk}-daftar-hadir-plm-provinsi-jambi-2022-08-02.pdf"
    )
    with report.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    assert (report.page_count, report.file_size) == (len(pdf_pages(content)), len(content))
    assert report.finished_at is not None and report.error_message == ""


def test_request_report_same_data_reuses_ready_report(
    plm, officer, scenario, rendered, django_capture_on_commit_callbacks
):
    first = rendered(plm, officer)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = ask(plm, scenario.users["facilitator"])

    assert second == first
    assert callbacks == []
    assert (Report.objects.count(), second.attempts) == (1, 1)


def test_request_report_data_change_gives_new_report(plm, officer, rendered):
    first = rendered(plm, officer)
    person = plm.participations.get(person__full_name="Zulkifli").person
    person.full_name = "Zulkifli Hasan"
    person.save()

    second = rendered(plm, officer)

    assert second != first
    assert second.fingerprint != first.fingerprint
    assert Report.objects.filter(status=Report.Status.READY).count() == 2


def test_request_report_attendance_change_gives_new_report(plm, officer, rendered):
    first = rendered(plm, officer, attended_only=True)
    Attendance.objects.filter(participation__person__full_name="Suryadi").delete()

    second = rendered(plm, officer, attended_only=True)

    assert second.fingerprint != first.fingerprint


def test_request_report_options_differ_gives_other_report(plm, officer, rendered):
    full = rendered(plm, officer)
    present = rendered(plm, officer, attended_only=True)

    assert full != present
    assert present.file.name.endswith("-2022-08-02-hadir.pdf")


def test_request_report_twice_before_render_renders_once(
    plm, officer, scenario, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = ask(plm, officer)
        second = ask(plm, scenario.users["facilitator"])

    assert second == first
    assert second.status == Report.Status.PENDING
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    first.refresh_from_db()
    assert (first.status, first.attempts, Report.objects.count()) == (Report.Status.READY, 1, 1)


def test_request_report_ready_file_gone_renders_same_report_again(plm, officer, rendered):
    first = rendered(plm, officer)
    default_storage.delete(first.file.name)

    second = rendered(plm, officer)

    assert second == first
    assert second.status == Report.Status.READY
    assert default_storage.exists(second.file.name)


def test_request_report_day_outside_meeting_refused(plm, officer):
    with pytest.raises(ValueError, match="not a day"):
        ask(plm, officer, day="2022-08-05")

    assert Report.objects.count() == 0


@pytest.mark.parametrize("role", ["national", "officer", "facilitator"])
def test_request_report_by_who_may_see_meeting_records_them(plm, scenario, role):
    report = ask(plm, scenario.users[role])

    assert report.requested_by == scenario.users[role]


@pytest.mark.parametrize("role", ["other_officer", "other_facilitator"])
def test_request_report_by_who_may_not_see_meeting_refused_nothing_written(
    plm, scenario, role, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(PermissionDenied),
    ):
        ask(plm, scenario.users[role])

    assert Report.objects.count() == 0
    assert callbacks == []


def test_request_report_by_anonymous_refused(plm):
    with pytest.raises(PermissionDenied):
        ask(plm, AnonymousUser())

    assert Report.objects.count() == 0


def test_rerender_report_by_officer_of_other_province_refused_unchanged(plm, scenario, rendered):
    report = rendered(plm, scenario.users["officer"])
    before = Report.objects.values().get(pk=report.pk)

    with pytest.raises(PermissionDenied):
        rerender_report(report=report, by=scenario.users["other_officer"])

    assert Report.objects.values().get(pk=report.pk) == before


def test_render_task_retries_until_max_attempts():
    # The first run is an attempt too: the last retry is the last attempt render_report allows.
    assert render_report_task.max_retries == MAX_ATTEMPTS - 1


def test_tasks_module_imports_services_only_inside_tasks():
    tree = ast.parse(Path(reports.tasks.__file__).read_text())
    top_level = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]

    assert [name for name in top_level if name.startswith("reports")] == []


def test_open_reports_of_same_data_refused_by_database(plm):
    ReportFactory(meeting=plm, status=Report.Status.PENDING, fingerprint="a" * 64)

    with pytest.raises(IntegrityError):
        ReportFactory(meeting=plm, status=Report.Status.RENDERING, fingerprint="a" * 64)


# --- claim ------------------------------------------------------------------------------------------------


def test_claim_report_twice_second_refused(plm):
    report = ReportFactory(meeting=plm)

    assert claim_report(report_id=report.pk) is True
    assert claim_report(report_id=report.pk) is False
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.RENDERING, 1)


def test_claim_report_rendering_past_time_limit_taken_over(plm, settings):
    report = ReportFactory(meeting=plm)
    started = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    claim_report(report_id=report.pk, now=started)

    assert claim_report(report_id=report.pk) is True
    report.refresh_from_db()
    assert report.attempts == 2


@pytest.mark.parametrize("status", [Report.Status.READY, Report.Status.FAILED])
def test_claim_report_finished_refused(plm, status):
    report = ReportFactory(meeting=plm, status=status, file="reports/x.pdf")

    assert claim_report(report_id=report.pk) is False


def test_claim_report_out_of_attempts_refused(plm):
    report = ReportFactory(meeting=plm, attempts=MAX_ATTEMPTS)

    assert claim_report(report_id=report.pk) is False


def test_render_report_task_twice_renders_once(plm, officer, rendered):
    report = rendered(plm, officer)

    result = render_report_task.apply(kwargs={"report_id": report.pk})

    report.refresh_from_db()
    assert result.get() == "skipped"
    assert report.attempts == 1


def test_render_report_task_report_deleted_returns_gone():
    assert render_report_task.apply(kwargs={"report_id": 999_999}).get() == "gone"


# --- failures and retry -----------------------------------------------------------------------------------


def test_render_report_storage_unwritable_fails_with_reason(
    plm, officer, settings, tmp_path, rendered
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker

    report = rendered(plm, officer)

    assert report.status == Report.Status.FAILED
    assert report.error_message.startswith("PDF tidak dapat dibuat karena kesalahan sistem (")
    assert report.verification_code in report.error_message
    assert report.file.name == ""


def test_render_report_nothing_left_to_print_fails_with_reason(
    plm, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = ask(plm, officer, kind=Report.Kind.CERTIFICATES)
    Attendance.objects.all().delete()

    for callback in callbacks:
        callback()

    report.refresh_from_db()
    assert (report.status, report.error_message) == (
        Report.Status.FAILED,
        "Belum ada peserta yang tercatat hadir: belum ada sertifikat.",
    )


def test_request_report_after_failure_retries_same_report(
    plm, officer, settings, tmp_path, rendered
):
    media = settings.MEDIA_ROOT
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker
    failed = rendered(plm, officer)
    settings.MEDIA_ROOT = media

    retried = rendered(plm, officer)

    assert retried == failed
    assert (retried.status, retried.attempts, retried.error_message) == (
        Report.Status.READY,
        1,
        "",
    )


def test_render_report_transient_error_back_to_pending_then_fails_on_last_try(plm, monkeypatch):
    report = ReportFactory(meeting=plm, options={"day": "2022-08-02", "attended_only": False})

    def storage_away(*args, **kwargs):
        raise ConnectionError("storage unreachable")

    # Storage is what leaves the process here (S3 in a deployment): it answers with a connection error.
    monkeypatch.setattr(default_storage, "save", storage_away)

    with pytest.raises(ConnectionError):
        render_report(report_id=report.pk, last_try=False)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.PENDING, 1)

    assert render_report(report_id=report.pk, last_try=True) == "failed"
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "tidak dapat dihubungi" in report.error_message


def test_render_report_task_eager_transient_error_fails_at_once(plm, monkeypatch):
    # In-process (no REDIS_URL) there is no later: the reason and the retry button show right away.
    # The retries with backoff in a real worker: tests/integration/test_reports_worker.py.
    report = ReportFactory(meeting=plm, options={"day": "2022-08-02", "attended_only": False})

    def storage_away(*args, **kwargs):
        raise ConnectionError("storage unreachable")

    monkeypatch.setattr(default_storage, "save", storage_away)

    assert render_report_task.apply(kwargs={"report_id": report.pk}).get() == "failed"

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.FAILED, 1)
    assert "tidak dapat dihubungi" in report.error_message


def test_render_report_transient_error_on_last_attempt_fails(plm, monkeypatch):
    report = ReportFactory(
        meeting=plm,
        options={"day": "2022-08-02", "attended_only": False},
        attempts=MAX_ATTEMPTS - 1,
    )

    def storage_away(*args, **kwargs):
        raise ConnectionError("storage unreachable")

    monkeypatch.setattr(default_storage, "save", storage_away)

    assert render_report(report_id=report.pk, last_try=False) == "failed"
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.FAILED, MAX_ATTEMPTS)


def test_rerender_report_ready_renders_again_with_new_file(
    plm, officer, rendered, django_capture_on_commit_callbacks
):
    report = rendered(plm, officer)
    old_name = report.file.name

    with django_capture_on_commit_callbacks(execute=True):
        queued = rerender_report(report=report, by=officer)

    report.refresh_from_db()
    assert queued is True
    assert (report.status, report.attempts) == (Report.Status.READY, 1)
    assert report.file.name != old_name
    assert not default_storage.exists(old_name)
    assert default_storage.exists(report.file.name)


def test_rerender_report_rendering_left_alone(plm, officer):
    report = ReportFactory(meeting=plm, status=Report.Status.RENDERING)

    assert rerender_report(report=report, by=officer) is False
    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING


# --- sweep -----------------------------------------------------------------------------------------------


def test_sweep_requeues_report_stuck_in_rendering(
    plm, officer, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = ask(plm, officer)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    claim_report(report_id=report.pk, now=long_ago)  # a worker took it, then died

    with django_capture_on_commit_callbacks(execute=True):
        requeued = sweep_stuck_reports_task.apply().get()

    report.refresh_from_db()
    assert requeued == [report.pk]
    assert (report.status, report.attempts) == (Report.Status.READY, 2)


def test_sweep_leaves_report_rendering_within_time_limit(plm):
    report = ReportFactory(meeting=plm)
    claim_report(report_id=report.pk)

    assert sweep_stuck_reports() == []
    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING


def test_sweep_requeues_old_pending_report(
    plm, officer, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = ask(plm, officer)
    later = timezone.now() + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = sweep_stuck_reports(now=later)

    report.refresh_from_db()
    assert requeued == [report.pk]
    assert report.status == Report.Status.READY


def test_sweep_fails_report_out_of_attempts(plm, settings):
    report = ReportFactory(meeting=plm, status=Report.Status.RENDERING, attempts=MAX_ATTEMPTS)
    Report.objects.filter(pk=report.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    )

    assert sweep_stuck_reports() == []
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error_message.startswith(f"Pembuatan PDF terhenti {MAX_ATTEMPTS} kali")


def test_render_report_day_no_longer_in_meeting_fails_with_reason(
    plm, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = ask(plm, officer)
    plm.start_date = plm.end_date = dt.date(2022, 8, 9)
    plm.save()

    for callback in callbacks:
        callback()

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error_message.startswith("Hari daftar hadir ini bukan lagi hari pertemuan")
