"""Assertions for database constraints, shared by the model tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


@contextmanager
def refused_by(constraint: str, *sqlite_columns: str) -> Iterator[None]:
    """The database itself refuses the write inside the block, naming `constraint`.

    SQLite names a unique index on plain columns by its columns, and a column's own check by the column.
    """
    names = [re.escape(constraint)]
    if sqlite_columns:
        names.append(re.escape(", ".join(sqlite_columns)))
    with pytest.raises(IntegrityError, match="|".join(names)), transaction.atomic():
        yield


def constraint_messages(instance) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.messages
