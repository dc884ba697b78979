"""Registry imports: bad files refused at upload with a clear message (the form kept, nothing stored), the
mapping guessed and enforced."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from libraries.importing import files
from libraries.importing.columns import guess_mapping
from libraries.models import ImportJob
from tests.libraries.registry_import_helpers import (
    PEOPLE_HEADER,
    csv_bytes,
    person_row,
    upload,
    uploaded_job,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

NOT_A_WORKBOOK = "Berkas .xlsx ini tidak dapat dibuka sebagai buku kerja Excel. Periksa berkasnya."
UNDECODABLE = "Berkas tidak dapat dibaca: simpan sebagai “CSV UTF-8 (dibatasi koma)” atau .xlsx, lalu unggah lagi."


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (files.MAX_XLSX_UNPACKED_BYTES + 1))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("orang.xlsx", b"Nama,No. HP\nAni,0812\n", NOT_A_WORKBOOK),
        ("orang.xlsx", b"PK\x03\x04 not really a zip", NOT_A_WORKBOOK),
        ("orang.xlsx", zip_bomb(), "Isi berkas .xlsx terlalu besar. Kurangi barisnya."),
        ("orang.csv", "Nama,No. HP\nAni,0812\n".encode("utf-16"), UNDECODABLE),
        ("orang.csv", b"Nama,No. HP\n\x81\x8d\x8f\x90\x9d,0812\n", UNDECODABLE),
        ("orang.csv", b"", "Berkas yang dikirimkan kosong."),
        ("orang.csv", b"\n\n,,\n", "Daftar kosong: tidak ada baris judul kolom maupun data."),
        ("orang.csv", b"Nama,No. HP\n", "Daftar tidak berisi baris data di bawah judul kolom."),
        (
            "orang.xls",
            b"\xd0\xcf\x11\xe0",
            "Format berkas ini tidak didukung. Simpan daftar sebagai .xlsx atau .csv.",
        ),
        ("orang.pdf", b"%PDF-1.4", "Unggah berkas .csv atau .xlsx."),
    ],
    ids=[
        "csv-named-xlsx",
        "broken-zip",
        "zip-bomb",
        "utf-16",
        "not-cp1252",
        "empty",
        "blank",
        "header-only",
        "xls",
        "pdf",
    ],
)
def test_registry_import_bad_file_is_refused_with_message(scenario, name, data, message):
    client = scenario.client_for("officer")

    response = upload(client, "people", name, data)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_registry_import_oversized_file_is_refused_before_reading(scenario, monkeypatch):
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 1000)
    response = upload(scenario.client_for("officer"), "people", "orang.csv", b"x" * 1001)

    assert response.context["form"].errors["file"] == [
        "Berkas terlalu besar (0,0 MB). Ukuran maksimal 0,0 MB."
    ]
    assert ImportJob.objects.count() == 0


def test_registry_import_too_many_rows_is_refused(scenario, monkeypatch):
    monkeypatch.setattr(files, "MAX_ROWS", 5)
    data = csv_bytes([person_row(n) for n in range(6)])

    response = upload(scenario.client_for("officer"), "people", "orang.csv", data)

    assert response.context["form"].errors["file"] == [
        "Daftar berisi lebih dari 5 baris. Bagi menjadi beberapa berkas."
    ]


def test_registry_import_windows_1252_csv_and_semicolons_are_read(scenario):
    data = "Nama;No. HP;Jabatan\nJosé Müller;0812 7000 0001;Kepala\n".encode("cp1252")

    job = uploaded_job(scenario.client_for("officer"), "people", "orang.csv", data)

    assert job.preview == [[2, ["José Müller", "0812 7000 0001", "Kepala"]]]
    assert job.mapping == {"name": 0, "phone": 1, "position": 2}


def test_registry_import_header_below_a_title_is_found(scenario):
    data = xlsx_bytes([["DAFTAR PUSTAKAWAN JAMBI"], PEOPLE_HEADER, person_row(1)], header=[])

    job = uploaded_job(scenario.client_for("officer"), "people", "orang.xlsx", data)

    assert (job.header_row, job.preview[0][0], job.row_estimate) == (3, 4, 1)


def test_registry_import_stores_file_privately(scenario):
    job = uploaded_job(
        scenario.client_for("officer"), "people", "orang.csv", csv_bytes([person_row(1)])
    )

    assert job.file.storage is storages["private"]
    assert job.file.name.startswith("imports/") and job.file.name.endswith(".csv")
    assert "orang" not in job.file.name


@pytest.mark.parametrize(
    ("kind", "headers", "expected"),
    [
        (
            "people",
            ["No", "Full name", "Sex", "WhatsApp", "E-mail", "Job title"],
            {"name": 1, "gender": 2, "phone": 3, "email": 4, "position": 5},
        ),
        ("people", ["NAMA LENGKAP", "No. WA", "Asal"], {"name": 0, "phone": 1, "institution": 2}),
        (
            "libraries",
            ["Nama", "Nama Perpustakaan", "Jenis", "Kab/Kota", "Desa"],
            {"name": 1, "kind": 2, "regency": 3, "village": 4},
        ),
        (
            "libraries",
            ["Library name", "Type", "Regency", "Village", "Head"],
            {"name": 0, "kind": 1, "regency": 2, "village": 3, "head_name": 4},
        ),
    ],
)
def test_registry_import_mapping_guessed_from_aliases(kind, headers, expected):
    assert guess_mapping(kind, headers) == expected


def test_registry_import_mapping_can_be_changed_and_preview_follows(scenario):
    client = scenario.client_for("officer")
    job = uploaded_job(
        client,
        "people",
        "orang.csv",
        csv_bytes([person_row(1)], header=["A", "B", "C", "D", "E", "F", "G"]),
    )
    assert job.mapping == {}

    response = client.post(
        reverse("libraries:import_mapping", args=[job.pk]),
        {"name": "0", "phone": "2", "action": "preview"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response.context["preview_labels"] == ["Nama", "No. HP"]
    assert response.context["preview_rows"] == [(2, ["Orang Impor 1", "0812 70000001"])]


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"phone": "2"}, "Kolom wajib belum dipetakan: Nama."),
        (
            {"name": "0", "position": "4"},
            "Petakan kolom No. HP atau Email: orang dikenali dari salah satunya.",
        ),
        (
            {"name": "0", "phone": "0"},
            "Satu kolom berkas dipetakan ke lebih dari satu isian: Nama, No. HP.",
        ),
    ],
)
def test_registry_import_mapping_refused_without_required_columns(
    scenario, post, message, django_capture_on_commit_callbacks
):
    client = scenario.client_for("officer")
    job = uploaded_job(client, "people", "orang.csv", csv_bytes([person_row(1)]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("libraries:import_mapping", args=[job.pk]), {**post, "action": "check"}
        )

    job.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [message]
    assert job.status == ImportJob.Status.UPLOADED


@pytest.mark.parametrize(("kind", "fields"), [("people", 7), ("libraries", 12)])
def test_registry_import_template_csv_maps_every_column(scenario, kind, fields):
    client = scenario.client_for("officer")
    template = client.get(reverse("libraries:import_template", args=[kind]))

    job = uploaded_job(client, kind, "templat.csv", template.content)

    assert template.status_code == 200
    assert len(job.mapping) == fields
