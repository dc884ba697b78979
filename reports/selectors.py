"""Reads for the report pages, always through the meeting's scope (meetings.selectors).

Whoever may see a meeting may ask for its reports and download them: national staff, the officers of its
province and the facilitators assigned to it. Anything else answers 404, so a report's existence never shows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404

from meetings.models import Meeting, Participation
from meetings.selectors import get_meeting_for_user
from plm_portal.models import User
from reports.documents import charter_awards
from reports.models import Report

# How many of a meeting's most recent reports the page looks at (older ones are superseded anyway).
RECENT_REPORTS = 200


def get_report_for_user(user: User, meeting_pk: int, report_pk: int) -> tuple[Meeting, Report]:
    """The meeting and its report ``report_pk`` if ``user`` may see the meeting, else 404."""
    meeting = get_meeting_for_user(user, meeting_pk)
    report = meeting.reports.filter(pk=report_pk).first()
    if report is None:
        raise Http404
    report.meeting = meeting
    return meeting, report


@dataclass
class DocumentSlot:
    """One document of the meeting's Laporan tab and the latest report of each of its variants."""

    kind: str
    title: str
    day: dt.date | None = None
    note: str = ""
    available: bool = True
    reports: list[Report] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.day:%Y-%m-%d}" if self.day else self.kind


def latest_reports(meeting: Meeting) -> dict[tuple[str, str], Report]:
    """The newest report per kind and options of ``meeting``: one query."""
    latest: dict[tuple[str, str], Report] = {}
    reports = meeting.reports.select_related("requested_by").order_by("-created_at", "-pk")
    for report in reports[:RECENT_REPORTS]:
        report.meeting = meeting
        latest.setdefault((report.kind, json.dumps(report.options, sort_keys=True)), report)
    return latest


def document_counts(meeting: Meeting) -> dict[str, int]:
    """What each document would hold: attendees, RTL rows and libraries, awards. Three queries."""
    people = meeting.participations.aggregate(
        attendees=Count("pk", filter=Q(attendances__isnull=False), distinct=True),
        participants=Count("pk", filter=Q(role__in=Participation.PARTICIPANT_ROLES), distinct=True),
    )
    rtl = meeting.rtl_actions.aggregate(rows=Count("pk"), libraries=Count("library", distinct=True))
    return {
        **people,
        "rtl_rows": rtl["rows"],
        "rtl_libraries": rtl["libraries"],
        "awards": charter_awards(meeting).count(),
    }
