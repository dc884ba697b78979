"""Implementation activities: the list (per province, regency or library), a page each, create and edit with
photos, and the photos themselves, served only to those who may see the activity.

Views parse, authorise, call, respond: reads are programs.selectors.activities functions (another province's
activity or photo answers 404), writes programs.services.activities functions. National staff and provincial
officers use these pages; facilitators are refused (403).

Photos are chosen in the activity form itself (one multiple-file input): an officer picks the photos from the
phone's gallery together with the rest and sends once. Captions are written afterwards on the edit page, next to
each stored photo. The form's views read the request through ``activity_uploads.limit_photo_uploads``, which
must run before the CSRF check reads the body, hence ``csrf_exempt`` outside and ``csrf_protect`` inside.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.models import Library, Province
from libraries.selectors import (
    get_library_for_user,
    library_regency_choices,
    province_choices,
    provinces_visible_to,
)
from plm_portal import once
from plm_portal.access import can_write_province
from plm_portal.models import User
from programs.forms.activities import ActivityFilterForm, ActivityForm
from programs.models import Activity
from programs.photos import photo_response
from programs.selectors import activities as selectors
from programs.services import activities as services
from programs.views.activity_uploads import limit_photo_uploads

PAGE_SIZE = 20
# The kind of form whose double posts plm_portal.once turns into one activity.
FORM_KIND = "activity"


def _check_can_use(user: User) -> None:
    if not selectors.can_use_activities(user):
        raise PermissionDenied


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- list and page -----------------------------------------------------------------------------------------


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _check_can_use(user)
    provinces = province_choices(user)
    query = request.GET.copy()
    province = query.get("province", "") if provinces else ""
    if province and not query.get("regency", "").startswith(f"{province}."):
        query.pop("regency", None)  # a regency of the province chosen before this one
    form = ActivityFilterForm(
        query or None, provinces=provinces, regencies=library_regency_choices(user, province)
    )
    # Each valid filter applies on its own; an invalid one (a hand-made URL) is left out.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    library = get_library_for_user(user, data["library"]) if data.get("library") else None
    activities = selectors.activity_list(
        user,
        year=data.get("year"),
        line_of_work=data.get("line_of_work", ""),
        province=data.get("province", ""),
        regency=data.get("regency", ""),
        library=library.pk if library else None,
    )
    unfiltered = not any(data.get(name) for name in ("year", "line_of_work", "province", "regency"))
    totals = selectors.activity_totals(
        activities, national=user.is_national and unfiltered and not library
    )
    paginator = Paginator(selectors.activity_rows(activities), PAGE_SIZE)
    paginator.count = totals["activities"]  # counted with the totals: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "totals": totals,
        "library": library,
        "query": _page_query(request),
        "show_province": bool(provinces),
        "can_create": library is None or can_write_province(user, library.province_id),
    }
    template = (
        "programs/activity_list.html#results" if request.htmx else "programs/activity_list.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _check_can_use(user)
    activity = selectors.get_activity_for_user(user, pk)
    context = {
        "activity": activity,
        "photos": selectors.activity_photos(activity),
        "can_edit": can_write_province(user, activity.library.province_id),
    }
    return render(request, "programs/activity_detail.html", context)


# --- create and edit -----------------------------------------------------------------------------------


def _new_form_place(request: HttpRequest) -> tuple[Province | None, Library | None]:
    """The province of a new activity and the library it starts with, from the address (?library, ?province).

    A provincial officer's province is their own; national staff choose one first (None until they have).
    """
    user = request.user
    library = None
    if library_pk := request.GET.get("library", ""):
        if not library_pk.isdigit():
            raise Http404
        library = get_library_for_user(user, int(library_pk), write=True)
        return library.province, library
    if user.is_provincial_officer:
        return Province.objects.filter(code=user.province_id).first(), None
    code = request.GET.get("province", "")
    return (provinces_visible_to(user).filter(code=code).first() if code else None), None


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    _check_can_use(user)
    province, library = _new_form_place(request)
    if province is None:
        return _choose_province(request)
    limits = limit_photo_uploads(request)
    return _activity_form(request, province=province, library=library, problems=limits.problems)


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _check_can_use(user)
    activity = selectors.get_activity_for_user(user, pk, write=True)
    limits = limit_photo_uploads(request)
    return _activity_form(
        request, province=activity.library.province, activity=activity, problems=limits.problems
    )


def _choose_province(request: HttpRequest) -> HttpResponse:
    """National staff choose the province of a new activity first: its libraries are the form's choices."""
    provinces = list(
        provinces_visible_to(request.user).order_by("name").values_list("code", "name")
    )
    context = {"provinces": provinces, "chosen": request.GET.get("province", "")}
    return render(request, "programs/activity_province.html", context)


