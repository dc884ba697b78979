"""What every registry row shares: its outcome, the values read the same way, the common field checks.

A row's outcome is one of: ``create`` (a new row), ``update`` (an existing row gets the values the file brings),
``unchanged`` (an existing row already holds them), ``duplicate`` (an earlier row of the file is the same
library or person: the first occurrence wins and this one is skipped, with a note) or ``error`` (the reasons,
in Indonesian, per column). Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext as _

from libraries.importing.columns import label_of
from libraries.phone import normalize_phone
from plm_portal.choices import Gender
from plm_portal.spreadsheets import BLANK_MARKS, is_formula, key

CREATE, UPDATE, UNCHANGED, DUPLICATE, ERROR = "create", "update", "unchanged", "duplicate", "error"
GENDER_ALIASES: dict[str, str] = {
    "l": Gender.MALE,
    "lakilaki": Gender.MALE,
    "pria": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "p": Gender.FEMALE,
    "perempuan": Gender.FEMALE,
    "wanita": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}


@dataclass
class RowResult:
    """One row's outcome: the object to create or update (with the fields that change), or its issues."""

    number: int
    action: str = CREATE
    obj: Any = None
    fields: list[str] = field(default_factory=list)
    issues: list[tuple[str, str, str]] = field(default_factory=list)  # (level, column, message)

    def error(self, column: str, message: str) -> None:
        self.issues.append((ERROR, column, message))
        self.action = ERROR

    def duplicate(self, message: str) -> None:
        self.issues.append((DUPLICATE, "", message))
        self.action = DUPLICATE

    @property
    def failed(self) -> bool:
        return self.action == ERROR


class Values:
    """A record's values for one kind of import: formulas refused, blank marks ("-") read as blank."""

    def __init__(self, kind: str, values: dict[str, str], result: RowResult) -> None:
        self.kind = kind
        self.result = result
        self.values: dict[str, str] = {}
        self.formulas: set[str] = set()
        for name, value in values.items():
            value = value.strip()
            if is_formula(value):
                result.error(
                    self.label(name),
                    _("kolom %(column)s berisi rumus (diawali = + - @); tulis sebagai teks biasa")
                    % {"column": self.label(name)},
                )
                value = ""
                self.formulas.add(name)
            elif value in BLANK_MARKS:
                value = ""
            self.values[name] = value

    def label(self, name: str) -> str:
        return label_of(self.kind, name)

    def text(self, name: str, model: type[models.Model], field_name: str | None = None) -> str:
        """The value, spaces collapsed, refused (error, "") when longer than the model field allows."""
        value = " ".join(self.values.get(name, "").split())
        limit = model._meta.get_field(field_name or name).max_length
        if limit and len(value) > limit:
            self.result.error(
                self.label(name),
                _("%(column)s terlalu panjang (maks. %(limit)s karakter)")
                % {"column": self.label(name), "limit": limit},
            )
            return ""
        return value

    def raw(self, name: str) -> str:
        return self.values.get(name, "")

    def missing(self, name: str) -> bool:
        """Blank in the file (a refused formula is reported already, not as missing too)."""
        return not self.raw(name) and name not in self.formulas

    def phone(self, name: str = "phone") -> str:
        value = self.raw(name)
        try:
            return normalize_phone(value)
        except ValidationError:
            self.result.error(
                self.label(name), _("nomor HP tidak valid (%(value)s)") % {"value": value}
            )
            return ""

    def email(self, name: str = "email") -> str:
        value = self.raw(name)
        if not value:
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.result.error(
                self.label(name), _("email tidak valid (%(value)s)") % {"value": value}
            )
            return ""
        if len(value) > 254:
            self.result.error(self.label(name), _("email terlalu panjang"))
            return ""
        return value

    def gender(self, name: str = "gender") -> str:
        value = self.raw(name)
        if not value:
            return ""
        gender = GENDER_ALIASES.get(key(value), "")
        if not gender:
            self.result.error(
                self.label(name), _("L/P harus L atau P, bukan “%(value)s”") % {"value": value}
            )
        return gender


def changes(obj: models.Model, wanted: dict[str, Any]) -> list[str]:
    """Set on ``obj`` what ``wanted`` brings (never blanking a field); the names of the fields that changed."""
    changed = []
    for name, value in wanted.items():
        if value in ("", None):
            continue
        current = getattr(obj, name)
        same = (
            current.casefold() == value.casefold()
            if name == "email" and isinstance(current, str)
            else current == value
        )
        if not same:
            setattr(obj, name, value)
            changed.append(name)
    return changed
