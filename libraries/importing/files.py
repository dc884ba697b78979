"""The uploaded file of a registry import: kept in private storage and read as a stream, never whole.

``analyse`` runs once at upload (in the request): it refuses a bad file with a ``SpreadsheetError`` message
(format, size, encoding, broken or oversized workbook, no header, no data, too many rows) and finds the header
row and a few preview rows. ``records`` then yields every data row, mapped to our field names, for the check
and the apply (Celery), reading one row at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from typing import IO

from django.core.files.storage import storages
from django.utils.translation import gettext as _

from libraries.importing.columns import header_score
from plm_portal import spreadsheets
from plm_portal.spreadsheets import SpreadsheetError, cell_text, too_many_rows_message

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # 50,000 rows of people are ~5 MB as CSV, ~3 MB as XLSX
MAX_ROWS = 60_000
# What a 20 MB workbook may unpack to (shared strings and sheet XML); far beyond that is a zip bomb.
MAX_XLSX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_COLUMNS = 40
MAX_HEADER_LENGTH = 60
PREVIEW_ROWS = 10
# Blank rows in a row that end the table: a sheet formatted down to row 1,048,576 yields them all.
BLANK_RUN_END = 1000


@dataclass(frozen=True)
class Record:
    """One data row: ``number`` as the spreadsheet shows it, ``values`` by our field names (stripped)."""

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class Analysis:
    """What the upload step learns: the header row, its cells, a few rows after it, how many rows follow."""

    header_row: int
    headers: list[str]
    preview: list[tuple[int, list[str]]]
    row_estimate: int


def file_type(filename: str) -> str:
    """ "csv" or "xlsx" from the name; SpreadsheetError for any other format."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        return "csv"
    if name.endswith((".xls", ".ods", ".numbers")):
        raise SpreadsheetError(spreadsheets.unsupported_format_message())
    raise SpreadsheetError(_("Unggah berkas .csv atau .xlsx."))


@contextmanager
def _rows(
    file: IO[bytes], kind: str
) -> Iterator[tuple[Iterator[tuple[int, list[str]]], int | None]]:
    """(row number, cells as text) of ``file``, streamed; and the rows a workbook declares (None: CSV)."""
    if kind == "xlsx":
        with spreadsheets.xlsx_rows(
            file, max_columns=MAX_COLUMNS, max_unpacked=MAX_XLSX_UNPACKED_BYTES
        ) as sheet:
            yield (
                ((n, [cell_text(v) for v in cells]) for n, cells in sheet.rows),
                sheet.declared_rows,
            )
        return
    text = spreadsheets.open_csv_text(file)
    try:
        cells = (
            (n, [c.strip() for c in row[:MAX_COLUMNS]]) for n, row in spreadsheets.csv_rows(text)
        )
        yield cells, None
    finally:
        text.detach()  # the caller closes the file


def _table(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows, ending at a long run of blank ones; more than the scan limit is refused."""
    blank_run = 0
    for number, cells in rows:
        if number > MAX_ROWS * 2:
            raise SpreadsheetError(too_many_rows_message(MAX_ROWS))
        if any(cells):
            blank_run = 0
            yield number, cells
        else:
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                return


def analyse(*, file: IO[bytes], filename: str, import_kind: str) -> Analysis:
    """Check the file as a whole and find its header; raises SpreadsheetError with the user's message.

    The header is the row among the first ``HEADER_SEARCH_ROWS`` non-blank ones whose cells name most of our
    columns (the first row when none does: the user maps them by hand).
    """
    kind = file_type(filename)
    candidates: list[tuple[int, list[str]]] = []
    preview: list[tuple[int, list[str]]] = []
    count = 0
    with _rows(file, kind) as (rows, declared_rows):
        table = _table(rows)
        for number, cells in table:
            candidates.append((number, cells))
            if len(candidates) >= spreadsheets.HEADER_SEARCH_ROWS:
                break
        if not candidates:
            raise SpreadsheetError(_("Daftar kosong: tidak ada baris judul kolom maupun data."))
        best = max(candidates, key=lambda row: header_score(import_kind, row[1]))
        if header_score(import_kind, best[1]) == 0:
            best = candidates[0]
        header_row, headers = best
        after = [row for row in candidates if row[0] > header_row]
        if kind == "csv":
            # Counting a CSV's rows is a quick pass; a workbook declares its size instead.
            for row in chain(after, table):
                count += 1
                if len(preview) < PREVIEW_ROWS:
                    preview.append(row)
                if count > MAX_ROWS:
                    raise SpreadsheetError(too_many_rows_message(MAX_ROWS))
        else:
            for row in after:
                preview.append(row)
            for row in table:
                if len(preview) >= PREVIEW_ROWS:
                    break
                preview.append(row)
    if not preview:
        raise SpreadsheetError(_("Daftar tidak berisi baris data di bawah judul kolom."))
    if kind == "xlsx":
        declared = (declared_rows or 0) - header_row
        # A sheet's declared size is only a hint (some writers declare "A1"): unknown (0) when too small.
        count = declared if declared >= len(preview) else 0
        if count > MAX_ROWS:
            raise SpreadsheetError(too_many_rows_message(MAX_ROWS))
    headers = [cell[:MAX_HEADER_LENGTH] for cell in headers]
    return Analysis(header_row=header_row, headers=headers, preview=preview, row_estimate=count)


def mapped(cells: list[str], mapping: dict[str, int]) -> dict[str, str]:
    """The cells of a row by field name, following ``mapping`` (field → column index)."""
    return {
        field: (cells[index].strip() if index < len(cells) else "")
        for field, index in mapping.items()
    }


@contextmanager
def open_stored(name: str) -> Iterator[IO[bytes]]:
    """The stored upload, opened for reading (seekable: openpyxl needs that)."""
    with storages["private"].open(name, "rb") as stored:
        # The plain file object under Django's File: csv and openpyxl want io's full interface.
        yield getattr(stored, "file", stored)


def records(
    *, name: str, filename: str, header_row: int, mapping: dict[str, int]
) -> Iterator[Record]:
    """Every data row below the header of the stored file ``name``, mapped; one row in memory at a time.

    Raises SpreadsheetError when the file has become unreadable or holds more than MAX_ROWS rows.
    """
    kind = file_type(filename)
    count = 0
    with open_stored(name) as file, _rows(file, kind) as (rows, _declared):
        for number, cells in _table(rows):
            if number <= header_row:
                continue
            count += 1
            if count > MAX_ROWS:
                raise SpreadsheetError(too_many_rows_message(MAX_ROWS))
            yield Record(number=number, values=mapped(cells, mapping))
