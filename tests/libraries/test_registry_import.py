"""Registry imports through the pages: upload → mapping and preview → check → apply → summary."""

from __future__ import annotations

import pytest

from libraries.models import ImportJob, Person
from tests.factories import LibraryFactory, PersonFactory
from tests.libraries.registry_import_helpers import (
    LIBRARY_HEADER,
    apply,
    check,
    csv_bytes,
    person_row,
    uploaded_job,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "make"), [("orang.csv", csv_bytes), ("orang.xlsx", xlsx_bytes)])
def test_registry_import_people_file_creates_updates_and_skips(
    scenario, name, make, django_capture_on_commit_callbacks
):
    library = LibraryFactory(regency=scenario.kota_jambi, name="Dinas Perpustakaan Kota Jambi")
    same = PersonFactory(
        province=scenario.jambi, full_name="Lama", phone="+6281270000001", position=""
    )
    unchanged = PersonFactory(
        province=scenario.jambi,
        full_name="Orang Impor 2",
        phone="+6281270000002",
        email="orang2@example.id",
        gender="L",
        position="Pustakawan",
    )
    rows = [
        person_row(1, library="dinas perpustakaan  kota jambi"),
        person_row(2),
        person_row(3),
        person_row(
            4, phone="0812 7000 0003", email=""
        ),  # the phone of row 4 (file row 4): a duplicate
    ]
    client = scenario.client_for("officer")
    job = uploaded_job(client, "people", name, make(rows))

    assert job.mapping == {
        "name": 0,
        "gender": 1,
        "phone": 2,
        "email": 3,
        "position": 4,
        "institution": 5,
        "library": 6,
    }
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert page.context["preview_rows"][0][0] == 2
    before = Person.objects.count()

    check(client, job, django_capture_on_commit_callbacks)

    assert (
        job.status,
        job.error_count,
        job.created_count,
        job.updated_count,
        job.skipped_count,
    ) == (
        ImportJob.Status.CHECKED,
        0,
        1,
        1,
        2,
    )
    assert Person.objects.count() == before  # the check writes nothing
    assert (
        "Siap disimpan: 1 baru, 1 diperbarui, 2 dilewati"
        in client.get(job.get_absolute_url()).content.decode()
    )

    apply(client, job, django_capture_on_commit_callbacks)

    assert (
        job.status,
        job.created_count,
        job.updated_count,
        job.skipped_count,
        job.duplicate_count,
    ) == (
        ImportJob.Status.APPLIED,
        1,
        1,
        2,
        1,
    )
    same.refresh_from_db()
    unchanged.refresh_from_db()
    assert (same.full_name, same.email, same.position, same.home_library) == (
        "Orang Impor 1",
        "orang1@example.id",
        "Pustakawan",
        library,
    )
    assert unchanged.full_name == "Orang Impor 2"
    assert Person.objects.get(phone="+6281270000003").province == scenario.jambi
    assert Person.objects.count() == before + 1
    summary = client.get(job.get_absolute_url()).content.decode()
    assert "Impor tersimpan." in summary


def test_registry_import_library_file_by_codes_and_names(
    scenario, django_capture_on_commit_callbacks
):
    from libraries.models import Library
    from tests.factories import DistrictFactory, VillageFactory

    village = VillageFactory(
        district=DistrictFactory(regency=scenario.kota_jambi, code="15.71.01", name="Telanaipura"),
        code="15.71.01.1001",
        name="Simpang IV Sipin",
    )
    existing = LibraryFactory(
        regency=scenario.kota_jambi, name="Dinas Perpustakaan Kota Jambi", address=""
    )
    rows = [
        [
            "Perpustakaan Desa Sipin",
            "Perpustakaan Desa/Kelurahan",
            "",
            "",
            "15.71.01.1001",
            "Jl. Sipin",
        ],
        ["Perpusdes Kedua", "desa", "Kota Jambi", "", "simpang iv  sipin", ""],
        ["DINAS PERPUSTAKAAN KOTA JAMBI", "kabkota", "15.71", "", "", "Jl. Baru"],
        ["Perpustakaan Desa Sipin", "desa", "", "", "15.71.01.1001", ""],  # the same again: skipped
    ]
    client = scenario.client_for("national")
    job = uploaded_job(client, "libraries", "perpus.csv", csv_bytes(rows, LIBRARY_HEADER))

    check(client, job, django_capture_on_commit_callbacks)
    apply(client, job, django_capture_on_commit_callbacks)

    assert (job.status, job.created_count, job.updated_count, job.skipped_count) == (
        ImportJob.Status.APPLIED,
        2,
        1,
        1,
    )
    created = Library.objects.get(name="Perpusdes Kedua")
    assert (created.kind, created.village, created.regency, created.province) == (
        Library.Kind.VILLAGE,
        village,
        scenario.kota_jambi,
        scenario.jambi,
    )
    existing.refresh_from_db()
    assert (existing.name, existing.address) == ("Dinas Perpustakaan Kota Jambi", "Jl. Baru")
