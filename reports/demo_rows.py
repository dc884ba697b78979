"""The demo loader's tools (reports.demo, reports.demo_programme): insert the rows missing by natural key.

Kept apart so both loaders use them without importing each other.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Case, Value, When

type Spec = dict[str, Any]


@dataclass
class DemoResult:
    """What one run inserted, per model label ("libraries.Library": 19). Empty on a second run.

    ``files`` names the photo files this run stored (private storage): removed again when the run fails.
    """

    created: Counter[str] = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def ensure[M: models.Model](
    model: type[M],
    rows: Iterable[M],
    key: tuple[str, ...],
    result: DemoResult,
    *,
    before_insert: Callable[[list[M]], None] | None = None,
) -> dict[tuple, M]:
    """Insert the rows whose natural key is not in the database yet; return every row by its key.

    `key` names attributes (attnames such as "province_id"). Rows already in the database are returned as
    they are there, never updated. ``before_insert`` gets the rows about to be inserted (to store their
    files, say), and only those.
    """
    rows = list(rows)

    def key_of(obj: M) -> tuple:
        return tuple(getattr(obj, attname) for attname in key)

    wanted = [key_of(row) for row in rows]
    if len(set(wanted)) != len(wanted):
        raise ValueError(f"Duplicate natural keys in the demo rows of {model._meta.label}.")
    # A superset of the wanted rows (every combination of the key values); the dict keeps the exact ones.
    lookup = {f"{attname}__in": {k[i] for k in wanted} for i, attname in enumerate(key)}
    existing = {key_of(obj): obj for obj in model._default_manager.filter(**lookup)} if rows else {}
    missing = [row for row in rows if key_of(row) not in existing]
    if missing:
        if before_insert is not None:
            before_insert(missing)
        model._default_manager.bulk_create(missing)
        result.created[model._meta.label] += len(missing)
    return {k: existing.get(k) or row for k, row in zip(wanted, rows, strict=True)}


def backdate(model: type[models.Model], field_name: str, values: Mapping[int, dt.datetime]) -> None:
    """Set ``field_name`` (an ``auto_now_add`` field, which an INSERT always fills with now) of the rows
    ``values`` names by pk: one UPDATE. For rows just inserted, so the demo's history has its own dates."""
    if not values:
        return
    when = [When(pk=pk, then=Value(value)) for pk, value in values.items()]
    output = model._meta.get_field(field_name)
    model._default_manager.filter(pk__in=list(values)).update(
        **{field_name: Case(*when, output_field=output)}
    )


def fields(spec: Spec, *, codes: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> Spec:
    """A spec's fields as model keyword arguments: region codes become ``<name>_id``; ``key`` never is a field.

    Passing them with ``**`` keeps the file strict: a misspelt field raises TypeError instead of being lost.
    """
    return {
        f"{name}_id" if name in codes else name: value
        for name, value in spec.items()
        if name not in ("key", *skip)
    }
