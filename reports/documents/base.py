"""What every document shares: the Document and its fingerprint, file names, Indonesian dates, the letterhead,
the meeting block and the signature block.

The fingerprint is the SHA-256 of the document's data, its options, the builder version and the templates' and
stylesheets' bytes: the same fingerprint means the same document, so a ready PDF with it can be served again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from lokal.phone import parse_phone

from libraries.models import Library
from meetings.models import Meeting

# Bump when a builder changes what it puts in a document (templates and CSS are hashed on their own).
BUILDER_VERSION = 1

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
TEMPLATE_DIR = PROJECT_DIR / "templates" / "reports" / "pdf"
STYLE_DIR = PROJECT_DIR / "static" / "reports" / "pdf"

KIND_SLUG = {
    Meeting.Kind.PLM: "plm",
    Meeting.Kind.BIMTEK: "bimtek",
    Meeting.Kind.OTHER: "pertemuan",
}
DASH = "\N{EN DASH}"
LETTERHEAD_FIELDS = ("government", "office", "address", "contact", "logo")


class NothingToPrint(ValueError):
    """The document would have no page: no attendee for certificates, no award for charters."""


@dataclass(frozen=True)
class Document:
    """What a PDF prints. ``sheets`` names the list in ``data`` whose items each fill pages of their own and
    share nothing with the others (no page numbers, no totals carried over): such a document may be laid out a
    slice of that list at a time (``batches``). Empty for a document laid out whole, like a table."""

    kind: str
    template_name: str
    stylesheets: tuple[str, ...]
    filename: str
    data: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)
    sheets: str = ""

    def batches(self, size: int) -> list[Document]:
        """This document as documents of at most ``size`` of its sheets each, in order; itself when it has no
        sheets or no more than ``size``."""
        items = self.data[self.sheets] if self.sheets else []
        if len(items) <= size:
            return [self]
        return [
            replace(self, data={**self.data, self.sheets: items[start : start + size]})
            for start in range(0, len(items), size)
        ]

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


# --- file names ----------------------------------------------------------------------------------------


def meeting_slug(meeting: Meeting) -> str:
    """plm-provinsi-jambi: what a file of this meeting is called, short and readable."""
    return f"{KIND_SLUG.get(meeting.kind, 'pertemuan')}-provinsi-{slugify(meeting.province.name)}"


def meeting_filename(prefix: str, meeting: Meeting) -> str:
    """laporan-rtl-plm-provinsi-jambi-2022-08-02.pdf: one document per meeting, named by its first day."""
    return f"{prefix}-{meeting_slug(meeting)}-{meeting.start_date.isoformat()}.pdf"


# --- blocks every document prints ------------------------------------------------------------------------


def place_name(meeting: Meeting) -> str:
    """The town a document is signed in: the venue's regency or city without "Kota "/"Kabupaten " ("Jambi"
    for Kota Jambi), else the host office's, else the province."""
    regency = meeting.venue_regency
    if regency is None and meeting.host_library_id and meeting.host_library.regency_id:
        regency = meeting.host_library.regency
    if regency is None:
        return meeting.province.name
    return regency.name.removeprefix("Kota ").removeprefix("Kabupaten ")


def meeting_data(meeting: Meeting) -> dict[str, Any]:
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
        "place": place_name(meeting),
    }


def letterhead(meeting: Meeting) -> dict[str, Any]:
    """The kop surat of the host office: government, office, address and contact, logo (a storage name).

    A meeting without a host office is headed by Perpusnas, as settings.PLM_NATIONAL_LETTERHEAD writes it.
    """
    library = meeting.host_library
    if library is None:
        national = settings.PLM_NATIONAL_LETTERHEAD
        return {key: national.get(key, "") for key in LETTERHEAD_FIELDS}
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


def official(meeting: Meeting, day: dt.date) -> dict[str, Any]:
    """Who signs: the head of the host office, with the place and date written above the signature."""
    library = meeting.host_library
    return {
        "place_date": f"{place_name(meeting)}, {long_date(day)}",
        "title": (library.head_title or _("Kepala %(office)s") % {"office": library.name})
        if library
        else "",
        "name": library.head_name if library else "",
        "nip": library.head_nip if library else "",
    }


def heading(meeting: Meeting, day: dt.date) -> dict[str, Any]:
    """The meeting, letterhead and signature blocks, as every document's data starts."""
    return {
        "meeting": meeting_data(meeting),
        "letterhead": letterhead(meeting),
        "official": official(meeting, day),
    }


def library_area(library: Library) -> str:
    """Desa Mendalo Darat, Kabupaten Muaro Jambi — or the regency alone."""
    parts = [str(library.village) if library.village_id else ""]
    parts.append(library.regency.name if library.regency_id else "")
    return ", ".join(part for part in parts if part)
