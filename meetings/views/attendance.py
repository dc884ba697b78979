"""Meeting tab: attendance. The check-in screen at the door, and the self check-in link and QR code."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from libraries.phone import last_digits
from libraries.selectors import MIN_SEARCH_LENGTH, search_length
from meetings.forms.attendance import AttendanceDayForm, AttendanceMarkForm
from meetings.models import Meeting, Participation
from meetings.selectors import (
    attendance_counts,
    checkin_list,
    checkin_row,
    get_meeting_for_user,
    get_participation,
)
from meetings.services.attendance import (
    default_attendance_day,
    mark_present,
    rotate_checkin_token,
    undo_attendance,
)
from meetings.views.core import meeting_context
from meetings.views.kit import render_tab

# Rows of the check-in list per page, as on the participants tab: a PLM (60 to 80 people) fits on one or two,
# and the search finds anyone on any page.
PAGE_SIZE = 50
# The GET parameters that say which part of the list is shown: kept by page links and after a tap.
LIST_PARAMS = ("day", "q", "absent", "page")


def _list_query(data: QueryDict, *, leave_out: str = "") -> str:
    return urlencode({k: data[k] for k in LIST_PARAMS if k != leave_out and data.get(k)})


def self_checkin_url(request: HttpRequest, meeting: Meeting) -> str:
    return request.build_absolute_uri(reverse("checkin:start", args=[meeting.checkin_token]))


def _row_context(row: Participation) -> Participation:
    # Only the last digits are put in the page: enough to tell namesakes apart and to search by.
    row.phone_end = last_digits(row.person.phone, 4)
    return row


@login_required
@require_GET
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, attendance=True)
    day_form = AttendanceDayForm(request.GET or None, meeting=meeting)
    day = day_form.cleaned_data["day"] if day_form.is_bound and day_form.is_valid() else None
    if day is None:
        # No day asked for, or not one of the meeting's: today if it is a meeting day, else the first day.
        day = default_attendance_day(meeting)
        day_form = AttendanceDayForm(initial={"day": day.isoformat()}, meeting=meeting)
    q, absent = request.GET.get("q", "")[:100], request.GET.get("absent") == "1"
    present, total = attendance_counts(meeting, day)
    paginator = Paginator(checkin_list(meeting, day, q=q, absent=absent), PAGE_SIZE)
    # A search too short to apply (checkin_list ignores it) leaves the list, and its count, whole.
    filtering = absent or search_length(q) >= MIN_SEARCH_LENGTH
    if not filtering:
        paginator.count = total  # the counter has just counted them: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    listed = request.GET.copy()
    listed["day"], listed["page"] = day.isoformat(), str(page.number)
    context = {
        **meeting_context(request, meeting, tab="attendance"),
        "day": day,
        "day_form": day_form,
        "page": page,
        "rows": [_row_context(row) for row in page],
        "present": present,
        "total": total,
        "shown": paginator.count,
        "filtering": filtering,
        "q": q,
        "absent": absent,
        "query": _list_query(listed, leave_out="page"),
        "back": _list_query(listed),
        "checkin_url": self_checkin_url(request, meeting),
        "panel_open": request.GET.get("panel") == "checkin",
    }
    partial = "results-update" if request.htmx else ""
    return render_tab(request, "meetings/attendance.html", context, partial=partial)


@login_required
@require_POST
def attendance_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one participant present on a day (``mark``) or take it back (``undo``)."""
    meeting = get_meeting_for_user(request.user, pk, attendance=True)
    form = AttendanceMarkForm(request.POST, meeting=meeting)
    if not form.is_valid():
        errors = [error for error_list in form.errors.values() for error in error_list]
        return render(
            request,
            "meetings/attendance_error.html#message"
            if request.htmx
            else "meetings/attendance_error.html",
            {**meeting_context(request, meeting, tab="attendance"), "errors": errors},
            status=400,
        )
    day = form.cleaned_data["day"]
    participation = get_participation(meeting, form.participation_id)
    if form.present:
        mark_present(participation=participation, day=day, by=request.user)
    else:
        undo_attendance(participation=participation, day=day, by=request.user)
    if not request.htmx:
        # Back to the page of the list the tap came from (its search, filter and page), on the posted day.
        back = QueryDict(request.POST.get("back", ""), mutable=True)
        back["day"] = day.isoformat()
        query = _list_query(back)
        return redirect(
            f"{reverse('meetings:attendance', args=[meeting.pk])}?{query}#p{participation.pk}"
        )
    row = _row_context(checkin_row(meeting, day, participation.pk))
    present, total = attendance_counts(meeting, day)
    context = {
        "meeting": meeting,
        "row": row,
        "day": day,
        "present": present,
        "total": total,
        "toggle_url": reverse("meetings:attendance_toggle", args=[meeting.pk]),
    }
    return render(request, "meetings/attendance_toggle.html", context)


@login_required
@require_GET
def checkin_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The self check-in QR code, large, for a projector or a tablet at the door."""
    meeting = get_meeting_for_user(request.user, pk, attendance=True)
    url = self_checkin_url(request, meeting)
    qr = segno.make(url, error="m")
    # segno writes plain SVG (no scripts, no style attributes): safe to inline under the CSP.
    svg = qr.svg_inline(
        scale=1,
        border=4,
        dark="#000",
        light="#fff",
        omitsize=True,
        svgclass="qr-code",
        lineclass=None,
    )
    context = {
        **meeting_context(request, meeting, tab="attendance"),
        "checkin_url": url,
        "qr_svg": mark_safe(svg),  # noqa: S308 — generated by segno from our own URL, not user input.
    }
    return render(request, "meetings/checkin_qr.html", context)


@login_required
@require_POST
def checkin_token_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    rotate_checkin_token(meeting=meeting, by=request.user)
    messages.success(
        request,
        _("Tautan check-in mandiri diganti. Tautan dan kode QR lama tidak berlaku lagi."),
    )
    if request.POST.get("back") == "qr":
        return redirect("meetings:checkin_qr", pk=meeting.pk)
    return redirect(
        f"{reverse('meetings:attendance', args=[meeting.pk])}?panel=checkin#self-checkin"
    )


urlpatterns = [
    path("<int:pk>/attendance/", attendance, name="attendance"),
    path("<int:pk>/attendance/mark/", attendance_toggle, name="attendance_toggle"),
    path("<int:pk>/attendance/qr/", checkin_qr, name="checkin_qr"),
    path("<int:pk>/attendance/new-link/", checkin_token_rotate, name="checkin_token_rotate"),
]
