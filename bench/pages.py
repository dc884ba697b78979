"""Every page of the portal x role on the national sample: queries, slowest query, HTML size, and p50/p95 under
concurrent clients against gunicorn, as a ratio to /healthz. Prints figures; asserts nothing (issue 12).

    .venv/bin/python bench/pages.py --scale 1.0 [--duration 5] [--connections 8] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plm .venv/bin/python bench/pages.py --scale 1.0

Runs on a throwaway database it creates and drops (``--keep`` keeps it): with DATABASE_URL set, a database
``bench_pages`` on that server; otherwise SQLite under var/bench/pages/ (bench/pages_db.py). Steps: migrate,
load the regions and the national sample, collectstatic; pick a national, a provincial (Jambi) and a
facilitator account and what each sees (pages_pick.py); measure every page twice in-process with DEBUG off and
keep the second (pages_measure.py); then gunicorn (2 workers, DEBUG off) and wrk with ``--connections``
clients per page x role, /healthz at the start and at the end (pages_load.py); then, on PostgreSQL, the scans
of every query (EXPLAIN). The report also goes to var/bench/pages.md.

Targets, printed with a trailing "!" when missed: p95 ≤ 5x /healthz's p95 at scale ≤ 1 (10x above), HTML ≤ 80 KB.
Exits non-zero only when the bench itself breaks (a page errors, gunicorn does not start, wrk is missing).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from pages_db import BENCH_DIR, BenchDatabase, HarnessError, bench_database, manage
from pages_load import Gunicorn, run_wrk, wrk_path

KB_TARGET = 80
TIMES, DASH = "\u00d7", "\u2013"  # multiplication sign and en dash, for the table
ROW_COUNTS = (
    ("meetings", "Meeting"),
    ("meetings", "Participation"),
    ("meetings", "Attendance"),
    ("meetings", "RtlAction"),
    ("meetings", "Session"),
    ("libraries", "Person"),
    ("libraries", "Library"),
    ("libraries", "Village"),
    ("plm_portal", "User"),
)


class Report:
    """Lines printed as they come and kept for var/bench/pages.md."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)

    def save(self) -> Path:
        path = BENCH_DIR / "pages.md"
        path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        return path


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def load_sample(db: BenchDatabase, scale: float, out: Report) -> None:
    steps = (
        ("migrate", ("migrate", "--noinput")),
        ("load_regions", ("load_regions",)),
        ("load_national_sample", ("load_national_sample", "--scale", f"{scale:g}")),
        ("collectstatic", ("collectstatic",)),
    )
    timings = []
    for label, args in steps:
        progress(f"… manage.py {' '.join(args)}")
        timings.append(f"{label} {manage(db, *args):.1f} s")
    out(f"Loaded: {', '.join(timings)}.")


def setup_django(db: BenchDatabase, out: Report) -> None:
    os.environ.update(db.env)
    # The in-process test client asks for "testserver".
    os.environ["DJANGO_ALLOWED_HOSTS"] += ",testserver"
    import logging

    import django

    django.setup()
    # A 403 or 404 for a role that may not see a page is expected: no traceback for each. Errors still log.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.apps import apps

    counts = [
        f"{name} {apps.get_model(app, name)._default_manager.count():,}" for app, name in ROW_COUNTS
    ]
    out(f"Rows: {', '.join(counts)}.")


