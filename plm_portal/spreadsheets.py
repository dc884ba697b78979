"""Reading spreadsheets people send: CSV (UTF-8 or Windows-1252) and XLSX, safely, row by row.

Shared by the imports of every app (a meeting's participant list, the registry of libraries and people), so a
file is refused for the same reasons with the same words everywhere: too large, not UTF-8 or Windows-1252, not
a workbook, a workbook that would unpack to far more than its size (a zip bomb), too many rows. Every problem
with the file as a whole raises ``SpreadsheetError`` with a message for the user. Rows come out lazily, so a
50,000-row file is never held in memory; what a row *means* is each import's business.

Free of database reads and writes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…) and friends) when the
# list is opened again. "+62 812…" and "-" (nothing) are what people type for a phone number or a blank.
FORMULA_START = ("=", "+", "-", "@")
_NUMBER_LIKE = re.compile(r"^[+-][0-9\s().-]*$")
BLANK_MARKS = frozenset({"-", "--", "\u2014", "\u2013"})  # hyphens, em dash, en dash
# The header may sit below a title ("DAFTAR HADIR PLM …"): look for it in the first rows.
HEADER_SEARCH_ROWS = 10
_READ_CHUNK = 1024 * 1024


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; ``message`` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def key(text: str) -> str:
    """Lower-case letters and digits only: "No. HP" → "nohp", "E-mail" → "email"."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[^a-z0-9]", "", text)


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (a signed phone number is not one)."""
    return text.startswith(FORMULA_START) and not _NUMBER_LIKE.match(text)


def cell_text(value: object) -> str:
    """A cell as the text the user sees: a phone number stored as a number keeps no ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 81234567890.0 → "81234567890"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def map_header(cells: list[str], lookup: dict[str, str]) -> dict[int, str]:
    """Column index → our column name for the header cells ``lookup`` (``key(alias)`` → column) knows."""
    mapping: dict[int, str] = {}
    for index, cell in enumerate(cells):
        column = lookup.get(key(cell))
        if column and column not in mapping.values():
            mapping[index] = column
    return mapping


# --- messages ------------------------------------------------------------------------------------------


def size_label(size: int) -> str:
    return _("%(size)s MB") % {"size": number_format(size / (1024 * 1024), 1)}


def check_size(size: int, limit: int) -> None:
    """Refuse a file over ``limit`` bytes before anything reads it."""
    if size > limit:
        raise SpreadsheetError(
            _("Berkas terlalu besar (%(size)s). Ukuran maksimal %(limit)s.")
            % {"size": size_label(size), "limit": size_label(limit)}
        )


def too_many_rows_message(limit: int) -> str:
    return _("Daftar berisi lebih dari %(limit)s baris. Bagi menjadi beberapa berkas.") % {
        "limit": number_format(limit, force_grouping=True)
    }


def undecodable_message() -> str:
    return _(
        "Berkas tidak dapat dibaca: simpan sebagai “CSV UTF-8 (dibatasi koma)” atau .xlsx, lalu unggah lagi."
    )


def not_a_workbook_message() -> str:
    return _("Berkas .xlsx ini tidak dapat dibuka sebagai buku kerja Excel. Periksa berkasnya.")


def unsupported_format_message() -> str:
    return _("Format berkas ini tidak didukung. Simpan daftar sebagai .xlsx atau .csv.")


# --- CSV -----------------------------------------------------------------------------------------------


