"""Phone numbers in the daftar hadir: masked (last four digits) for everyone unless the province's officer or
national staff ask for the full numbers; a facilitator can neither ask for nor see such a list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from libraries.models import Person
from reports.documents import build_document, normalize_options
from reports.models import Report
from reports.pdf import render_document, render_html
from reports.services import request_report
from tests.reports.builders import add_people, make_host, pdf_pages

pytestmark = pytest.mark.django_db

DAY = "2022-08-02"
GENERATED_AT = dt.datetime(2022, 8, 2, 9, 5, tzinfo=dt.UTC)


@pytest.fixture
def plm(scenario):
    make_host(scenario.meeting)
    add_people(scenario.meeting)
    return scenario


def phones() -> list[tuple[str, str]]:
    """(full as printed, masked as printed) for everyone on the list."""
    rows = []
    for phone in Person.objects.order_by("pk").values_list("phone", flat=True):
        local = "0" + phone[3:]
        rows.append((f"{local[:4]}-{local[4:8]}-{local[8:]}", f"…{phone[-4:]}"))
    return rows


def html(meeting, **options) -> str:
    options = normalize_options(meeting=meeting, kind=Report.Kind.ATTENDANCE, options=options)
    document = build_document(meeting=meeting, kind=Report.Kind.ATTENDANCE, options=options)
    return render_html(document, verification_code="TEST", generated_at=GENERATED_AT)


def test_attendance_html_masks_phones_by_default(plm):
    body = html(plm.meeting, day=DAY)

    assert [full in body for full, _masked in phones()] == [False] * 13
    assert [masked in body for _full, masked in phones()] == [True] * 13


def test_attendance_html_prints_full_phones_when_asked(plm):
    body = html(plm.meeting, day=DAY, full_phones=True)

    assert [full in body for full, _masked in phones()] == [True] * 13


def test_attendance_pdf_text_has_no_full_phone_by_default(plm):
    options = normalize_options(meeting=plm.meeting, kind=Report.Kind.ATTENDANCE, options={})
    document = build_document(meeting=plm.meeting, kind=Report.Kind.ATTENDANCE, options=options)

    text = " ".join(
        pdf_pages(
            render_document(document, verification_code="TEST", generated_at=GENERATED_AT).content
        )
    )

    assert [full.replace("-", "") in text.replace("-", "") for full, _m in phones()] == [False] * 13
    assert phones()[0][1] in text


def test_masked_and_full_lists_have_different_fingerprints(plm):
    masked = normalize_options(meeting=plm.meeting, kind=Report.Kind.ATTENDANCE, options={})
    full = normalize_options(
        meeting=plm.meeting, kind=Report.Kind.ATTENDANCE, options={"full_phones": True}
    )

    fingerprints = {
        build_document(meeting=plm.meeting, kind=Report.Kind.ATTENDANCE, options=o).fingerprint
        for o in (masked, full)
    }

    assert (masked, full, len(fingerprints)) == (
        {"day": DAY, "attended_only": False},
        {"day": DAY, "attended_only": False, "full_phones": True},
        2,
    )


@pytest.mark.parametrize("role", ["officer", "national"])
def test_officer_and_national_get_a_separate_full_report(
    plm, role, django_capture_on_commit_callbacks
):
    user = plm.users[role]
    with django_capture_on_commit_callbacks(execute=True):
        masked = request_report(meeting=plm.meeting, kind=Report.Kind.ATTENDANCE, by=user)
        full = request_report(
            meeting=plm.meeting,
            kind=Report.Kind.ATTENDANCE,
            options={"full_phones": True},
            by=user,
        )

    masked.refresh_from_db()
    full.refresh_from_db()
    assert masked.pk != full.pk
    assert (masked.status, full.status) == (Report.Status.READY, Report.Status.READY)
    assert full.options == {"day": DAY, "attended_only": False, "full_phones": True}


def test_facilitator_may_not_ask_for_full_phones(plm):
    with pytest.raises(PermissionDenied):
        request_report(
            meeting=plm.meeting,
            kind=Report.Kind.ATTENDANCE,
            options={"full_phones": True},
            by=plm.users["facilitator"],
        )

    assert Report.objects.count() == 0


def test_facilitator_post_of_full_phones_is_refused_and_writes_nothing(plm):
    client = plm.client_for("facilitator")

    response = client.post(
        reverse("reports:report_request", args=[plm.meeting.pk]),
        {"kind": "attendance", "day": DAY, "full_phones": "on"},
    )

    assert (response.status_code, Report.objects.count()) == (403, 0)


def test_reports_tab_offers_full_phones_to_officer_only(plm):
    page = reverse("reports:meeting_reports", args=[plm.meeting.pk])

    officer = plm.client_for("officer").get(page).content.decode()
    facilitator = plm.client_for("facilitator").get(page).content.decode()

    assert ('name="full_phones"' in officer, 'name="full_phones"' in facilitator) == (True, False)


@pytest.fixture
def full_report(plm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(
            meeting=plm.meeting,
            kind=Report.Kind.ATTENDANCE,
            options={"full_phones": True},
            by=plm.users["officer"],
        )
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    plm.report = report
    return plm


@pytest.mark.parametrize(
    ("role", "expected"),
    [("officer", 200), ("national", 200), ("facilitator", 404), ("other_officer", 404)],
)
def test_full_report_download_by_role(full_report, role, expected):
    url = reverse("reports:report_download", args=[full_report.meeting.pk, full_report.report.pk])

    response = full_report.client_for(role).get(url)

    assert response.status_code == expected
    if expected == 200:
        text = " ".join(pdf_pages(b"".join(response.streaming_content)))
        assert phones()[0][0].replace("-", "") in text.replace("-", "")


def test_full_report_not_listed_for_facilitator(full_report):
    page = reverse("reports:meeting_reports", args=[full_report.meeting.pk])
    marker = f'id="report-{full_report.report.pk}"'

    officer = full_report.client_for("officer").get(page).content.decode()
    facilitator = full_report.client_for("facilitator").get(page).content.decode()

    assert (marker in officer, marker in facilitator) == (True, False)
