"""Meeting list, create/edit form and overview page."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from meetings import selectors
from meetings.forms.meeting import MeetingFilterForm, MeetingForm
from meetings.models import Meeting
from meetings.selectors import can_edit_meeting, can_take_attendance, get_meeting_for_user
from meetings.services.meeting import save_meeting
from plm_portal import once
from plm_portal.access import can_write_province
from plm_portal.freshness import GenerationCountPaginator

PAGE_SIZE = 20
# A form whose first post (same one-time key) has not finished saving after plm_portal.once's wait.
STILL_SAVING = gettext_lazy("Kiriman yang sama sedang disimpan. Muat ulang halaman sebentar lagi.")
# The programme is run from Jakarta: its year turns there.
PROGRAMME_TIME_ZONE = ZoneInfo("Asia/Jakarta")


def default_programme_year(now: dt.datetime | None = None) -> int:
    """The year a new meeting starts with: settings.PLM_PROGRAMME_YEAR, else the current year in Jakarta."""
    if settings.PLM_PROGRAMME_YEAR:
        return settings.PLM_PROGRAMME_YEAR
    return timezone.localtime(now or timezone.now(), PROGRAMME_TIME_ZONE).year


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    places = (
        {"regencies": selectors.meeting_regencies(request.user)}
        if request.user.is_provincial_officer
        else {"provinces": selectors.meeting_provinces(request.user)}
    )
    form = MeetingFilterForm(
        request.GET or None, years=selectors.meeting_years(request.user), **places
    )
    filters = form.cleaned_data if form.is_valid() else {}
    meetings = selectors.meeting_list(request.user, **filters)
    if request.user.is_national and not any(filters.values()):
        # Every meeting of the nation: the total is cached (the meeting services move its generation).
        paginator = GenerationCountPaginator(
            meetings, PAGE_SIZE, topic="dashboard", key="meetings:national"
        )
    else:
        paginator = Paginator(meetings, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_create": request.user.is_national or request.user.is_provincial_officer,
    }
    template = "meetings/list.html#results" if request.htmx else "meetings/list.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_national or request.user.is_provincial_officer):
        raise PermissionDenied
    form = MeetingForm(
        request.POST or None, user=request.user, initial={"year": default_programme_year()}
    )
    kind = f"meeting:{request.user.pk}"
    # Once per form key: the same form sent again (a double tap) answers with the meeting it made.
    if request.method == "POST" and (meeting := once.repeated(kind, form, model=Meeting)):
        messages.success(request, _("Pertemuan “%(title)s” tersimpan.") % {"title": meeting.title})
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = once.save(
                kind,
                form.cleaned_data["form_key"],
                lambda: save_meeting(meeting=form.save(commit=False), by=request.user),
                model=Meeting,
            )
        except once.AlreadySubmitted:
            form.add_error(None, STILL_SAVING)
        else:
            messages.success(
                request, _("Pertemuan “%(title)s” tersimpan.") % {"title": meeting.title}
            )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        save_meeting(meeting=form.save(commit=False), by=request.user)
        messages.success(request, _("Perubahan tersimpan."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@login_required
@require_GET
def regency_options(request: HttpRequest) -> HttpResponse:
    """<option>s of a province's regencies and host offices, for the form when national staff switch province."""
    province = request.GET.get("province", "")
    if not province:
        # Nothing chosen yet (or a bare URL): no regencies and no host offices to offer.
        if not (request.user.is_national or request.user.is_provincial_officer):
            raise PermissionDenied
        form = MeetingForm(user=request.user)
        return render(request, "meetings/form.html#place-fields", {"form": form})
    if not can_write_province(request.user, province):
        raise PermissionDenied
    form = MeetingForm(data={"province": province}, user=request.user)
    return render(request, "meetings/form.html#place-fields", {"form": form})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    context = {
        **meeting_context(request, meeting, tab="overview"),
        **selectors.meeting_overview(meeting),
    }
    return render(request, "meetings/detail.html", context)


def meeting_context(request: HttpRequest, meeting: Meeting, *, tab: str) -> dict:
    """What every tab of a meeting page needs: the meeting, the active tab and what the user may do."""
    return {
        "meeting": meeting,
        "tab": tab,
        "can_edit": can_edit_meeting(request.user, meeting),
        "can_attend": can_take_attendance(request.user, meeting),
    }


urlpatterns = [
    path("", meeting_list, name="meeting_list"),
    path("new/", meeting_new, name="meeting_new"),
    path("regency-options/", regency_options, name="regency_options"),
    path("<int:pk>/", meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", meeting_edit, name="meeting_edit"),
]
