"""The "Riwayat" of a library and of a person (national staff only): who changed what, when, from which address.

Newest first, a page at a time (plm_portal.history.history_page). Anyone else gets 404: the page does not exist
for them. Phone numbers and e-mail addresses appear in full: only national staff reach these pages.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from libraries.models import Library, Person
from libraries.selectors import get_library_for_user, get_person_for_user
from plm_portal.history import history_page


def _national_only(request: HttpRequest) -> None:
    if not request.user.is_national:
        raise Http404


@login_required
@require_GET
def library_history(request: HttpRequest, pk: int) -> HttpResponse:
    _national_only(request)
    library = get_library_for_user(request.user, pk)
    page, entries = history_page(
        {Library: Q(id=library.pk)},
        page_number=request.GET.get("page"),
        label=lambda model, record: record.name,
    )
    context = {
        "subject": library,
        "back_url": library.get_absolute_url(),
        "list_url_name": "libraries:library_list",
        "list_label": _("Perpustakaan"),
        "page": page,
        "entries": entries,
        "time_zone": library.province.time_zone,
    }
    return render(request, "libraries/history.html", context)


@login_required
@require_GET
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    _national_only(request)
    person = get_person_for_user(request.user, pk)
    page, entries = history_page(
        {Person: Q(id=person.pk)},
        page_number=request.GET.get("page"),
        label=lambda model, record: record.full_name,
    )
    context = {
        "subject": person,
        "back_url": reverse("libraries:person_detail", args=[person.pk]),
        "list_url_name": "libraries:person_list",
        "list_label": _("Orang"),
        "page": page,
        "entries": entries,
        "time_zone": person.province.time_zone,
    }
    return render(request, "libraries/history.html", context)
