"""Indonesian phone numbers: one stored form (E.164, ``+62…``) whatever way people type them.

`lokal-id` does the parsing (prefixes, lengths, mobile vs. landline); this module holds our contract around it:
blank in, blank out; junk raises a ValidationError with a message a user can act on; the result always fits
``Person.phone`` and its ``+62`` check constraint.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lokal.phone import parse_phone

# Numbers pasted from WhatsApp or a phone's contacts carry invisible direction marks and zero-width
# characters (Unicode category Cf) that lokal does not strip; they are never part of the number.
_INVISIBLE_CATEGORY = "Cf"
_DASH_CATEGORY = "Pd"
# "00 62 …" is the international dialling form; lokal would read the second 0 as a trunk prefix and
# keep "62" as part of the number (+6262…).
_INTERNATIONAL_PREFIX = re.compile(r"^[\s().-]*00[\s().-]*62")
# A number that went through a spreadsheet as a float comes back as "81234567890.0"; lokal drops dots as
# separators and would silently store a different number (+62812345678900).
_FLOAT_ARTEFACT = re.compile(r"^\s*(\+?[0-9]+)\.0\s*$")
_NOT_DIGIT = re.compile(r"[^0-9]")


def _tidy(raw: str) -> str:
    # NFKC folds full-width digits and plus signs (typed with some keyboards) to ASCII.
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(
        "-" if unicodedata.category(char) == _DASH_CATEGORY else char
        for char in text
        if unicodedata.category(char) != _INVISIBLE_CATEGORY
    )
    text = _FLOAT_ARTEFACT.sub(r"\1", text)
    return _INTERNATIONAL_PREFIX.sub("+62", text)


def normalize_phone(raw: str) -> str:
    """Return ``raw`` as ``+62…`` (mobile or landline), or "" when it is blank.

    Raises ValidationError (code ``invalid_phone``) when it is not an Indonesian phone number.
    """
    if raw is None:
        return ""
    # Spreadsheet cells arrive as int or float, not str.
    text = _tidy(str(raw))
    if not text.strip():
        return ""
    info = parse_phone(text)
    if not info.valid or not info.e164:
        raise ValidationError(
            _("Nomor HP tidak valid: %(value)s"),
            code="invalid_phone",
            params={"value": str(raw).strip()},
        )
    return info.e164


def last_digits(phone: str, n: int = 4) -> str:
    """The last ``n`` digits of ``phone`` (fewer if it has fewer), e.g. to show "…7890" instead of the number."""
    if n < 0:
        raise ValueError("n must not be negative.")
    digits = _NOT_DIGIT.sub("", phone or "")
    # digits[-0:] would be the whole number, not none of it.
    return digits[-n:] if n else ""
