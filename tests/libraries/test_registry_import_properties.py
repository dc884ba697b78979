"""Property-based tests of the registry import and of the form cleaners (hypothesis).

Whatever bytes or table is uploaded, the reader gives a header and rows or a SpreadsheetError with a message;
upload → check never writes a Person or Library row, and the check ends "checked" or "failed" with a reason.
The phone normaliser and the person, library, meeting and new-participant forms never raise on any text: they
clean it or give field errors.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from libraries.forms import LibraryForm, PersonForm
from libraries.importing import files, pipeline
from libraries.importing.columns import columns_of
from libraries.importing.models import ImportJob
from libraries.importing.services import request_check, start_import
from libraries.models import Library, Person
from libraries.phone import normalize_phone
from meetings.forms.meeting import MeetingForm
from meetings.forms.participants import NewPersonForm
from plm_portal.spreadsheets import SpreadsheetError
from tests.factories import LibraryFactory
from tests.libraries.registry_import_helpers import LIBRARY_HEADER, PEOPLE_HEADER, xlsx_bytes

pytestmark = pytest.mark.django_db


def properties(max_examples: int = 150) -> hypothesis_settings:
    return hypothesis_settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,  # no .hypothesis/ folder in the worktree
        deadline=None,
        report_multiple_bugs=False,  # one error, its own type (the xfail marks below name it)
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,  # the database fixtures: each example is delta-checked
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


KINDS = st.sampled_from([ImportJob.Kind.PEOPLE, ImportJob.Kind.LIBRARIES])
FILENAMES = st.sampled_from(["data.csv", "data.txt", "data.xlsx", "data.xls", "data", "data.CSV"])
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "-",
            "P",
            "L",
            "0812 3456 7890",
            "+62 812 3456 7890",
            "81234567890.0",
            '=HYPERLINK("http://evil.example","x")',
            "Kota Jambi",
            "Telanaipura",
            "Perpustakaan Desa",
            "Dinas Perpustakaan Kota Jambi",
            "a@example.id",
            '"',
            "x" * 400,
        ]
    ),
    st.text(max_size=40),
)
HEADERS = st.one_of(
    st.just(PEOPLE_HEADER),
    st.just(LIBRARY_HEADER),
    st.lists(
        st.one_of(st.sampled_from(PEOPLE_HEADER + LIBRARY_HEADER), st.text(max_size=20)), max_size=8
    ),
)
TABLES = st.tuples(HEADERS, st.lists(st.lists(CELLS, max_size=8), max_size=10))


def _csv(header: list[str], rows: list[list[str]], delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _registry() -> tuple[int, int]:
    return Person.objects.count(), Library.objects.count()


def _analyse_or_clear_error(data: bytes, filename: str, kind: str) -> files.Analysis | None:
    try:
        analysis = files.analyse(file=io.BytesIO(data), filename=filename, import_kind=kind)
    except SpreadsheetError as error:
        assert error.message.strip()
        return None
    assert analysis.header_row >= 1
    assert all(len(header) <= files.MAX_HEADER_LENGTH for header in analysis.headers)
    assert 1 <= len(analysis.preview) <= files.PREVIEW_ROWS
    return analysis


# --- the reader -----------------------------------------------------------------------------------------


@properties(200)
@given(data=st.binary(max_size=4096), filename=FILENAMES, kind=KINDS)
def test_registry_reader_any_bytes_give_rows_or_a_clear_error(data, filename, kind):
    _analyse_or_clear_error(data, filename, kind)


@properties(150)
@given(table=TABLES, delimiter=st.sampled_from([",", ";", "\t"]), kind=KINDS)
def test_registry_reader_csv_like_tables_give_rows_or_a_clear_error(table, delimiter, kind):
    analysis = _analyse_or_clear_error(_csv(*table, delimiter=delimiter), "data.csv", kind)

    if analysis is not None:
        assert analysis.row_estimate <= len(table[1]) + 1


@properties(40)
@given(table=TABLES, kind=KINDS)
def test_registry_reader_workbooks_give_rows_or_a_clear_error(table, kind):
    header, rows = table
    clean = [
        ["".join(ch for ch in cell if ch >= " " or ch in "\t\n\r") for cell in row]
        for row in [header, *rows]
    ]

    _analyse_or_clear_error(xlsx_bytes(clean[1:], header=clean[0]), "data.xlsx", kind)


# --- upload → check -------------------------------------------------------------------------------------


@properties(100)
@given(
    upload=st.one_of(
        st.tuples(st.binary(max_size=2048), FILENAMES),
        st.tuples(TABLES.map(lambda t: _csv(*t, delimiter=",")), st.just("data.csv")),
    ),
    kind=KINDS,
)
def test_registry_upload_then_check_never_writes_the_registry(scenario, upload, kind):
    data, filename = upload
    officer = scenario.users["officer"]
    before = _registry()

    try:
        job = start_import(
            kind=kind,
            province=scenario.jambi,
            upload=SimpleUploadedFile(filename, data),
            by=officer,
        )
    except SpreadsheetError as error:
        event("file refused at upload")
        assert error.message.strip()
        assert _registry() == before
        return
    try:
        assert request_check(job=job, by=officer)
        outcome = pipeline.check_job(job_id=job.pk)
        job.refresh_from_db()
    finally:
        job.file.delete(save=False)  # the private test storage is shared with other tests
    event(f"check {outcome}")
    assert outcome in {"checked", "failed"}
    assert job.status == outcome
    if outcome == "failed":
        assert job.failure_message.strip()
        assert job.failure_message != pipeline._unexpected()  # a reason, not a crash
    assert _registry() == before


# --- form cleaners --------------------------------------------------------------------------------------


@properties(300)
@given(raw=st.one_of(st.text(max_size=60), st.integers(), st.floats(allow_nan=False)))
def test_normalize_phone_any_value_is_cleaned_or_refused(raw):
    try:
        phone = normalize_phone(raw)
    except ValidationError as error:
        assert error.code == "invalid_phone"
        return

    assert phone == "" or (phone.startswith("+62") and phone[1:].isdigit())
    assert len(phone) <= Person._meta.get_field("phone").max_length


TEXT = st.text(max_size=300)


def _form_outcome(form) -> None:
    """is_valid() answers without raising; an invalid form names its errors."""
    if form.is_valid():
        event("valid")
    else:
        event("field errors")
        assert form.errors


@properties(120)
@given(
    data=st.fixed_dictionaries(
        {
            "full_name": TEXT,
            "gender": st.sampled_from(["", "P", "L", "X"]),
            "phone": TEXT,
            "email": TEXT,
            "position": TEXT,
            "institution": TEXT,
            "province": st.sampled_from(["15", "14", "", "99", "x", "1\x005"]),
            "home_library": st.one_of(st.just(""), TEXT),
        }
    ),
    role=st.sampled_from(["national", "officer"]),
)
def test_person_form_any_text_cleans_or_gives_field_errors(scenario, data, role):
    form = PersonForm(data=data, user=scenario.users[role])

    _form_outcome(form)
    if form.is_valid():
        phone = form.cleaned_data["phone"]
        assert phone == "" or phone.startswith("+62")


@properties(100)
@given(
    data=st.fixed_dictionaries(
        {field: TEXT for field in ("name", "kind", "address", "regency", "district", "village")}
        | {"province": st.sampled_from(["15", "14", "", "x"])}
    )
)
def test_library_form_any_text_cleans_or_gives_field_errors(scenario, data):
    _form_outcome(LibraryForm(data=data, user=scenario.users["national"]))


@properties(100)
@given(
    data=st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["plm", "bimtek", "", "x"]),
            "title": TEXT,
            "province": st.sampled_from(["15", "14", "", "x", "1\x005"]),
            "year": st.one_of(st.sampled_from(["2022", "0", "-1", "99999999999999999999"]), TEXT),
            "wave": st.one_of(st.sampled_from(["1", "3", "0"]), TEXT),
            "start_date": st.one_of(
                st.sampled_from(["2022-08-02", "2022-02-30", "2022-08-03"]), TEXT
            ),
            "end_date": st.one_of(st.sampled_from(["2022-08-02", "2022-08-01"]), TEXT),
            "mode": st.sampled_from(["tatap_muka", "daring", "hibrida", "", "x"]),
            "venue_regency": st.sampled_from(["15.71", "14.71", "", "x", "\x00"]),
            "venue_name": TEXT,
            "venue_address": TEXT,
            "online_url": st.one_of(
                st.sampled_from(["https://zoom.us/j/1", "javascript:alert(1)"]), TEXT
            ),
            "host_library": st.one_of(st.just(""), TEXT),
            "opened_by": TEXT,
            "objectives": TEXT,
            "status": st.sampled_from(["draft", "", "x"]),
        }
    ),
    role=st.sampled_from(["national", "officer"]),
)
def test_meeting_form_any_text_cleans_or_gives_field_errors(scenario, data, role):
    _form_outcome(MeetingForm(data=data, user=scenario.users[role]))


@properties(100)
@given(
    data=st.fixed_dictionaries(
        {
            "full_name": TEXT,
            "gender": st.sampled_from(["", "P", "L", "X"]),
            "phone": TEXT,
            "email": TEXT,
            "position": TEXT,
            "institution": TEXT,
            "home_library": st.one_of(st.just(""), TEXT),
            "role": st.one_of(st.sampled_from(["narasumber", "village", ""]), TEXT),
            "library": st.one_of(st.just(""), TEXT),
        }
    )
)
def test_new_participant_form_any_text_cleans_or_gives_field_errors(scenario, data):
    LibraryFactory(regency=scenario.kota_jambi)
    form = NewPersonForm(data=data, meeting=scenario.meeting, user=scenario.users["officer"])

    _form_outcome(form)


def test_registry_columns_are_known():
    """The strategies above name real columns of both kinds (a rename would quietly weaken them)."""
    assert {column.name for column in columns_of(ImportJob.Kind.PEOPLE)} >= {"name", "phone"}
    assert {column.name for column in columns_of(ImportJob.Kind.LIBRARIES)} >= {"name"}
