"""What each PDF is made from: plain data read from the database, shaped for its template, and its fingerprint.

A builder returns a ``Document``: the template to render, a readable file name, and ``data``, a JSON-serialisable
dict of every value the document prints (names, dates already written the Indonesian way, counts). The
fingerprint is the SHA-256 of that data, the options, the builder version and the templates' and stylesheets'
bytes: the same fingerprint means the same document, so a ready PDF with it can be served again.

Documents are always in Indonesian, whatever language the person asking reads the portal in: they are filed
with the government, and dates are written the way Indonesian officials write them ("Selasa, 2 Agustus 2022").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import F, FilteredRelation, Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lokal.phone import parse_phone

from libraries.models import Library
from meetings.models import Award, Meeting, Participation, RtlAction
from plm_portal.choices import LineOfWork
from reports.models import Report

# Bump when a builder changes what it puts in a document (templates and CSS are hashed on their own).
BUILDER_VERSION = 1

PROJECT_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = PROJECT_DIR / "templates" / "reports" / "pdf"
STYLE_DIR = PROJECT_DIR / "static" / "reports" / "pdf"

ROLE_ORDER = {role: index for index, role in enumerate(Participation.Role.values)}
LIBRARY_KIND_ORDER = {kind: index for index, kind in enumerate(Library.Kind.values)}
KIND_SLUG = {
    Meeting.Kind.PLM: "plm",
    Meeting.Kind.BIMTEK: "bimtek",
    Meeting.Kind.OTHER: "pertemuan",
}
# Role names as a printed list has room for them.
ROLE_SHORT = {
    Participation.Role.PROVINCIAL_OFFICE: gettext_lazy("Dinas Provinsi"),
    Participation.Role.REGENCY_OFFICE: gettext_lazy("Dinas Kab/Kota"),
    Participation.Role.VILLAGE_LIBRARY: gettext_lazy("Perpustakaan Desa"),
    Participation.Role.IMPACT: gettext_lazy("Dampak"),
}
DASH = "\N{EN DASH}"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class NothingToPrint(ValueError):
    """The document would have no page: no attendee for certificates, no award for charters."""


@dataclass(frozen=True)
class Document:
    kind: str
    template_name: str
    stylesheets: tuple[str, ...]
    filename: str
    data: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        payload = {
            "kind": self.kind,
            "options": self.options,
            "builder": BUILDER_VERSION,
            "templates": templates_digest(),
            "data": self.data,
        }
        encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(encoded.encode()).hexdigest()


def templates_digest() -> str:
    """A hash of every PDF template and stylesheet: editing one makes every earlier PDF stale.

    Read each time (a dozen small files): a running server then notices an edited template too.
    """
    digest = hashlib.sha256()
    for folder in (TEMPLATE_DIR, STYLE_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(PROJECT_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


# --- options -----------------------------------------------------------------------------------------


def normalize_options(
    *, meeting: Meeting, kind: str, options: dict[str, Any] | None
) -> dict[str, Any]:
    """The options of ``kind`` in their one stored form; ValueError when they do not fit the meeting.

    Attendance lists are one per meeting day: ``{"day": "2022-08-02", "attended_only": false}`` (the day
    defaults to the first); the other documents take no options.
    """
    options = dict(options or {})
    if kind == Report.Kind.ATTENDANCE:
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
        return {"day": day.isoformat(), "attended_only": attended_only}
    if kind in Report.Kind.values:
        return {}
    raise ValueError(f"Unknown report kind {kind!r}")


def build_document(*, meeting: Meeting, kind: str, options: dict[str, Any]) -> Document:
    """Read what the document of ``kind`` prints for ``meeting``. ``options`` must be normalised."""
    builders = {
        Report.Kind.ATTENDANCE: build_attendance,
        Report.Kind.FOLLOW_UP: build_follow_up,
        Report.Kind.CERTIFICATES: build_certificates,
        Report.Kind.AWARD_CHARTERS: build_award_charters,
    }
    with translation.override("id"):
        return builders[kind](meeting, options)


# --- formatting ----------------------------------------------------------------------------------------


def long_date(day: dt.date, *, weekday: bool = False) -> str:
    return date_format(day, "l, j F Y" if weekday else "j F Y")


def date_range(start: dt.date, end: dt.date) -> str:
    """ "Selasa, 2 Agustus 2022", or "14-16 Juni 2022" / "30 Juni - 2 Juli 2022" (en dashes) for several."""
    if start == end:
        return long_date(start, weekday=True)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{DASH}{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} {DASH} {date_format(end, 'j F Y')}"
    return f"{long_date(start)} {DASH} {long_date(end)}"


def phone_display(phone: str) -> str:
    """+6281274100101 → 0812-7410-0101, the way people write their number on a list."""
    if not phone:
        return ""
    info = parse_phone(phone)
    return info.national if info.valid and info.national else phone


def meeting_slug(meeting: Meeting) -> str:
    """plm-provinsi-jambi: what a file of this meeting is called, short and readable."""
    return f"{KIND_SLUG.get(meeting.kind, 'pertemuan')}-provinsi-{slugify(meeting.province.name)}"


FILE_PREFIX = {
    Report.Kind.ATTENDANCE: "daftar-hadir",
    Report.Kind.FOLLOW_UP: "laporan-rtl",
    Report.Kind.CERTIFICATES: "sertifikat",
    Report.Kind.AWARD_CHARTERS: "piagam",
}


def document_filename(*, meeting: Meeting, kind: str, options: dict[str, Any]) -> str:
    """daftar-hadir-plm-provinsi-jambi-2022-08-02.pdf: readable, and the same for the same document."""
    if kind == Report.Kind.ATTENDANCE:
        suffix = "-hadir" if options.get("attended_only") else ""
        day = options.get("day") or meeting.start_date.isoformat()
        return f"daftar-hadir-{meeting_slug(meeting)}-{day}{suffix}.pdf"
    return f"{FILE_PREFIX[kind]}-{meeting_slug(meeting)}-{meeting.start_date.isoformat()}.pdf"


def _place_name(meeting: Meeting) -> str:
    """The town a document is signed in: the venue's regency or city without "Kota "/"Kabupaten " ("Jambi"
    for Kota Jambi), else the host office's, else the province."""
    regency = meeting.venue_regency
    if regency is None and meeting.host_library_id and meeting.host_library.regency_id:
        regency = meeting.host_library.regency
    if regency is None:
        return meeting.province.name
    return regency.name.removeprefix("Kota ").removeprefix("Kabupaten ")


