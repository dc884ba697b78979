"""Participant lists from a spreadsheet: read a pasted table, a CSV or an XLSX file, then check every row.

Two steps, both free of writes:

1. ``parse_upload`` / ``parse_text`` turn the raw bytes into ``SourceRow``s (row number as the user sees it in
   the spreadsheet, values keyed by our column names). A problem with the file as a whole (too large, not
   UTF-8 or Windows-1252, not a workbook, a required column missing, too many rows) raises ``ImportFileError``
   with a message for the user.
2. ``check_rows`` looks at every row against the meeting's province (people matched by phone or e-mail,
   libraries by name, people already in the meeting) and returns a ``RowCheck`` per row with its status and
   its errors in Indonesian ("Baris 4: nomor HP tidak valid").

``meetings.services.participants.import_participants`` calls ``check_rows`` again inside its transaction and
writes only when no row has an error.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from libraries.models import Library, Person
from libraries.phone import normalize_phone
from meetings.models import Meeting, Participation
from plm_portal.choices import Gender

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
# An XLSX is a zip: a 2 MB file can unpack to gigabytes. Refuse before openpyxl reads it.
MAX_XLSX_UNPACKED_BYTES = 40 * 1024 * 1024
# Rows read from a sheet, blank ones included (a sheet formatted down to row 1,048,576 yields them all).
MAX_SCANNED_ROWS = 10 * MAX_ROWS
MAX_COLUMNS = 40
# The header may sit below a title ("DAFTAR HADIR PLM …"): look for it in the first rows.
HEADER_SEARCH_ROWS = 10

NAME, GENDER, PHONE, EMAIL, POSITION, INSTITUTION, ROLE, LIBRARY = (
    "name",
    "gender",
    "phone",
    "email",
    "position",
    "institution",
    "role",
    "library",
)
REQUIRED_COLUMNS = (NAME, ROLE)


def _key(text: str) -> str:
    """Lower-case letters and digits only: "No. HP" → "nohp", "E-mail" → "email"."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[^a-z0-9]", "", text)


# Header names accepted for each column, Indonesian and English, compared by ``_key``.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    NAME: ("Nama", "Nama lengkap", "Name", "Full name"),
    GENDER: ("L/P", "Jenis kelamin", "JK", "Gender", "Sex"),
    PHONE: (
        "No. HP",
        "Nomor HP",
        "HP",
        "No. WA",
        "WhatsApp",
        "No. Telepon",
        "Telepon",
        "Phone",
        "Phone number",
        "Mobile",
    ),
    EMAIL: ("Email", "E-mail", "Surel", "Alamat email"),
    POSITION: ("Jabatan", "Position", "Job title"),
    INSTITUTION: ("Instansi", "Instansi/Asal", "Asal", "Asal instansi", "Institution"),
    ROLE: ("Peran", "Role", "Kategori peserta"),
    LIBRARY: (
        "Perpustakaan",
        "Perpustakaan yang diwakili",
        "Library",
        "Libraries",
        "Represented library",
    ),
}
_HEADER_LOOKUP = {
    _key(alias): column for column, aliases in COLUMN_ALIASES.items() for alias in aliases
}

# Words people write for a role besides its value and its label.
_ROLE_ALIASES: dict[str, str] = {
    "dinasprovinsi": Participation.Role.PROVINCIAL_OFFICE,
    "dinasperpustakaanprovinsi": Participation.Role.PROVINCIAL_OFFICE,
    "dinaskabupatenkota": Participation.Role.REGENCY_OFFICE,
    "dinaskabkota": Participation.Role.REGENCY_OFFICE,
    "dinasperpustakaankabkota": Participation.Role.REGENCY_OFFICE,
    "perpusdes": Participation.Role.VILLAGE_LIBRARY,
    "perpustakaandesakelurahan": Participation.Role.VILLAGE_LIBRARY,
    "impact": Participation.Role.IMPACT,
    "dampak": Participation.Role.IMPACT,
    "fasda": Participation.Role.REGIONAL_FACILITATOR,
    "narasumberlokal": Participation.Role.RESOURCE_PERSON,
    "resourceperson": Participation.Role.RESOURCE_PERSON,
    "committee": Participation.Role.COMMITTEE,
}
_GENDER_ALIASES: dict[str, str] = {
    "l": Gender.MALE,
    "lakilaki": Gender.MALE,
    "pria": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "p": Gender.FEMALE,
    "perempuan": Gender.FEMALE,
    "wanita": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}
# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…) and friends) when the
# list is opened again. "+62 812…" and "-" (nothing) are what people type for a phone number or a blank.
_FORMULA_START = ("=", "+", "-", "@")
_NUMBER_LIKE = re.compile(r"^[+-][0-9\s().-]*$")
_BLANK_MARKS = {"-", "--", "\u2014", "\u2013"}  # hyphens, em dash, en dash


class ImportFileError(Exception):
    """The file as a whole cannot be read; ``message`` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SourceRow:
    """One data row: ``number`` as the spreadsheet shows it (the header is usually row 1)."""

    number: int
    values: dict[str, str]


class RowStatus(StrEnum):
    NEW = "new"
    EXISTING = "existing"
    IN_MEETING = "in_meeting"
    ERROR = "error"


@dataclass
class RowCheck:
    """What the import will do with one row, or why it cannot."""

    number: int
    full_name: str = ""
    gender: str = ""
    phone: str = ""
    email: str = ""
    position: str = ""
    institution: str = ""
    role: str = ""
    library_name: str = ""
    library: Library | None = None
    person: Person | None = None
    status: RowStatus = RowStatus.NEW
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return Participation.Role(self.role).label if self.role else ""

    def add_error(self, message: str) -> None:
        self.errors.append(
            _("Baris %(number)s: %(message)s") % {"number": self.number, "message": message}
        )
        self.status = RowStatus.ERROR


# --- step 1: the file -----------------------------------------------------------------------------------


def _size_label(size: int) -> str:
    return _("%(size)s MB") % {"size": number_format(size / (1024 * 1024), 1)}


def check_size(size: int) -> None:
    """Refuse a file over the limit before anything reads it."""
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("Berkas terlalu besar (%(size)s). Ukuran maksimal %(limit)s.")
            % {"size": _size_label(size), "limit": _size_label(MAX_UPLOAD_BYTES)}
        )


def parse_upload(*, data: bytes, filename: str) -> list[SourceRow]:
    """Rows of an uploaded ``.csv``/``.txt`` (UTF-8 with or without BOM, or Windows-1252) or ``.xlsx``."""
    check_size(len(data))
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _table_rows(_xlsx_cells(data))
    if name.endswith((".xls", ".ods", ".numbers")):
        raise ImportFileError(
            _("Format berkas ini tidak didukung. Simpan daftar sebagai .xlsx atau .csv.")
        )
    if name.endswith((".csv", ".txt", ".tsv")) or "." not in name:
        return parse_text(decode_text(data))
    raise ImportFileError(_("Unggah berkas .csv atau .xlsx."))


def parse_text(text: str) -> list[SourceRow]:
    """Rows of a table pasted from a spreadsheet (tab-separated) or of CSV text (comma or semicolon)."""
    check_size(len(text.encode("utf-8")))
    # Drop a BOM left by a paste; universal newlines for files from any system.
    text = text.lstrip("\ufeff")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first_line:
        delimiter = "\t"
    elif first_line.count(";") > first_line.count(","):
        # Excel with Indonesian regional settings separates with ";" (the comma is the decimal mark).
        delimiter = ";"
    else:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table_rows(enumerate(reader, start=1))
    except csv.Error as error:
        # e.g. a cell over csv's field size limit: not a participant list.
        raise ImportFileError(_("Isi berkas tidak dapat dibaca sebagai tabel.")) from error


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel's "CSV" on Windows); anything else refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        # UTF-16 ("Unicode Text" from Excel) or a binary file renamed to .csv.
        raise ImportFileError(_undecodable_message())
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(_undecodable_message()) from error


def _undecodable_message() -> str:
    return _(
        "Berkas tidak dapat dibaca: simpan sebagai “CSV UTF-8 (dibatasi koma)” atau .xlsx, lalu unggah lagi."
    )


def _not_a_workbook_message() -> str:
    return _("Berkas .xlsx ini tidak dapat dibuka sebagai buku kerja Excel. Periksa berkasnya.")


def _xlsx_cells(data: bytes) -> list[tuple[int, list[object]]]:
    # Imported here: openpyxl is only needed for uploads.
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportFileError(_not_a_workbook_message()) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(_("Isi berkas .xlsx terlalu besar. Kurangi barisnya."))
    try:
        # data_only=False: a formula arrives as its text ("=HYPERLINK(…)") and is refused row by row.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:
        # openpyxl raises many kinds of error on a damaged or fake workbook (KeyError, ValueError, lxml's
        # XMLSyntaxError, …); every one means the same to the user.
        raise ImportFileError(_not_a_workbook_message()) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError(_not_a_workbook_message())
        # iter_rows is lazy: read it all here, while the workbook is open, and wrap its errors too.
        rows: list[tuple[int, list[object]]] = []
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
            if number > MAX_SCANNED_ROWS:
                raise ImportFileError(_too_many_rows_message())
            rows.append((number, list(row)))
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(_not_a_workbook_message()) from error
    finally:
        workbook.close()
    return rows


def _too_many_rows_message() -> str:
    return _("Daftar berisi lebih dari %(limit)s baris. Bagi menjadi beberapa berkas.") % {
        "limit": number_format(MAX_ROWS, force_grouping=True)
    }


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        # A phone number stored as a number: 81234567890.0 → "81234567890".
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _map_header(cells: list[str]) -> dict[int, str]:
    """Column index → our column name, for the header cells we recognise (others are ignored)."""
    mapping: dict[int, str] = {}
    for index, cell in enumerate(cells):
        column = _HEADER_LOOKUP.get(_key(cell))
        if column and column not in mapping.values():
            mapping[index] = column
    return mapping


def _column_label(column: str) -> str:
    return {
        NAME: _("Nama"),
        GENDER: _("L/P"),
        PHONE: _("No. HP"),
        EMAIL: _("Email"),
        POSITION: _("Jabatan"),
        INSTITUTION: _("Instansi"),
        ROLE: _("Peran"),
        LIBRARY: _("Perpustakaan"),
    }[column]


def _table_rows(numbered: Iterable[tuple[int, list[object]]]) -> list[SourceRow]:
    header: dict[int, str] | None = None
    first_cells: list[str] | None = None
    rows: list[SourceRow] = []
    for number, raw in numbered:
        if number > MAX_SCANNED_ROWS:
            raise ImportFileError(_too_many_rows_message())
        cells = [_cell_text(value) for value in raw[:MAX_COLUMNS]]
        if not any(cells):
            continue
        if header is None:
            if first_cells is None:
                first_cells = cells
            mapping = _map_header(cells)
            if NAME in mapping.values() and len(mapping) >= 2:
                header = mapping
                continue
            if number >= HEADER_SEARCH_ROWS:
                break
            continue
        values = {
            column: cells[index] if index < len(cells) else "" for index, column in header.items()
        }
        rows.append(SourceRow(number=number, values=values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(_too_many_rows_message())
    if first_cells is None:
        raise ImportFileError(_("Daftar kosong: tidak ada baris judul kolom maupun data."))
    found = set((header or _map_header(first_cells)).values())
    missing = [column for column in REQUIRED_COLUMNS if column not in found]
    if missing or header is None:
        raise ImportFileError(
            _(
                "Kolom wajib tidak ditemukan: %(columns)s. Baris pertama harus berisi judul kolom, "
                "mis. Nama, L/P, No. HP, Email, Jabatan, Instansi, Peran, Perpustakaan."
            )
            % {"columns": ", ".join(_column_label(c) for c in missing or [NAME])}
        )
    if not rows:
        raise ImportFileError(_("Daftar tidak berisi baris data di bawah judul kolom."))
    return rows


# --- step 2: the rows -----------------------------------------------------------------------------------


def _role_lookup() -> dict[str, str]:
    lookup = dict(_ROLE_ALIASES)
    for value, label in Participation.Role.choices:
        lookup[_key(value)] = value
        # The label in the page's language and, whatever that is, the Indonesian one.
        lookup[_key(str(label))] = value
        with translation.override("id"):
            lookup[_key(str(label))] = value
    return lookup


def _is_formula(text: str) -> bool:
    return text.startswith(_FORMULA_START) and not _NUMBER_LIKE.match(text)


_MAX_LENGTHS = {
    NAME: Person._meta.get_field("full_name").max_length,
    EMAIL: Person._meta.get_field("email").max_length,
    POSITION: Person._meta.get_field("position").max_length,
    INSTITUTION: Person._meta.get_field("institution").max_length,
}


def check_rows(*, meeting: Meeting, rows: list[SourceRow]) -> list[RowCheck]:
    """Check every row against the meeting's province; no writes. A few queries whatever the row count."""
    roles = _role_lookup()
    checks = [_check_values(row, roles) for row in rows]
    province_id = meeting.province_id

    library_names = {c.library_name.lower() for c in checks if c.library_name}
    libraries: dict[str, Library] = {}
    if library_names:
        for library in Library.objects.annotate(lname=Lower("name")).filter(
            province_id=province_id, lname__in=library_names
        ):
            libraries[library.lname] = library
    for check in checks:
        if check.library_name:
            check.library = libraries.get(check.library_name.lower())
            if check.library is None:
                check.add_error(
                    _("perpustakaan “%(name)s” tidak ada di Provinsi %(province)s")
                    % {"name": check.library_name, "province": meeting.province.name}
                )

    phones = {c.phone for c in checks if c.phone}
    emails = {c.email.lower() for c in checks if c.email}
    by_phone: dict[str, Person] = {}
    by_email: dict[str, Person] = {}
    if phones or emails:
        people = (
            Person.objects.filter(province_id=province_id)
            .annotate(lemail=Lower("email"))
            .select_related("home_library")
        )
        for person in people.filter(phone__in=phones) if phones else []:
            by_phone[person.phone] = person
        for person in people.filter(lemail__in=emails) if emails else []:
            by_email[person.lemail] = person
    in_meeting = set(
        Participation.objects.filter(
            meeting=meeting,
            person__in={p.pk for p in [*by_phone.values(), *by_email.values()]},
        ).values_list("person_id", flat=True)
    )

    for check in checks:
        phone_match = by_phone.get(check.phone) if check.phone else None
        email_match = by_email.get(check.email.lower()) if check.email else None
        if phone_match and email_match and phone_match.pk != email_match.pk:
            check.add_error(
                _("nomor HP milik %(a)s, tetapi email milik %(b)s")
                % {"a": phone_match.full_name, "b": email_match.full_name}
            )
            continue
        person = phone_match or email_match
        if person is None:
            continue
        check.person = person
        if check.status == RowStatus.ERROR:
            continue
        if person.pk in in_meeting:
            check.status = RowStatus.IN_MEETING
        else:
            check.status = RowStatus.EXISTING
        if _key(person.full_name) != _key(check.full_name):
            check.notes.append(
                _("cocok dengan %(name)s yang sudah terdaftar; datanya tidak diubah")
                % {"name": person.full_name}
            )

    _flag_duplicates(checks)
    _note_same_names(checks, province_id)
    return checks