def measure_pages(out: Report) -> tuple[list, list]:
    """In-process figures for every page x role, and the healthz rows."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from pages_measure import Result, measure
    from pages_pick import HEALTHZ, PAGES, pick_roles

    picks = pick_roles()
    out()
    out("Accounts and objects:")
    for pick in picks:
        out(f"- {pick.describe()}")
    clients, cookies = {}, {}
    for pick in picks:
        clients[pick.role] = Client()
        clients[pick.role].force_login(pick.user)
        cookies[pick.role] = clients[pick.role].cookies[settings.SESSION_COOKIE_NAME].value
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # What autovacuum does on a live server: the planner needs statistics (the sessions just made
            # included) to choose index scans.
            cursor.execute("ANALYZE")
        out(f"ANALYZE {time.perf_counter() - started:.1f} s.")
    start = Result(HEALTHZ, "start", HEALTHZ.label)
    measure(Client(), start)
    healthz = [start, dataclasses.replace(start, role="end")]
    results = []
    for page in PAGES:
        for pick in picks:
            result = Result(page, pick.role, pick.url(page), cookie=cookies[pick.role])
            progress(f"… in-process {result.url} [{pick.role}]")
            measure(clients[pick.role], result)
            if result.error:
                out(f"\nBROKEN {result.url} [{pick.role}]: {result.error}")
            results.append(result)
    return healthz, results


def load_pages(env: dict, healthz: list, results: list, args: argparse.Namespace) -> None:
    server = Gunicorn(env)
    progress(f"… gunicorn on {server.base}")
    server.start()
    try:
        options = {"duration": args.duration, "connections": args.connections}
        healthz[0].load = run_wrk(f"{server.base}{healthz[0].url}", **options)
        loaded = [result for result in results if result.visible]
        for number, result in enumerate(loaded, start=1):
            progress(f"… wrk {number}/{len(loaded)} {result.url} [{result.role}]")
            result.load = run_wrk(
                f"{server.base}{result.url}",
                cookie=result.cookie,
                htmx=result.page.htmx,
                **options,
            )
            if server.process.poll() is not None:
                raise HarnessError(f"gunicorn died during the load:\n{server.tail()}")
        healthz[1].load = run_wrk(f"{server.base}{healthz[1].url}", **options)
    finally:
        server.stop()


def _ms(value: float) -> str:
    return f"{value:,.1f}"


def table(healthz: list, results: list, ratio_target: int, out: Report) -> None:
    base_p95 = healthz[0].load.get("p95_ms") or 0.0
    out(f"| page | role | status | queries | slowest ms | KB | p50 ms | p95 ms | {TIMES} healthz |")
    out("|---|---|---|---:|---:|---:|---:|---:|---:|")
    over = {"ratio": 0, "kb": 0, "non_2xx": 0}
    for result in [*healthz, *results]:
        cells = [result.page.label, result.role]
        if not result.visible:
            cells += [f"{result.status}{'!' if result.error else ''}"] + [DASH] * 7
            out("| " + " | ".join(cells) + " |")
            continue
        load = result.load
        status = str(result.status)
        if load.get("non_2xx") or load.get("socket_errors"):
            over["non_2xx"] += 1
            status += f" ({load['non_2xx']:,} non-2xx, {load['socket_errors']:,} socket errors!)"
        ratio = load["p95_ms"] / base_p95 if load and base_p95 else 0.0
        ratio_cell = f"{ratio:.1f}"
        if ratio > ratio_target and result.page.name != "healthz":
            ratio_cell += "!"
            over["ratio"] += 1
        kb_cell = f"{result.kb:.1f}"
        if result.kb > KB_TARGET:
            kb_cell += "!"
            over["kb"] += 1
        cells += [
            status,
            str(result.queries),
            f"{result.slowest_ms:,.2f}",
            kb_cell,
            _ms(load.get("p50_ms", 0)),
            _ms(load.get("p95_ms", 0)),
            ratio_cell,
        ]
        out("| " + " | ".join(cells) + " |")
    visible = [result for result in results if result.visible]
    out()
    out(
        f"/healthz p95: {_ms(base_p95)} ms at the start, {_ms(healthz[1].load.get('p95_ms', 0))} ms at the "
        f"end (ratios use the start). Summary: {len(visible)} page {TIMES} role measured, "
        f"{len(results) - len(visible)} not visible to the role; over target: {over['ratio']} with p95 > "
        f"{ratio_target}{TIMES} /healthz, {over['kb']} over {KB_TARGET} KB; {over['non_2xx']} with errors under "
        f"load; {sum(bool(r.error) for r in results)} broken."
    )


def explain_section(results: list, out: Report) -> None:
    from django.db import connection

    out()
    out("## EXPLAIN")
    out()
    queries = BENCH_DIR / "pages_queries.txt"
    if connection.vendor != "postgresql":
        queries.unlink(missing_ok=True)  # a PostgreSQL run's, not this one's
        out("EXPLAIN needs PostgreSQL: run with DATABASE_URL set.")
        return
    from pages_measure import SEQ_SCAN_LIMIT, explain

    lines, flagged, details = explain(results)
    queries.write_text("\n".join(details), encoding="utf-8")
    out(
        f"Distinct SELECTs of the measured pages, first use shown; 'est' is the table's row estimate "
        f"(pg_class); SEQ = Seq Scan on a table over {SEQ_SCAN_LIMIT:,} rows. SQL and parameters: "
        f"{queries.relative_to(BENCH_DIR.parent.parent)}."
    )
    out("```")
    for line in lines:
        out(line)
    out("```")
    out(f"Flagged queries: {flagged} of {len(lines)}.")


def run(db: BenchDatabase, args: argparse.Namespace, out: Report) -> int:
    ratio_target = 5 if args.scale <= 1 else 10
    out(f"# Pages at scale {args.scale:g} on {db.label}")
    out()
    out(
        f"wrk: {args.connections} connections, {args.duration} s per page; gunicorn 2 workers, DEBUG off. "
        f"Targets: p95 ≤ {ratio_target}{TIMES} /healthz's p95, HTML ≤ {KB_TARGET} KB."
    )
    started = time.perf_counter()
    load_sample(db, args.scale, out)
    setup_django(db, out)
    from django.db import connections

    try:
        healthz, results = measure_pages(out)
        in_process = time.perf_counter()
        load_pages(db.env, healthz, results, args)
        loaded = time.perf_counter()
        out()
        out("## Pages")
        out()
        table(healthz, results, ratio_target, out)
        explain_section(results, out)
    finally:
        # Before the database is dropped.
        connections.close_all()
    out()
    out(
        f"Run time {time.perf_counter() - started:.0f} s (setup and in-process "
        f"{in_process - started:.0f} s, load {loaded - in_process:.0f} s)."
    )
    broken = [result for result in results if result.error]
    for result in broken:
        print(f"\nBROKEN {result.url} [{result.role}]:\n{result.error}", file=sys.stderr)
    return 1 if broken else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="national sample size (1.0)")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per page (5)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients (8)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    if args.scale <= 0 or args.duration < 1 or args.connections < 1:
        parser.error("--scale must be positive, --duration and --connections at least 1")
    out = Report()
    try:
        wrk_path()
        db = bench_database()
        db.create()
    except HarnessError as error:
        print(f"bench/pages.py: {error}", file=sys.stderr)
        return 2
    try:
        return run(db, args, out)
    except HarnessError as error:
        print(f"bench/pages.py: {error}", file=sys.stderr)
        return 2
    finally:
        if out.lines:
            progress(f"Report written to {out.save()}.")
        if args.keep:
            progress(f"Kept {db.label} (and {db.env['PLM_VAR_DIR']}).")
        else:
            db.drop()


if __name__ == "__main__":
    sys.exit(main())
