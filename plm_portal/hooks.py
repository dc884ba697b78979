"""Answers one app gives another without importing it (the import rules of ARCHITECTURE.md).

``reports`` computes the award score sheet from the work recorded in ``programs`` and ``meetings``; the awards
form in ``meetings`` must compare the jury's choice with it, yet ``meetings`` imports neither ``programs`` nor
``reports``. So ``reports`` provides the answer when it starts (``ReportsConfig.ready``) and ``meetings`` asks for
it by name. An unprovided question answers ``default``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

AWARD_RANKING = "award_ranking"  # (province_id, year, category) -> library ids, best first

_providers: dict[str, Callable[..., Any]] = {}


def provide(name: str, function: Callable[..., Any]) -> None:
    _providers[name] = function


def ask(name: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
    function = _providers.get(name)
    return function(*args, **kwargs) if function else default
