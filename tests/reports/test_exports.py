"""CSV exports of the list pages: columns per dataset, scope per role, the page's filters, formula
neutralisation, streaming and a constant number of queries."""

from __future__ import annotations

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.factories import ParticipationFactory, PersonFactory
from tests.reports.export_fixtures import (  # noqa: F401 - fixtures
    column,
    csv_rows,
    export_world_fixture,
    private_exports_fixture,
)

pytestmark = pytest.mark.django_db


def csv_url(dataset: str, query: str = "") -> str:
    return reverse("reports:export_csv", args=[dataset]) + (f"?{query}" if query else "")


def get_csv(world, role: str, dataset: str, query: str = "") -> list[list[str]]:
    response = world.client_for(role).get(csv_url(dataset, query))
    assert response.status_code == 200
    return csv_rows(response)


# --- participants ------------------------------------------------------------------------------------------


def test_export_participants_csv_is_streamed_with_headers_and_rows(export_world):
    response = export_world.client_for("officer").get(csv_url("participants"))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="peserta-')
    assert response["Cache-Control"] == "private, no-store"
    rows = csv_rows(response)
    assert rows[0] == [
        "Provinsi",
        "Pertemuan",
        "Jenis pertemuan",
        "Tahun",
        "Gelombang",
        "Tanggal mulai",
        "Tanggal selesai",
        "Nama",
        "L/P",
        "Jabatan",
        "Peran",
        "Instansi / perpustakaan",
        "Kabupaten/kota perpustakaan",
        "No. HP",
        "Email",
        "Hadir",
    ]
    assert rows[1] == [
        "Jambi",
        "PLM Provinsi Jambi 2022",
        "Peer Learning Meeting (PLM)",
        "2022",
        "3",
        "2022-08-02",
        "2022-08-03",
        "Siti Aminah",
        "P",
        "Pustakawan",
        "Dinas Perpustakaan Kabupaten/Kota",
        "Dinas Perpustakaan Kota Jambi",
        "Kota Jambi",
        "081234567890",
        "siti@example.test",
        "Ya",
    ]
    assert column(rows, "Nama") == ["Siti Aminah", "Budi Pelatih"]


EVERYONE = ["Siti Aminah", "Budi Pelatih", "Rahmat Riau"]
SEEN = {
    "national": EVERYONE,
    "officer": ["Siti Aminah", "Budi Pelatih"],
    "other_officer": ["Rahmat Riau"],
    "facilitator": ["Siti Aminah", "Budi Pelatih"],
    "other_facilitator": [],
}


@pytest.mark.parametrize("role", sorted(SEEN))
def test_export_participants_scoped_by_role(export_world, role):
    rows = get_csv(export_world, role, "participants")

    assert sorted(column(rows, "Nama")) == sorted(SEEN[role])


