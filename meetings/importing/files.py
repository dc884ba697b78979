"""Participant lists, step 1: the file. A pasted table, a CSV or an XLSX file becomes ``SourceRow``s.

Free of database reads and writes. ``parse_upload`` / ``parse_text`` turn the raw bytes into ``SourceRow``s
(row number as the user sees it in the spreadsheet, values keyed by our column names). A problem with the file
as a whole (too large, not UTF-8 or Windows-1252, not a workbook, a required column missing, too many rows)
raises ``ImportFileError`` with a message for the user. Step 2 is ``meetings.importing.rows``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from libraries.importing.columns import PERSON_ALIASES
from plm_portal import spreadsheets
from plm_portal.spreadsheets import (
    HEADER_SEARCH_ROWS,
    cell_text,
    decode_text,
    key,
    map_header,
    too_many_rows_message,
)
from plm_portal.spreadsheets import SpreadsheetError as ImportFileError

__all__ = ["ImportFileError", "decode_text", "key"]

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
# An XLSX is a zip: a 2 MB file can unpack to gigabytes. Refuse before openpyxl reads it.
MAX_XLSX_UNPACKED_BYTES = 40 * 1024 * 1024
# Rows read from a sheet, blank ones included (a sheet formatted down to row 1,048,576 yields them all).
MAX_SCANNED_ROWS = 10 * MAX_ROWS
MAX_COLUMNS = 40

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


# Header names accepted for each column, Indonesian and English, compared by ``_key``.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    # The person columns read as in the registry import of people (libraries.importing.columns).
    **{
        column: PERSON_ALIASES[column]
        for column in (NAME, GENDER, PHONE, EMAIL, POSITION, INSTITUTION)
    },
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


@dataclass(frozen=True)
class SourceRow:
    """One data row: ``number`` as the spreadsheet shows it (the header is usually row 1)."""

    number: int
    values: dict[str, str]


# --- step 1: the file -----------------------------------------------------------------------------------


def check_size(size: int) -> None:
    """Refuse a file over the limit before anything reads it."""
    spreadsheets.check_size(size, MAX_UPLOAD_BYTES)


def parse_upload(*, data: bytes, filename: str) -> list[SourceRow]:
    """Rows of an uploaded ``.csv``/``.txt`` (UTF-8 with or without BOM, or Windows-1252) or ``.xlsx``."""
    check_size(len(data))
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _table_rows(_xlsx_cells(data))
    if name.endswith((".xls", ".ods", ".numbers")):
        raise ImportFileError(spreadsheets.unsupported_format_message())
    if name.endswith((".csv", ".txt", ".tsv")) or "." not in name:
        return parse_text(decode_text(data))
    raise ImportFileError(_("Unggah berkas .csv atau .xlsx."))


def parse_text(text: str) -> list[SourceRow]:
    """Rows of a table pasted from a spreadsheet (tab-separated) or of CSV text (comma or semicolon)."""
    check_size(len(text.encode("utf-8")))
    # Drop a BOM left by a paste; universal newlines for files from any system.
    text = text.lstrip("\ufeff")
    return _table_rows(spreadsheets.csv_rows(io.StringIO(text, newline="")))


def _xlsx_cells(data: bytes) -> list[tuple[int, list[object]]]:
    rows: list[tuple[int, list[object]]] = []
    with spreadsheets.xlsx_rows(
        io.BytesIO(data), max_columns=MAX_COLUMNS, max_unpacked=MAX_XLSX_UNPACKED_BYTES
    ) as sheet:
        # Read it all here, while the workbook is open.
        for number, row in sheet.rows:
            if number > MAX_SCANNED_ROWS:
                raise ImportFileError(_too_many_rows_message())
            rows.append((number, row))
    return rows


def _too_many_rows_message() -> str:
    return too_many_rows_message(MAX_ROWS)


def _map_header(cells: list[str]) -> dict[int, str]:
    """Column index → our column name, for the header cells we recognise (others are ignored)."""
    return map_header(cells, _HEADER_LOOKUP)


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
        cells = [cell_text(value) for value in raw[:MAX_COLUMNS]]
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
