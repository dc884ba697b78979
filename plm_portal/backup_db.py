"""The database half of a backup (plm_portal/backups.py): a consistent copy and its row counts, and back.

PostgreSQL: ``pg_dump --format=custom`` of a snapshot exported by a REPEATABLE READ transaction, so the row counts
in the manifest are those of the dump even while the portal keeps writing; restored with ``pg_restore --clean
--if-exists --no-owner`` in one transaction. SQLite: the sqlite3 backup API (a consistent copy while the portal
runs, WAL included), and the same API to copy it back.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.utils.translation import gettext as _

# Rows every migrated database has: they say nothing about whether a target holds the portal's data.
SCHEMA_ONLY_MODELS = {"contenttypes.contenttype", "auth.permission"}
# Django's own OPTIONS of the psycopg backend; the rest are libpq parameters (sslmode, connect_timeout, …).
_DJANGO_PG_OPTIONS = {
    "isolation_level",
    "server_side_binding",
    "pool",
    "assume_role",
    "cursor_factory",
    "context",
}
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def model_tables() -> dict[str, str]:
    """``app_label.model`` → table, for every concrete table the portal's models own (m2m tables too)."""
    tables: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table not in tables.values():
            tables[meta.label_lower] = meta.db_table
    return dict(sorted(tables.items()))


def _quote(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def _count_rows(execute: Callable[[str], int], existing: Iterable[str]) -> dict[str, int]:
    present = set(existing)
    return {
        label: execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - our own table names
        for label, table in model_tables().items()
        if table in present
    }


def vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def row_counts(alias: str = "default") -> dict[str, int]:
    """Rows per model in the database as it is now (after a restore: to compare with the manifest)."""
    connection = connections[alias]
    with connection.cursor() as cursor:

        def execute(sql: str) -> int:
            cursor.execute(sql)
            return cursor.fetchone()[0]

        return _count_rows(execute, connection.introspection.table_names(cursor))


def holds_data(alias: str = "default") -> bool:
    """True when any of the portal's tables has a row (beyond what ``migrate`` itself writes)."""
    counts = row_counts(alias)
    return any(count for label, count in counts.items() if label not in SCHEMA_ONLY_MODELS)


def dump(target_dir: Path, alias: str = "default") -> tuple[Path, dict[str, int]]:
    """Write the database into ``target_dir``; return the file and the row counts of that very copy."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        return _pg_dump(connection.settings_dict, target_dir / DUMP_NAMES["postgresql"])
    if connection.vendor == "sqlite":
        return _sqlite_dump(connection, target_dir / DUMP_NAMES["sqlite"])
    raise BackupError(_("Basis data %(vendor)s tidak didukung.") % {"vendor": connection.vendor})


def restore(source: Path, alias: str = "default") -> None:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        connection.close()
        _pg_restore(connection.settings_dict, source)
    elif connection.vendor == "sqlite":
        _sqlite_restore(connection, source)
    else:
        raise BackupError(
            _("Basis data %(vendor)s tidak didukung.") % {"vendor": connection.vendor}
        )


# --- SQLite ---------------------------------------------------------------------------------------------------


def _sqlite_dump(connection, path: Path) -> tuple[Path, dict[str, int]]:
    connection.ensure_connection()
    # The portal's own connection (a file, or the in-memory test database): the backup API copies pages under
    # SQLite's locks, so writers of other processes never leave it half-written.
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        tables = [
            row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        counts = _count_rows(lambda sql: cursor.execute(sql).fetchone()[0], tables)
    return path, counts


def _sqlite_restore(connection, source: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError(_("Basis data SQLite di memori tidak dapat dipulihkan."))
    connection.close()
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as archived, closing(sqlite3.connect(name)) as target:
        archived.backup(target)


# --- PostgreSQL -----------------------------------------------------------------------------------------------


def _pg_conninfo(settings_dict: dict) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries the password."""
    from psycopg.conninfo import make_conninfo

    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict.get("PORT") or "") or None,
    }
    for key, value in (settings_dict.get("OPTIONS") or {}).items():
        if key not in _DJANGO_PG_OPTIONS and isinstance(value, str | int):
            params[key] = str(value)
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]  # the environment, not the command line (ps)
    return make_conninfo(**{k: v for k, v in params.items() if v is not None}), env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            _("%(tool)s tidak ditemukan: pasang postgresql-client (versi yang sama dengan server).")
            % {"tool": name}
        )
    return path


def _tool_major(tool: str) -> int:
    # The tool's path comes from shutil.which, the arguments are ours.
    output = subprocess.run(  # noqa: S603
        [tool, "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if not match:
        raise ImproperlyConfigured(f"Cannot read the version of {tool}: {output!r}")
    return int(match.group(1))


def _check_version(tool: str, server_version: int) -> None:
    """pg_dump/pg_restore must be at least as new as the server (libpq's server_version: 150020 → 15)."""
    server_major = server_version // 10000
    tool_major = _tool_major(tool)
    if tool_major < server_major:
        raise BackupError(
            _(
                "%(tool)s versi %(tool_major)s lebih lama dari server PostgreSQL %(server_major)s: "
                "pasang postgresql-client-%(server_major)s."
            )
            % {"tool": Path(tool).name, "tool_major": tool_major, "server_major": server_major}
        )


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - pg_dump/pg_restore with arguments we build
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s gagal (kode %(code)s): %(error)s")
            % {
                "tool": Path(command[0]).name,
                "code": result.returncode,
                "error": result.stderr.strip()[-2000:],
            }
        )


def _pg_dump(settings_dict: dict, path: Path) -> tuple[Path, dict[str, int]]:
    import psycopg

    tool = _pg_tool("pg_dump")
    conninfo, env = _pg_conninfo(settings_dict)
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as snapshot:
        _check_version(tool, snapshot.info.server_version)
        snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot.read_only = True
        # The transaction stays open while pg_dump imports its snapshot: the counts and the dump see the same rows.
        snapshot_id = snapshot.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = [
            row[0]
            for row in snapshot.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        ]
        counts = _count_rows(lambda sql: snapshot.execute(sql).fetchone()[0], tables)
        _run(
            [
                tool,
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot_id}",
                f"--file={path}",
                f"--dbname={conninfo}",
            ],
            env,
        )
        snapshot.rollback()
    return path, counts


def _pg_restore(settings_dict: dict, source: Path) -> None:
    import psycopg

    tool = _pg_tool("pg_restore")
    conninfo, env = _pg_conninfo(settings_dict)
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as probe:
        _check_version(tool, probe.info.server_version)
    # One transaction: a restore that fails half-way leaves the database as it was.
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={conninfo}",
            str(source),
        ],
        env,
    )