def detect_encoding(chunks: Iterable[bytes]) -> str:
    """ "utf-8-sig" when every chunk decodes as UTF-8, else "cp1252" (Excel's "CSV" on Windows).

    Reads the chunks once, keeping none: a 20 MB file costs one chunk of memory. Raises SpreadsheetError for
    UTF-16 ("Unicode Text" from Excel), a binary file renamed to .csv, or bytes neither encoding knows.
    """
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    is_utf8 = True
    first = True
    for chunk in chunks:
        if (first and chunk.startswith((b"\xff\xfe", b"\xfe\xff"))) or b"\x00" in chunk:
            raise SpreadsheetError(undecodable_message())
        first = False
        if is_utf8:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                is_utf8 = False
        try:
            cp1252.decode(chunk)
        except UnicodeDecodeError as error:
            if not is_utf8:
                raise SpreadsheetError(undecodable_message()) from error
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
    return "cp1252"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; anything else refused with SpreadsheetError."""
    return data.decode(detect_encoding([data]))


def file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    """``file`` from its start, a megabyte at a time."""
    file.seek(0)
    while chunk := file.read(_READ_CHUNK):
        yield chunk


def sniff_delimiter(first_line: str) -> str:
    """Tab (a paste from a spreadsheet), ";" (Excel with Indonesian regional settings) or ","."""
    if "\t" in first_line:
        return "\t"
    if first_line.count(";") > first_line.count(","):
        return ";"  # the comma is the decimal mark there
    return ","


def csv_rows(text: IO[str]) -> Iterator[tuple[int, list[str]]]:
    """(record number from 1, cells) of CSV ``text``, the delimiter sniffed from its first non-blank line."""
    position = text.tell()
    first_line = ""
    for line in text:
        if line.strip():
            first_line = line.lstrip("\ufeff")
            break
    text.seek(position)
    reader = csv.reader(text, delimiter=sniff_delimiter(first_line))
    try:
        for number, row in enumerate(reader, start=1):
            if number == 1 and row:
                row[0] = row[0].lstrip("\ufeff")
            yield number, row
    except csv.Error as error:
        # e.g. a cell over csv's field size limit: not a list of rows.
        raise SpreadsheetError(_("Isi berkas tidak dapat dibaca sebagai tabel.")) from error


def open_csv_text(file: IO[bytes]) -> IO[str]:
    """``file`` as text in its detected encoding, read lazily (universal newlines as csv wants)."""
    encoding = detect_encoding(file_chunks(file))
    file.seek(0)
    return io.TextIOWrapper(file, encoding=encoding, newline="")


# --- XLSX ----------------------------------------------------------------------------------------------


def check_xlsx_archive(file: IO[bytes], *, max_unpacked: int) -> None:
    """Refuse what is not a zip, or unpacks to more than ``max_unpacked`` bytes, before openpyxl reads it."""
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise SpreadsheetError(not_a_workbook_message()) from error
    if unpacked > max_unpacked:
        raise SpreadsheetError(_("Isi berkas .xlsx terlalu besar. Kurangi barisnya."))


def _guarded(rows: Iterator[tuple[object, ...]]) -> Iterator[tuple[int, list[object]]]:
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:
            # openpyxl reads lazily: a damaged sheet fails in the middle, with any kind of error.
            raise SpreadsheetError(not_a_workbook_message()) from error
        number += 1
        yield number, list(row)


@dataclass(frozen=True)
class Sheet:
    """A workbook's first sheet being read: its rows (number, cells) and the row count it declares."""

    rows: Iterator[tuple[int, list[object]]]
    declared_rows: int | None


@contextmanager
def xlsx_rows(file: IO[bytes], *, max_columns: int, max_unpacked: int) -> Iterator[Sheet]:
    """The first sheet's (row number, cells), streamed with openpyxl's read-only mode; closed on exit.

    Formulas arrive as their text ("=HYPERLINK(…)"), never as a computed value, so each import can refuse
    them. Raises SpreadsheetError for a file that is not a workbook, now or while rows are read.
    """
    from openpyxl import load_workbook  # imported here: only uploads need it

    check_xlsx_archive(file, max_unpacked=max_unpacked)
    file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception as error:
        # KeyError, ValueError, lxml's XMLSyntaxError, …: every one means the same to the user.
        raise SpreadsheetError(not_a_workbook_message()) from error
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(not_a_workbook_message())
        sheet = workbook.worksheets[0]
        try:
            declared = sheet.max_row
        except Exception:
            declared = None
        yield Sheet(
            rows=_guarded(iter(sheet.iter_rows(max_col=max_columns, values_only=True))),
            declared_rows=declared,
        )
    finally:
        workbook.close()