def _meeting_data(meeting: Meeting) -> dict[str, Any]:
    venue_parts = [meeting.venue_name, meeting.venue_regency.name if meeting.venue_regency else ""]
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "kind": meeting.get_kind_display(),
        "province": meeting.province.name,
        "time_zone": meeting.province.time_zone,
        "time_zone_abbreviation": meeting.province.time_zone_abbreviation,
        "year": meeting.year,
        "dates": date_range(meeting.start_date, meeting.end_date),
        "venue": ", ".join(part for part in venue_parts if part),
        "venue_address": meeting.venue_address,
        "mode": meeting.get_mode_display(),
        "online": meeting.mode == Meeting.Mode.DARING,
        "host": meeting.host_library.name if meeting.host_library_id else "",
        "place": _place_name(meeting),
    }


def _letterhead(meeting: Meeting) -> dict[str, Any]:
    """The kop surat of the host office: government, office, address and contact, logo (a storage name)."""
    library = meeting.host_library
    if library is None:
        return {
            "government": "",
            "office": "PERPUSTAKAAN NASIONAL REPUBLIK INDONESIA",
            "address": "Jl. Medan Merdeka Selatan No. 11, Jakarta Pusat 10110",
            "contact": "",
            "logo": "",
        }
    if library.kind == Library.Kind.PROVINCIAL_OFFICE:
        government = f"Pemerintah Provinsi {meeting.province.name}"
    elif library.kind == Library.Kind.REGENCY_OFFICE and library.regency_id:
        government = f"Pemerintah {library.regency.name}"
    elif library.kind == Library.Kind.VILLAGE and library.village_id:
        government = f"Pemerintah {library.village}"
    else:
        government = ""
    contact = []
    if library.phone:
        contact.append(_("Telepon %(phone)s") % {"phone": phone_display(library.phone)})
    if library.email:
        contact.append(_("Pos-el %(email)s") % {"email": library.email})
    if library.website:
        contact.append(library.website)
    return {
        "government": government.upper(),
        "office": library.name.upper(),
        "address": library.address,
        "contact": " · ".join(contact),
        "logo": library.logo.name if library.logo else "",
    }


def _official(meeting: Meeting, day: dt.date) -> dict[str, Any]:
    """Who signs: the head of the host office, with the place and date written above the signature."""
    library = meeting.host_library
    return {
        "place_date": f"{_place_name(meeting)}, {long_date(day)}",
        "title": (library.head_title or _("Kepala %(office)s") % {"office": library.name})
        if library
        else "",
        "name": library.head_name if library else "",
        "nip": library.head_nip if library else "",
    }


def _library_area(library: Library) -> str:
    """Desa Mendalo Darat, Kabupaten Muaro Jambi — or the regency alone."""
    parts = [str(library.village) if library.village_id else ""]
    parts.append(library.regency.name if library.regency_id else "")
    return ", ".join(part for part in parts if part)


