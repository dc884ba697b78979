"""``{% export_buttons %}``: "Unduh CSV" and "Unduh XLSX" for a list page, carrying its query string.

Put inside the part of the page that htmx redraws when the filters change, so the buttons always carry the
filters on screen; or outside it, with ``oob=True`` inside it (the link and the query swapped out of band). Each XLSX form gets a fresh one-time key (plm_portal.once): a double tap makes one job.
"""

from __future__ import annotations

import uuid

from django import template
from django.http import QueryDict

register = template.Library()


@register.inclusion_tag("reports/export_buttons.html", takes_context=True)
def export_buttons(
    context: template.Context,
    dataset: str,
    query: str = "",
    meeting: int | None = None,
    label: str = "",
    oob: bool = False,
) -> dict:
    """The buttons of ``dataset``; ``meeting`` for a meeting's tab (its exports read that meeting only).

    ``oob``: only the CSV link and the XLSX form's query, swapped out of band into buttons drawn outside the
    part htmx redraws (for lists whose redrawn part must hold no form).
    """
    params = QueryDict(query, mutable=True)
    params.pop("page", None)
    if meeting is not None:
        params["meeting"] = str(meeting)
    return {
        "dataset": dataset,
        "query": params.urlencode(),
        "form_key": uuid.uuid4().hex,
        "label": label,
        "oob": oob,
        "csrf_token": context.get("csrf_token"),
    }
