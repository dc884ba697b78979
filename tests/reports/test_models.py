"""Reports: constraints hold in the database itself."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from reports.models import Report, report_upload_to
from tests.constraints import refused_by
from tests.factories import MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "status", [Report.Status.PENDING, Report.Status.RENDERING, Report.Status.FAILED]
)
def test_report_not_ready_without_file_saves(status):
    report = ReportFactory(status=status)

    report.full_clean()
    assert Report.objects.get(pk=report.pk).file.name == ""


def test_report_ready_with_file_saves():
    meeting = MeetingFactory()

    report = Report.objects.create(
        kind=Report.Kind.ATTENDANCE,
        meeting=meeting,
        fingerprint="0" * 64,
        status=Report.Status.READY,
        file=f"reports/{meeting.pk}/1-daftar-hadir.pdf",
    )

    report.full_clean()
    assert Report.objects.get(pk=report.pk).file.name == f"reports/{meeting.pk}/1-daftar-hadir.pdf"


def test_report_ready_without_file_refused_by_database():
    with refused_by("report_ready_has_file"):
        Report.objects.create(
            kind=Report.Kind.ATTENDANCE,
            meeting=MeetingFactory(),
            fingerprint="0" * 64,
            status=Report.Status.READY,
        )


def test_report_ready_without_file_fails_validation():
    report = ReportFactory.build(meeting=MeetingFactory(), status=Report.Status.READY)

    with pytest.raises(ValidationError) as excinfo:
        report.full_clean()

    assert list(excinfo.value.message_dict) == ["__all__"]


def test_report_verification_codes_differ():
    first, second = ReportFactory(), ReportFactory()

    assert first.verification_code != second.verification_code
    assert re.fullmatch(r"[0-9A-F]{8}", first.verification_code)


def test_report_verification_code_twice_refused_by_database():
    report = ReportFactory()

    with refused_by("reports_report_verification_code_key", "reports_report.verification_code"):
        ReportFactory(
            meeting=report.meeting,
            verification_code=report.verification_code,
            fingerprint="1" * 64,
        )


def test_report_upload_to_files_under_meeting_and_report():
    report = ReportFactory()

    assert report_upload_to(report, "daftar-hadir.pdf") == (
        f"reports/{report.meeting_id}/{report.pk}-daftar-hadir.pdf"
    )


def test_report_upload_to_before_first_save():
    report = ReportFactory.build(meeting=MeetingFactory())

    assert report_upload_to(report, "daftar-hadir.pdf") == (
        f"reports/{report.meeting_id}/new-daftar-hadir.pdf"
    )


def test_report_str_names_kind_and_meeting():
    report = ReportFactory(kind=Report.Kind.RTL, meeting__title="PLM Provinsi Jambi 2022")

    assert str(report) == "Laporan RTL — PLM Provinsi Jambi 2022"


def test_report_same_data_open_twice_refused_by_database():
    report = ReportFactory(status=Report.Status.PENDING)

    with refused_by(
        "report_one_open_per_fingerprint",
        "reports_report.meeting_id",
        "reports_report.kind",
        "reports_report.fingerprint",
    ):
        ReportFactory(
            meeting=report.meeting,
            kind=report.kind,
            fingerprint=report.fingerprint,
            status=Report.Status.FAILED,
        )


def test_report_same_data_ready_beside_open_saves():
    report = ReportFactory(status=Report.Status.PENDING)

    ready = ReportFactory(
        meeting=report.meeting,
        kind=report.kind,
        fingerprint=report.fingerprint,
        status=Report.Status.READY,
        file="reports/1/1-daftar-hadir.pdf",
    )

    assert ready.pk != report.pk
