"""Property-based tests of the participant-list import (hypothesis): whatever bytes, text or table a user sends,
the parser gives rows or an ImportFileError with a message, the row check never fails, the preview page answers
200, and the import saves every row or none.

Derandomized (the same examples on every run, CI included) and kept to ~100-150 examples per property.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from libraries.models import Person
from meetings.importing.files import (
    COLUMN_ALIASES,
    MAX_ROWS,
    ImportFileError,
    SourceRow,
    parse_text,
    parse_upload,
)
from meetings.importing.rows import RowStatus, check_rows
from meetings.models import Participation
from meetings.services.participant_import import import_participants

pytestmark = pytest.mark.django_db


def properties(max_examples: int = 150) -> hypothesis_settings:
    return hypothesis_settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,  # no .hypothesis/ folder in the worktree
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,  # the database fixtures: each example is delta-checked
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# --- strategies -----------------------------------------------------------------------------------------

FILENAMES = st.sampled_from(
    [
        "peserta.csv",
        "peserta.txt",
        "peserta.tsv",
        "PESERTA.CSV",
        "peserta",
        "peserta.xlsx",
        "peserta.xls",
        "peserta.ods",
        "peserta.pdf",
        ".csv",
    ]
)
HEADER_CELLS = st.one_of(
    st.sampled_from([alias for aliases in COLUMN_ALIASES.values() for alias in aliases]),
    st.sampled_from(["No", "Keterangan", "Tanda tangan", "DAFTAR HADIR PLM", ""]),
    st.text(max_size=20),
)
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "-",
            "—",
            "P",
            "L",
            "Perempuan",
            "0812 3456 7890",
            "+62 812-3456-7891",
            "62812345678",
            "81234567890.0",
            "12",
            '=HYPERLINK("http://evil.example","x")',
            "@SUM(A1)",
            "+1",
            "Dinas Perpustakaan Kota Jambi",
            "Perpustakaan Desa",
            "Narasumber",
            "fasilitator daerah",
            "a@example.id",
            "bukan email",
            "Siti Aminah",
            '"',
            '""',
            "a,b;c\td",
            "\ufeff",
            "\r\n",
            "x" * 300,
        ]
    ),
    st.text(max_size=40),
)
ANY_TABLES = st.tuples(
    st.lists(st.text(max_size=30), max_size=2),  # title lines above the header
    st.lists(HEADER_CELLS, min_size=0, max_size=10),
    st.lists(st.lists(CELLS, max_size=10), max_size=12),
)
# Tables a user would really send: the required columns (in any order, beside others), plausible rows.
ROLES = st.sampled_from(
    ["Narasumber", "Perpustakaan Desa", "Fasilitator Daerah", "Dinas Perpustakaan Provinsi", "x"]
)
PLAUSIBLE_ROWS = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(["Siti Aminah", "Budi"]), st.text(min_size=1, max_size=30)),
        ROLES,
        st.sampled_from(["", "P", "L", "X"]),
        st.sampled_from(["", "", "", "0812 3456 7890", "0812 3456 7891", "12", "=1+1"]),
        st.sampled_from(["", "", "a@example.id", "bukan email"]),
        st.sampled_from(["", "", "Dinas Perpustakaan Kota Jambi", "Tidak Ada"]),
    ).map(list),
    min_size=1,
    max_size=4,
)
PLAUSIBLE_TABLES = st.tuples(
    st.lists(st.text(max_size=30), max_size=1),
    st.just(["Nama", "Peran", "L/P", "No. HP", "Email", "Perpustakaan"]),
    PLAUSIBLE_ROWS,
)
TABLES = st.one_of(ANY_TABLES, PLAUSIBLE_TABLES)


def _csv_text(title: list[str], header: list[str], rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for line in title:
        writer.writerow([line])
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _xlsx(title: list[str], header: list[str], rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in [[t] for t in title] + [header, *rows]:
        # openpyxl refuses control characters in cells; a file saved by Excel never has them.
        sheet.append(
            [
                "".join(ch for ch in v if ch >= " " or ch in "\t\n\r") if isinstance(v, str) else v
                for v in line
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_BASE_XLSX = _xlsx(
    [], ["Nama", "L/P", "No. HP", "Peran"], [["Siti", "P", "0812 3456 7890", "Narasumber"]]
)


def _rows_or_clear_error(parse) -> list[SourceRow] | None:
    """Rows, each with only our columns; or None after an ImportFileError carrying a message."""
    try:
        rows = parse()
    except ImportFileError as error:
        assert isinstance(error.message, str)
        assert error.message.strip()
        return None
    assert 1 <= len(rows) <= MAX_ROWS
    for row in rows:
        assert isinstance(row, SourceRow)
        assert row.number >= 1
        assert set(row.values) <= set(COLUMN_ALIASES)
        assert all(isinstance(value, str) for value in row.values.values())
    return rows


def _saved() -> tuple[int, int]:
    return Person.objects.count(), Participation.objects.count()


# --- the parser -----------------------------------------------------------------------------------------


@properties(200)
@given(data=st.binary(max_size=4096), filename=FILENAMES)
def test_parse_upload_any_bytes_gives_rows_or_a_clear_error(data, filename):
    _rows_or_clear_error(lambda: parse_upload(data=data, filename=filename))


@properties(200)
@given(text=st.text(max_size=2000))
def test_parse_text_any_text_gives_rows_or_a_clear_error(text):
    _rows_or_clear_error(lambda: parse_text(text))


@properties(150)
@given(
    table=TABLES,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_parse_upload_csv_like_tables_give_rows_or_a_clear_error(table, delimiter, encoding):
    text = _csv_text(*table, delimiter=delimiter)
    data = text.encode(encoding, errors="replace")

    rows = _rows_or_clear_error(lambda: parse_upload(data=data, filename="peserta.csv"))

    if rows is not None:
        assert len(rows) <= len(table[2])


@properties(60)
@given(
    table=TABLES,
    numbers=st.lists(
        st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.dates()),
        max_size=5,
    ),
)
def test_parse_upload_workbooks_give_rows_or_a_clear_error(table, numbers):
    title, header, rows = table
    data = _xlsx(title, header, [*rows, numbers])

    _rows_or_clear_error(lambda: parse_upload(data=data, filename="peserta.xlsx"))


@properties(150)
@given(
    changes=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(_BASE_XLSX) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=20,
    ),
    cut=st.integers(min_value=0, max_value=len(_BASE_XLSX)),
)
def test_parse_upload_damaged_workbook_gives_rows_or_a_clear_error(changes, cut):
    data = bytearray(_BASE_XLSX)
    for index, value in changes:
        data[index] = value

    _rows_or_clear_error(lambda: parse_upload(data=bytes(data[: max(cut, 1)]), filename="p.xlsx"))


# --- the check and the import ---------------------------------------------------------------------------


@properties(100)
@given(table=TABLES, delimiter=st.sampled_from([",", ";", "\t"]))
def test_check_rows_of_any_table_never_fails_and_writes_nothing(scenario, table, delimiter):
    rows = _rows_or_clear_error(lambda: parse_text(_csv_text(*table, delimiter=delimiter)))
    before = _saved()

    checks = check_rows(meeting=scenario.meeting, rows=rows or [])

    assert _saved() == before
    assert len(checks) == len(rows or [])
    for check in checks:
        assert check.status in set(RowStatus)
        assert (check.status == RowStatus.ERROR) == bool(check.errors)


@properties(100)
@given(table=TABLES, delimiter=st.sampled_from([",", ";", "\t"]))
def test_import_of_any_table_saves_every_row_or_none(scenario, table, delimiter):
    rows = _rows_or_clear_error(lambda: parse_text(_csv_text(*table, delimiter=delimiter)))
    if rows is None:
        event("file refused")
        return
    people, participations = _saved()

    try:
        result = import_participants(
            meeting=scenario.meeting, rows=rows, by=scenario.users["officer"]
        )
    except ValidationError as error:
        event("rows refused")
        assert error.messages
        assert _saved() == (people, participations)
        return
    event("imported")

    assert _saved() == (people + result.created_people, participations + result.added)
    assert result.added + result.skipped == len(rows)


@properties(100)
@given(data=st.binary(max_size=2048), filename=FILENAMES)
def test_import_page_any_upload_answers_with_the_page_and_saves_nothing(scenario, data, filename):
    client = scenario.client_for("officer")
    before = _saved()

    response = client.post(
        reverse("meetings:participants_import", args=[scenario.meeting.pk]),
        {"file": SimpleUploadedFile(filename, data)},
    )

    assert response.status_code == 200
    assert _saved() == before


@properties(100)
@given(text=st.text(max_size=1500))
def test_import_page_any_paste_answers_with_the_page_and_saves_nothing(scenario, text):
    client = scenario.client_for("officer")
    before = _saved()

    response = client.post(
        reverse("meetings:participants_import", args=[scenario.meeting.pk]), {"text": text}
    )

    assert response.status_code == 200
    assert _saved() == before
