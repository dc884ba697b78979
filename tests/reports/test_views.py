"""The meeting's Laporan tab: listing, asking for a PDF, its live status, retry and download, for every role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import Report
from tests.factories import MeetingFactory, RegencyFactory, ReportFactory
from tests.reports.builders import add_people, make_host
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
ALLOWED = ("national", "officer", "facilitator")
# What a refused role gets: 404 when signed in (the meeting's existence never shows), the login page if not.
REFUSED = {"other_officer": 404, "other_facilitator": 404, "anonymous": 302}
ATTENDANCE_POST = {"kind": "attendance", "day": "2022-08-02"}


@pytest.fixture
def plm(scenario):
    make_host(scenario.meeting)
    add_people(scenario.meeting)
    return scenario


def url(name: str, meeting, report=None) -> str:
    args = [meeting.pk] + ([report.pk] if report is not None else [])
    return reverse(f"reports:{name}", args=args)


def snapshot() -> list[dict]:
    return list(Report.objects.order_by("pk").values())


def ready_report(meeting, **fields) -> Report:
    """A rendered daftar hadir, through the pipeline, asked for by the meeting's assigned facilitator."""
    from reports.services import request_report

    report = request_report(
        meeting=meeting,
        kind=Report.Kind.ATTENDANCE,
        options=fields or None,
        by=meeting.assigned_facilitators.get(),
    )
    report.refresh_from_db()
    return report


@pytest.fixture
def rendered(plm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = ready_report(plm.meeting)
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    plm.report = report
    return plm


# --- the tab -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_reports_tab_by_role(rendered, role):
    response = rendered.client_for(role).get(url("meeting_reports", rendered.meeting))

    if role in ALLOWED:
        assert response.status_code == 200
        body = response.content.decode()
        assert "Daftar Hadir" in body
        assert url("report_download", rendered.meeting, rendered.report) in body
    else:
        assert response.status_code == REFUSED[role]


def test_reports_tab_lists_documents_with_state(rendered):
    pending = ReportFactory(
        meeting=rendered.meeting,
        kind=Report.Kind.RTL,
        fingerprint="b" * 64,
    )
    failed = ReportFactory(
        meeting=rendered.meeting,
        kind=Report.Kind.CERTIFICATES,
        status=Report.Status.FAILED,
        error_message="Pembuatan PDF melebihi batas waktu 300 detik.",
        fingerprint="c" * 64,
    )

    response = rendered.client_for("facilitator").get(url("meeting_reports", rendered.meeting))

    body = response.content.decode()
    slots = {slot.key: slot for slot in response.context["slots"]}
    assert list(slots) == ["attendance-2022-08-02", "rtl", "certificates", "award_charters"]
    assert [r.pk for r in slots["attendance-2022-08-02"].reports] == [rendered.report.pk]
    assert (
        f'hx-get="{url("report_status", rendered.meeting, pending)}" hx-trigger="every 2s"' in body
    )
    assert "Pembuatan PDF melebihi batas waktu 300 detik." in body
    assert url("report_retry", rendered.meeting, failed) in body
    assert slots["award_charters"].available is False


def test_reports_tab_multi_day_meeting_one_attendance_list_per_day(plm):
    meeting = plm.meeting
    meeting.end_date = meeting.start_date.replace(day=4)
    meeting.save()

    response = plm.client_for("officer").get(url("meeting_reports", meeting))

    keys = [slot.key for slot in response.context["slots"]]
    assert keys[:3] == ["attendance-2022-08-02", "attendance-2022-08-03", "attendance-2022-08-04"]


def test_reports_tab_never_lists_report_of_other_meeting(rendered):
    riau_meeting = MeetingFactory(
        province=rendered.riau,
        venue_regency=RegencyFactory(province=rendered.riau, code="14.71", name="Kota Pekanbaru"),
    )
    riau_report = ReportFactory(meeting=riau_meeting, fingerprint="d" * 64)

    response = rendered.client_for("national").get(url("meeting_reports", rendered.meeting))

    listed = [r.pk for slot in response.context["slots"] for r in slot.reports]
    assert listed == [rendered.report.pk]
    assert riau_report.pk not in listed


@pytest.mark.parametrize("count", [1, 3])
def test_reports_tab_queries_constant(plm, django_assert_num_queries, count):
    kinds = [Report.Kind.ATTENDANCE, Report.Kind.RTL, Report.Kind.CERTIFICATES][:count]
    for index, kind in enumerate(kinds):
        options = {"day": "2022-08-02", "attended_only": False} if index == 0 else {}
        ReportFactory(meeting=plm.meeting, kind=kind, options=options, fingerprint=f"{index}" * 64)
    client = plm.client_for("facilitator")

    # session, user, meeting, assigned facilitator, reports, people counts, RTL counts, awards
    with django_assert_num_queries(8):
        response = client.get(url("meeting_reports", plm.meeting))

    assert response.status_code == 200
    assert sum(len(slot.reports) for slot in response.context["slots"]) == count


# --- asking for a PDF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_report_request_by_role(plm, role, django_capture_on_commit_callbacks):
    client = plm.client_for(role)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_request", plm.meeting), ATTENDANCE_POST)

    if role in ALLOWED:
        report = Report.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"{url('meeting_reports', plm.meeting)}#report-{report.pk}"
        assert (report.status, report.requested_by) == (Report.Status.READY, plm.users[role])
    else:
        assert response.status_code == REFUSED[role]
        assert snapshot() == []


def test_report_request_htmx_answers_documents_with_polling_report(
    plm, django_capture_on_commit_callbacks
):
    client = plm.client_for("facilitator")

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            url("report_request", plm.meeting), {**ATTENDANCE_POST, "attended_only": "on"}, **HX
        )

    report = Report.objects.get()
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="report-docs"')
    assert "<html" not in body
    assert report.options == {"day": "2022-08-02", "attended_only": True}
    assert f'hx-get="{url("report_status", plm.meeting, report)}" hx-trigger="every 2s"' in body
    assert "Menunggu giliran dibuat" in body
    assert 'id="attended-only-attendance-2022-08-02" checked>' in body


