"""Helpers of the registry import tests: files in memory, the upload → check → apply flow through the views."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from libraries.models import ImportJob

PEOPLE_HEADER = ["Nama", "L/P", "No. HP", "Email", "Jabatan", "Instansi", "Perpustakaan asal"]
LIBRARY_HEADER = [
    "Nama perpustakaan",
    "Jenis",
    "Kabupaten/Kota",
    "Kecamatan",
    "Desa/Kelurahan",
    "Alamat",
]


def person_row(n: int, **overrides: str) -> list[str]:
    values = {
        "name": f"Orang Impor {n}",
        "gender": "P" if n % 2 else "L",
        "phone": f"0812 7{n:07d}",
        "email": f"orang{n}@example.id",
        "position": "Pustakawan",
        "institution": "",
        "library": "",
    }
    values.update(overrides)
    return list(values.values())


def csv_bytes(
    rows: list[list[str]], header: list[str] = PEOPLE_HEADER, encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], header: list[str] = PEOPLE_HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def start_url(kind: str) -> str:
    return reverse("libraries:person_import" if kind == "people" else "libraries:library_import")


def upload(client, kind: str, name: str, data: bytes, province: str = "15"):
    return client.post(
        start_url(kind), {"province": province, "file": SimpleUploadedFile(name, data)}
    )


def mapping_post(job: ImportJob, action: str = "check", **overrides) -> dict:
    data = {field: str(index) for field, index in job.mapping.items()}
    data.update(overrides)
    data["action"] = action
    return data


def check(client, job: ImportJob, callbacks, **overrides):
    with callbacks(execute=True):
        response = client.post(
            reverse("libraries:import_mapping", args=[job.pk]), mapping_post(job, **overrides)
        )
    job.refresh_from_db()
    return response


def apply(client, job: ImportJob, callbacks):
    with callbacks(execute=True):
        response = client.post(reverse("libraries:import_apply", args=[job.pk]))
    job.refresh_from_db()
    return response


def uploaded_job(client, kind: str, name: str, data: bytes, province: str = "15") -> ImportJob:
    response = upload(client, kind, name, data, province)
    assert response.status_code == 302, response.context["form"].errors
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
