"""Meeting tab: agenda. Everyone who can see the meeting reads it; editors add, change, delete and reorder sessions.

With htmx the agenda changes in place (a row swaps to its form and back, the list is re-rendered after a
reorder or delete); without JavaScript every form is a plain POST that redirects back to the agenda.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.forms.agenda import SessionForm
from meetings.models import Meeting, Session
from meetings.presenters import agenda_days, autofocus, mark_focus
from meetings.selectors import agenda_sessions, get_meeting_for_user, get_session
from meetings.services.agenda import delete_session, move_session, save_session
from meetings.views.kit import Focus, InlineItems

ADD_PREFIX = "new"


def _days(request: HttpRequest, meeting: Meeting, focus: Focus | None) -> dict[str, Any]:
    sessions = agenda_sessions(request.user, meeting)
    days = agenda_days(sessions)
    if focus:
        mark_focus(sessions, *focus)
    return {"days": days}


AGENDA = InlineItems(tab="agenda", prefix="agenda", item="session", items=_days)


@login_required
@require_GET
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return AGENDA.show(request, meeting)


def _form(request: HttpRequest, meeting: Meeting, session: Session | None = None) -> SessionForm:
    """The add form, or a session's edit form; each has its own prefix so both can be open on one page."""
    prefix = f"s{session.pk}" if session else ADD_PREFIX
    return SessionForm(
        request.POST or None, instance=session, prefix=prefix, meeting=meeting, user=request.user
    )


def _submit(
    request: HttpRequest, meeting: Meeting, form: SessionForm, message: str, **after: Any
) -> HttpResponse:
    return AGENDA.submit(
        request,
        meeting,
        form,
        write=lambda: save_session(session=form.save(commit=False), by=request.user),
        status=lambda session: message % {"title": session.title},
        **after,
    )


def _next_form(request: HttpRequest, meeting: Meeting, session: Session) -> dict[str, Any]:
    """The add form again, empty, for the next session: same day, starting when this one ends."""
    form = SessionForm(
        prefix=ADD_PREFIX,
        meeting=meeting,
        user=request.user,
        initial={"date": session.date, "start_time": session.end_time},
    )
    autofocus(form)
    return {"add_form": form}


@login_required
@require_http_methods(["GET", "POST"])
def agenda_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = _form(request, meeting)
    message = _("Sesi “%(title)s” ditambahkan.")
    return _submit(request, meeting, form, message, state=lambda s: _next_form(request, meeting, s))


@login_required
@require_GET
def agenda_row(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """A session as shown in the agenda; with htmx the list comes back (editing cancelled), focus on its row."""
    meeting = get_meeting_for_user(request.user, pk)
    return AGENDA.shown(request, meeting, get_session(meeting, session_pk).pk)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = _form(request, meeting, get_session(meeting, session_pk))
    return _submit(request, meeting, form, _("Perubahan sesi “%(title)s” tersimpan."))


@login_required
@require_POST
def agenda_delete(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    session = get_session(meeting, session_pk)
    delete_session(session=session, by=request.user)
    return AGENDA.saved(request, meeting, _("Sesi “%(title)s” dihapus.") % {"title": session.title})


@login_required
@require_POST
def agenda_move(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    session = get_session(meeting, session_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        # A tampered or stale form: nothing to move, show the agenda as it is.
        if not request.htmx:
            return AGENDA.back(request, meeting, session.pk)
        return AGENDA.list_swap(request, meeting)
    moved = move_session(session=session, direction=direction, by=request.user)
    if moved:
        status = (
            _("Sesi “%(title)s” dipindah ke atas.")
            if direction == "up"
            else _("Sesi “%(title)s” dipindah ke bawah.")
        ) % {"title": session.title}
    else:
        status = _("Sesi “%(title)s” sudah di ujung harinya.") % {"title": session.title}
    if not request.htmx:
        # Only a move that could not happen needs saying: the page shows one that did.
        message = "" if moved else status
        return AGENDA.back(request, meeting, session.pk, message=message, level=messages.INFO)
    return AGENDA.list_swap(request, meeting, status=status, focus=(session.pk, direction))


urlpatterns = [
    path("<int:pk>/agenda/", agenda, name="agenda"),
    path("<int:pk>/agenda/new/", agenda_new, name="agenda_new"),
    path("<int:pk>/agenda/<int:session_pk>/", agenda_row, name="agenda_row"),
    path("<int:pk>/agenda/<int:session_pk>/edit/", agenda_edit, name="agenda_edit"),
    path("<int:pk>/agenda/<int:session_pk>/delete/", agenda_delete, name="agenda_delete"),
    path("<int:pk>/agenda/<int:session_pk>/move/", agenda_move, name="agenda_move"),
]