def test_report_request_same_document_twice_one_report(plm, django_capture_on_commit_callbacks):
    client = plm.client_for("officer")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url("report_request", plm.meeting), ATTENDANCE_POST, **HX)
        client.post(url("report_request", plm.meeting), ATTENDANCE_POST, **HX)

    assert Report.objects.count() == 1
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"kind": "rapor"}, "Masukkan pilihan yang valid"),
        ({"kind": "attendance", "day": "2022-08-09"}, "Hari ini bukan hari pertemuan."),
        ({"kind": "attendance", "day": "kemarin"}, "Masukkan tanggal yang valid"),
    ],
)
def test_report_request_bad_input_refused_nothing_saved(plm, data, reason):
    response = plm.client_for("officer").post(url("report_request", plm.meeting), data, **HX)

    assert response.status_code == 400
    assert reason in response.content.decode()
    assert snapshot() == []


def test_report_request_certificates_without_attendees_explains(scenario):
    response = scenario.client_for("officer").post(
        url("report_request", scenario.meeting), {"kind": "certificates"}
    )

    assert response.status_code == 400
    assert "Belum ada peserta yang tercatat hadir" in response.content.decode()
    assert snapshot() == []


def test_report_request_get_not_allowed(plm):
    response = plm.client_for("officer").get(url("report_request", plm.meeting))

    assert response.status_code == 405


# --- status, retry, download --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_report_status_by_role(rendered, role):
    response = rendered.client_for(role).get(
        url("report_status", rendered.meeting, rendered.report), **HX
    )

    if role in ALLOWED:
        body = response.content.decode()
        assert response.status_code == 200
        assert body.lstrip().startswith(f'<li id="report-{rendered.report.pk}"')
        assert "hx-trigger" not in body
        assert url("report_download", rendered.meeting, rendered.report) in body
    else:
        assert response.status_code == REFUSED[role]