@csrf_protect
def _activity_form(
    request: HttpRequest,
    *,
    province: Province,
    problems: list[str],
    activity: Activity | None = None,
    library: Library | None = None,
) -> HttpResponse:
    user = request.user
    stored_photos = selectors.activity_photos(activity) if activity else []
    initial = {"library": library} if library else {}
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        instance=activity,
        initial=initial,
        user=user,
        province=province,
        photos=stored_photos,
        upload_problems=problems,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form)
        if isinstance(saved, HttpResponse):
            return saved
    context = {
        "form": form,
        "activity": activity,
        "province": province,
        "show_province": user.is_national,
        "left": form.fields["photos"].widget.attrs["data-max-files"],
    }
    return render(request, "programs/activity_form.html", context)


def _save(request: HttpRequest, form: ActivityForm) -> HttpResponse | None:
    """Save a valid form once per form key; a redirect, or None with the refusal as form errors."""
    key = form.cleaned_data["form_key"]
    try:
        once.claim(FORM_KIND, key)
    except once.AlreadySubmitted as sent:
        return _already_submitted(request, sent.row_id)
    is_new = form.instance.pk is None
    try:
        activity = services.save_activity(
            activity=form.save(commit=False),
            by=request.user,
            photos=form.cleaned_data["photos"],
            captions=form.captions(),
        )
    except ValidationError as error:
        once.release(FORM_KIND, key)
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
        return None
    except BaseException:
        once.release(FORM_KIND, key)
        raise
    once.settle(FORM_KIND, key, activity.pk)
    if is_new:
        messages.success(request, _("Kegiatan “%(title)s” tersimpan.") % {"title": activity.title})
    else:
        messages.success(request, _("Perubahan tersimpan."))
    return redirect("programs:activity_detail", pk=activity.pk)


def _already_submitted(request: HttpRequest, activity_id: int | None) -> HttpResponse:
    if activity_id is not None:
        messages.info(request, _("Kiriman ini sudah tersimpan sebelumnya."))
        return redirect("programs:activity_detail", pk=activity_id)
    messages.info(
        request,
        _("Kiriman yang sama sedang disimpan. Periksa daftar kegiatan sebentar lagi."),
    )
    return redirect("programs:activity_list")


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _check_can_use(user)
    activity = selectors.get_activity_for_user(user, pk, write=True)
    library_pk, title = activity.library_id, activity.title
    services.delete_activity(activity=activity, by=user)
    messages.success(request, _("Kegiatan “%(title)s” dihapus.") % {"title": title})
    return redirect(f"{reverse('programs:activity_list')}?{urlencode({'library': library_pk})}")


# --- photos --------------------------------------------------------------------------------------------


@login_required
@require_GET
def activity_photo(request: HttpRequest, pk: int) -> FileResponse:
    """One stored photo (a JPEG without metadata), for those who may see its activity; 404 for anyone else."""
    photo = selectors.get_photo_for_user(request.user, pk)
    return photo_response(
        photo.image,
        filename=f"kegiatan-{photo.activity_id}-foto-{photo.pk}.jpg",
        max_age=3600,
    )


@login_required
@require_POST
def activity_photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _check_can_use(user)
    photo = selectors.get_photo_for_user(user, pk, write=True)
    activity = photo.activity
    services.delete_activity_photo(photo=photo, by=user)
    if not request.htmx:
        messages.success(request, _("Foto dihapus."))
        return redirect("programs:activity_edit", pk=activity.pk)
    # The edit page stays as typed: only the deleted photo's card and the photo field's limits change.
    remaining = selectors.activity_photos(activity)
    form = ActivityForm(user=user, province=activity.library.province, photos=remaining)
    context = {
        "form": form,
        "deleted_pk": pk,
        "left": form.fields["photos"].widget.attrs["data-max-files"],
        "was_full": len(remaining) + 1 >= services.MAX_PHOTOS,
    }
    return render(request, "programs/activity_form.html#photo-deleted", context)


urlpatterns: list[URLPattern] = [
    path("activities/", activity_list, name="activity_list"),
    path("activities/new/", activity_new, name="activity_new"),
    path("activities/<int:pk>/", activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activity_delete, name="activity_delete"),
    path("activities/photos/<int:pk>/", activity_photo, name="activity_photo"),
    path("activities/photos/<int:pk>/delete/", activity_photo_delete, name="activity_photo_delete"),
]
