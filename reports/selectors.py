"""Reads of the reports app: the Laporan tab's documents and reports, and what each PDF prints.

The pages reach a meeting through its scope (meetings.selectors): whoever may see a meeting may ask for its
reports and download them, namely national staff, the officers of its province and the facilitators assigned
to it. Anything else answers 404, so a report's existence never shows. The document reads below take a meeting
already authorised (by the page, or by the service that queued the render) and cleaned options.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.models import Award, Meeting, Participation, RtlAction
from meetings.selectors import get_meeting_for_user
from plm_portal.access import can_write_province
from plm_portal.models import User
from reports.models import Report

# How many of a meeting's most recent reports the page looks at (older ones are superseded anyway).
RECENT_REPORTS = 200


def may_print_full_phones(user: User, meeting: Meeting) -> bool:
    """Whether ``user`` may ask for (and download) a document with the full phone numbers of ``meeting``'s
    people: its province's officers and national staff, who see and change those numbers in the portal.
    Facilitators see them masked, in the portal and on paper."""
    return can_write_province(user, meeting.province_id)


def get_report_for_user(user: User, meeting_pk: int, report_pk: int) -> tuple[Meeting, Report]:
    """The meeting and its report ``report_pk`` if ``user`` may see the meeting and the report, else 404.

    A report with full phone numbers is not there for a facilitator of the meeting (404, as any report they
    may not see)."""
    meeting = get_meeting_for_user(user, meeting_pk)
    report = meeting.reports.filter(pk=report_pk).first()
    if report is None or (
        report.options.get("full_phones") and not may_print_full_phones(user, meeting)
    ):
        raise Http404
    report.meeting = meeting
    return meeting, report


# --- the Laporan tab ----------------------------------------------------------------------------------------


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


def latest_reports(meeting: Meeting, *, full_phones: bool = False) -> dict[tuple[str, str], Report]:
    """The newest report per kind and options of ``meeting``: one query. Reports with full phone numbers only
    when ``full_phones`` (the user may print them: may_print_full_phones)."""
    latest: dict[tuple[str, str], Report] = {}
    reports = meeting.reports.select_related("requested_by").order_by("-created_at", "-pk")
    for report in reports[:RECENT_REPORTS]:
        if report.options.get("full_phones") and not full_phones:
            continue
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


def _attendance_slots(meeting: Meeting) -> list[DocumentSlot]:
    days = meeting.days
    slots = []
    for number, day in enumerate(days, start=1):
        title = _("Daftar Hadir")
        if len(days) > 1:
            title = _("Daftar Hadir hari ke-%(number)s") % {"number": number}
        slots.append(
            DocumentSlot(
                kind=Report.Kind.ATTENDANCE,
                title=title,
                day=day,
                note=date_format(day, "l, j F Y"),
            )
        )
    return slots


def _counted_slots(counts: dict[str, int]) -> list[DocumentSlot]:
    rtl = DocumentSlot(
        kind=Report.Kind.RTL,
        title=_("Laporan RTL"),
        note=ngettext(
            "%(rows)s kegiatan dari %(libraries)s perpustakaan",
            "%(rows)s kegiatan dari %(libraries)s perpustakaan",
            counts["rtl_rows"],
        )
        % {"rows": counts["rtl_rows"], "libraries": counts["rtl_libraries"]},
    )
    certificates = DocumentSlot(
        kind=Report.Kind.CERTIFICATES,
        title=_("Sertifikat"),
        note=(
            ngettext(
                "%(count)s sertifikat: satu halaman untuk setiap orang yang tercatat hadir",
                "%(count)s sertifikat: satu halaman untuk setiap orang yang tercatat hadir",
                counts["attendees"],
            )
            % {"count": counts["attendees"]}
            if counts["attendees"]
            else _("Belum ada yang tercatat hadir, jadi belum ada sertifikat.")
        ),
        available=bool(counts["attendees"]),
    )
    charters = DocumentSlot(
        kind=Report.Kind.AWARD_CHARTERS,
        title=_("Piagam Penghargaan"),
        note=(
            ngettext(
                "%(count)s piagam: satu untuk setiap penghargaan yang diserahkan di pertemuan ini",
                "%(count)s piagam: satu untuk setiap penghargaan yang diserahkan di pertemuan ini",
                counts["awards"],
            )
            % {"count": counts["awards"]}
            if counts["awards"]
            else _("Belum ada penghargaan yang dicatat untuk pertemuan ini.")
        ),
        available=bool(counts["awards"]),
    )
    return [rtl, certificates, charters]


def document_slots(meeting: Meeting, *, full_phones: bool = False) -> list[DocumentSlot]:
    """The documents of ``meeting``, each with the latest report of each variant: four queries. Reports with
    full phone numbers are listed only when ``full_phones`` (see latest_reports)."""
    counts = document_counts(meeting)
    slots = {slot.key: slot for slot in _attendance_slots(meeting) + _counted_slots(counts)}
    for (kind, _options), report in latest_reports(meeting, full_phones=full_phones).items():
        key = kind
        if kind == Report.Kind.ATTENDANCE:
            key = f"{kind}-{report.options.get('day', '')}"
        if key in slots:
            slots[key].reports.append(report)
    for slot in slots.values():
        # The full list before the attended-only one, masked phone numbers before full ones.
        slot.reports.sort(
            key=lambda report: (
                bool(report.options.get("attended_only")),
                bool(report.options.get("full_phones")),
            )
        )
    return list(slots.values())


# --- what the documents print ------------------------------------------------------------------------------


def list_order(participation: Participation) -> tuple[int, str, int]:
    """The order of every printed list of people: role (Participation.ROLE_ORDER), then name."""
    rank = Participation.ROLE_ORDER.get(participation.role, len(Participation.ROLE_ORDER))
    return (rank, participation.person.full_name.casefold(), participation.pk)


def attendance_rows(
    meeting: Meeting, *, day: dt.date, attended_only: bool = False
) -> list[Participation]:
    """Everyone taking part (or only those present on ``day``), with ``checked_in_at`` on ``day`` (or None),
    in list_order: one query."""
    rows = (
        meeting.participations.annotate(
            on_day=FilteredRelation("attendances", condition=Q(attendances__day=day))
        )
        .annotate(checked_in_at=F("on_day__checked_in_at"))
        .select_related("person", "library", "person__home_library")
    )
    if attended_only:
        rows = rows.filter(checked_in_at__isnull=False)
    return sorted(rows, key=list_order)


def rtl_actions(meeting: Meeting) -> list[RtlAction]:
    """The meeting's RTL rows with their libraries, by library and then in their order: one query."""
    return list(
        meeting.rtl_actions.select_related(
            "library", "library__regency", "library__village"
        ).order_by("library__name", "library_id", "order", "pk")
    )


def libraries_without_rtl(meeting: Meeting) -> list[str]:
    """Names of the libraries participants represented at ``meeting`` that have no RTL row there."""
    return list(
        meeting.participations.filter(
            role__in=Participation.PARTICIPANT_ROLES, library__isnull=False
        )
        .exclude(library_id__in=meeting.rtl_actions.values("library_id"))
        .values_list("library__name", flat=True)
        .distinct()
        .order_by("library__name")
    )


def certificate_recipients(meeting: Meeting) -> list[Participation]:
    """Everyone recorded present on at least one day of ``meeting``, in list_order."""
    attended = meeting.participations.filter(attendances__isnull=False).distinct()
    return sorted(
        attended.select_related("person", "library", "person__home_library"), key=list_order
    )


def charter_awards(meeting: Meeting) -> QuerySet[Award]:
    """The province's awards of the meeting's year presented at this meeting, or not recorded at any.

    An award presented at another meeting of the same year gets its charter from that meeting.
    """
    return (
        Award.objects.filter(province_id=meeting.province_id, year=meeting.year)
        .filter(Q(meeting=meeting) | Q(meeting__isnull=True))
        .select_related("library", "library__regency", "library__village")
        .order_by("rank", "pk")
    )
