"""Registry imports: row errors in Indonesian, duplicates in the file and in the registry, all or nothing, a
double tap applies once, scope, and queries per chunk bounded."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from libraries.importing import pipeline
from libraries.models import ImportIssue, ImportJob, Library, Person
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


def issues(job: ImportJob, level: str = "error") -> list[tuple[int, str, str]]:
    return list(job.issues.filter(level=level).values_list("row_number", "column", "message"))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"name": ""}, ("Nama", "nama wajib diisi")),
        ({"gender": "X"}, ("L/P", "L/P harus L atau P, bukan “X”")),
        ({"phone": "12ab"}, ("No. HP", "nomor HP tidak valid (12ab)")),
        ({"email": "bukan-email"}, ("Email", "email tidak valid (bukan-email)")),
        (
            {"phone": "", "email": ""},
            ("No. HP", "nomor HP atau email wajib diisi (untuk mengenali orang yang sama)"),
        ),
        (
            {"position": '=HYPERLINK("http://x")'},
            ("Jabatan", "kolom Jabatan berisi rumus (diawali = + - @); tulis sebagai teks biasa"),
        ),
        (
            {"library": "Perpustakaan Riau"},
            ("Perpustakaan asal", "perpustakaan “Perpustakaan Riau” tidak ada di Provinsi Jambi"),
        ),
        ({"name": "x" * 151}, ("Nama", "Nama terlalu panjang (maks. 150 karakter)")),
    ],
)
def test_registry_import_people_row_errors_in_indonesian(
    scenario, overrides, expected, django_capture_on_commit_callbacks
):
    LibraryFactory(regency__province=scenario.riau, regency__code="14.71", name="Perpustakaan Riau")
    client = scenario.client_for("officer")
    job = uploaded_job(
        client, "people", "orang.csv", csv_bytes([person_row(1), person_row(2, **overrides)])
    )

    check(client, job, django_capture_on_commit_callbacks)

    assert (job.status, job.error_count) == (ImportJob.Status.CHECKED, 1)
    assert issues(job) == [(3, *expected)]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "1 baris bermasalah" in page
    assert "Simpan ke registri" not in page


def test_registry_import_formula_cell_in_xlsx_is_a_row_error_and_plus_phone_is_not(
    scenario, django_capture_on_commit_callbacks
):
    rows = [person_row(1, phone="+62 812-7000-0001", institution="-"), person_row(2, name="=1+1")]
    client = scenario.client_for("officer")
    job = uploaded_job(client, "people", "orang.xlsx", xlsx_bytes(rows))

    check(client, job, django_capture_on_commit_callbacks)

    assert issues(job) == [
        (3, "Nama", "kolom Nama berisi rumus (diawali = + - @); tulis sebagai teks biasa")
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ["A", "desa", "Kota Jambi", "", "", ""],
            ("Desa/Kelurahan", "perpustakaan desa/kelurahan wajib memiliki desa/kelurahan"),
        ),
        (
            ["A", "kabkota", "", "", "", ""],
            ("Kabupaten/Kota", "jenis perpustakaan ini wajib memiliki kabupaten/kota"),
        ),
        (
            ["A", "taman baca", "15.71", "", "", ""],
            (
                "Jenis",
                "jenis “taman baca” tidak dikenal; gunakan salah satu: Dinas Perpustakaan Provinsi, Dinas Perpustakaan Kabupaten/Kota, Perpustakaan Desa/Kelurahan, Lainnya",
            ),
        ),
        (
            ["A", "kabkota", "14.71", "", "", ""],
            ("Kabupaten/Kota", "kode 14.71 bukan wilayah Provinsi Jambi"),
        ),
        (
            ["A", "kabkota", "Kota Pekanbaru", "", "", ""],
            ("Kabupaten/Kota", "kabupaten/kota “Kota Pekanbaru” tidak ada di Provinsi Jambi"),
        ),
        (
            ["A", "desa", "", "", "Sipin", ""],
            (
                "Desa/Kelurahan",
                "isi Kabupaten/Kota untuk mencari desa/kelurahan “Sipin” menurut nama",
            ),
        ),
        (
            ["A", "desa", "15.71", "", "Tidak Ada", ""],
            ("Desa/Kelurahan", "desa/kelurahan “Tidak Ada” tidak ditemukan di Kota Jambi"),
        ),
        (
            ["Dinas Perpustakaan Kota Jambi", "lainnya", "", "", "", ""],
            (
                "Nama perpustakaan",
                "nama “Dinas Perpustakaan Kota Jambi” sudah dipakai perpustakaan lain di provinsi ini (Kota Jambi)",
            ),
        ),
    ],
)
def test_registry_import_library_row_errors_in_indonesian(
    scenario, row, expected, django_capture_on_commit_callbacks
):
    LibraryFactory(regency=scenario.kota_jambi, name="Dinas Perpustakaan Kota Jambi")
    client = scenario.client_for("officer")
    job = uploaded_job(client, "libraries", "perpus.csv", csv_bytes([row], LIBRARY_HEADER))

    check(client, job, django_capture_on_commit_callbacks)

    assert issues(job) == [(2, *expected)]


def test_registry_import_duplicates_in_file_are_skipped_and_conflicts_are_errors(
    scenario, django_capture_on_commit_callbacks
):
    a = PersonFactory(province=scenario.jambi, full_name="Ani", phone="+6281270000100", email="")
    b = PersonFactory(province=scenario.jambi, full_name="Budi", phone="", email="budi@example.id")
    rows = [
        person_row(1),
        person_row(2, phone="0812 7000 0001", email=""),  # row 3: the phone of row 2
        person_row(3, phone="", email="ORANG1@example.id"),  # row 4: the e-mail of row 2, any case
        person_row(
            4, phone="0812 7000 0001", email="orang9@example.id"
        ),  # row 5: phone of row 2 only
        person_row(
            5, phone="0812 7000 0100", email="budi@example.id"
        ),  # row 6: Ani's phone, Budi's e-mail
        person_row(6, phone="0812 7000 0100", email=""),  # row 7: Ani, again
        person_row(7, phone="", email="orang6@example.id"),
        person_row(
            8, phone="0812 7000 0007", email="orang6@example.id"
        ),  # row 9: same e-mail as row 8
    ]
    client = scenario.client_for("officer")
    job = uploaded_job(client, "people", "orang.csv", csv_bytes(rows))

    check(client, job, django_capture_on_commit_callbacks)

    assert issues(job) == [(6, "No. HP", "nomor HP milik Ani, tetapi email milik Budi")]
    assert issues(job, "duplicate") == [
        (3, "", "nomor HP sama dengan baris 2; baris ini dilewati"),
        (4, "", "email sama dengan baris 2; baris ini dilewati"),
        (5, "", "nomor HP sama dengan baris 2; baris ini dilewati"),
        (9, "", "email sama dengan baris 8; baris ini dilewati"),
    ]
    assert (job.created_count, job.updated_count, job.duplicate_count) == (2, 1, 4)
    assert {a.pk, b.pk} == set(
        Person.objects.filter(full_name__in=["Ani", "Budi"]).values_list("pk", flat=True)
    )


def test_registry_import_error_in_a_late_row_at_apply_writes_nothing(
    scenario, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 50)
    rows = [person_row(n) for n in range(1, 300)]
    client = scenario.client_for("officer")
    job = uploaded_job(client, "people", "orang.csv", csv_bytes(rows))
    check(client, job, django_capture_on_commit_callbacks)
    assert (job.error_count, job.created_count) == (0, 299)
    # Between the check and the apply, two people get row 300's phone and its e-mail: a conflict there.
    PersonFactory(province=scenario.jambi, full_name="Baru", phone="+6281270000299", email="")
    PersonFactory(province=scenario.jambi, full_name="Lain", phone="", email="orang299@example.id")
    before = Person.objects.count()

    apply(client, job, django_capture_on_commit_callbacks)

    assert Person.objects.count() == before
    assert (job.status, job.failed_step) == (ImportJob.Status.FAILED, "apply")
    assert job.failure_message == (
        "Tidak ada yang disimpan: baris 300 bermasalah (nomor HP milik Baru, tetapi email milik Lain). "
        "Periksa ulang berkasnya."
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Periksa ulang" in page


def test_registry_import_double_apply_applies_once(scenario, django_capture_on_commit_callbacks):
    client = scenario.client_for("officer")
    job = uploaded_job(client, "people", "orang.csv", csv_bytes([person_row(1), person_row(2)]))
    check(client, job, django_capture_on_commit_callbacks)
    before = Person.objects.count()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.post(reverse("libraries:import_apply", args=[job.pk]))
        second = client.post(reverse("libraries:import_apply", args=[job.pk]))
    for callback in callbacks:
        callback()
    apply(client, job, django_capture_on_commit_callbacks)

    assert (first.status_code, second.status_code) == (302, 302)
    assert len(callbacks) == 1
    assert Person.objects.count() == before + 2
    assert (job.status, job.created_count, job.attempts) == (ImportJob.Status.APPLIED, 2, 2)
    assert pipeline.apply_job(job_id=job.pk) == "skipped"


def test_registry_import_few_thousand_rows_with_bounded_queries_per_chunk(
    scenario, monkeypatch, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 500)
    library = LibraryFactory(regency=scenario.kota_jambi, name="Dinas Perpustakaan Kota Jambi")
    PersonFactory.create_batch(20, province=scenario.jambi)
    rows = [person_row(n, library=library.name) for n in range(1, 3001)]
    client = scenario.client_for("officer")
    job = uploaded_job(client, "people", "orang.csv", csv_bytes(rows))
    job.mapping = {"name": 0, "gender": 1, "phone": 2, "email": 3, "position": 4, "library": 6}
    job.status = ImportJob.Status.CHECK_QUEUED
    job.save()

    # 6 chunks x (people, libraries, issues, progress) + claim, job, delete, finish: far from one per row.
    with django_assert_max_num_queries(6 * 4 + 8):
        assert pipeline.check_job(job_id=job.pk) == "checked"
    job.refresh_from_db()
    assert (job.created_count, job.rows_done) == (3000, 3000)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.APPLY_QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        assert pipeline.apply_job(job_id=job.pk) == "applied"
    assert Person.objects.filter(home_library=library).count() == 3000
    assert cache.get(f"libraries:import-progress:{job.pk}") is None


# --- scope -------------------------------------------------------------------------------------------------


def test_registry_import_officer_always_imports_into_own_province(scenario):
    from libraries.importing.services import start_import

    job = uploaded_job(
        scenario.client_for("officer"),
        "people",
        "orang.csv",
        csv_bytes([person_row(1)]),
        province="14",
    )

    assert job.province == scenario.jambi
    with pytest.raises(PermissionDenied):
        start_import(
            kind="people", province=scenario.riau, upload=None, by=scenario.users["officer"]
        )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 403),
        ("other_facilitator", 403),
        ("anonymous", 302),
    ],
)
def test_registry_import_job_page_role_matrix(
    scenario, role, status, django_capture_on_commit_callbacks
):
    owner = scenario.client_for("officer")
    job = uploaded_job(
        owner,
        "people",
        "orang.csv",
        csv_bytes([person_row(1, name="Rahasia Jambi"), person_row(2, gender="?")]),
    )
    check(owner, job, django_capture_on_commit_callbacks)
    client = scenario.client_for(role)

    responses = [
        client.get(job.get_absolute_url()),
        client.post(reverse("libraries:import_apply", args=[job.pk])),
        client.post(reverse("libraries:import_check", args=[job.pk])),
    ]

    assert [r.status_code for r in responses][:1] == [status]
    if status != 200:
        assert all(r.status_code == status for r in responses)
        assert all("Rahasia" not in r.content.decode() for r in responses)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.CHECKED


@pytest.mark.parametrize(
    ("role", "status"),
    [("national", 200), ("officer", 200), ("facilitator", 403), ("anonymous", 302)],
)
def test_registry_import_start_page_role_matrix(scenario, role, status):
    for name in ("libraries:library_import", "libraries:person_import"):
        assert scenario.client_for(role).get(reverse(name)).status_code == status


def test_registry_import_recent_jobs_are_scoped(scenario):
    uploaded_job(
        scenario.client_for("officer"), "people", "jambi-orang.csv", csv_bytes([person_row(1)])
    )
    uploaded_job(
        scenario.client_for("national"),
        "people",
        "riau-orang.csv",
        csv_bytes([person_row(1)]),
        province="14",
    )

    officer = (
        scenario.client_for("other_officer")
        .get(reverse("libraries:person_import"))
        .content.decode()
    )
    national = (
        scenario.client_for("national").get(reverse("libraries:person_import")).content.decode()
    )

    assert ("jambi-orang.csv" in officer, "riau-orang.csv" in officer) == (False, True)
    assert ("jambi-orang.csv" in national, "riau-orang.csv" in national) == (True, True)


def test_registry_import_matches_people_of_the_province_only(
    scenario, django_capture_on_commit_callbacks
):
    PersonFactory(province=scenario.riau, full_name="Orang Riau", phone="+6281270000001")
    client = scenario.client_for("officer")
    job = uploaded_job(
        client,
        "people",
        "orang.csv",
        csv_bytes([person_row(1), person_row(2, email="x@example.id")]),
    )

    check(client, job, django_capture_on_commit_callbacks)
    apply(client, job, django_capture_on_commit_callbacks)

    assert (job.created_count, job.updated_count) == (2, 0)
    assert Person.objects.get(full_name="Orang Riau").email == ""
    assert not ImportIssue.objects.filter(message__contains="Riau").exists()
    assert Library.objects.count() == 0


def test_registry_import_apply_refused_while_rows_have_errors(
    scenario, django_capture_on_commit_callbacks
):
    client = scenario.client_for("officer")
    job = uploaded_job(
        client, "people", "orang.csv", csv_bytes([person_row(1), person_row(2, gender="?")])
    )
    check(client, job, django_capture_on_commit_callbacks)
    before = Person.objects.count()

    apply(client, job, django_capture_on_commit_callbacks)

    assert (job.status, job.error_count) == (ImportJob.Status.CHECKED, 1)
    assert Person.objects.count() == before


def test_registry_import_admin_lists_jobs(scenario):
    uploaded_job(scenario.client_for("officer"), "people", "orang.csv", csv_bytes([person_row(1)]))

    admin = scenario.client_for("national")
    scenario.users["national"].is_superuser = True
    scenario.users["national"].save()

    response = admin.get(reverse("admin:libraries_importjob_changelist"))

    assert response.status_code == 200
    assert "orang.csv" in response.content.decode()
