"""Libraries and people of the user's scope: lists with search, detail pages, create and edit.

Views parse, authorise, call, respond: every read is a libraries.selectors function (another province's row
answers 404, a visible but read-only one 403), every write a libraries.services function.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from libraries import pages, selectors
from libraries.forms import LibraryFilterForm, LibraryForm, PersonFilterForm, PersonForm
from libraries.models import Library, Person
from libraries.phone import last_digits
from libraries.selectors import get_library_for_user, get_person_for_user
from libraries.services import save_library, save_person
from plm_portal import once
from plm_portal.access import can_write_province
from plm_portal.freshness import GenerationCountPaginator
from plm_portal.models import User

PAGE_SIZE = 25
# A library's page lists its people, the meetings it took part in and its RTL rows, each paged on its own
# (the list's name in the context, its page's GET parameter): a busy library office gathers hundreds.
DETAIL_PAGE_SIZE = 20
DETAIL_LISTS = (
    ("people", "people_page"),
    ("meetings", "meetings_page"),
    ("rtl_actions", "rtl_page"),
)


def _can_create(user: User) -> bool:
    return bool(user.is_national or (user.is_provincial_officer and user.province_id))


def _page_query(request: HttpRequest, param: str = "page") -> str:
    """The GET parameters but ``param``: what a page link of that list keeps."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


def _save_with_form(form: BaseForm, save, *, new: type[Model] | None = None, **kwargs):
    """Call ``save(**kwargs)``; turn what the database refuses into form errors instead of a 500.

    The form has already checked everything it can; this covers a row changed by someone else in between.
    A form creating a ``new`` row saves once per form key (plm_portal.once): a repeat gets the first's row.
    """
    key = form.cleaned_data.get("form_key", "") if new is not None else ""
    try:
        if not key:
            return save(**kwargs)
        return once.save(_once_kind(new, kwargs["by"]), key, lambda: save(**kwargs), model=new)
    except once.AlreadySubmitted:
        form.add_error(
            None, _("Kiriman yang sama sedang disimpan. Muat ulang halaman sebentar lagi.")
        )
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


def _once_kind(model: type[Model], user: User) -> str:
    return f"{model._meta.label_lower}:{user.pk}"


def _sent_before(form: BaseForm, model: type[Model], user: User):
    """The row this form's first post saved (a double tap), checked before validating the repeat."""
    return once.repeated(_once_kind(model, user), form, model=model)


# --- libraries -----------------------------------------------------------------------------------------


@login_required
@require_GET
def library_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    provinces = selectors.province_choices(user)
    query = request.GET.copy()
    province = query.get("province", "")
    if province and not query.get("regency", "").startswith(f"{province}."):
        query.pop("regency", None)  # a regency of the province chosen before this one
    form = LibraryFilterForm(
        query or None,
        provinces=provinces,
        regencies=selectors.library_regency_choices(user, province),
    )
    data = form.cleaned_data if form.is_valid() else {}
    libraries = selectors.library_list(
        user,
        q=data.get("q", ""),
        kind=data.get("kind", ""),
        province=data.get("province", ""),
        regency=data.get("regency", ""),
        year=data.get("year", ""),
        status=data.get("status", ""),
    )
    if user.is_national and not any(data.values()):
        # The whole nation's registry: its total is cached (the library services move its generation).
        paginator = GenerationCountPaginator(
            libraries, PAGE_SIZE, topic="dashboard", key="libraries:national"
        )
    else:
        paginator = Paginator(libraries, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
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
    can_edit = can_write_province(user, library.province_id)
    context = {
        "library": library,
        "can_edit": can_edit,
        **pages.library_page(user, library, can_edit=can_edit),
    }
    for name, param in DETAIL_LISTS:
        paginator = Paginator(context[name], DETAIL_PAGE_SIZE)
        context[name] = paginator.get_page(request.GET.get(param))
        context[f"{name}_query"] = _page_query(request, param)
    return render(request, "libraries/library_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def library_new(request: HttpRequest) -> HttpResponse:
    if not _can_create(request.user):
        raise PermissionDenied
    form = LibraryForm(request.POST or None, user=request.user)
    library = _sent_before(form, Library, request.user)
    if library is not None:
        messages.success(request, _("Perpustakaan “%(name)s” tersimpan.") % {"name": library.name})
        return redirect("libraries:library_detail", pk=library.pk)
    if request.method == "POST" and form.is_valid():
        library = _save_with_form(
            form, save_library, new=Library, library=form.save(commit=False), by=request.user
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
            form, save_library, library=form.save(commit=False), by=request.user
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


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_facilitator:
        # Facilitators see the people of their meetings on those meetings' pages, never as a list.
        raise PermissionDenied
    provinces = selectors.province_choices(user)
    form = PersonFilterForm(request.GET or None, provinces=provinces)
    # Each valid filter applies on its own: a too-short search leaves the province filter working.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    people = selectors.person_list(user, q=data.get("q", ""), province=data.get("province", ""))
    if user.is_national and not data.get("q") and not data.get("province"):
        # The whole nation's registry: its total is cached, not counted on every page.
        paginator = GenerationCountPaginator(
            people, PAGE_SIZE, topic="people", key="people:national"
        )
    else:
        paginator = Paginator(people, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
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
    context = {
        "person": person,
        "can_edit": can_edit,
        "phone_shown": person.phone if can_edit else _masked(person.phone),
        **pages.person_page(user, person, can_edit=can_edit),
    }
    return render(request, "libraries/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    if not _can_create(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None, user=request.user)
    person = _sent_before(form, Person, request.user)
    if person is not None:
        messages.success(request, _("Data “%(name)s” tersimpan.") % {"name": person.full_name})
        return redirect("libraries:person_detail", pk=person.pk)
    if request.method == "POST" and form.is_valid():
        person = _save_with_form(
            form, save_person, new=Person, person=form.save(commit=False), by=request.user
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
        saved = _save_with_form(form, save_person, person=form.save(commit=False), by=request.user)
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
