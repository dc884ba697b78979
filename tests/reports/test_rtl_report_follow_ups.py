"""The Laporan RTL with the follow-ups of each row: their results in the PDF, and a new report when one changes."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from meetings.models import RtlFollowUp
from meetings.services.follow_ups import record_follow_up
from reports.documents import build_document, normalize_options
from reports.models import Report
from reports.pdf import render_document
from reports.services import request_report
from tests.factories import LibraryFactory
from tests.meetings.factories_followups import rtl_row

pytestmark = pytest.mark.django_db

GENERATED_AT = dt.datetime(2022, 8, 2, 9, 5, tzinfo=dt.UTC)


def document(meeting):
    options = normalize_options(meeting=meeting, kind=Report.Kind.RTL, options={})
    return build_document(meeting=meeting, kind=Report.Kind.RTL, options=options)


def pdf_text(meeting) -> str:
    """The PDF's text as poppler's pdftotext reads it, on one line."""
    content = render_document(
        document(meeting), verification_code="3F9A1C07", generated_at=GENERATED_AT
    ).content
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


@pytest.fixture
def checked(scenario):
    """A row whose 1-month check is done and 3-month check partly done; its 6-month check is pending."""
    library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    action = rtl_row(meeting=scenario.meeting, library=library, activity="Pojok literasi digital")
    officer = scenario.users["officer"]
    record_follow_up(
        action=action, by=officer, month=1, status="selesai", note="Pojok dibuka 1 September"
    )
    record_follow_up(
        action=action, by=officer, month=3, status="sebagian", note="Baru 2 dari 5 komputer"
    )
    return action


def test_rtl_document_rows_carry_their_follow_ups_in_month_order(scenario, checked):
    data = document(scenario.meeting).data

    (row,) = data["libraries"][0]["rows"]
    assert row["follow_ups"] == [
        {"status": "Terlaksana", "code": "selesai", "note": "Pojok dibuka 1 September", "due": ""},
        {
            "status": "Sebagian terlaksana",
            "code": "sebagian",
            "note": "Baru 2 dari 5 komputer",
            "due": "",
        },
        {"status": "Belum dicek", "code": "belum", "note": "", "due": "2 Februari 2023"},
    ]
    assert data["follow_up_summary"][0] == {
        "month": "1 bulan",
        "belum": 0,
        "selesai": 1,
        "sebagian": 0,
        "tidak": 0,
    }


def test_rtl_document_follow_up_note_is_cut_short(scenario, checked):
    record_follow_up(
        action=checked, by=scenario.users["officer"], month=6, status="tidak", note="kata " * 100
    )

    (row,) = document(scenario.meeting).data["libraries"][0]["rows"]

    assert len(row["follow_ups"][2]["note"]) <= 140
    assert row["follow_ups"][2]["note"].endswith("…")


def test_rtl_pdf_prints_each_rows_follow_up_results_and_notes(scenario, checked):
    text = pdf_text(scenario.meeting)

    assert "Tindak lanjut" in text
    assert "1 bulan 3 bulan 6 bulan" in text
    assert "Terlaksana" in text
    assert "Sebagian" in text
    assert "Pojok dibuka 1" in text
    assert "Belum dicek" in text
    assert "jatuh tempo 2" in text


def test_rtl_pdf_prints_the_follow_up_recap_per_month(scenario, checked):
    text = pdf_text(scenario.meeting)

    # month, done, partly, not done, not checked
    assert "1 bulan 1 0 0 0" in text
    assert "3 bulan 0 1 0 0" in text
    assert "6 bulan 0 0 0 1" in text


def test_rtl_report_fingerprint_follows_a_changed_follow_up(scenario, checked):
    before = document(scenario.meeting).fingerprint

    record_follow_up(
        action=checked, by=scenario.users["officer"], month=6, status="selesai", note="Tuntas"
    )

    assert document(scenario.meeting).fingerprint != before


def test_rtl_report_fingerprint_same_when_a_follow_up_is_sent_again(scenario, checked):
    before = document(scenario.meeting).fingerprint

    record_follow_up(
        action=checked,
        by=scenario.users["officer"],
        month=1,
        status="selesai",
        note="Pojok dibuka 1 September",
    )

    assert document(scenario.meeting).fingerprint == before


def test_rtl_report_requested_again_after_a_follow_up_is_a_new_report(scenario, checked):
    officer = scenario.users["officer"]
    first = request_report(meeting=scenario.meeting, kind=Report.Kind.RTL, options={}, by=officer)

    record_follow_up(action=checked, by=officer, month=6, status="tidak", note="Dana belum cair")
    second = request_report(meeting=scenario.meeting, kind=Report.Kind.RTL, options={}, by=officer)

    assert second.pk != first.pk
    assert second.fingerprint != first.fingerprint
    assert RtlFollowUp.objects.get(rtl_action=checked, month=6).status == "tidak"
