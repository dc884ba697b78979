"""Cell values safe to open in a spreadsheet program, and the small conversions every dataset shares.

OWASP "CSV injection": a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be read
as a formula by Excel or LibreOffice (and run ``HYPERLINK``/``DDE`` payloads typed into a name field). Such a
text gets a leading apostrophe, in CSV and XLSX alike; numbers and dates are not text and stay as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.text import slugify

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold; a name pasted from a PDF sometimes carries them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is a text a spreadsheet could take for a formula."""
    if isinstance(value, str):
        value = _NOT_XML.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def local_phone(phone: str) -> str:
    """``+62812…`` as Indonesians write it, ``0812…``: what a province's spreadsheet holds and the import reads
    back (libraries.phone accepts both), and a text that does not start with ``+``."""
    if phone.startswith("+62"):
        return "0" + phone[3:]
    return phone


def masked_phone(phone: str) -> str:
    """The last four digits only, as the portal shows a number to someone who may not change the person."""
    digits = re.sub(r"\D", "", phone)
    return f"…{digits[-4:]}" if digits else ""


def local_time(moment: dt.datetime | None, time_zone: str) -> dt.datetime | None:
    """``moment`` in the meeting province's time zone, without tzinfo (spreadsheets know none)."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)


def yes_no(value: bool, yes: str, no: str) -> str:
    return yes if value else no


def safe_filename(stem: str, extension: str, *, today: dt.date) -> str:
    """An ASCII file name for a download: the dataset's name and the day, e.g. ``peserta-2026-11-20.xlsx``."""
    return f"{slugify(stem) or 'ekspor'}-{today:%Y-%m-%d}.{extension}"
