"""Meeting tab: agenda. Everyone who can see the meeting reads it; editors add, change, delete and reorder sessions.

With htmx the agenda changes in place (a row swaps to its form and back, the list is re-rendered after a
reorder or delete); without JavaScript every form is a plain POST that redirects back to the agenda.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from libraries.selectors import people_visible_to
from meetings.forms.agenda import SessionForm
from meetings.models import Meeting, Participation, Session
from meetings.selectors import get_meeting_for_user
from meetings.services.agenda import agenda_order, delete_session, move_session, save_session
from meetings.views.core import meeting_context
from plm_portal.models import User

ADD_PREFIX = "new"
ROLE_LABELS = dict(Participation.Role.choices)


@dataclass
class AgendaDay:
    date: date | None
    sessions: list[Session] = field(default_factory=list)


def agenda_sessions(user: User, meeting: Meeting) -> list[Session]:
    """The meeting's sessions in agenda order, each with ``leader`` (the lead's name and role, or None).

    A lead is named only when ``user`` may see that person; one query whatever the number of sessions.
    """
    lead_role = Participation.objects.filter(meeting=meeting, person=OuterRef("led_by")).values(
        "role"
    )[:1]
    sessions: QuerySet[Session] = agenda_order(meeting.sessions.all()).annotate(
        lead_visible=Exists(people_visible_to(user).filter(pk=OuterRef("led_by"))),
        lead_role=Subquery(lead_role),
    )
    result = list(sessions.select_related("led_by"))
    for session in result:
        session.leader = None
        if session.led_by_id and session.lead_visible:
            role = ROLE_LABELS.get(session.lead_role, "")
            session.leader = (session.led_by.full_name, role)
    return result


def _days(sessions: list[Session]) -> list[AgendaDay]:
    days = []
    for day, group in itertools.groupby(sessions, key=lambda s: s.date):
        days.append(AgendaDay(date=day, sessions=list(group)))
    for day in days:
        for position, session in enumerate(day.sessions):
            session.first_of_day = position == 0
            session.last_of_day = position == len(day.sessions) - 1
    return days


def _mark_focus(sessions: list[Session], session_pk: int | None, button: str) -> None:
    """Which button of the re-rendered row gets focus (htmx honours ``autofocus``) so keyboard users stay put.

    After a move the same arrow keeps focus, or the other one when the session reached the edge of its day.
    """
    for session in sessions:
        if session.pk != session_pk:
            continue
        if button == "up" and session.first_of_day:
            button = "down" if not session.last_of_day else "edit"
        elif button == "down" and session.last_of_day:
            button = "up" if not session.first_of_day else "edit"
        session.focus_button = button


def _agenda_context(
    request: HttpRequest,
    meeting: Meeting,
    *,
    add_form: SessionForm | None = None,
    edit_form: SessionForm | None = None,
    status: str = "",
    focus: tuple[int | None, str] | None = None,
) -> dict:
    sessions = agenda_sessions(request.user, meeting)
    days = _days(sessions)
    if focus:
        _mark_focus(sessions, *focus)
    return {
        **meeting_context(request, meeting, tab="agenda"),
        "days": days,
        "add_form": add_form,
        "edit_form": edit_form,
        "editing": edit_form.instance.pk if edit_form else None,
        "status": status,
        "focus_add": focus == (None, "add"),
    }


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _list_response(request: HttpRequest, context: dict) -> HttpResponse:
    """The re-rendered agenda list, swapped in place of the current one whatever element asked."""
    response = _render(request, "meetings/agenda.html#agenda-list", context)
    return reswap(retarget(response, "#agenda-list"), "outerHTML")


def _back(meeting: Meeting, session_pk: int | None = None) -> HttpResponse:
    url = reverse("meetings:agenda", args=[meeting.pk])
    return redirect(f"{url}#session-{session_pk}" if session_pk else url)


def _get_session(meeting: Meeting, session_pk: int) -> Session:
    return get_object_or_404(Session, pk=session_pk, meeting=meeting)


@login_required
@require_GET
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    if request.htmx:
        # The list alone (the add form was closed): focus goes back to the add button.
        focus = (None, "add") if request.GET.get("focus") == "add" else None
        context = _agenda_context(request, meeting, focus=focus)
        return _render(request, "meetings/agenda.html#agenda-list", context)
    return _render(request, "meetings/agenda.html", _agenda_context(request, meeting))


@login_required
@require_http_methods(["GET", "POST"])
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = SessionForm(request.POST or None, prefix=ADD_PREFIX, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        session = save_session(session=form.save(commit=False))
        if not request.htmx:
            messages.success(request, _("Sesi “%(title)s” ditambahkan.") % {"title": session.title})
            return _back(meeting, session.pk)
        # Keep the form open for the next session: same day, starting when this one ends.
        next_form = SessionForm(
            prefix=ADD_PREFIX,
            meeting=meeting,
            user=request.user,
            initial={"date": session.date, "start_time": session.end_time},
        ).with_focus()
        status = _("Sesi “%(title)s” ditambahkan.") % {"title": session.title}
        return _list_response(
            request, _agenda_context(request, meeting, add_form=next_form, status=status)
        )
    form.with_focus()
    if request.htmx:
        context = {**meeting_context(request, meeting, tab="agenda"), "form": form}
        return _render(request, "meetings/agenda.html#add-form", context)
    return _render(
        request, "meetings/agenda.html", _agenda_context(request, meeting, add_form=form)
    )


@login_required
@require_GET
def session_row(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """A session as shown in the agenda; with htmx the list comes back (editing cancelled), focus on its row."""
    meeting = get_meeting_for_user(request.user, pk)
    session = _get_session(meeting, session_pk)
    if not request.htmx:
        return _back(meeting, session.pk)
    return _list_response(request, _agenda_context(request, meeting, focus=(session.pk, "edit")))


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    session = _get_session(meeting, session_pk)
    form = SessionForm(
        request.POST or None,
        instance=session,
        prefix=f"s{session.pk}",
        meeting=meeting,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        session = save_session(session=form.save(commit=False))
        if not request.htmx:
            messages.success(
                request, _("Perubahan sesi “%(title)s” tersimpan.") % {"title": session.title}
            )
            return _back(meeting, session.pk)
        status = _("Perubahan sesi “%(title)s” tersimpan.") % {"title": session.title}
        return _list_response(
            request,
            _agenda_context(request, meeting, status=status, focus=(session.pk, "edit")),
        )
    form.with_focus()
    if request.htmx:
        context = {**meeting_context(request, meeting, tab="agenda"), "form": form}
        return _render(request, "meetings/agenda.html#edit-form", context)
    return _render(
        request, "meetings/agenda.html", _agenda_context(request, meeting, edit_form=form)
    )


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    session = _get_session(meeting, session_pk)
    title = session.title
    delete_session(session=session)
    status = _("Sesi “%(title)s” dihapus.") % {"title": title}
    if not request.htmx:
        messages.success(request, status)
        return _back(meeting)
    return _list_response(request, _agenda_context(request, meeting, status=status))


@login_required
@require_POST
def session_move(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    session = _get_session(meeting, session_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        # A tampered or stale form: nothing to move, show the agenda as it is.
        if not request.htmx:
            return _back(meeting, session.pk)
        return _list_response(request, _agenda_context(request, meeting))
    moved = move_session(session=session, direction=direction)
    if moved:
        status = (
            _("Sesi “%(title)s” dipindah ke atas.")
            if direction == "up"
            else _("Sesi “%(title)s” dipindah ke bawah.")
        ) % {"title": session.title}
    else:
        status = _("Sesi “%(title)s” sudah di ujung harinya.") % {"title": session.title}
    if not request.htmx:
        if not moved:
            messages.info(request, status)
        return _back(meeting, session.pk)
    return _list_response(
        request, _agenda_context(request, meeting, status=status, focus=(session.pk, direction))
    )


urlpatterns = [
    path("<int:pk>/agenda/", agenda, name="agenda"),
    path("<int:pk>/agenda/new/", session_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:session_pk>/", session_row, name="agenda_session"),
    path("<int:pk>/agenda/<int:session_pk>/edit/", session_edit, name="agenda_edit"),
    path("<int:pk>/agenda/<int:session_pk>/delete/", session_delete, name="agenda_delete"),
    path("<int:pk>/agenda/<int:session_pk>/move/", session_move, name="agenda_move"),
]
