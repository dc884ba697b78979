"""docker-compose.yml agrees with settings.py (Docker itself cannot run in the test environment).

The file is read with PyYAML (a dev dependency), as docker compose reads it: anchors, aliases and merge keys
included.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
APP_IMAGE = "plm-portal:latest"
APP_SERVICES = {"web", "worker", "beat"}
REQUIRED_ENV = {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"}

_READ_CALL = re.compile(
    r"\b(?:env_(?:str|bool|int|list|path)|parse_database_url|parse_redis_url)\(\s*\"([A-Z][A-Z0-9_]*)\""
)
_OS_ENVIRON = re.compile(
    r"\bos\.(?:environ(?:\.get|\.setdefault)?\(|environ\[|getenv\()\s*\"([A-Z][A-Z0-9_]*)\""
)
# ${NAME}, ${NAME-} and ${NAME:-} all end up empty when NAME is not set.
_MAYBE_EMPTY = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-)?\}$")


def settings_env_names() -> set[str]:
    """Every environment variable name settings.py and env.py read with a literal name."""
    names: set[str] = set()
    for path in (BASE_DIR / "plm_portal" / "settings.py", BASE_DIR / "plm_portal" / "env.py"):
        text = path.read_text()
        names |= set(_READ_CALL.findall(text)) | set(_OS_ENVIRON.findall(text))
    return names


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


def test_settings_scan_finds_known_variables():
    # Guards the regexes: an empty scan would make the next test pass vacuously.
    assert {
        *REQUIRED_ENV,
        "DJANGO_DEBUG",
        "EMAIL_PORT",
        "DJANGO_MEDIA_ROOT",
    } <= settings_env_names()


def test_compose_yaml_anchors_and_merge_keys_resolve():
    # The compose file shares one environment between services through an anchor and a merge key.
    text = (
        "x-env: &env\n"
        '  A: "1"  # comment\n'
        "s:\n"
        "  one:\n"
        "    environment: *env\n"
        '    test: ["CMD", "echo #"]\n'
        "  two:\n"
        "    environment:\n"
        "      <<: *env\n"
        "      B: plain value\n"
        "    list:\n"
        "      - a\n"
        "volumes:\n"
        "  data:\n"
    )

    assert yaml.safe_load(text) == {
        "x-env": {"A": "1"},
        "s": {
            "one": {"environment": {"A": "1"}, "test": ["CMD", "echo #"]},
            "two": {"environment": {"A": "1", "B": "plain value"}, "list": ["a"]},
        },
        "volumes": {"data": None},
    }


def test_compose_defines_the_full_stack(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "postgres", "redis"}
    assert {
        name for name, service in compose["services"].items() if service["image"] == APP_IMAGE
    } == (APP_SERVICES)
    assert compose["services"]["postgres"]["image"] == "postgres:15"
    assert compose["services"]["redis"]["image"] == "redis:7"
    assert {"pgdata", "media"} <= set(compose["volumes"])


def test_compose_app_env_names_are_read_by_settings(compose):
    known = settings_env_names()
    for name in APP_SERVICES:
        unknown = set(compose["services"][name]["environment"]) - known
        assert unknown == set(), f"{name} sets variables settings.py never reads: {sorted(unknown)}"


def test_compose_app_services_share_one_environment(compose):
    services = compose["services"]
    assert services["worker"]["environment"] == services["web"]["environment"]
    assert services["beat"]["environment"] == services["web"]["environment"]


@pytest.mark.parametrize("service", sorted(APP_SERVICES))
def test_compose_required_env_set(compose, service):
    environment = compose["services"][service]["environment"]
    for name in sorted(REQUIRED_ENV):
        value = str(environment.get(name) or "").strip()
        assert value, f"{service}: {name} is not set"
        assert not _MAYBE_EMPTY.match(value), f"{service}: {name} may be empty ({value})"


def test_compose_secret_key_has_no_default(compose):
    # A default would ship one well-known signing key to every deployment that forgets .env.
    value = compose["services"]["web"]["environment"]["DJANGO_SECRET_KEY"]
    assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?[^}]*\}", value), value


def test_compose_every_service_has_healthcheck(compose):
    for name, service in compose["services"].items():
        test = (service.get("healthcheck") or {}).get("test")
        assert isinstance(test, list), f"{name} has no healthcheck"
        assert test[0] in {"CMD", "CMD-SHELL"}, f"{name}: {test}"


def test_compose_dependencies_wait_until_healthy(compose):
    services = compose["services"]
    expected = {
        "web": {"postgres", "redis"},
        "worker": {"postgres", "redis", "web"},
        "beat": {"redis", "web"},
    }
    for name, dependencies in expected.items():
        depends_on = services[name]["depends_on"]
        assert set(depends_on) == dependencies, name
        assert {dep["condition"] for dep in depends_on.values()} == {"service_healthy"}, name


def test_compose_static_root_matches_image(compose):
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    image_static_root = re.search(r"DJANGO_STATIC_ROOT=(\S+)", dockerfile)

    assert image_static_root is not None
    assert compose["services"]["web"]["environment"]["DJANGO_STATIC_ROOT"] == (
        image_static_root.group(1)
    )