def _affiliation(participation: Participation) -> str:
    if participation.library_id:
        return participation.library.name
    return participation.person.affiliation


def _sort_key(participation: Participation) -> tuple:
    return (
        ROLE_ORDER.get(participation.role, 99),
        participation.person.full_name.casefold(),
        participation.pk,
    )


# --- Daftar hadir ----------------------------------------------------------------------------------------


SECTIONS = (
    ("A", gettext_lazy("Peserta"), Participation.PARTICIPANT_ROLES),
    ("B", gettext_lazy("Fasilitator dan Narasumber"), Participation.FACILITATOR_ROLES),
    ("C", gettext_lazy("Panitia"), (Participation.Role.COMMITTEE,)),
)


def attendance_rows(meeting: Meeting, day: dt.date) -> list[Participation]:
    """Everyone taking part, with ``checked_in_at`` on ``day`` (or None), in printing order: one query."""
    rows = (
        meeting.participations.annotate(
            on_day=FilteredRelation("attendances", condition=Q(attendances__day=day))
        )
        .annotate(checked_in_at=F("on_day__checked_in_at"))
        .select_related("person", "library", "person__home_library")
    )
    return sorted(rows, key=_sort_key)


def build_attendance(meeting: Meeting, options: dict[str, Any]) -> Document:
    day = dt.date.fromisoformat(options["day"])
    attended_only = options["attended_only"]
    zone = ZoneInfo(meeting.province.time_zone)
    people = attendance_rows(meeting, day)
    if attended_only:
        people = [p for p in people if p.checked_in_at is not None]
    sections = []
    for letter, title, roles in SECTIONS:
        members = [p for p in people if p.role in roles]
        if not members:
            continue
        rows = []
        for number, participation in enumerate(members, start=1):
            person = participation.person
            checked_in = participation.checked_in_at
            rows.append(
                {
                    "no": number,
                    "name": person.full_name,
                    "gender": person.gender,
                    "affiliation": _affiliation(participation),
                    "position": person.position,
                    "role": str(
                        ROLE_SHORT.get(participation.role, participation.get_role_display())
                    ),
                    "phone": phone_display(person.phone),
                    "checkin": checked_in.astimezone(zone).strftime("%H.%M") if checked_in else "",
                }
            )
        genders = Counter(row["gender"] for row in rows)
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
        kind=Report.Kind.ATTENDANCE,
        template_name="reports/pdf/attendance.html",
        stylesheets=("base.css", "attendance.css"),
        filename=document_filename(meeting=meeting, kind=Report.Kind.ATTENDANCE, options=options),
        options=options,
        data={
            "meeting": _meeting_data(meeting),
            "letterhead": _letterhead(meeting),
            "official": _official(meeting, day),
            "day": long_date(day, weekday=True),
            "day_iso": day.isoformat(),
            "day_number": meeting.days.index(day) + 1,
            "day_count": len(meeting.days),
            "attended_only": attended_only,
            "sections": sections,
            "total": sum(section["total"] for section in sections),
        },
    )


# --- Laporan RTL ------------------------------------------------------------------------------------------


def build_follow_up(meeting: Meeting, options: dict[str, Any]) -> Document:
    actions = list(
        meeting.rtl_actions.select_related(
            "library", "library__regency", "library__village"
        ).order_by("library__name", "library_id", "order", "pk")
    )
    groups: dict[int, dict[str, Any]] = {}
    for action in actions:
        library = action.library
        group = groups.get(library.pk)
        if group is None:
            group = groups[library.pk] = {
                "sort": (LIBRARY_KIND_ORDER.get(library.kind, 99), library.name.casefold()),
                "library": library.name,
                "kind": library.get_kind_display(),
                "area": _library_area(library) or meeting.province.name,
                "rows": [],
            }
        group["rows"].append(
            {
                "no": len(group["rows"]) + 1,
                "activity": action.activity,
                "line": action.get_line_of_work_display(),
                "objective": action.objective,
                "target_group": action.target_group,
                "timeline": action.timeline
                or (long_date(action.due_date) if action.due_date else ""),
                "due": long_date(action.due_date) if action.due_date and action.timeline else "",
                "responsible": action.responsible,
                "indicator": action.indicator,
                "status": action.get_status_display(),
                "status_code": action.status,
            }
        )
    libraries = sorted(groups.values(), key=lambda group: group["sort"])
    for number, group in enumerate(libraries, start=1):
        group["number"] = number
        del group["sort"]

    statuses = RtlAction.Status
    summary = []
    for line in LineOfWork:
        of_line = [a for a in actions if a.line_of_work == line]
        counts = Counter(a.status for a in of_line)
        summary.append(
            {
                "line": str(line.label),
                "total": len(of_line),
                "planned": counts[statuses.PLANNED],
                "in_progress": counts[statuses.IN_PROGRESS],
                "done": counts[statuses.DONE],
            }
        )
    all_counts = Counter(a.status for a in actions)
    represented = (
        meeting.participations.filter(
            role__in=Participation.PARTICIPANT_ROLES, library__isnull=False
        )
        .exclude(library_id__in=groups.keys())
        .values_list("library__name", flat=True)
        .distinct()
        .order_by("library__name")
    )
    return Document(
        kind=Report.Kind.FOLLOW_UP,
        template_name="reports/pdf/follow_up.html",
        stylesheets=("base.css", "follow_up.css"),
        filename=document_filename(meeting=meeting, kind=Report.Kind.FOLLOW_UP, options=options),
        options=options,
        data={
            "meeting": _meeting_data(meeting),
            "letterhead": _letterhead(meeting),
            "official": _official(meeting, meeting.end_date),
            "libraries": libraries,
            "summary": summary,
            "totals": {
                "total": len(actions),
                "planned": all_counts[statuses.PLANNED],
                "in_progress": all_counts[statuses.IN_PROGRESS],
                "done": all_counts[statuses.DONE],
            },
            "without_plan": list(represented),
        },
    )