@pytest.mark.parametrize("status", [Report.Status.PENDING, Report.Status.RENDERING])
def test_report_status_in_progress_keeps_polling(plm, status):
    report = ReportFactory(meeting=plm.meeting, status=status)

    response = plm.client_for("officer").get(url("report_status", plm.meeting, report), **HX)

    assert 'hx-trigger="every 2s"' in response.content.decode()


def test_report_status_failed_shows_reason_and_retry_stops_polling(plm):
    report = ReportFactory(
        meeting=plm.meeting,
        status=Report.Status.FAILED,
        error_message="PDF tidak dapat dibuat karena kesalahan sistem (OSError).",
    )

    body = (
        plm.client_for("officer")
        .get(url("report_status", plm.meeting, report), **HX)
        .content.decode()
    )

    assert "PDF tidak dapat dibuat karena kesalahan sistem (OSError)." in body
    assert "Coba lagi" in body
    assert "hx-trigger" not in body


@pytest.fixture
def failed(plm, settings, tmp_path, django_capture_on_commit_callbacks):
    media = settings.MEDIA_ROOT
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker
    with django_capture_on_commit_callbacks(execute=True):
        report = ready_report(plm.meeting)
    report.refresh_from_db()
    settings.MEDIA_ROOT = media
    assert report.status == Report.Status.FAILED
    plm.report = report
    return plm


@pytest.mark.parametrize("role", ROLES)
def test_report_retry_by_role(failed, role, django_capture_on_commit_callbacks):
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = failed.client_for(role).post(
            url("report_retry", failed.meeting, failed.report), **HX
        )

    if role in ALLOWED:
        failed.report.refresh_from_db()
        assert response.status_code == 200
        assert failed.report.status == Report.Status.READY
        assert Report.objects.count() == 1
    else:
        assert response.status_code == REFUSED[role]
        assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_report_download_by_role(rendered, role):
    response = rendered.client_for(role).get(
        url("report_download", rendered.meeting, rendered.report)
    )

    if role in ALLOWED:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="daftar-hadir-plm-provinsi-jambi-2022-08-02.pdf"'
        )
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert response.status_code == REFUSED[role]


def test_report_download_attended_only_filename(plm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = ready_report(plm.meeting, day="2022-08-02", attended_only=True)

    response = plm.client_for("officer").get(url("report_download", plm.meeting, report))

    assert response["Content-Disposition"] == (
        'attachment; filename="daftar-hadir-plm-provinsi-jambi-2022-08-02-hadir.pdf"'
    )


def test_report_download_not_ready_404(plm):
    report = ReportFactory(meeting=plm.meeting, status=Report.Status.RENDERING)

    response = plm.client_for("officer").get(url("report_download", plm.meeting, report))

    assert response.status_code == 404


def test_report_of_other_province_never_served(rendered):
    riau_meeting = MeetingFactory(province=rendered.riau, title="PLM Provinsi Riau 2022")
    riau_report = ReportFactory(
        meeting=riau_meeting,
        status=Report.Status.READY,
        file=rendered.report.file.name,
        fingerprint="e" * 64,
    )
    jambi_officer = rendered.client_for("officer")
    national = rendered.client_for("national")

    # Its own meeting: not visible to a Jambi officer. Through a Jambi meeting: not that meeting's report.
    assert jambi_officer.get(url("report_download", riau_meeting, riau_report)).status_code == 404
    assert jambi_officer.get(url("report_status", riau_meeting, riau_report)).status_code == 404
    assert (
        jambi_officer.get(url("report_download", rendered.meeting, riau_report)).status_code == 404
    )
    assert national.get(url("report_download", rendered.meeting, riau_report)).status_code == 404
    assert national.get(url("report_download", riau_meeting, riau_report)).status_code == 200
