"""The library picker: a select of one province's libraries that stays small however many the province has.

A province may have a thousand village libraries; a select listing them all made a form page hundreds of KB
(334 KB for the new-participant form at ten times the nation). The picker's select lists the province's
library offices (the usual choice, a few dozen at most) and the chosen library; a search field beside it
(htmx) fills the select with the libraries whose name matches what was typed, at most ``RESULTS_LIMIT``.

The form field keeps its whole queryset, so validation is unchanged: any library of the province the user may
see is a valid choice, any other one is not, whatever the select showed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from libraries.models import Library
from libraries.search import MIN_SEARCH_LENGTH, search_length
from libraries.selectors import libraries_visible_to

OFFICE_KINDS = (Library.Kind.PROVINCIAL_OFFICE, Library.Kind.REGENCY_OFFICE)
# The most libraries a search puts in the select: more is a longer list than anyone reads on a phone.
RESULTS_LIMIT = 30
# What the select lists before any search: the offices; bounded in case a province registers very many.
OFFICES_LIMIT = 100
_HTML_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def offices_and(libraries: QuerySet[Library], selected: list[int]) -> list[Library]:
    """The offices among ``libraries``, and the ``selected`` ones wherever they are."""
    condition = Q(kind__in=OFFICE_KINDS)
    if selected:
        condition |= Q(pk__in=selected)
    rows = libraries.filter(condition).order_by("name")[: OFFICES_LIMIT + len(selected)]
    return sorted(rows, key=lambda library: library.list_order)


def _selected_ids(value: Any) -> list[int]:
    values = value if isinstance(value, (list, tuple)) else [value]
    ids = []
    for item in values:
        try:
            ids.append(int(getattr(item, "pk", item)))
        except (TypeError, ValueError):
            continue
    return ids


class LibraryPicker(forms.Select):
    """A select of a few libraries, and a search field that fills it (see the module docstring).

    The form sets ``province_id`` after giving the field its queryset.
    """

    template_name = "libraries/widgets/library_picker.html"
    province_id: str | None = None

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        html_id = widget["attrs"].get("id") or f"id_{name}"
        blank = getattr(getattr(self.choices, "field", None), "empty_label", None)
        status_id = f"{html_id}_status"
        vals = {
            "province": self.province_id or "",
            "field": name,
            "blank": "" if blank is None else str(blank),
            "status": status_id,
        }
        widget["picker"] = {
            "url": reverse("libraries:library_picker_options"),
            "search_id": f"{html_id}_search",
            "status_id": status_id,
            "select_id": html_id,
            "vals": json.dumps(vals),
        }
        return context

    def optgroups(self, name: str, value: list, attrs: dict | None = None) -> list:
        # Only the offices and the chosen library; the whole queryset stays on the field for validation.
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        blank = getattr(choices.field, "empty_label", None)
        shown = [("", blank)] if blank is not None else []
        shown += [
            choices.choice(library) for library in offices_and(queryset, _selected_ids(value))
        ]
        self.choices = shown
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices


@login_required
@require_GET
def library_picker_options(request: HttpRequest) -> HttpResponse:
    """The picker's <option>s (htmx): the offices, the chosen library and the libraries named like ``q``."""
    params = request.GET
    province = params.get("province", "")
    field = params.get("field", "")
    libraries = libraries_visible_to(request.user).filter(province_id=province)
    selected = _selected_ids(params.get(field)) if field else []
    query = params.get("q", "").strip()[:100]
    matches: list[Library] = []
    searched = search_length(query) >= MIN_SEARCH_LENGTH
    if searched:
        found = libraries.filter(name__icontains=query).order_by("name")[: RESULTS_LIMIT + 1]
        matches = sorted(found, key=lambda library: library.list_order)
    more = len(matches) > RESULTS_LIMIT
    matches = matches[:RESULTS_LIMIT]
    match_ids = {library.pk for library in matches}
    others = [
        library for library in offices_and(libraries, selected) if library.pk not in match_ids
    ]
    status_id = params.get("status", "")
    context = {
        "blank": params.get("blank", "")[:100],
        "matches": matches,
        "others": others,
        "selected": set(selected),
        "searched": searched,
        "more": more,
        "query": query,
        "min_length": MIN_SEARCH_LENGTH,
        "status_id": status_id if _HTML_ID.match(status_id) else "",
        "results_limit": RESULTS_LIMIT,
    }
    return render(request, "libraries/library_picker_options.html", context)
