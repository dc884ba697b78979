"""Libraries and people of the user's scope: lists with search, detail pages, create and edit.

Every read goes through libraries.selectors (another province's row answers 404, a visible but read-only one
403). The detail pages show meetings, follow-up plans, awards, enrolments and impact stories through reverse
relations: `libraries` must not import `meetings` or `programs` (ARCHITECTURE.md), so the meetings a user may
see are expressed here as a Q over the relation (`_visible_meetings`).
"""

from __future__ import annotations

import re
import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count, Q, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from libraries.forms import LibraryFilterForm, LibraryForm, PersonFilterForm, PersonForm
from libraries.models import Person
from libraries.phone import last_digits, normalize_phone
from libraries.selectors import (
    get_library_for_user,
    get_person_for_user,
    libraries_visible_to,
    people_visible_to,
    provinces_visible_to,
    regencies_visible_to,
)
from libraries.services import save_library, save_person
from plm_portal.access import can_write_province, meeting_filter
from plm_portal.models import User

PAGE_SIZE = 25

_PHONE_LIKE = re.compile(r"^[0-9\s+().\-]+$")
_NOT_DIGIT = re.compile(r"[^0-9]")
# Fewer digits than this match too many numbers to be a useful phone search.
_MIN_PHONE_DIGITS = 3


def _can_create(user: User) -> bool:
    return bool(user.is_national or (user.is_provincial_officer and user.province_id))


def _visible_meetings(user: User, path: str = "meeting") -> Q:
    return meeting_filter(user, path)


def _province_choices(user: User) -> list[tuple[str, str]]:
    if user.is_provincial_officer:
        # One province: no province filter, and no query for it.
        return []
    return list(provinces_visible_to(user).order_by("name").values_list("code", "name"))


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _save_with_form(form: BaseForm, save, **kwargs):
    """Call ``save(**kwargs)``; turn what the database refuses into form errors instead of a 500.

    The form has already checked everything it can; this covers a row changed by someone else in between.
    """
    try:
        return save(**kwargs)
    except ValidationError as error:
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    except IntegrityError:
        form.add_error(
            None,
            _(
                "Data ini bentrok dengan data yang baru saja disimpan orang lain. Periksa lalu coba lagi."
            ),
        )
    return None


# --- libraries -----------------------------------------------------------------------------------------


