"""Search indexes: pg_trgm GIN on PostgreSQL, a plain index of the same name elsewhere.

Django turns ``field__icontains=x`` into ``UPPER(field::text) LIKE UPPER('%x%')`` on PostgreSQL. A GIN index
with ``gin_trgm_ops`` on ``UPPER(field)`` answers that LIKE (and ``istartswith``, and ``contains`` on a field
indexed without UPPER) from the index instead of reading every row, so a search of 330,000 people costs about
what a search of 3,000 does. SQLite has neither GIN nor pg_trgm: there the same index is a plain B-tree on the
same expressions (harmless, and SQLite is the one-machine development default), which keeps every migration,
including SQLite's table rebuilds, working on both.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import Index
from django.db.models.functions import Upper

TRIGRAM_OPS = "gin_trgm_ops"


class TrigramIndex(GinIndex):
    """``TrigramIndex("full_name", name=...)``: GIN trigram index on UPPER(full_name) for icontains.

    ``upper=False`` indexes the column itself, for case-sensitive ``contains`` (digits of a phone number).
    """

    def __init__(self, *fields, name: str, upper: bool = True, **kwargs) -> None:
        """``fields``: field names, or expressions (indexed as they are, ``upper`` or not)."""
        self.trigram_fields = fields
        self.upper = upper
        expressions = [OpClass(self._target(f), name=TRIGRAM_OPS) for f in fields]
        super().__init__(*expressions, name=name, **kwargs)

    def _target(self, field):
        return Upper(field) if self.upper and isinstance(field, str) else field

    def deconstruct(self):
        path, _, kwargs = super().deconstruct()
        kwargs.pop("expressions", None)
        if not self.upper:
            kwargs["upper"] = False
        return path, self.trigram_fields, kwargs

    def _plain(self) -> Index:
        return Index(*[self._target(f) for f in self.trigram_fields], name=self.name)

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self._plain().create_sql(model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self._plain().remove_sql(model, schema_editor, **kwargs)
        return super().remove_sql(model, schema_editor, **kwargs)
