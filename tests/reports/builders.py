"""Meetings with people, attendance, RTL rows and awards, shaped like the PLM Jambi 2022; and PDF text."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from pypdf import PdfReader

from libraries.models import Library, Person
from meetings.models import Attendance, Meeting, Participation
from tests.factories import LibraryFactory

Role = Participation.Role


@dataclass(frozen=True)
class Someone:
    name: str
    role: str
    gender: str = "P"
    checkin: str | None = "07:30"  # local time (WIB) on the meeting day; None: not present


# The demo PLM Jambi, shortened: who is there, in which role, and who never checked in (Hendra).
PLM_JAMBI_PEOPLE = (
    Someone("Nurhayati", Role.PROVINCIAL_OFFICE, "P", "07:32"),
    Someone("Andi Kurniawan", Role.PROVINCIAL_OFFICE, "L", "07:35"),
    Someone("Siti Aminah", Role.REGENCY_OFFICE, "P", "07:41"),
    Someone("Hendra Gunawan", Role.REGENCY_OFFICE, "L", None),
    Someone("Desi Ratnasari", Role.REGENCY_OFFICE, "P", "07:55"),
    Someone("Sri Wahyuni", Role.VILLAGE_LIBRARY, "P", "07:46"),
    Someone("Zulkifli", Role.VILLAGE_LIBRARY, "L", "07:49"),
    Someone("Ernawati", Role.IMPACT, "P", "07:47"),
    Someone("Suryadi", Role.DESA_CHAMPION, "L", "07:40"),
    Someone("Wahyu Setiawan", Role.MASTER_TRAINER, "L", "07:10"),
    Someone("Yusuf Maulana", Role.REGIONAL_FACILITATOR, "L", "07:12"),
    Someone("Lestari Handayani", Role.RESOURCE_PERSON, "P", "08:20"),
    Someone("Rizky Pratama", Role.COMMITTEE, "L", "06:55"),
)
# The printing order: by role (participants, then facilitators, then committee), then by name.
ATTENDED_IN_ORDER = [
    "Andi Kurniawan",
    "Nurhayati",
    "Desi Ratnasari",
    "Siti Aminah",
    "Sri Wahyuni",
    "Zulkifli",
    "Ernawati",
    "Suryadi",
    "Wahyu Setiawan",
    "Yusuf Maulana",
    "Lestari Handayani",
    "Rizky Pratama",
]


def make_host(meeting: Meeting, **fields) -> Library:
    """The provincial library office as host, with its head for the signature block."""
    values = {
        "name": "Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi",
        "kind": Library.Kind.PROVINCIAL_OFFICE,
        "regency": None,
        "province": meeting.province,
        "address": "Jl. Jenderal Sudirman No. 1, Kota Jambi 36138",
        "phone": "+627415550101",
        "email": "dpad.jambi@example.id",
        "head_name": "Syamsul Rizal",
        "head_title": "Kepala Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi",
        "head_nip": "196805121994031005",
        **fields,
    }
    host = LibraryFactory(**values)
    meeting.host_library = host
    meeting.venue_name = "Ballroom Hotel Puri Sipin"
    meeting.save()
    return host


def add_people(
    meeting: Meeting, people=PLM_JAMBI_PEOPLE, *, library: Library | None = None
) -> None:
    """Participants with their attendance on the meeting's first day, in bulk."""
    day = meeting.start_date
    offset = Person.objects.count()
    persons = Person.objects.bulk_create(
        Person(
            full_name=someone.name,
            gender=someone.gender,
            phone=f"+62812{offset + index:08d}",
            position="Pustakawan",
            province=meeting.province,
        )
        for index, someone in enumerate(people)
    )
    participations = Participation.objects.bulk_create(
        Participation(meeting=meeting, person=person, role=someone.role, library=library)
        for person, someone in zip(persons, people, strict=True)
    )
    zone = dt.timezone(dt.timedelta(hours=7))
    Attendance.objects.bulk_create(
        Attendance(
            participation=participation,
            day=day,
            checked_in_at=dt.datetime.combine(day, dt.time.fromisoformat(someone.checkin), zone),
        )
        for participation, someone in zip(participations, people, strict=True)
        if someone.checkin
    )


def crowd(count: int) -> list[Someone]:
    """``count`` participants who all came, named so that their printing order is their number."""
    return [
        Someone(f"Peserta {number:04d}", Role.VILLAGE_LIBRARY) for number in range(1, count + 1)
    ]


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def in_order(text: str, names: list[str]) -> bool:
    """Whether every name occurs in ``text``, each after the one before."""
    position = 0
    for name in names:
        found = text.find(name, position)
        if found < 0:
            return False
        position = found + len(name)
    return True