# --- Sertifikat --------------------------------------------------------------------------------------------


def certificate_recipients(meeting: Meeting) -> list[Participation]:
    """Everyone recorded present on at least one day of ``meeting``, in printing order."""
    attended = meeting.participations.filter(attendances__isnull=False).distinct()
    return sorted(
        attended.select_related("person", "library", "person__home_library"), key=_sort_key
    )


def build_certificates(meeting: Meeting, options: dict[str, Any]) -> Document:
    recipients = certificate_recipients(meeting)
    if not recipients:
        raise NothingToPrint(_("Belum ada peserta yang tercatat hadir: belum ada sertifikat."))
    certificates = [
        {
            "number": f"{number:03d}",
            "name": participation.person.full_name,
            "affiliation": _affiliation(participation),
            "role": (
                _("Peserta")
                if participation.role in Participation.PARTICIPANT_ROLES
                else participation.get_role_display()
            ),
        }
        for number, participation in enumerate(recipients, start=1)
    ]
    return Document(
        kind=Report.Kind.CERTIFICATES,
        template_name="reports/pdf/certificates.html",
        stylesheets=("base.css", "charter.css"),
        filename=document_filename(meeting=meeting, kind=Report.Kind.CERTIFICATES, options=options),
        options=options,
        data={
            "meeting": _meeting_data(meeting),
            "letterhead": _letterhead(meeting),
            "official": _official(meeting, meeting.end_date),
            "certificates": certificates,
        },
    )


# --- Piagam -----------------------------------------------------------------------------------------------


def charter_awards(meeting: Meeting):
    """The province's awards of the meeting's year presented at this meeting, or not recorded at any.

    An award presented at another meeting of the same year gets its charter from that meeting.
    """
    return (
        Award.objects.filter(province_id=meeting.province_id, year=meeting.year)
        .filter(Q(meeting=meeting) | Q(meeting__isnull=True))
        .select_related("library", "library__regency", "library__village")
        .order_by("rank", "pk")
    )


def build_award_charters(meeting: Meeting, options: dict[str, Any]) -> Document:
    category_order = {category: index for index, category in enumerate(Award.Category.values)}
    awards = sorted(charter_awards(meeting), key=lambda a: (category_order[a.category], a.rank))
    if not awards:
        raise NothingToPrint(_("Belum ada penghargaan untuk pertemuan ini: belum ada piagam."))
    charters = [
        {
            "number": f"{number:03d}",
            "library": award.library.name,
            "area": _library_area(award.library),
            "category": award.get_category_display().upper(),
            "rank": ROMAN[award.rank - 1] if 1 <= award.rank <= len(ROMAN) else str(award.rank),
            "citation": award.citation,
        }
        for number, award in enumerate(awards, start=1)
    ]
    return Document(
        kind=Report.Kind.AWARD_CHARTERS,
        template_name="reports/pdf/award_charters.html",
        stylesheets=("base.css", "charter.css"),
        filename=document_filename(
            meeting=meeting, kind=Report.Kind.AWARD_CHARTERS, options=options
        ),
        options=options,
        data={
            "meeting": _meeting_data(meeting),
            "letterhead": _letterhead(meeting),
            "official": _official(meeting, meeting.end_date),
            "charters": charters,
        },
    )
