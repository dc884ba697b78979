"""Participant lists, step 1: the file. A pasted table, a CSV or an XLSX file becomes ``SourceRow``s.

Free of database reads and writes. ``parse_upload`` / ``parse_text`` turn the raw bytes into ``SourceRow``s
(row number as the user sees it in the spreadsheet, values keyed by our column names). A problem with the file
as a whole (too large, not UTF-8 or Windows-1252, not a workbook, a required column missing, too many rows)
raises ``ImportFileError`` with a message for the user. Step 2 is ``meetings.importing.rows``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

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


def key(text: str) -> str:
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
    key(alias): column for column, aliases in COLUMN_ALIASES.items() for alias in aliases
}


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
        column = _HEADER_LOOKUP.get(key(cell))
        if column and column not in mapping.values():
            mapping[index] = column
    return mapping


def column_label(column: str) -> str:
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
            % {"columns": ", ".join(column_label(c) for c in missing or [NAME])}
        )
    if not rows:
        raise ImportFileError(_("Daftar tidak berisi baris data di bawah judul kolom."))
    return rows
