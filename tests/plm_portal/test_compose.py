"""docker-compose.yml agrees with settings.py (Docker itself cannot run in the test environment).

PyYAML is not a dependency: when it is missing, a small reader of the YAML subset the compose file keeps to
(block mappings, plain or double-quoted scalars, JSON-style flow lists, anchors, aliases and merge keys) is used.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

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
_KEY_LINE = re.compile(r"^(?P<key>[^:\s][^:]*?):(?:\s+(?P<value>.*))?$")
# ${NAME}, ${NAME-} and ${NAME:-} all end up empty when NAME is not set.
_MAYBE_EMPTY = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-)?\}$")


def settings_env_names() -> set[str]:
    """Every environment variable name settings.py and env.py read with a literal name."""
    names: set[str] = set()
    for path in (BASE_DIR / "plm_portal" / "settings.py", BASE_DIR / "plm_portal" / "env.py"):
        text = path.read_text()
        names |= set(_READ_CALL.findall(text)) | set(_OS_ENVIRON.findall(text))
    return names


def _strip_comment(line: str) -> str:
    in_quotes = False
    for index, char in enumerate(line):
        if char == '"' and (index == 0 or line[index - 1] != "\\"):
            in_quotes = not in_quotes
        elif char == "#" and not in_quotes and (index == 0 or line[index - 1].isspace()):
            return line[:index].rstrip()
    return line.rstrip()


def _scalar(text: str) -> object:
    if text.startswith(('"', "[", "{")):
        return json.loads(text)
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    return text


def load_compose_subset(text: str) -> dict:
    """Read the YAML subset described in the module docstring; anything else raises ValueError."""
    lines = [
        (len(line) - len(line.lstrip(" ")), line.strip())
        for line in map(_strip_comment, text.splitlines())
        if line.strip()
    ]
    anchors: dict[str, object] = {}

    def block(start: int, indent: int) -> tuple[object, int]:
        if lines[start][1].startswith("- "):
            items: list[object] = []
            index = start
            while index < len(lines) and lines[index][0] == indent:
                if not lines[index][1].startswith("- "):
                    raise ValueError(f"mixed list and mapping: {lines[index][1]!r}")
                items.append(_scalar(lines[index][1][2:].strip()))
                index += 1
            return items, index
        mapping: dict[str, object] = {}
        index = start
        while index < len(lines) and lines[index][0] == indent:
            match = _KEY_LINE.match(lines[index][1])
            if not match:
                raise ValueError(f"not a 'key: value' line: {lines[index][1]!r}")
            key, raw = match["key"], (match["value"] or "").strip()
            index += 1
            anchor = None
            if raw.startswith("&"):
                anchor, _, raw = raw.partition(" ")
                anchor, raw = anchor[1:], raw.strip()
            if raw.startswith("*"):
                value = anchors[raw[1:]]
            elif raw:
                value = _scalar(raw)
            elif index < len(lines) and lines[index][0] > indent:
                value, index = block(index, lines[index][0])
            else:
                value = None
            if anchor:
                anchors[anchor] = value
            if key == "<<":
                mapping.update(value)  # type: ignore[arg-type]
            else:
                mapping[key] = value
        if index < len(lines) and lines[index][0] > indent:
            raise ValueError(f"unexpected indentation: {lines[index][1]!r}")
        return mapping, index

    result, end = block(0, 0)
    if end != len(lines):
        raise ValueError(f"could not read past: {lines[end][1]!r}")
    return result  # type: ignore[return-value]


def load_compose() -> dict:
    text = COMPOSE_FILE.read_text()
    try:
        import yaml
    except ImportError:
        return load_compose_subset(text)
    return yaml.safe_load(text)


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


def test_compose_subset_reader_handles_anchors_and_merge_keys():
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

    assert load_compose_subset(text) == {
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
