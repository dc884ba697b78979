"""In-process figures of bench/pages.py: each page x role through django.test.Client (queries, slowest query,
HTML size), and the EXPLAIN of every query a page made (PostgreSQL).

Needs Django set up with DEBUG off (bench/pages.py does it).
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pages_pick import Page

# Statuses that mean "this role may not see this page": shown as a dash, not an error.
NOT_VISIBLE = {301, 302, 403, 404}
# A Seq Scan on a table with more rows than this is flagged: it reads more than a page shows.
SEQ_SCAN_LIMIT = 1000
SCAN_NODES = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan"}


@dataclass
class Query:
    sql: str
    params: Any
    ms: float


@dataclass
class Result:
    page: Page
    role: str
    url: str
    cookie: str = ""
    status: int = 0
    queries: int = 0
    slowest_ms: float = 0.0
    kb: float = 0.0
    sql: list[Query] = field(default_factory=list)
    error: str = ""  # a traceback when the page broke
    load: dict[str, float] = field(default_factory=dict)  # wrk's figures

    @property
    def visible(self) -> bool:
        return self.status == 200


class _Recorder:
    """A connection.execute_wrapper keeping each query's SQL, parameters and time (finer than connection.queries)."""

    def __init__(self) -> None:
        self.queries: list[Query] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if not many:
                self.queries.append(Query(sql, params, (time.perf_counter() - started) * 1000))


def measure(client: Client, result: Result) -> None:
    """Fill ``result`` from the second of two GETs (the first warms caches and connections)."""
    headers = {"HX-Request": "true"} if result.page.htmx else {}
    try:
        client.get(result.url, headers=headers)
        recorder = _Recorder()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(recorder):
            response = client.get(result.url, headers=headers)
    except Exception:
        result.status = 500
        result.error = traceback.format_exc()
        return
    result.status = response.status_code
    result.queries = len(captured.captured_queries)
    result.slowest_ms = max((query.ms for query in recorder.queries), default=0.0)
    result.kb = len(response.content) / 1024
    result.sql = recorder.queries
    if result.status >= 500:
        result.error = f"HTTP {result.status}"
    elif result.status not in NOT_VISIBLE | {200}:
        result.error = f"unexpected HTTP {result.status}"


# --- EXPLAIN (PostgreSQL) ----------------------------------------------------------------------------------


def _table_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, greatest(reltuples, 0)::bigint FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        return dict(cursor.fetchall())


def _scans(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan] if plan.get("Node Type") in SCAN_NODES else []
    for child in plan.get("Plans", ()):
        nodes += _scans(child)
    return nodes


def _describe(node: dict[str, Any], table_rows: dict[str, int]) -> tuple[str, bool]:
    """One scan as text, and whether it is a flagged Seq Scan."""
    kind, relation, index = node["Node Type"], node.get("Relation Name"), node.get("Index Name")
    if kind == "Seq Scan":
        rows = table_rows.get(relation, 0)
        flagged = rows > SEQ_SCAN_LIMIT
        return f"{'SEQ ' if flagged else ''}Seq Scan on {relation} (est {rows:,} rows)", flagged
    if kind == "Bitmap Index Scan":
        return f"Bitmap Index Scan {index}", False
    target = f" {index}" if index else ""
    return f"{kind}{target} on {relation}", False


def explain(results: Sequence[Result]) -> tuple[list[str], int, list[str]]:
    """One line per distinct SELECT of the visible pages: the scans it uses; how many are flagged; and the
    same lines each followed by the query's SQL and parameters (for a file beside the report)."""
    table_rows = _table_rows()
    seen: dict[str, list[str]] = {}
    firsts: dict[str, tuple[Result, int, Query]] = {}
    for result in results:
        if not result.visible:
            continue
        for number, query in enumerate(result.sql, start=1):
            if not query.sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            seen.setdefault(query.sql, []).append(f"{result.page.label} [{result.role}]")
            firsts.setdefault(query.sql, (result, number, query))
    lines, flagged, details = [], 0, []
    for sql, uses in seen.items():
        result, number, query = firsts[sql]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", query.params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        scans = [_describe(node, table_rows) for node in _scans(plan[0]["Plan"])]
        is_flagged = any(flag for _, flag in scans)
        flagged += is_flagged
        others = f" (+{len(uses) - 1} more)" if len(uses) > 1 else ""
        text = "; ".join(text for text, _ in scans) or "no table scan"
        lines.append(
            f"{'SEQ' if is_flagged else 'ok '} {result.page.label} [{result.role}] q{number}{others}: "
            f"{text}"
        )
        details += [lines[-1], f"    {sql}", f"    params: {query.params!r}", ""]
    return lines, flagged, details
