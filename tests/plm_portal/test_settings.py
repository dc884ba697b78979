"""settings.py and env.py: strict parsing of the environment and a clean deploy check.

Settings are loaded in a subprocess with a controlled environment, so the test process's settings stay untouched.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from plm_portal.env import SQLITE_OPTIONS, parse_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
SETUP_DJANGO = "import django; django.setup()"


def run_with_env(
    args: list[str], env: dict[str, str], var_dir: Path
) -> subprocess.CompletedProcess:
    """Run the project's Python with only PATH and the given variables (none inherited from the test run)."""
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "plm_portal.settings",
        "PLM_VAR_DIR": str(var_dir),
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def production_env() -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "plm.example.id",
        "DATABASE_URL": "postgres://plm:rahasia@db.example.id:5432/plm",
        # Production mails invitations and password resets: without SMTP, Django's deploy check fails (mail.E001).
        "EMAIL_HOST": "smtp.example.id",
    }


@pytest.mark.parametrize(
    ("name", "value", "extra_env"),
    [
        ("DJANGO_DEBUG", "maybe", {}),
        ("DATABASE_URL", "mysql://x", {}),
        ("REDIS_URL", "http://x", {}),
        # EMAIL_PORT is read only when there is an SMTP host.
        ("EMAIL_PORT", "abc", {"EMAIL_HOST": "smtp.example.id"}),
        ("DJANGO_ALLOWED_HOSTS", "a,,b", {}),
    ],
)
def test_settings_malformed_value_fails_naming_variable(name, value, extra_env, tmp_path):
    env = {"DJANGO_DEBUG": "True", **extra_env, name: value}

    result = run_with_env(["-c", SETUP_DJANGO], env, tmp_path)

    assert result.returncode == 1
    assert last_line(result.stderr).startswith(
        f"django.core.exceptions.ImproperlyConfigured: {name} "
    ), result.stderr


def test_settings_production_without_secret_key_fails_naming_it(tmp_path):
    env = {"DJANGO_DEBUG": "False", "DJANGO_ALLOWED_HOSTS": "plm.example.id"}

    result = run_with_env(["-c", SETUP_DJANGO], env, tmp_path)

    assert result.returncode == 1
    assert last_line(result.stderr).startswith(
        "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY is required"
    ), result.stderr


def test_settings_development_defaults_load(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER)"
    )

    result = run_with_env(["-c", code], {"DJANGO_DEBUG": "True"}, tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True django.db.backends.sqlite3 True"


def test_settings_production_values_pass_deploy_check(tmp_path):
    result = run_with_env(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(), tmp_path
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_settings_production_without_smtp_fails_deploy_check(tmp_path):
    env = {key: value for key, value in production_env().items() if key != "EMAIL_HOST"}

    result = run_with_env(["manage.py", "check", "--deploy"], env, tmp_path)

    assert result.returncode == 1
    assert "(mail.E001)" in result.stderr


def test_parse_database_url_postgres_with_port_and_options():
    config = parse_database_url(
        "DATABASE_URL", "postgres://plm:rahasia@db.example.id:5433/plm?sslmode=require"
    )

    assert config == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "plm",
        "USER": "plm",
        "PASSWORD": "rahasia",
        "HOST": "db.example.id",
        "PORT": "5433",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"sslmode": "require"},
    }


def test_parse_database_url_postgres_password_percent_encoded():
    config = parse_database_url("DATABASE_URL", "postgresql://plm:p%40ss%2Fw0rd@localhost/plm")

    assert config["PASSWORD"] == "p@ss/w0rd"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("localhost", "", "plm")
    assert "OPTIONS" not in config


def test_parse_database_url_sqlite_relative_path():
    config = parse_database_url("DATABASE_URL", "sqlite:///var/plm.sqlite3")

    assert config == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "var/plm.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
    }


def test_parse_database_url_sqlite_absolute_path():
    config = parse_database_url("DATABASE_URL", "sqlite:////srv/plm/plm.sqlite3")

    assert config == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/srv/plm/plm.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
    }


@pytest.mark.parametrize("url", ["postgres://db.example.id", "postgres://db.example.id:5432/"])
def test_parse_database_url_missing_name_fails(url):
    with pytest.raises(ImproperlyConfigured, match=r"^DATABASE_URL needs a database name"):
        parse_database_url("DATABASE_URL", url)


def test_parse_database_url_malformed_port_fails():
    with pytest.raises(ImproperlyConfigured, match=r"^DATABASE_URL is not a valid URL"):
        parse_database_url("DATABASE_URL", "postgres://db.example.id:abc/plm")
