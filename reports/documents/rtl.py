"""Laporan RTL: the meeting's follow-up plan (Rencana Tindak Lanjut), counted per line of work, then listed
library by library (offices first) with every row, its status and its checks 1, 3 and 6 months after the
meeting (result and a short note, or the due date of one not recorded).

Every follow-up's status and note is in the document's data, so a changed check changes the fingerprint and
makes a new report. Lateness is not printed: it depends on the day, and the same data must give the same PDF.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.text import Truncator

from meetings.models import Meeting, RtlAction, RtlFollowUp
from meetings.selectors import attach_follow_ups
from plm_portal.choices import LineOfWork
from reports.documents.base import Document, heading, library_area, long_date, meeting_filename
from reports.models import Report
from reports.selectors import libraries_without_rtl, rtl_actions

KIND = Report.Kind.RTL
Status = RtlAction.Status
FollowUpStatus = RtlFollowUp.Status
# A check's note in the report: the start of it (the portal has it whole).
NOTE_CHARS = 140


def filename(meeting: Meeting, options: dict[str, Any]) -> str:
    return meeting_filename("laporan-rtl", meeting)


def _row(number: int, action: RtlAction) -> dict[str, Any]:
    return {
        "no": number,
        "activity": action.activity,
        "line": action.get_line_of_work_display(),
        "objective": action.objective,
        "target_group": action.target_group,
        "timeline": action.timeline or (long_date(action.due_date) if action.due_date else ""),
        "due": long_date(action.due_date) if action.due_date and action.timeline else "",
        "responsible": action.responsible,
        "indicator": action.indicator,
        "status": action.get_status_display(),
        "status_code": action.status,
        "follow_ups": _follow_ups(action),
    }


def _follow_ups(action: RtlAction) -> list[dict[str, str]]:
    """The row's checks of 1, 3 and 6 months, in that order ("—" for one the row lacks)."""
    found = {follow_up.month: follow_up for follow_up in action.follow_ups.all()}
    cells = []
    for month in RtlFollowUp.Month:
        follow_up = found.get(month.value)
        if follow_up is None:
            cells.append({"status": "—", "code": "", "note": "", "due": ""})
            continue
        recorded = follow_up.status != FollowUpStatus.PENDING
        cells.append(
            {
                "status": follow_up.get_status_display(),
                "code": follow_up.status,
                "note": Truncator(follow_up.note).chars(NOTE_CHARS) if follow_up.note else "",
                "due": "" if recorded else long_date(follow_up.due_date),
            }
        )
    return cells


def _follow_up_summary(actions: list[RtlAction]) -> list[dict[str, Any]]:
    """Per month of check, how many rows got each result."""
    counts = Counter(
        (follow_up.month, follow_up.status)
        for action in actions
        for follow_up in action.follow_ups.all()
    )
    return [
        {
            "month": str(month.label),
            **{status.value: counts[month.value, status.value] for status in FollowUpStatus},
        }
        for month in RtlFollowUp.Month
    ]


def _libraries(meeting: Meeting, actions: list[RtlAction]) -> list[dict[str, Any]]:
    """The rows grouped by library, numbered in the order of Library.list_order."""
    groups: dict[int, dict[str, Any]] = {}
    for action in actions:
        library = action.library
        group = groups.get(library.pk)
        if group is None:
            group = groups[library.pk] = {
                "sort": library.list_order,
                "library": library.name,
                "kind": library.get_kind_display(),
                "area": library_area(library) or meeting.province.name,
                "rows": [],
            }
        group["rows"].append(_row(len(group["rows"]) + 1, action))
    libraries = sorted(groups.values(), key=lambda group: group["sort"])
    for number, group in enumerate(libraries, start=1):
        group["number"] = number
        del group["sort"]
    return libraries


def _counts(actions: list[RtlAction]) -> dict[str, int]:
    counts = Counter(action.status for action in actions)
    return {
        "total": len(actions),
        "planned": counts[Status.PLANNED],
        "in_progress": counts[Status.IN_PROGRESS],
        "done": counts[Status.DONE],
    }


def build(meeting: Meeting, options: dict[str, Any]) -> Document:
    actions = rtl_actions(meeting)
    attach_follow_ups(actions)
    summary = [
        {"line": str(line.label), **_counts([a for a in actions if a.line_of_work == line])}
        for line in LineOfWork
    ]
    return Document(
        kind=KIND,
        template_name="reports/pdf/rtl.html",
        stylesheets=("base.css", "rtl.css"),
        filename=filename(meeting, options),
        options=options,
        data={
            **heading(meeting, meeting.end_date),
            "libraries": _libraries(meeting, actions),
            "summary": summary,
            "totals": _counts(actions),
            "follow_up_summary": _follow_up_summary(actions),
            "without_plan": libraries_without_rtl(meeting),
        },
    )
