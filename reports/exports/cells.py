"""Cell values safe to open in a spreadsheet program, and the small conversions every dataset shares.

Formula neutralising (OWASP "CSV injection") lives in ``plm_portal.cells`` so that the meetings app's import
template uses the same rule; it is re-exported here for the exports.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils.text import slugify

from plm_portal.cells import FORMULA_STARTS, neutralise

__all__ = [
    "FORMULA_STARTS",
    "local_phone",
    "local_time",
    "masked_phone",
    "neutralise",
    "safe_filename",
]


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
