"""Participants, attendance and RTL of the meetings an export reads (``meeting_scope``).

Rows are ``values_list`` tuples read in chunks; labels are looked up in dicts made once. Participants and
attendance never carry more personal data than the user's pages show them (``Editors``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import QueryDict
from django.utils.translation import gettext as _

from meetings.forms.attendance import AttendanceDayForm
from meetings.forms.participants import GROUP_ROLES, ParticipantFilterForm
from meetings.models import Attendance, Meeting, Participation, RtlAction, RtlFollowUp
from meetings.selectors import checkin_list, participant_list
from meetings.selectors.participants import group_rank
from meetings.services.attendance import default_attendance_day
from plm_portal.choices import LineOfWork
from plm_portal.models import User
from reports.exports.base import Plan, Row, in_batches, labels, stream, summarise
from reports.exports.cells import local_phone, local_time, masked_phone, yes_no
from reports.exports.meeting_scope import Editors, meeting_scope

MEETING_FIELDS = (
    "meeting__province__name",
    "meeting__title",
    "meeting__kind",
    "meeting__year",
    "meeting__wave",
)
MEETING_ORDER = ("-meeting__start_date", "meeting__title", "meeting_id")


def _meeting_headers() -> list[str]:
    return [_("Provinsi"), _("Pertemuan"), _("Jenis pertemuan"), _("Tahun"), _("Gelombang")]


def _meeting_cells(values: tuple, kinds: dict[str, str]) -> list:
    province, title, kind, year, wave = values[:5]
    return [province, title, kinds.get(kind, kind), year, wave]


def _participations(scope) -> QuerySet[Participation]:
    if scope.meeting is not None:
        return Participation.objects.filter(meeting=scope.meeting)
    return Participation.objects.filter(meeting__in=scope.meetings)


# --- participants ------------------------------------------------------------------------------------------


def participants_plan(user: User, params: QueryDict) -> Plan:
    scope = meeting_scope(user, params)
    summary = scope.summary
    if scope.meeting is not None:
        # The participants tab's own search and group filter, each applied when valid, as the tab does.
        form = ParticipantFilterForm(params or None)
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        group = cleaned.get("group", "")
        rows = participant_list(
            scope.meeting,
            q=cleaned.get("q", "").strip(),
            roles=GROUP_ROLES[group] if group else (),
        ).order_by("group_rank", "person__full_name", "pk")
        summary = summarise(form, leading=[scope.meeting.title])
    else:
        rows = (
            _participations(scope)
            .annotate(group_rank=group_rank())
            .order_by(*MEETING_ORDER, "group_rank", "person__full_name", "pk")
        )
    rows = rows.annotate(
        present=Exists(Attendance.objects.filter(participation=OuterRef("pk")))
    ).values_list(
        *MEETING_FIELDS,
        "meeting__start_date",
        "meeting__end_date",
        "person__full_name",
        "person__gender",
        "person__position",
        "role",
        "library__name",
        "person__institution",
        "person__home_library__name",
        "library__regency__name",
        "person__phone",
        "person__email",
        "present",
        "meeting__province_id",
    )
    kinds, roles = labels(Meeting.Kind.choices), labels(Participation.Role.choices)
    editor, yes, no = Editors(user), _("Ya"), _("Tidak")

    def transform(v: tuple) -> Row:
        (start, end, name, gender, position, role, library, institution, home, regency) = v[5:15]
        phone, email, present, province_id = v[15:]
        full = editor(province_id)
        return [
            *_meeting_cells(v, kinds),
            start,
            end,
            name,
            gender,
            position,
            roles.get(role, role),
            library or institution or home or "",
            regency or "",
            local_phone(phone) if full else masked_phone(phone),
            email if full else "",
            yes_no(present, yes, no),
        ]

    headers = [
        *_meeting_headers(),
        _("Tanggal mulai"),
        _("Tanggal selesai"),
        _("Nama"),
        _("L/P"),
        _("Jabatan"),
        _("Peran"),
        _("Instansi / perpustakaan"),
        _("Kabupaten/kota perpustakaan"),
        _("No. HP"),
        _("Email"),
        _("Hadir"),
    ]
    return Plan(
        dataset="participants",
        title=_("Peserta"),
        headers=headers,
        rows=lambda: stream(rows, transform),
        count=rows.count,
        summary=summary,
    )


# --- attendance --------------------------------------------------------------------------------------------


def _attendance_headers() -> list[str]:
    return [
        *_meeting_headers(),
        _("Hari"),
        _("Nama"),
        _("L/P"),
        _("Peran"),
        _("Instansi / perpustakaan"),
        _("Hadir"),
        _("Waktu hadir"),
        _("Cara"),
    ]


ATTENDANCE_FIELDS = (
    *MEETING_FIELDS,
    "person__full_name",
    "person__gender",
    "role",
    "library__name",
    "person__institution",
    "person__home_library__name",
    "meeting__province__time_zone",
)


def attendance_plan(user: User, params: QueryDict) -> Plan:
    """One row per participant and meeting day: present or not, when, how. From the attendance tab, the day
    and the search the tab shows; from the meeting list, every day of every listed meeting."""
    scope = meeting_scope(user, params, attendance=True)
    kinds, roles = labels(Meeting.Kind.choices), labels(Participation.Role.choices)
    methods, yes, no = labels(Attendance.Method.choices), _("Ya"), _("Tidak")

    def cells(v: tuple, day: dt.date, moment, method) -> Row:
        name, gender, role, library, institution, home, time_zone = v[5:12]
        return [
            *_meeting_cells(v, kinds),
            day,
            name,
            gender,
            roles.get(role, role),
            library or institution or home or "",
            yes_no(moment is not None, yes, no),
            local_time(moment, time_zone),
            methods.get(method, "") if method else "",
        ]

    if scope.meeting is not None:
        meeting = scope.meeting
        form = AttendanceDayForm(params or None, meeting=meeting)
        day = form.cleaned_data["day"] if form.is_bound and form.is_valid() else None
        day = day or default_attendance_day(meeting)
        q, absent = params.get("q", "")[:100], params.get("absent") == "1"
        day_rows = checkin_list(meeting, day, q=q, absent=absent).values_list(
            *ATTENDANCE_FIELDS, "checked_in_at", "checkin_method"
        )
        summary = " · ".join(
            part
            for part in (
                meeting.title,
                f"{_('Hari')}: {day.isoformat()}",
                f"{_('Cari')}: {q}" if q else "",
                _("Belum hadir saja") if absent else "",
            )
            if part
        )
        return Plan(
            dataset="attendance",
            title=_("Kehadiran"),
            headers=_attendance_headers(),
            rows=lambda: stream(day_rows, lambda v: cells(v, day, v[12], v[13])),
            count=day_rows.count,
            summary=summary,
        )

    participations = (
        _participations(scope)
        .order_by(*MEETING_ORDER, "person__full_name", "pk")
        .values_list(*ATTENDANCE_FIELDS, "pk", "meeting__start_date", "meeting__end_date")
    )

    def rows() -> Iterator[Row]:
        for batch in in_batches(participations):
            marks = {
                (pk, day): (moment, method)
                for pk, day, moment, method in Attendance.objects.filter(
                    participation_id__in=[v[12] for v in batch]
                ).values_list("participation_id", "day", "checked_in_at", "method")
            }
            for v in batch:
                day, end = v[13], v[14]
                while day <= end:
                    moment, method = marks.get((v[12], day), (None, ""))
                    yield cells(v, day, moment, method)
                    day += dt.timedelta(days=1)

    return Plan(
        dataset="attendance",
        title=_("Kehadiran"),
        headers=_attendance_headers(),
        rows=rows,
        # Progress counts participants: each brings one row per meeting day.
        count=participations.count,
        summary=scope.summary,
    )


# --- RTL with its follow-ups -------------------------------------------------------------------------------

MONTHS = tuple(RtlFollowUp.Month.values)


def rtl_plan(user: User, params: QueryDict) -> Plan:
    """One row per RTL row, with its 1, 3 and 6 month follow-ups (due date, status, note) as columns."""
    scope = meeting_scope(user, params)
    if scope.meeting is not None:
        actions = RtlAction.objects.filter(meeting=scope.meeting)
    else:
        actions = RtlAction.objects.filter(meeting__in=scope.meetings)
    follow_ups = {}
    for month in MONTHS:
        check = RtlFollowUp.objects.filter(rtl_action=OuterRef("pk"), month=month)
        for field in ("due_date", "status", "note"):
            follow_ups[f"fu{month}_{field}"] = Subquery(check.values(field)[:1])
    rows = (
        actions.annotate(**follow_ups)
        .order_by(*MEETING_ORDER, "library__name", "library_id", "order", "pk")
        .values_list(
            *MEETING_FIELDS,
            "library__name",
            "library__regency__name",
            "line_of_work",
            "activity",
            "objective",
            "target_group",
            "timeline",
            "due_date",
            "responsible",
            "indicator",
            "status",
            "progress_note",
            "progress_date",
            *follow_ups,
        )
    )
    kinds, lines = labels(Meeting.Kind.choices), labels(LineOfWork.choices)
    statuses, checks = labels(RtlAction.Status.choices), labels(RtlFollowUp.Status.choices)

    def transform(v: tuple) -> Row:
        own = list(v[5:18])
        own[2] = lines.get(own[2], own[2])
        own[10] = statuses.get(own[10], own[10])
        follow = []
        for index in range(len(MONTHS)):
            due, status, note = v[18 + 3 * index : 21 + 3 * index]
            follow += [due, checks.get(status, status or ""), note or ""]
        return [*_meeting_cells(v, kinds), *own, *follow]

    headers = [
        *_meeting_headers(),
        _("Perpustakaan"),
        _("Kabupaten/kota"),
        _("Lini kerja"),
        _("Kegiatan"),
        _("Tujuan"),
        _("Sasaran"),
        _("Waktu"),
        _("Tenggat"),
        _("Penanggung jawab"),
        _("Indikator"),
        _("Status"),
        _("Catatan perkembangan"),
        _("Tanggal perkembangan"),
    ]
    for month in MONTHS:
        headers += [
            _("Tindak lanjut %(month)s bulan: jatuh tempo") % {"month": month},
            _("Tindak lanjut %(month)s bulan: status") % {"month": month},
            _("Tindak lanjut %(month)s bulan: catatan") % {"month": month},
        ]
    return Plan(
        dataset="rtl",
        title=_("RTL"),
        headers=headers,
        rows=lambda: stream(rows, transform),
        count=rows.count,
        summary=scope.summary,
    )
