"""The retention sweep: superseded PDFs go at once, the others after PLM_REPORT_RETENTION_DAYS, files too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from reports.models import Report
from reports.retention import sweep_old_reports
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
DAY = {"day": "2022-08-02", "attended_only": False}


def ready(meeting, *, days_ago: float, options=None, kind=Report.Kind.ATTENDANCE) -> Report:
    report = ReportFactory(meeting=meeting, kind=kind, options=DAY if options is None else options)
    name = default_storage.save(
        f"reports/{meeting.pk}/{report.pk}-daftar.pdf", ContentFile(b"%PDF")
    )
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.READY, file=name, finished_at=NOW - dt.timedelta(days=days_ago)
    )
    report.refresh_from_db()
    return report


def remaining() -> set[int]:
    return set(Report.objects.values_list("pk", flat=True))


def test_sweep_deletes_superseded_report_and_its_file(
    scenario, settings, django_capture_on_commit_callbacks
):
    settings.PLM_REPORT_RETENTION_DAYS = 90
    old = ready(scenario.meeting, days_ago=3)
    new = ready(scenario.meeting, days_ago=1)
    attended = ready(scenario.meeting, days_ago=2, options={**DAY, "attended_only": True})
    full = ready(scenario.meeting, days_ago=2, options={**DAY, "full_phones": True})
    rtl = ready(scenario.meeting, days_ago=5, options={}, kind=Report.Kind.RTL)

    with django_capture_on_commit_callbacks(execute=True):
        result = sweep_old_reports(now=NOW)

    assert (result.superseded, result.expired) == (1, 0)
    assert remaining() == {new.pk, attended.pk, full.pk, rtl.pk}
    assert (default_storage.exists(old.file.name), default_storage.exists(new.file.name)) == (
        False,
        True,
    )


def test_sweep_treats_options_without_new_keys_as_their_defaults(
    scenario, django_capture_on_commit_callbacks
):
    legacy = ready(scenario.meeting, days_ago=3, options={"day": "2022-08-02"})
    new = ready(scenario.meeting, days_ago=1)

    with django_capture_on_commit_callbacks(execute=True):
        sweep_old_reports(now=NOW)

    assert remaining() == {new.pk}
    assert not default_storage.exists(legacy.file.name)


def test_sweep_deletes_reports_older_than_retention(
    scenario, settings, django_capture_on_commit_callbacks
):
    settings.PLM_REPORT_RETENTION_DAYS = 30
    expired = ready(scenario.meeting, days_ago=31)
    kept = ready(scenario.meeting, days_ago=29, kind=Report.Kind.RTL, options={})
    pending = ReportFactory(meeting=scenario.meeting, kind=Report.Kind.CERTIFICATES)
    Report.objects.filter(pk=pending.pk).update(created_at=NOW - dt.timedelta(days=40))

    with django_capture_on_commit_callbacks(execute=True):
        result = sweep_old_reports(now=NOW)

    assert (result.superseded, result.expired) == (0, 1)
    assert remaining() == {kept.pk, pending.pk}
    assert not default_storage.exists(expired.file.name)


def test_sweep_keeps_a_report_being_rendered_again(scenario, django_capture_on_commit_callbacks):
    old = ready(scenario.meeting, days_ago=400)
    Report.objects.filter(pk=old.pk).update(status=Report.Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        sweep_old_reports(now=NOW)

    assert remaining() == {old.pk}


def test_page_offers_render_again_after_sweep(scenario, django_capture_on_commit_callbacks):
    report = ready(scenario.meeting, days_ago=400)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_old_reports(now=timezone.now())
    client = scenario.client_for("officer")

    download = client.get(reverse("reports:report_download", args=[scenario.meeting.pk, report.pk]))
    page = client.get(reverse("reports:meeting_reports", args=[scenario.meeting.pk]))

    assert download.status_code == 404
    assert f'id="report-{report.pk}"' not in page.content.decode()
    assert "Buat PDF" in page.content.decode()


def test_sweep_task_is_scheduled(settings):
    from reports.tasks import sweep_old_reports_task

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert sweep_old_reports_task.name in tasks
