"""Calendar arithmetic the apps share."""

from __future__ import annotations

import calendar
import datetime as dt


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or that month's last day (31 January + 1 month: 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
