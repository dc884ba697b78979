"""Programme pages: enrolment. Which libraries take part in which programme year, and every change of it.

National staff work on every province, a provincial officer on their own; facilitators get 403 and another
province's enrolment answers 404. Reads go through programs.selectors.enrollment, writes through
programs.services.enrollment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.models import Library
from libraries.selectors import get_library_for_user, library_regency_choices, province_choices
from plm_portal.models import User
from programs.forms.enrollment import EnrollmentChangeForm, EnrollmentFilterForm, EnrollmentForm
from programs.models import Enrollment, ProgrammeYear
from programs.selectors import enrollment as selectors
from programs.services.enrollment import change_enrollment, enroll_library, remove_enrollment

PAGE_SIZE = 25


def _check_can_use(user: User) -> None:
    if not selectors.can_use_enrollment(user):
        raise PermissionDenied


def _list_url(year: int | None = None) -> str:
    url = reverse("programs:enrollment_list")
    return f"{url}?{urlencode({'year': year})}" if year else url


def _library_url(library_id: int) -> str:
    return f"{reverse('libraries:library_detail', args=[library_id])}#enrollments-heading"


def _back_url(request: HttpRequest, enrollment: Enrollment) -> str:
    """Where a saved form returns: the library's page when it was opened from there, else the year's list."""
    if request.GET.get("back") == "library":
        return _library_url(enrollment.library_id)
    return _list_url(enrollment.programme_year.year)


def _save_with_form(form: BaseForm, save: Callable[..., Any], **kwargs: Any) -> Any:
    """Call ``save(**kwargs)``; turn what the service refuses into form errors instead of a 500."""
    try:
        return save(**kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            form.add_error(None, error.messages)
    except IntegrityError:
        form.add_error(
            None,
            _(
                "Data ini bentrok dengan data yang baru saja disimpan orang lain. Periksa lalu coba lagi."
            ),
        )
    return None


# --- list ----------------------------------------------------------------------------------------------


def _status_links(query: QueryDict, counts: dict[str, int], chosen: str) -> list[dict[str, Any]]:
    """One link per status (and "all") with its count, keeping the other filters."""
    query = query.copy()
    query.pop("page", None)
    links = []
    for value, label in [("", _("Semua")), *Enrollment.PartnerStatus.choices]:
        query["status"] = value
        links.append(
            {
                "value": value,
                "label": label,
                "count": counts[value] if value else sum(counts.values()),
                "query": query.urlencode(),
                "current": value == chosen,
            }
        )
    return links


@login_required
@require_GET
def enrollment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _check_can_use(user)
    years = list(selectors.programme_years())
    query = request.GET.copy()
    year = next((y for y in years if str(y.year) == query.get("year")), None)
    if year is None:
        year = selectors.default_year(user, years)
        if year is not None:
            query["year"] = str(year.year)
    provinces = province_choices(user)
    province = query.get("province", "")
    if province and not query.get("regency", "").startswith(f"{province}."):
        query.pop("regency", None)  # a regency of the province chosen before this one
    form = EnrollmentFilterForm(
        query,
        years=[(str(y.year), str(y)) for y in years],
        provinces=provinces,
        regencies=library_regency_choices(user, province),
    )
    # Each valid filter applies on its own: a bad one is shown as an error and left out.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    enrollments = selectors.enrollment_list(
        user,
        programme_year=year,
        province=data.get("province", ""),
        regency=data.get("regency", ""),
        q=data.get("q", ""),
    )
    counts = selectors.status_counts(enrollments)
    status = data.get("status", "")
    if status:
        enrollments = enrollments.filter(partner_status=status)
    paginator = Paginator(enrollments, PAGE_SIZE)
    # The statuses were just counted: the total is known, the paginator need not count again.
    paginator.count = counts[status] if status else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    # The links keep the filters, with the year shown (the default one too).
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "year": year,
        "status_links": _status_links(query, counts, status),
        "show_province": len(provinces) > 1,
    }
    template = (
        "programs/enrollment_list.html#results" if request.htmx else "programs/enrollment_list.html"
    )
    return render(request, template, context)


# --- enrol ---------------------------------------------------------------------------------------------


def _fixed_library(request: HttpRequest) -> Library | None:
    """The library of ``?library=<pk>`` (enrolling from its page): 404 when not visible, 403 when read-only."""
    value = request.GET.get("library", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_library_for_user(request.user, int(value), write=True)


def _initial_year(request: HttpRequest) -> ProgrammeYear | None:
    years = list(selectors.programme_years())
    asked = request.GET.get("year", "")
    return next((y for y in years if str(y.year) == asked), years[0] if years else None)


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    _check_can_use(user)
    library = _fixed_library(request)
    initial: dict[str, Any] = {}
    if request.method == "GET":
        year = _initial_year(request)
        initial["programme_year"] = year.pk if year else None
    form = EnrollmentForm(request.POST or None, user=user, library=library, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = _save_with_form(form, enroll_library, enrollment=form.save(commit=False), by=user)
        if result is not None:
            enrollment, created = result
            names = {"library": enrollment.library.name, "year": enrollment.programme_year}
            if created:
                messages.success(request, _("“%(library)s” terdaftar di %(year)s.") % names)
            else:
                messages.info(
                    request,
                    _(
                        "“%(library)s” sudah terdaftar di %(year)s dengan data ini; tidak ada yang berubah."
                    )
                    % names,
                )
            if library is not None:
                return redirect(_library_url(enrollment.library_id))
            return redirect(_list_url(enrollment.programme_year.year))
    cancel = _library_url(library.pk) if library else _list_url()
    context = {"form": form, "library": library, "cancel_url": cancel}
    return render(request, "programs/enrollment_form.html", context)


@login_required
@require_GET
def enrollment_library_options(request: HttpRequest) -> HttpResponse:
    """The library picker of the enrol form for the province chosen (htmx, national staff)."""
    _check_can_use(request.user)
    form = EnrollmentForm(user=request.user, initial={"province": request.GET.get("province", "")})
    return render(request, "programs/enrollment_form.html#library-field", {"form": form})


# --- change and remove ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _check_can_use(user)
    enrollment = selectors.get_enrollment_for_user(user, pk, write=True)
    form = EnrollmentChangeForm(request.POST or None, instance=enrollment)
    if request.method == "POST" and form.is_valid():
        saved = _save_with_form(
            form,
            change_enrollment,
            enrollment=form.save(commit=False),
            note=form.cleaned_data["note"],
            by=user,
        )
        if saved is not None:
            messages.success(
                request,
                _("Kepesertaan “%(library)s” di %(year)s tersimpan.")
                % {"library": saved.library.name, "year": saved.programme_year},
            )
            return redirect(_back_url(request, saved))
    history, history_total = selectors.enrollment_history(enrollment)
    context = {
        "form": form,
        "enrollment": enrollment,
        "history": history,
        "history_total": history_total,
        "can_delete": user.is_national,
        "cancel_url": _back_url(request, enrollment),
    }
    return render(request, "programs/enrollment_edit.html", context)


@login_required
@require_POST
def enrollment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an enrolment and its history: national staff only; officers mark it withdrawn instead."""
    user = request.user
    _check_can_use(user)
    enrollment = selectors.get_enrollment_for_user(user, pk)
    if not user.is_national:
        raise PermissionDenied
    remove_enrollment(enrollment=enrollment, by=user)
    messages.success(
        request,
        _("Kepesertaan “%(library)s” di %(year)s dihapus.")
        % {"library": enrollment.library.name, "year": enrollment.programme_year},
    )
    if request.GET.get("back") == "library":
        return redirect(_library_url(enrollment.library_id))
    return redirect(_list_url(enrollment.programme_year.year))


urlpatterns: list[URLPattern] = [
    path("enrollments/", enrollment_list, name="enrollment_list"),
    path("enrollments/new/", enrollment_new, name="enrollment_new"),
    path(
        "enrollments/library-options/",
        enrollment_library_options,
        name="enrollment_library_options",
    ),
    path("enrollments/<int:pk>/edit/", enrollment_edit, name="enrollment_edit"),
    path("enrollments/<int:pk>/delete/", enrollment_delete, name="enrollment_delete"),
]
