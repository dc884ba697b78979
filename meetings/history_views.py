"""Meeting tab "Riwayat" (national staff only): who changed what in a meeting, when, from which address.

The meeting itself, its agenda, participants, attendance, RTL rows and their follow-ups and awards, newest
first, a page at a time (plm_portal.history.history_page). Anyone else gets 404: the tab does not exist for them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from libraries.models import Person
from meetings.models import (
    Attendance,
    Award,
    Meeting,
    Participation,
    RtlAction,
    RtlFollowUp,
    Session,
)
from meetings.selectors import can_edit_meeting, get_meeting_for_user
from plm_portal.history import Entry, history_page


def _sources(meeting_id: int) -> dict:
    participations = Participation.history.model.objects.filter(meeting_id=meeting_id)
    actions = RtlAction.history.model.objects.filter(meeting_id=meeting_id)
    return {
        Meeting: Q(id=meeting_id),
        Session: Q(meeting_id=meeting_id),
        Participation: Q(meeting_id=meeting_id),
        # Rows of participants and RTL rows deleted since still belong to the meeting's history.
        Attendance: Q(participation_id__in=participations.values("id")),
        RtlAction: Q(meeting_id=meeting_id),
        RtlFollowUp: Q(rtl_action_id__in=actions.values("id")),
        Award: Q(meeting_id=meeting_id),
    }


def _label(model, record) -> str:
    if model in (Meeting, Session):
        return record.title
    if model is RtlAction:
        return record.activity
    if model is RtlFollowUp:
        return f"{record.get_month_display()} · RTL #{record.rtl_action_id}"
    if model is Award:
        return f"{record.get_category_display()} {record.year} #{record.rank}"
    return f"#{record.id}"  # people: named below, two queries for the whole page


def _name_people(entries: list[Entry]) -> None:
    """Name the participants and attendance rows of the page by their person (two queries at most)."""
    person_of = {
        entry.record.id: entry.record.person_id
        for entry in entries
        if isinstance(entry.record, Participation.history.model)
    }
    wanted = {
        entry.record.participation_id
        for entry in entries
        if isinstance(entry.record, Attendance.history.model)
    } - set(person_of)
    if wanted:
        person_of |= dict(
            Participation.history.model.objects.filter(id__in=wanted)
            .values_list("id", "person_id")
            .distinct()
        )
    if not person_of:
        return
    names = dict(
        Person.objects.filter(pk__in=set(person_of.values())).values_list("pk", "full_name")
    )
    for entry in entries:
        record = entry.record
        if isinstance(record, Participation.history.model):
            entry.label = names.get(record.person_id, f"#{record.person_id}")
        elif isinstance(record, Attendance.history.model):
            person_id = person_of.get(record.participation_id)
            name = names.get(person_id, f"#{record.participation_id}")
            entry.label = f"{name} · {record.day:%d-%m-%Y}"


@login_required
@require_GET
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_national:
        raise Http404
    meeting = get_meeting_for_user(request.user, pk)
    page, entries = history_page(
        _sources(meeting.pk), page_number=request.GET.get("page"), label=_label
    )
    _name_people(entries)
    context = {
        "meeting": meeting,
        "tab": "history",
        "can_edit": can_edit_meeting(request.user, meeting),
        "page": page,
        "entries": entries,
        "time_zone": meeting.province.time_zone,
    }
    return render(request, "meetings/history.html", context)


urlpatterns = [
    path("<int:pk>/history/", meeting_history, name="meeting_history"),
]
