"""Text safe to open in a spreadsheet program: every CSV or XLSX the portal serves goes through ``neutralise``.

OWASP "CSV injection": a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be read
as a formula by Excel or LibreOffice (and run ``HYPERLINK``/``DDE`` payloads typed into a name field). Such a
text gets a leading apostrophe, in CSV and XLSX alike; numbers and dates are not text and stay as they are.
Here, in the wiring package, so that every app may use it (the reports exports and the meetings import
template alike) without importing another feature app.
"""

from __future__ import annotations

import re
from typing import Any

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
