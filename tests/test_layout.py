"""Where things live (ARCHITECTURE.md, "Layout"): imports point one way and modules stay readable.

These tests read the source, not the running app, so a new module that breaks the layout fails here before it
grows roots: ``plm_portal`` is wiring and imports no feature app, ``libraries`` is the base every feature app
builds on, ``programs`` and ``meetings`` do not know each other, and only ``reports`` reads across them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("plm_portal", "libraries", "programs", "meetings", "reports")
MAX_LINES = 400

# app -> the feature apps it must never import
FORBIDDEN = {
    "plm_portal": {"meetings", "programs", "reports"},
    "libraries": {"meetings", "programs", "reports"},
    "programs": {"meetings", "reports"},
    "meetings": {"programs", "reports"},
    "reports": set(),
}


def _modules(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_layout_app_imports_point_one_way(app):
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) & FORBIDDEN[app])
        for path in _modules(app)
    }

    assert {path: apps for path, apps in offenders.items() if apps} == {}


@pytest.mark.parametrize("app", APPS)
def test_layout_modules_stay_under_400_lines(app):
    long_modules = {
        str(path.relative_to(ROOT)): lines
        for path in _modules(app)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) >= MAX_LINES
    }

    assert long_modules == {}


@pytest.mark.parametrize("app", ["libraries", "meetings", "reports"])
def test_layout_app_with_pages_has_its_own_urls(app):
    from django.urls import get_resolver

    mounted = {
        getattr(pattern, "urlconf_name", None).__name__: str(pattern.pattern)
        for pattern in get_resolver().url_patterns
        if hasattr(pattern, "urlconf_name") and hasattr(pattern.urlconf_name, "__name__")
    }

    assert mounted.get(f"{app}.urls") == f"{app}/"