def test_export_anonymous_is_sent_to_sign_in(export_world):
    response = export_world.client_for("anonymous").get(csv_url("participants"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_export_facilitator_gets_phone_end_and_no_email(export_world):
    rows = get_csv(export_world, "facilitator", "participants", "q=Jambi")

    siti = rows[1]
    assert siti[rows[0].index("No. HP")] == "…7890"
    assert siti[rows[0].index("Email")] == ""


def test_export_officer_cannot_widen_scope_with_another_province(export_world):
    rows = get_csv(export_world, "officer", "participants", "province=14&regency=14.71")

    assert column(rows, "Provinsi") == ["Jambi", "Jambi"]


def test_export_participants_applies_meeting_list_filters(export_world):
    rows = get_csv(export_world, "national", "participants", "q=Riau&page=2")

    assert column(rows, "Nama") == ["Rahmat Riau"]


def test_export_participants_tab_applies_its_filters(export_world):
    meeting = export_world.meeting.pk
    rows = get_csv(export_world, "officer", "participants", f"meeting={meeting}&group=fasilitator")

    assert column(rows, "Nama") == ["Budi Pelatih"]
    assert column(rows, "Peran") == ["Master Trainer"]


@pytest.mark.parametrize("role", ["other_officer", "other_facilitator"])
def test_export_meeting_tab_of_another_scope_is_not_found(export_world, role):
    url = csv_url("participants", f"meeting={export_world.meeting.pk}")

    assert export_world.client_for(role).get(url).status_code == 404


def test_export_unknown_dataset_is_not_found(export_world):
    assert export_world.client_for("national").get(csv_url("secrets")).status_code == 404


# --- attendance and RTL ------------------------------------------------------------------------------------


def test_export_attendance_has_a_row_per_participant_and_day(export_world):
    rows = get_csv(export_world, "officer", "attendance")

    header = rows[0]
    assert header[5:] == [
        "Hari",
        "Nama",
        "L/P",
        "Peran",
        "Instansi / perpustakaan",
        "Hadir",
        "Waktu hadir",
        "Cara",
    ]
    shown = [(r[header.index("Nama")], r[5], r[10], r[11], r[12]) for r in rows[1:]]
    assert shown == [
        ("Budi Pelatih", "2022-08-02", "Tidak", "", ""),
        ("Budi Pelatih", "2022-08-03", "Tidak", "", ""),
        ("Siti Aminah", "2022-08-02", "Ya", "2022-08-02 08:30", "Dicatat petugas"),
        ("Siti Aminah", "2022-08-03", "Tidak", "", ""),
    ]


def test_export_attendance_tab_lists_the_day_shown(export_world):
    query = f"meeting={export_world.meeting.pk}&day=2022-08-02&absent=1"
    rows = get_csv(export_world, "facilitator", "attendance", query)

    assert [(r[5], r[6], r[10]) for r in rows[1:]] == [("2022-08-02", "Budi Pelatih", "Tidak")]


def test_export_rtl_has_follow_ups_as_columns(export_world):
    rows = get_csv(export_world, "officer", "rtl")

    header = rows[0]
    assert header[-9:] == [
        f"Tindak lanjut {month} bulan: {part}"
        for month in (1, 3, 6)
        for part in ("jatuh tempo", "status", "catatan")
    ]
    assert column(rows, "Kegiatan") == ["Pojok baca"]
    assert column(rows, "Tindak lanjut 1 bulan: status") == ["Terlaksana"]
    assert column(rows, "Tindak lanjut 1 bulan: catatan") == ["Sudah berjalan"]
    assert column(rows, "Tindak lanjut 3 bulan: status") == ["Belum dicek"]


@pytest.mark.parametrize(
    ("role", "activities"),
    [("national", ["Pojok baca", "Kelas menjahit"]), ("other_officer", ["Kelas menjahit"])],
)
def test_export_rtl_scoped_by_role(export_world, role, activities):
    rows = get_csv(export_world, role, "rtl")

    assert sorted(column(rows, "Kegiatan")) == sorted(activities)


# --- activities, stories, libraries, people ----------------------------------------------------------------


def test_export_activities_columns_and_scope(export_world):
    rows = get_csv(export_world, "officer", "activities")

    assert column(rows, "Judul kegiatan") == ["Pelatihan anyaman"]
    assert column(rows, "Jumlah penerima manfaat") == ["20"]
    assert column(rows, "Di antaranya penyandang disabilitas") == ["2"]


def test_export_activities_applies_filters(export_world):
    rows = get_csv(export_world, "national", "activities", "province=14")

    assert column(rows, "Judul kegiatan") == ["Kelas komputer Riau"]


@pytest.mark.parametrize("dataset", ["activities", "stories", "people"])
def test_export_refused_to_facilitators_as_the_list_is(export_world, dataset):
    assert export_world.client_for("facilitator").get(csv_url(dataset)).status_code == 403


def test_export_stories_name_the_storyteller_only_with_consent(export_world):
    rows = get_csv(export_world, "officer", "stories")

    by_title = dict(zip(column(rows, "Judul"), column(rows, "Narasumber"), strict=True))
    assert by_title == {"Usaha rotan": "Siti Aminah", "Tanpa persetujuan": "Bapak B., 40 tahun"}
    assert "No. HP" not in rows[0]


def test_export_libraries_filtered_and_scoped(export_world):
    officer = get_csv(export_world, "officer", "libraries")
    village = get_csv(export_world, "national", "libraries", "kind=desa")

    assert sorted(column(officer, "Nama perpustakaan")) == [
        "Dinas Perpustakaan Kota Jambi",
        "Perpustakaan Desa Maju",
    ]
    assert column(village, "Nama perpustakaan") == ["Perpustakaan Desa Maju"]
    assert column(village, "Kode kabupaten/kota") == ["15.71"]
    assert column(village, "Kode kecamatan") == ["15.71.01"]
    assert column(village, "Kode desa") == ["15.71.01.1001"]
    assert column(village, "Jenis") == ["Perpustakaan Desa/Kelurahan"]


def test_export_people_has_the_import_columns(export_world):
    rows = get_csv(export_world, "other_officer", "people")

    assert rows == [
        [
            "Nama lengkap",
            "Jenis kelamin",
            "No. HP",
            "Email",
            "Jabatan",
            "Instansi",
            "Perpustakaan",
            "Provinsi",
        ],
        ["Rahmat Riau", "P", rows[1][2], "", "", "", "", "Riau"],
    ]
    assert rows[1][2].startswith("0812")


# --- safety and cost ---------------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", "\tTab", "\rReturn"]


def test_export_csv_neutralises_formulas(export_world):
    for name in FORMULAS:
        ParticipationFactory(
            meeting=export_world.meeting,
            person=PersonFactory(full_name=name, position=name, province=export_world.jambi),
        )

    rows = get_csv(export_world, "officer", "participants")

    names = set(column(rows, "Nama"))
    assert {"'" + name for name in FORMULAS} <= names
    assert not any(name.startswith(("=", "+", "-", "@", "\t", "\r")) for name in names)
    assert {"'" + name for name in FORMULAS} <= set(column(rows, "Jabatan"))


@pytest.mark.parametrize("dataset", ["participants", "attendance", "rtl", "people", "libraries"])
def test_export_csv_query_count_does_not_grow_with_rows(
    export_world, dataset, django_assert_max_num_queries
):
    client = export_world.client_for("officer")

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            b"".join(client.get(csv_url(dataset)).streaming_content)
        return len(queries)

    few = count()
    for _ in range(20):
        ParticipationFactory(meeting=export_world.meeting, person__province=export_world.jambi)
    assert count() == few
    with django_assert_max_num_queries(12):
        b"".join(client.get(csv_url(dataset)).streaming_content)