def _check_values(row: SourceRow, roles: dict[str, str]) -> RowCheck:
    check = RowCheck(number=row.number)
    values = {column: value.strip() for column, value in row.values.items()}
    formulas = set()
    # Only the columns we import are looked at: an ignored column (a numbering "=ROW()-1") is never stored.
    for column, value in values.items():
        if _is_formula(value):
            check.add_error(
                _("kolom %(column)s berisi rumus (diawali = + - @); tulis sebagai teks biasa")
                % {"column": _column_label(column)}
            )
            formulas.add(column)
            values[column] = ""
        elif value in _BLANK_MARKS:
            values[column] = ""
    check.full_name = " ".join(values.get(NAME, "").split())
    check.position = values.get(POSITION, "")
    check.institution = values.get(INSTITUTION, "")
    check.library_name = " ".join(values.get(LIBRARY, "").split())

    for column, value in (
        (NAME, check.full_name),
        (POSITION, check.position),
        (INSTITUTION, check.institution),
    ):
        if len(value) > _MAX_LENGTHS[column]:
            check.add_error(
                _("%(column)s terlalu panjang (maks. %(limit)s karakter)")
                % {"column": _column_label(column), "limit": _MAX_LENGTHS[column]}
            )
    if not check.full_name and NAME not in formulas:
        check.add_error(_("nama wajib diisi"))

    gender = values.get(GENDER, "")
    if gender:
        check.gender = _GENDER_ALIASES.get(_key(gender), "")
        if not check.gender:
            check.add_error(_("L/P harus L atau P, bukan “%(value)s”") % {"value": gender})

    phone = values.get(PHONE, "")
    if phone:
        try:
            check.phone = normalize_phone(phone)
        except ValidationError:
            check.add_error(_("nomor HP tidak valid (%(value)s)") % {"value": phone})

    email = values.get(EMAIL, "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            check.add_error(_("email tidak valid (%(value)s)") % {"value": email})
        else:
            if len(email) > _MAX_LENGTHS[EMAIL]:
                check.add_error(_("email terlalu panjang"))
            else:
                check.email = email

    role = values.get(ROLE, "")
    if role:
        check.role = roles.get(_key(role), "")
        if not check.role:
            check.add_error(
                _("peran “%(value)s” tidak dikenal; gunakan salah satu: %(roles)s")
                % {
                    "value": role,
                    "roles": ", ".join(str(label) for label in Participation.Role.labels),
                }
            )
    elif ROLE not in formulas:
        check.add_error(_("peran wajib diisi"))
    return check


def _flag_duplicates(checks: list[RowCheck]) -> None:
    """Rows with the same phone, e-mail or matched person: every one of them is an error."""
    by_phone: dict[str, list[RowCheck]] = defaultdict(list)
    by_email: dict[str, list[RowCheck]] = defaultdict(list)
    by_person: dict[int, list[RowCheck]] = defaultdict(list)
    for check in checks:
        if check.phone:
            by_phone[check.phone].append(check)
        if check.email:
            by_email[check.email.lower()].append(check)
        if check.person is not None:
            by_person[check.person.pk].append(check)
    for check in checks:
        same_phone = [o.number for o in by_phone.get(check.phone, []) if o is not check]
        same_email = [o.number for o in by_email.get(check.email.lower(), []) if o is not check]
        reported = set(same_phone) | set(same_email)
        same_person = [
            o.number
            for o in (by_person.get(check.person.pk, []) if check.person else [])
            if o is not check and o.number not in reported
        ]
        for numbers, message in (
            (same_phone, _("nomor HP sama dengan baris %(rows)s")),
            (same_email, _("email sama dengan baris %(rows)s")),
            (same_person, _("orang yang sama dengan baris %(rows)s")),
        ):
            if numbers:
                check.add_error(message % {"rows": ", ".join(str(n) for n in numbers)})


def _note_same_names(checks: list[RowCheck], province_id: str) -> None:
    """A new person without phone or e-mail whose exact name exists already: a hint, not an error."""
    names = {
        check.full_name.lower()
        for check in checks
        if check.status == RowStatus.NEW and not check.phone and not check.email and check.full_name
    }
    if not names:
        return
    existing = set(
        Person.objects.annotate(lname=Lower("full_name"))
        .filter(province_id=province_id, lname__in=names)
        .values_list("lname", flat=True)
    )
    for check in checks:
        if (
            check.status == RowStatus.NEW
            and not check.phone
            and not check.email
            and check.full_name.lower() in existing
        ):
            check.notes.append(
                _("nama yang sama sudah terdaftar; tanpa nomor HP atau email orang ini dibuat baru")
            )