@login_required
@require_GET
def library_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    libraries = libraries_visible_to(user).select_related("province", "regency", "village")
    provinces = _province_choices(user)
    regencies = list(
        regencies_visible_to(user)
        .filter(libraries__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("code", "name")
    )
    form = LibraryFilterForm(request.GET or None, provinces=provinces, regencies=regencies)
    if form.is_valid():
        data = form.cleaned_data
        for term in data["q"].split():
            libraries = libraries.filter(
                Q(name__icontains=term)
                | Q(regency__name__icontains=term)
                | Q(village__name__icontains=term)
            )
        if data["kind"]:
            libraries = libraries.filter(kind=data["kind"])
        if data.get("province"):
            libraries = libraries.filter(province_id=data["province"])
        if data["regency"]:
            libraries = libraries.filter(regency_id=data["regency"])
    libraries = libraries.order_by("province__name", "name", "pk")
    page = Paginator(libraries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _page_query(request),
        "show_province": len(provinces) > 1,
        "can_create": _can_create(user),
    }
    template = (
        "libraries/library_list.html#results" if request.htmx else "libraries/library_list.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def library_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    library = get_library_for_user(user, pk)
    visible = _visible_meetings(user)
    meetings = (
        library.participations.filter(visible)
        .values("meeting_id", "meeting__title", "meeting__start_date", "meeting__end_date")
        .annotate(participants=Count("pk"))
        .order_by("-meeting__start_date", "meeting__title")
    )
    rtl_actions = (
        library.rtl_actions.filter(visible)
        .select_related("meeting")
        .order_by("-meeting__start_date", "meeting_id", "order", "pk")
    )
    awards = list(library.awards.select_related("meeting").order_by("-year", "category", "rank"))
    shown_meetings = set(
        library.awards.filter(meeting__isnull=False)
        .filter(visible)
        .values_list("meeting_id", flat=True)
    )
    for award in awards:
        award.meeting_visible = award.meeting_id in shown_meetings
    context = {
        "library": library,
        "can_edit": can_write_province(user, library.province_id),
        "people": people_visible_to(user).filter(home_library=library).order_by("full_name"),
        "meetings": meetings,
        "rtl_actions": rtl_actions,
        "awards": awards,
        "enrollments": library.enrollments.select_related("programme_year").order_by(
            "-programme_year__year"
        ),
    }
    return render(request, "libraries/library_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def library_create(request: HttpRequest) -> HttpResponse:
    if not _can_create(request.user):
        raise PermissionDenied
    form = LibraryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        library = _save_with_form(
            form, save_library, library=form.save(commit=False), user=request.user
        )
        if library is not None:
            messages.success(
                request, _("Perpustakaan “%(name)s” tersimpan.") % {"name": library.name}
            )
            return redirect("libraries:library_detail", pk=library.pk)
    return render(request, "libraries/library_form.html", {"form": form, "library": None})


@login_required
@require_http_methods(["GET", "POST"])
def library_edit(request: HttpRequest, pk: int) -> HttpResponse:
    library = get_library_for_user(request.user, pk, write=True)
    form = LibraryForm(request.POST or None, instance=library, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save_with_form(
            form, save_library, library=form.save(commit=False), user=request.user
        )
        if saved is not None:
            messages.success(request, _("Perubahan tersimpan."))
            return redirect("libraries:library_detail", pk=saved.pk)
    return render(request, "libraries/library_form.html", {"form": form, "library": library})


@login_required
@require_GET
def library_place_options(request: HttpRequest) -> HttpResponse:
    """The regency, district and village selects of the library form for the place chosen so far (htmx)."""
    if not _can_create(request.user):
        raise PermissionDenied
    initial = {name: request.GET.get(name, "") for name in ("province", "regency", "district")}
    form = LibraryForm(user=request.user, initial=initial)
    return render(request, "libraries/library_form.html#place-fields", {"form": form})


# --- people --------------------------------------------------------------------------------------------


def _phone_search(text: str) -> Q | None:
    """A Q matching stored ``+62…`` numbers against what was typed, whole or in part; None if not a number."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not _PHONE_LIKE.match(text):
        return None
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < _MIN_PHONE_DIGITS:
        return None
    query = Q(phone__contains=digits)
    try:
        full = normalize_phone(text)
    except ValidationError:
        full = ""
    if full:
        query |= Q(phone=full)
    # A local number starts with the trunk prefix 0 (or 00 62 from abroad); stored numbers with +62.
    if digits.startswith("0062"):
        query |= Q(phone__contains=digits[2:])
    elif digits.startswith("0"):
        query |= Q(phone__contains="62" + digits[1:])
    return query


def _search_people(people: QuerySet[Person], text: str) -> QuerySet[Person]:
    phone = _phone_search(text)
    if phone is not None:
        return people.filter(phone)
    for term in text.split():
        people = people.filter(
            Q(full_name__icontains=term)
            | Q(email__icontains=term)
            | Q(position__icontains=term)
            | Q(institution__icontains=term)
            | Q(home_library__name__icontains=term)
        )
    return people


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_facilitator:
        # Facilitators see the people of their meetings on those meetings' pages, never as a list.
        raise PermissionDenied
    people = people_visible_to(user).select_related("province", "home_library")
    provinces = _province_choices(user)
    form = PersonFilterForm(request.GET or None, provinces=provinces)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            people = _search_people(people, data["q"])
        if data.get("province"):
            people = people.filter(province_id=data["province"])
    people = people.order_by("full_name", "pk")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.can_edit = can_write_province(user, person.province_id)
        person.phone_shown = person.phone if person.can_edit else _masked(person.phone)
    context = {
        "form": form,
        "page": page,
        "query": _page_query(request),
        "show_province": len(provinces) > 1,
        "can_create": _can_create(user),
    }
    template = (
        "libraries/person_list.html#results" if request.htmx else "libraries/person_list.html"
    )
    return render(request, template, context)


def _masked(phone: str) -> str:
    return f"…{last_digits(phone)}" if phone else ""


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = get_person_for_user(user, pk)
    can_edit = can_write_province(user, person.province_id)
    participations = (
        person.participations.filter(_visible_meetings(user))
        .select_related("meeting", "library")
        .annotate(days_present=Count("attendances"))
        .order_by("-meeting__start_date", "meeting__title")
    )
    stories = person.impact_stories.select_related("library").order_by("-date")
    if not can_edit:
        # Drafts may lack the person's consent: only the province's editors see them.
        stories = stories.filter(status="published")
    home_library_visible = bool(
        person.home_library_id
        and libraries_visible_to(user).filter(pk=person.home_library_id).exists()
    )
    context = {
        "person": person,
        "can_edit": can_edit,
        "phone_shown": person.phone if can_edit else _masked(person.phone),
        "participations": participations,
        "stories": stories,
        "home_library_visible": home_library_visible,
    }
    return render(request, "libraries/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    if not _can_create(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = _save_with_form(
            form, save_person, person=form.save(commit=False), user=request.user
        )
        if person is not None:
            messages.success(request, _("Data “%(name)s” tersimpan.") % {"name": person.full_name})
            return redirect("libraries:person_detail", pk=person.pk)
    return render(request, "libraries/person_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save_with_form(
            form, save_person, person=form.save(commit=False), user=request.user
        )
        if saved is not None:
            messages.success(request, _("Perubahan tersimpan."))
            return redirect("libraries:person_detail", pk=saved.pk)
    return render(request, "libraries/person_form.html", {"form": form, "person": person})


@login_required
@require_GET
def person_library_options(request: HttpRequest) -> HttpResponse:
    """The home-library select of the person form for the chosen province (htmx, national staff)."""
    if not _can_create(request.user):
        raise PermissionDenied
    form = PersonForm(user=request.user, initial={"province": request.GET.get("province", "")})
    return render(request, "libraries/person_form.html#home-library", {"form": form})
