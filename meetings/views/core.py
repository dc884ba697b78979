"""Meeting list, create/edit form and overview page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from libraries.selectors import regencies_visible_to
from meetings.forms.meeting import MeetingFilterForm, MeetingForm
from meetings.models import Meeting, Participation
from meetings.selectors import (
    can_edit_meeting,
    can_take_attendance,
    get_meeting_for_user,
    meeting_list,
)
from meetings.services.meeting import save_meeting
from plm_portal.access import can_write_province

PAGE_SIZE = 20


@login_required
@require_GET
def meeting_list_view(request: HttpRequest) -> HttpResponse:
    meetings = meeting_list(request.user)
    years = sorted(set(meetings.order_by().values_list("year", flat=True).distinct()), reverse=True)
    form = MeetingFilterForm(
        request.GET or None,
        years=years,
        regencies=regencies_visible_to(request.user)
        .filter(meetings__isnull=False)
        .distinct()
        .order_by("name"),
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            meetings = meetings.filter(
                Q(title__icontains=data["q"])
                | Q(venue_name__icontains=data["q"])
                | Q(venue_regency__name__icontains=data["q"])
            )
        for field in ("year", "kind", "wave", "status"):
            if data[field] not in (None, ""):
                meetings = meetings.filter(**{field: data[field]})
        if data["regency"]:
            meetings = meetings.filter(venue_regency=data["regency"])
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
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
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_national or request.user.is_provincial_officer):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, user=request.user, initial={"year": 2022})
    if request.method == "POST" and form.is_valid():
        meeting = save_meeting(meeting=form.save(commit=False), user=request.user)
        messages.success(request, _("Pertemuan “%(title)s” tersimpan.") % {"title": meeting.title})
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        save_meeting(meeting=form.save(commit=False), user=request.user)
        messages.success(request, _("Perubahan tersimpan."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@login_required
@require_GET
def regency_options(request: HttpRequest) -> HttpResponse:
    """<option>s of a province's regencies and host offices, for the form when national staff switch province."""
    province = request.GET.get("province", "")
    if not can_write_province(request.user, province):
        raise PermissionDenied
    form = MeetingForm(data={"province": province}, user=request.user)
    return render(request, "meetings/form.html#place-fields", {"form": form})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    role_counts = dict(
        meeting.participations.order_by().values_list("role").annotate(n=Count("pk"))
    )
    roles = [(label, role_counts.get(value, 0)) for value, label in Participation.Role.choices]
    participant_total = sum(role_counts.get(r, 0) for r in Participation.PARTICIPANT_ROLES)
    attended = (
        meeting.participations.filter(
            role__in=Participation.PARTICIPANT_ROLES, attendances__isnull=False
        )
        .distinct()
        .count()
    )
    context = {
        **meeting_context(request, meeting, tab="overview"),
        "roles": roles,
        "participant_total": participant_total,
        "attended": attended,
        "facilitators": meeting.assigned_facilitators.order_by("full_name"),
        "sessions_count": meeting.sessions.count(),
        "rtl_count": meeting.rtl_actions.count(),
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
    path("", meeting_list_view, name="meeting_list"),
    path("new/", meeting_create, name="meeting_new"),
    path("regency-options/", regency_options, name="regency_options"),
    path("<int:pk>/", meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", meeting_edit, name="meeting_edit"),
]
