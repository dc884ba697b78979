"""What every dataset gives the writers: a Plan (headers, a fresh row iterator, a count, a summary).

A Plan is made while the request's (or the job's) language is active: headers and choice labels are plain
strings by then, so a streamed response or a worker writes them in the language the user asked in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

# Rows fetched per round trip from the server-side cursor (PostgreSQL) or per fetchmany (SQLite).
CHUNK_SIZE = 2000

Row = Sequence[Any]


@dataclass
class Plan:
    """One export: what ``writers`` needs, computed from a list page's query string for one user."""

    dataset: str
    title: str
    headers: list[str]
    rows: Callable[[], Iterator[Row]]
    count: Callable[[], int]
    summary: str = ""


def stream(queryset: QuerySet, transform: Callable[[tuple], Row]) -> Iterator[Row]:
    """``transform`` of each row of a ``values_list`` queryset, read in chunks (constant memory)."""
    for values in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield transform(values)


def in_batches(queryset: QuerySet) -> Iterator[tuple]:
    """Batches of CHUNK_SIZE rows, for datasets that read a second table per batch (one query per batch)."""
    return batched(queryset.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE)


def labels(choices: Iterable[tuple[Any, Any]]) -> dict[Any, str]:
    """A choices list as {value: label}, the labels translated now (not at each row)."""
    return {value: str(label) for value, label in choices}


def params_of(filters: dict[str, list[str]] | QueryDict) -> QueryDict:
    """A list page's query string as a QueryDict, from the request or from an Export's stored filters."""
    if isinstance(filters, QueryDict):
        return filters
    query = QueryDict(mutable=True)
    for key, values in filters.items():
        query.setlist(key, [str(value) for value in values])
    query._mutable = False
    return query


def filters_of(params: QueryDict) -> dict[str, list[str]]:
    """The query string to store (without the page number, which never narrows an export)."""
    return {key: params.getlist(key) for key in sorted(params) if key != "page"}


def summarise(form: forms.Form, *, leading: Sequence[str] = ()) -> str:
    """The filters a valid part of ``form`` applies, as "Label: value · …", after ``leading`` parts."""
    parts = list(leading)
    cleaned = getattr(form, "cleaned_data", {})
    for name, field in form.fields.items():
        value = cleaned.get(name)
        if value in (None, "", [], ()) or isinstance(field.widget, forms.HiddenInput):
            continue
        choices = getattr(field, "choices", None)
        shown = value
        if choices is not None and not hasattr(field, "queryset"):
            shown = {str(key): label for key, label in _flat(choices)}.get(str(value), value)
        parts.append(f"{field.label}: {shown}")
    return " · ".join(str(part) for part in parts)[:300]


def _flat(choices: Iterable) -> Iterator[tuple[Any, Any]]:
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield key, label
