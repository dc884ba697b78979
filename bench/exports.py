"""Exports at national scale: the participants CSV streamed and the XLSX built, rows, seconds, peak RSS. Not a
test: figures are printed, never asserted.

    .venv/bin/python bench/exports.py [--rows 100000] [--dataset participants]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plm .venv/bin/python bench/exports.py

Runs on a throwaway database that it creates, migrates and drops (var/bench/exports.sqlite3, or with
DATABASE_URL a database named ``bench_exports_<name>`` on that server); the XLSX files go to
var/bench/exports-private/ (removed after). It bulk-creates ``--rows`` participations in Jambi: meetings of 100
people over two days, people who each come to about three meetings, 200 library offices, one attendance row
per participation. A tenth of the meetings are of 2019, the rest of 2022, so each export runs twice: the
meeting list filtered to 2019 (a tenth of the rows), then unfiltered (all of them), as national staff.

- CSV: the real view through Django's test client (middleware, scope, the StreamingHttpResponse), its chunks
  read and thrown away, as a slow client would;
- XLSX: ``reports.exports.services.build_export`` (what the Celery task runs), the file saved to the private
  storage.

Peak RSS is the process's high-water mark (VmHWM), reset before each step through /proc/self/clear_refs,
printed next to the RSS before the step: streamed exports keep it flat as rows grow tenfold.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
PRIVATE_DIR = BENCH_DIR / "exports-private"
sys.path.insert(0, str(BASE_DIR))
os.environ["DJANGO_SETTINGS_MODULE"] = "plm_portal.settings"
os.environ.setdefault("DJANGO_DEBUG", "True")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ["DJANGO_PRIVATE_MEDIA_ROOT"] = str(PRIVATE_DIR)
os.environ.pop("REDIS_URL", None)  # the job runs here, eagerly
# The national user is signed in with force_login (no authenticator): not sent to set up two-factor sign-in.
os.environ["PLM_MFA_REQUIRED"] = "False"

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from libraries.models import Library, Person, Province, Regency  # noqa: E402
from meetings.models import Attendance, Meeting, Participation  # noqa: E402
from plm_portal.models import User  # noqa: E402
from reports.exports.base import filters_of  # noqa: E402
from reports.exports.services import build_export, export_fingerprint  # noqa: E402
from reports.models import Export  # noqa: E402

PER_MEETING = 100
BATCH = 5000
ROLES = [role for role in Participation.PARTICIPANT_ROLES]


def vm_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def reset_peak() -> None:
    # An older kernel refuses: the peak then includes the steps before.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def sample(rows: int) -> None:
    """Jambi with one city, 200 library offices, rows/3 people, rows/100 meetings, ``rows`` participations."""
    jambi = Province.objects.create(code="15", name="Jambi", time_zone=Province.TimeZone.WIB)
    city = Regency.objects.create(
        code="15.71", province=jambi, name="Kota Jambi", kind=Regency.Kind.KOTA
    )
    Library.objects.bulk_create(
        Library(
            name=f"Dinas Perpustakaan {n}",
            kind=Library.Kind.REGENCY_OFFICE,
            province=jambi,
            regency=city,
        )
        for n in range(200)
    )
    libraries = list(Library.objects.values_list("pk", flat=True))
    people_count = max(PER_MEETING, rows // 3)
    Person.objects.bulk_create(
        (
            Person(
                full_name=f"Peserta Bench {n}",
                gender="P" if n % 2 else "L",
                phone=f"+62813{n:08d}",
                email=f"peserta{n}@contoh.id",
                position="Pengelola perpustakaan",
                province=jambi,
                home_library_id=libraries[n % len(libraries)],
            )
            for n in range(people_count)
        ),
        batch_size=BATCH,
    )
    people = list(Person.objects.values_list("pk", flat=True))
    meetings_count = max(1, rows // PER_MEETING)
    start = dt.date(2022, 3, 1)
    Meeting.objects.bulk_create(
        (
            Meeting(
                title=f"PLM Bench {n}",
                province=jambi,
                venue_regency=city,
                year=2019 if n % 10 == 0 else 2022,
                wave=1 + n % 5,
                start_date=start + dt.timedelta(days=n % 300),
                end_date=start + dt.timedelta(days=n % 300 + 1),
            )
            for n in range(meetings_count)
        ),
        batch_size=BATCH,
    )
    meetings = list(Meeting.objects.values_list("pk", "start_date"))

    def participations():
        for n in range(rows):
            meeting_pk, _ = meetings[n // PER_MEETING % len(meetings)]
            # Person p comes to meetings p, p+k, p+2k (k people per meeting apart): unique per meeting.
            yield Participation(
                meeting_id=meeting_pk,
                person_id=people[
                    (n % PER_MEETING + (n // PER_MEETING) * PER_MEETING) % len(people)
                ],
                role=ROLES[n % len(ROLES)],
                library_id=libraries[n % len(libraries)],
            )

    Participation.objects.bulk_create(participations(), batch_size=BATCH)
    starts = dict(meetings)
    Attendance.objects.bulk_create(
        (
            Attendance(
                participation_id=pk,
                day=starts[meeting_pk],
                checked_in_at=timezone.make_aware(
                    dt.datetime.combine(starts[meeting_pk], dt.time(8, 30))
                ),
            )
            for pk, meeting_pk in Participation.objects.values_list("pk", "meeting_id").iterator(
                chunk_size=BATCH
            )
        ),
        batch_size=BATCH,
    )


def measure(label: str, run) -> None:
    reset_queries()
    before = vm_kib("VmRSS")
    reset_peak()
    started = time.perf_counter()
    rows, size = run()
    seconds = time.perf_counter() - started
    print(
        f"{label:<24}{rows:>9}{seconds:>9.1f}{rows / seconds if seconds else 0:>10.0f}"
        f"{size / 1024 / 1024:>9.1f}{before / 1024:>10.0f}{vm_kib('VmHWM') / 1024:>10.0f}"
    )


def csv_step(client: Client, dataset: str, query: str):
    def run() -> tuple[int, int]:
        response = client.get(reverse("reports:export_csv", args=[dataset]) + query)
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\r\n")
        return lines - 1, size

    return run


def xlsx_step(user: User, dataset: str, query: str):
    from django.http import QueryDict

    def run() -> tuple[int, int]:
        filters = filters_of(QueryDict(query.lstrip("?")))
        export = Export.objects.create(
            requested_by=user,
            dataset=dataset,
            filters=filters,
            fingerprint=export_fingerprint(dataset, filters),
        )
        outcome = build_export(export_id=export.pk)
        export.refresh_from_db()
        if outcome != "ready":
            raise SystemExit(f"XLSX export {outcome}: {export.error_message}")
        return export.rows_total or 0, export.file_size or 0

    return run


def main(rows: int, dataset: str) -> None:
    if connection.vendor == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        test_name = str(BENCH_DIR / "exports.sqlite3")
    else:
        test_name = f"bench_exports_{connection.settings_dict['NAME']}"
    connection.settings_dict["TEST"]["NAME"] = test_name
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        sample(rows)
        print(
            f"database: {connection.vendor}; {rows} participations made in "
            f"{time.perf_counter() - started:.0f} s; dataset {dataset}; {os.cpu_count()} CPUs"
        )
        user = User.objects.create_user(
            email="bench@example.test", password=None, role=User.Role.NATIONAL
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        print(
            f"{'step':<24}{'rows':>9}{'seconds':>9}{'rows/s':>10}{'MB':>9}{'RSS MiB':>10}"
            f"{'peak MiB':>10}"
        )
        for query, label in (("?year=2019", "tenth"), ("", "all")):
            measure(f"csv {label}", csv_step(client, dataset, query))
        for query, label in (("?year=2019", "tenth"), ("", "all")):
            measure(f"xlsx {label}", xlsx_step(user, dataset, query))
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        shutil.rmtree(PRIVATE_DIR, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="participations to make")
    parser.add_argument(
        "--dataset",
        default="participants",
        choices=["participants", "attendance", "rtl"],
        help="a dataset read through the meeting list's filters",
    )
    arguments = parser.parse_args()
    main(arguments.rows, arguments.dataset)
