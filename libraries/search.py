"""The one people search: a phone number in any format, or words found in a person's fields.

Used by the people list, the participants tab, adding a participant and the public self check-in page, always
through ``libraries.selectors``. On PostgreSQL every condition is answered by a pg_trgm index
(``plm_portal.indexes.TrigramIndex`` on the person's fields and the library name).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

from libraries.models import Library, person_haystack
from libraries.phone import normalize_phone

# The fewest letters or digits a people search needs, everywhere people are searched (the people list, the
# participants tab, adding a participant, the public self check-in page). Fewer match a large part of a
# province: useless to an officer, and on the public page a way to list a meeting's participants.
MIN_SEARCH_LENGTH = 3

# What a person search looks at besides the phone number.
PERSON_SEARCH_FIELDS = ("full_name", "email", "position", "institution", "home_library__name")

_PHONE_LIKE = re.compile(r"^[0-9\s+().\-]+$")
_NOT_DIGIT = re.compile(r"[^0-9]")


def search_length(text: str) -> int:
    """How many letters and digits ``text`` has: what MIN_SEARCH_LENGTH counts."""
    return sum(1 for char in text if char.isalnum())


def phone_search(text: str, field: str = "phone") -> Q | None:
    """A Q matching stored ``+62…`` numbers against what was typed, whole or in part.

    None when ``text`` is not a phone number (letters in it) or has fewer than MIN_SEARCH_LENGTH digits.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not _PHONE_LIKE.match(text):
        return None
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < MIN_SEARCH_LENGTH:
        return None
    query = Q(**{f"{field}__contains": digits})
    try:
        full = normalize_phone(text)
    except ValidationError:
        full = ""
    if full:
        query |= Q(**{field: full})
    # A local number starts with the trunk prefix 0 (or 00 62 from abroad); stored numbers with +62.
    if digits.startswith("0062"):
        query |= Q(**{f"{field}__contains": digits[2:]})
    elif digits.startswith("0"):
        query |= Q(**{f"{field}__contains": "62" + digits[1:]})
    return query


# libraries.models.person_haystack joins these four fields, in capitals; a search for all four reads it.
HAYSTACK_FIELDS = ("full_name", "email", "position", "institution")
SEARCH_TEXT = "plm_haystack"

# A term naming at most this many rows of a related table (libraries, regencies, villages) finds the searched
# rows by those ids: an index lookup on the searched table, ORed with its trigram indexes. A term naming more
# (``perpustakaan``) joins the related table instead.
NAMED_IDS_LIMIT = 500


def _matches(field: str, term: str, *, word_start: bool) -> Q:
    if word_start:
        return Q(**{f"{field}__istartswith": term}) | Q(**{f"{field}__icontains": f" {term}"})
    return Q(**{f"{field}__icontains": term})


def named(model: type[Model], path: str, term: str, *, word_start: bool = False) -> Q:
    """Rows whose relation ``path`` (to ``model``, which has a ``name``) is named like ``term``.

    The related rows are looked up first, so the condition stays on the searched table.
    """
    ids = list(
        model.objects.filter(_matches("name", term, word_start=word_start))
        .order_by()
        .values_list("pk", flat=True)[: NAMED_IDS_LIMIT + 1]
    )
    if len(ids) > NAMED_IDS_LIMIT:
        return _matches(f"{path}__name", term, word_start=word_start)
    return Q(**{f"{path}__in": ids})


def _term_condition(term: str, fields: Iterable[str], *, word_start: bool) -> Q:
    """``term`` in any of ``fields``; a home library's name through ``named``."""
    condition = Q()
    for field in fields:
        if field == SEARCH_TEXT:
            # One LIKE on the capitals of name, e-mail, position and institution: one trigram index, and one
            # comparison per row where PostgreSQL reads them all, instead of four.
            condition |= Q(**{f"{field}__contains": term.upper()})
        elif field.endswith("home_library__name"):
            path = field.removesuffix("__name")
            condition |= named(Library, path, term, word_start=word_start)
        else:
            condition |= _matches(field, term, word_start=word_start)
    return condition


def search_people[Row: Model](
    rows: QuerySet[Row],
    text: str,
    *,
    path: str = "",
    fields: Iterable[str] = PERSON_SEARCH_FIELDS,
    also: Iterable[str] = (),
    by_phone: bool = True,
    word_start: bool = False,
) -> QuerySet[Row]:
    """``rows`` (people, or rows with a relation ``path`` to a person) matching what was typed.

    The one people search: a phone number in any format (0812…, +62 812…, the last digits) matches the phone
    only; anything else matches when every word is found in one of the person's ``fields`` or the row's own
    ``also`` fields (``word_start``: at the start of a word, for the public page). Fewer than
    MIN_SEARCH_LENGTH letters and digits match nobody. ``by_phone=False`` where a phone must not find anyone
    (the public self check-in page).
    """
    text = " ".join(text.split())
    if search_length(text) < MIN_SEARCH_LENGTH:
        return rows.none()
    prefix = f"{path}__" if path else ""
    if by_phone and (phone := phone_search(text, f"{prefix}phone")) is not None:
        return rows.filter(phone)
    columns = [f"{prefix}{field}" for field in fields] + list(also)
    if not word_start and set(HAYSTACK_FIELDS) <= set(fields):
        rows = rows.alias(**{SEARCH_TEXT: person_haystack(prefix)})
        haystack = {f"{prefix}{field}" for field in HAYSTACK_FIELDS}
        columns = [SEARCH_TEXT, *(c for c in columns if c not in haystack)]
    for term in text.split():
        rows = rows.filter(_term_condition(term, columns, word_start=word_start))
    return rows
