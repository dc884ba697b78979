"""CSV and XLSX from a row iterator, in flat memory: rows are written as they come, never gathered first.

CSV: UTF-8 with a byte order mark (Excel on Windows then reads the accents right), commas, RFC 4180 quoting,
CRLF line ends. XLSX: openpyxl's write-only workbook, which streams each row to a temporary XML file; numbers
and dates stay typed, texts are neutralised (``cells.neutralise``) and so never become formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from reports.exports.cells import neutralise

BOM = "\ufeff"
# Rows gathered into one chunk of the streamed CSV: fewer, larger writes to the socket.
CSV_ROWS_PER_CHUNK = 500
# Excel's last row is 1,048,576; one is the header.
XLSX_MAX_ROWS = 1_048_575
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


class TooManyRows(Exception):
    """More rows than one Excel sheet holds."""


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(neutralise(value))


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks: the BOM and header first, then CSV_ROWS_PER_CHUNK rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([_csv_text(header) for header in headers])
    for written, row in enumerate(rows, start=1):
        writer.writerow([_csv_text(value) for value in row])
        if written % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_xlsx(
    target: Any,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str,
    on_progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """Write one sheet (bold header, header row frozen) to ``target`` (a path or binary file); return the rows.

    ``on_progress(rows written)`` is called every ``every`` rows. Raises TooManyRows past Excel's limit.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(str(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    written = 0
    for row in rows:
        if written >= XLSX_MAX_ROWS:
            raise TooManyRows
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        written += 1
        if on_progress and written % every == 0:
            on_progress(written)
    workbook.save(target)
    return written


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return neutralise(value)


def _sheet_title(title: str) -> str:
    # A sheet title has at most 31 characters and none of []:*?/\
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return (cleaned or "Data")[:31]
