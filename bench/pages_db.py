"""The throwaway database of bench/pages.py and the environment every process of the bench runs with.

With DATABASE_URL set: a database ``bench_pages`` on that server (the URL's own database is never touched;
its name only says which server). Without: SQLite under ``var/bench/pages/`` (``PLM_VAR_DIR``), so the
developer's ``var/`` database, static and media files are never touched either.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
VAR_DIR = BENCH_DIR / "pages"
DB_NAME = "bench_pages"
# Variables that would point a bench process at the developer's data or services.
NOT_INHERITED = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_STATIC_ROOT",
    "DJANGO_MEDIA_ROOT",
    "DJANGO_PRIVATE_MEDIA_ROOT",
)


class HarnessError(RuntimeError):
    """The bench itself broke (not a missed target): the run exits non-zero."""


@dataclass
class BenchDatabase:
    vendor: str  # "postgresql" or "sqlite"
    url: str = ""  # the bench database's URL (PostgreSQL only)
    admin: dict[str, str] = field(
        default_factory=dict
    )  # psycopg connect() arguments for the server
    env: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.vendor == "sqlite":
            return f"SQLite {(VAR_DIR / 'plm_portal.sqlite3').relative_to(BASE_DIR)}"
        return f"PostgreSQL database {DB_NAME} on {self.admin.get('host') or 'localhost'}"

    def create(self) -> None:
        """A fresh, empty database (and a fresh bench var dir)."""
        shutil.rmtree(VAR_DIR, ignore_errors=True)
        VAR_DIR.mkdir(parents=True)
        if self.vendor == "postgresql":
            self._admin_execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            self._admin_execute(f'CREATE DATABASE "{DB_NAME}"')

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self._admin_execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        shutil.rmtree(VAR_DIR, ignore_errors=True)

    def _admin_execute(self, sql: str) -> None:
        import psycopg

        last_error: Exception | None = None
        # The maintenance database first: the URL's own database may not exist (it only names the server).
        for dbname in ("postgres", self.admin.get("dbname", "")):
            if not dbname or dbname == DB_NAME:
                continue
            try:
                with psycopg.connect(**{**self.admin, "dbname": dbname}, autocommit=True) as conn:
                    conn.execute(sql)
                return
            except psycopg.OperationalError as error:
                last_error = error
        raise HarnessError(f"cannot reach the PostgreSQL server: {last_error}")


def bench_database() -> BenchDatabase:
    """The bench's database from the caller's DATABASE_URL, with the environment of every bench process."""
    from plm_portal.env import parse_database_url

    url = os.environ.get("DATABASE_URL", "").strip()
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(
        DJANGO_SETTINGS_MODULE="plm_portal.settings",
        PLM_VAR_DIR=str(VAR_DIR),
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain HTTP on the loopback: no redirect to HTTPS. Secure cookies only matter when a cookie is set;
        # the bench sends an existing session cookie.
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_LOG_LEVEL="WARNING",
        # The bench signs users in with force_login (no TOTP step); with an authenticator set up, the
        # two-factor rule costs no query after the first request of a session (a flag in the session).
        PLM_MFA_REQUIRED="False",
        PYTHONUNBUFFERED="1",
    )
    if not url:
        return BenchDatabase(vendor="sqlite", env=env)
    if url.startswith("sqlite:"):
        raise HarnessError(
            "DATABASE_URL=sqlite://… is not supported: unset it for the SQLite bench."
        )
    config = parse_database_url("DATABASE_URL", url)
    parts = urlsplit(url)
    bench_url = urlunsplit((parts.scheme, parts.netloc, f"/{DB_NAME}", parts.query, ""))
    admin = {
        "host": config["HOST"],
        "port": config["PORT"],
        "user": config["USER"],
        "password": config["PASSWORD"],
        "dbname": config["NAME"],
        **config.get("OPTIONS", {}),
    }
    env["DATABASE_URL"] = bench_url
    return BenchDatabase(
        vendor="postgresql",
        url=bench_url,
        admin={key: value for key, value in admin.items() if value},
        env=env,
    )


# collectstatic with Django's manifest storage: the same staticfiles.json and hashed names as WhiteNoise's
# CompressedManifestStaticFilesStorage (a subclass), without compressing every file (~35 s the bench does not
# need: it measures HTML with gzip off and never fetches static files).
COLLECTSTATIC = """
import django
from django.core.management import call_command
from django.test.utils import override_settings

django.setup()
storage = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
with override_settings(STORAGES={**django.conf.settings.STORAGES, "staticfiles": storage}):
    call_command("collectstatic", interactive=False, verbosity=0)
"""


def manage(db: BenchDatabase, *args: str) -> float:
    """Run ``manage.py <args>`` against the bench database; seconds taken. Output shown only on failure.

    ``collectstatic`` runs as above rather than through manage.py.
    """
    started = time.perf_counter()
    command = ["-c", COLLECTSTATIC] if args[0] == "collectstatic" else ["manage.py", *args]
    done = subprocess.run(
        [sys.executable, *command],
        cwd=BASE_DIR,
        env=db.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise HarnessError(
            f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return time.perf_counter() - started
