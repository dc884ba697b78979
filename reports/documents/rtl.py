"""Laporan RTL: the meeting's follow-up plan (Rencana Tindak Lanjut), counted per line of work, then listed
library by library (offices first) with every row and its status."""

from __future__ import annotations

from collections import Counter
from typing import Any

from meetings.models import Meeting, RtlAction
from plm_portal.choices import LineOfWork
from reports.documents.base import Document, heading, library_area, long_date, meeting_filename
from reports.models import Report
from reports.selectors import libraries_without_rtl, rtl_actions

KIND = Report.Kind.RTL
Status = RtlAction.Status


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
    }


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
            "without_plan": libraries_without_rtl(meeting),
        },
    )
