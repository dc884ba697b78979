"""Time the PDF documents for meetings of 16, 200 and 1,000 participants. Prints figures; not a test.

    .venv/bin/python bench/reports.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plm .venv/bin/python bench/reports.py

Runs on a throwaway database that it creates, migrates and drops: var/bench/reports.sqlite3, or with
DATABASE_URL set a database named ``bench_reports_<name>`` on that server, so real data is never touched.
"Read" is building the document's data (the queries, and the fingerprint); "render" is HTML plus WeasyPrint.
The first render of the process also loads WeasyPrint's fonts; it is shown apart as the cold start.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
sys.path.insert(0, str(BASE_DIR))
os.environ["DJANGO_SETTINGS_MODULE"] = "plm_portal.settings"
os.environ["DJANGO_DEBUG"] = "True"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from libraries.models import Library, Person, Province, Regency  # noqa: E402
from meetings.models import Attendance, Meeting, Participation  # noqa: E402
from reports.documents import build_document, normalize_options  # noqa: E402
from reports.models import Report  # noqa: E402
from reports.pdf import render_document  # noqa: E402

SIZES = (16, 200, 1000)
ROLES = Participation.PARTICIPANT_ROLES


def make_meeting(count: int) -> Meeting:
    """A PLM in Jambi with ``count`` participants (all present) and one RTL-free host office."""
    province, _ = Province.objects.get_or_create(
        code="15", defaults={"name": "Jambi", "time_zone": Province.TimeZone.WIB}
    )
    regency, _ = Regency.objects.get_or_create(
        code="15.71", defaults={"province": province, "name": "Kota Jambi", "kind": "kota"}
    )
    host, _ = Library.objects.get_or_create(
        province=province,
        name="Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi",
        defaults={
            "kind": Library.Kind.PROVINCIAL_OFFICE,
            "address": "Jl. Jenderal Sudirman No. 1, Kota Jambi 36138",
            "head_name": "Syamsul Rizal",
            "head_title": "Kepala Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi",
        },
    )
    office, _ = Library.objects.get_or_create(
        province=province,
        name="Dinas Perpustakaan dan Arsip Kota Jambi",
        defaults={"kind": Library.Kind.REGENCY_OFFICE, "regency": regency},
    )
    day = dt.date(2022, 8, 2)
    meeting = Meeting.objects.create(
        title=f"PLM Provinsi Jambi 2022 ({count} peserta)",
        province=province,
        year=2022,
        start_date=day,
        end_date=day,
        venue_regency=regency,
        venue_name="Ballroom Hotel Puri Sipin",
        host_library=host,
    )
    offset = Person.objects.count()
    people = Person.objects.bulk_create(
        Person(
            full_name=f"Peserta Pertemuan {number:04d}",
            gender="LP"[number % 2],
            phone=f"+62812{offset + number:08d}",
            position="Pengelola Perpustakaan Desa",
            province=province,
        )
        for number in range(count)
    )
    participations = Participation.objects.bulk_create(
        Participation(meeting=meeting, person=person, role=ROLES[n % len(ROLES)], library=office)
        for n, person in enumerate(people)
    )
    checked_in = timezone.make_aware(dt.datetime.combine(day, dt.time(7, 45)))
    Attendance.objects.bulk_create(
        Attendance(participation=p, day=day, checked_in_at=checked_in) for p in participations
    )
    return meeting


def timed(meeting: Meeting, kind: str, options: dict) -> tuple[float, float, int, int]:
    """(read s, render s, pages, bytes) for one document of ``meeting``."""
    started = time.perf_counter()
    options = normalize_options(meeting=meeting, kind=kind, options=options)
    document = build_document(meeting=meeting, kind=kind, options=options)
    _ = document.fingerprint
    read = time.perf_counter() - started
    started = time.perf_counter()
    rendered = render_document(document, verification_code="BENCH001", generated_at=timezone.now())
    render = time.perf_counter() - started
    return read, render, rendered.page_count, len(rendered.content)


def main() -> None:
    if connection.vendor == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        test_name = str(BENCH_DIR / "reports.sqlite3")
    else:
        test_name = f"bench_reports_{connection.settings_dict['NAME']}"
    connection.settings_dict["TEST"]["NAME"] = test_name
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"database: {connection.vendor}, {test_name}")
        meetings = {count: make_meeting(count) for count in SIZES}
        started = time.perf_counter()
        timed(meetings[SIZES[0]], Report.Kind.ATTENDANCE, {})
        print(f"cold start (first render, fonts loaded): {time.perf_counter() - started:.2f} s")
        print(f"{'document':<32}{'people':>7}{'pages':>7}{'read s':>9}{'render s':>10}{'KB':>8}")
        for label, kind, options in (
            ("daftar hadir (yang hadir)", Report.Kind.ATTENDANCE, {"attended_only": True}),
            ("sertifikat", Report.Kind.CERTIFICATES, {}),
        ):
            for count in SIZES:
                read, render, pages, size = timed(meetings[count], kind, options)
                print(
                    f"{label:<32}{count:>7}{pages:>7}{read:>9.2f}{render:>10.2f}{size / 1024:>8.0f}"
                )
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
