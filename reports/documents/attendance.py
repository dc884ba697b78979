"""Daftar hadir: one list per meeting day, everyone taking part in three blocks, with a signature box each.

Options: ``{"day": "2022-08-02", "attended_only": false}``, plus ``"full_phones": true`` when asked for; the
day defaults to the meeting's first. Phone numbers are printed masked (the last four digits, as the portal
shows them to a facilitator) unless ``full_phones``, which only the province's officers and national staff may
ask for (reports.services checks it); the option is part of the fingerprint, so a masked and a full list are
two reports.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy

from libraries.phone import last_digits
from meetings.models import Meeting, Participation
from reports.documents.base import Document, heading, long_date, meeting_slug, phone_display
from reports.models import Report
from reports.selectors import attendance_rows

KIND = Report.Kind.ATTENDANCE
Group = Participation.Group
# The printed blocks, in Participation.Group order: letter and heading as written on the paper form.
SECTION_HEADINGS = {
    Group.PARTICIPANTS: ("A", gettext_lazy("Peserta")),
    Group.FACILITATORS: ("B", gettext_lazy("Fasilitator dan Narasumber")),
    Group.COMMITTEE: ("C", gettext_lazy("Panitia")),
}
# Role names as a printed list has room for them.
ROLE_SHORT = {
    Participation.Role.PROVINCIAL_OFFICE: gettext_lazy("Dinas Provinsi"),
    Participation.Role.REGENCY_OFFICE: gettext_lazy("Dinas Kab/Kota"),
    Participation.Role.VILLAGE_LIBRARY: gettext_lazy("Perpustakaan Desa"),
    Participation.Role.IMPACT: gettext_lazy("Dampak"),
}


def normalize_options(meeting: Meeting, options: dict[str, Any]) -> dict[str, Any]:
    """The day (ISO), the attended-only and full-phones flags; ValueError when the day is not one of the
    meeting's or a flag is not a boolean."""
    raw_day = options.get("day") or meeting.start_date.isoformat()
    try:
        day = dt.date.fromisoformat(str(raw_day))
    except ValueError as error:
        raise ValueError(f"Not a date: {raw_day!r}") from error
    if day not in meeting.days:
        raise ValueError(f"{day} is not a day of meeting {meeting.pk}")
    attended_only = options.get("attended_only", False)
    if not isinstance(attended_only, bool):
        raise ValueError("attended_only must be true or false")
    full_phones = options.get("full_phones", False)
    if not isinstance(full_phones, bool):
        raise ValueError("full_phones must be true or false")
    normalized = {"day": day.isoformat(), "attended_only": attended_only}
    if full_phones:
        # Stored only when asked for: a masked list keeps the options lists had before the choice existed.
        normalized["full_phones"] = True
    return normalized


def filename(meeting: Meeting, options: dict[str, Any]) -> str:
    """daftar-hadir-plm-provinsi-jambi-2022-08-02.pdf, with -hadir for the attended-only list and -hp-lengkap
    for the list with full phone numbers."""
    suffix = "-hadir" if options.get("attended_only") else ""
    suffix += "-hp-lengkap" if options.get("full_phones") else ""
    day = options.get("day") or meeting.start_date.isoformat()
    return f"daftar-hadir-{meeting_slug(meeting)}-{day}{suffix}.pdf"


def masked_phone(phone: str) -> str:
    """…0101: the last four digits, as the portal shows a number to someone who may not change the person."""
    return f"\N{HORIZONTAL ELLIPSIS}{last_digits(phone)}" if phone else ""


def _row(
    number: int, participation: Participation, zone: ZoneInfo, *, full_phones: bool
) -> dict[str, Any]:
    person = participation.person
    checked_in = participation.checked_in_at
    return {
        "no": number,
        "name": person.full_name,
        "gender": person.gender,
        "affiliation": participation.affiliation,
        "position": person.position,
        "role": str(ROLE_SHORT.get(participation.role, participation.get_role_display())),
        "phone": phone_display(person.phone) if full_phones else masked_phone(person.phone),
        "checkin": checked_in.astimezone(zone).strftime("%H.%M") if checked_in else "",
    }


def build(meeting: Meeting, options: dict[str, Any]) -> Document:
    day = dt.date.fromisoformat(options["day"])
    attended_only = options["attended_only"]
    full_phones = options.get("full_phones", False)
    zone = ZoneInfo(meeting.province.time_zone)
    people = attendance_rows(meeting, day=day, attended_only=attended_only)
    sections = []
    for group, roles in Participation.GROUP_ROLES.items():
        members = [p for p in people if p.role in roles]
        if not members:
            continue
        rows = [
            _row(number, p, zone, full_phones=full_phones)
            for number, p in enumerate(members, start=1)
        ]
        genders = Counter(row["gender"] for row in rows)
        letter, title = SECTION_HEADINGS[group]
        sections.append(
            {
                "letter": letter,
                "title": str(title),
                "rows": rows,
                "total": len(rows),
                "male": genders["L"],
                "female": genders["P"],
                "present": sum(1 for row in rows if row["checkin"]),
            }
        )
    return Document(
        kind=KIND,
        template_name="reports/pdf/attendance.html",
        stylesheets=("base.css", "attendance.css"),
        filename=filename(meeting, options),
        options=options,
        data={
            **heading(meeting, day),
            "day": long_date(day, weekday=True),
            "day_iso": day.isoformat(),
            "day_number": meeting.days.index(day) + 1,
            "day_count": len(meeting.days),
            "attended_only": attended_only,
            "full_phones": full_phones,
            "sections": sections,
            "total": sum(section["total"] for section in sections),
        },
    )
