"""Meeting tab RTL (Rencana Tindak Lanjut): the plan rows of each represented library, and their progress.

Every write answers an htmx request with the smallest piece that changed: the library's card plus the summary
(out of band), or the whole board, at the page of the row's card, when a row moves to a card that is not on
the page yet. Errors come back in the form that was sent, typed input kept. Without JavaScript the same URLs
answer full pages and redirects (to the page of the card). The cards are paged, whole, by count and rows
(``meetings.presenters.rtl_pages``); responses use the tabs' kit (``meetings.views.kit``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import replace_url

from libraries.models import Library
from meetings.forms.rtl import ProgressForm, RtlActionForm
from meetings.models import Meeting, RtlAction
from meetings.presenters import (
    Card,
    Open,
    Row,
    rtl_cards,
    rtl_page_with,
    rtl_pages,
    rtl_summary,
)
from meetings.selectors import (
    attach_follow_ups,
    completion_of_counts,
    get_meeting_for_user,
    get_rtl_action,
    meeting_today,
    rtl_actions,
    rtl_counts,
    rtl_libraries,
    rtl_row_number,
)
from meetings.services.rtl import (
    create_rtl_action,
    delete_rtl_action,
    record_rtl_progress,
    update_rtl_action,
)
from meetings.views.core import meeting_context
from meetings.views.kit import render_tab, save_form, swap

TEMPLATE = "meetings/rtl.html"


def _add_form(request: HttpRequest, meeting: Meeting, library: Library, data=None) -> RtlActionForm:
    """The form in a library's card: the library is a hidden field."""
    return RtlActionForm(
        data,
        meeting=meeting,
        user=request.user,
        hide_library=True,
        initial={"library": library.pk},
        auto_id=f"rtl-add-{library.pk}-%s",
    )


def _new_form(request: HttpRequest, meeting: Meeting, data=None) -> RtlActionForm:
    """The form for a library without a card (not represented at the meeting): the library is chosen."""
    return RtlActionForm(data, meeting=meeting, user=request.user, auto_id="rtl-new-%s")


def _asked_page(request: HttpRequest) -> str | None:
    """The page asked for: in the query, or, after an htmx write, in the URL of the page that sent it."""
    if "page" in request.GET or not (request.htmx and request.htmx.current_url):
        return request.GET.get("page")
    return parse_qs(urlsplit(request.htmx.current_url).query).get("page", [None])[0]


def _context(
    request: HttpRequest,
    meeting: Meeting,
    *,
    at_library: int | None = None,
    open_form: Open | None = None,
    status: str = "",
    **focus: Any,
) -> dict[str, Any]:
    """The tab: a page of cards (the one with ``at_library``'s card, else the one asked for, by number or by
    ``?library=``), the summary and the 'other library' form; ``open_form`` is shown open where it belongs.

    Only the shown cards' rows and their follow-ups are read; the summary, completion and page cuts come
    from counts.
    """
    context = meeting_context(request, meeting, tab="rtl")
    counts = rtl_counts(meeting)
    pages = rtl_pages(rtl_libraries(meeting), counts)
    if at_library is None and open_form and open_form.kind == "add":
        at_library = open_form.key
    elif at_library is None and request.GET.get("library", "").isdecimal():
        at_library = int(request.GET["library"])  # a link to a card (the follow-ups due list)
    page = Paginator(pages, 1).get_page(rtl_page_with(pages, at_library) or _asked_page(request))
    libraries = page.object_list[0]
    add_form = (
        (lambda library: _add_form(request, meeting, library)) if context["can_edit"] else None
    )
    actions = rtl_actions(meeting, [library.pk for library in libraries])
    attach_follow_ups(actions, today=meeting_today(meeting))
    new_open = bool(open_form and open_form.kind == "new")
    # Which cards of how many, above a paged board.
    first = sum(map(len, pages[: page.number - 1])) + 1
    completion, per_library = completion_of_counts(counts)
    cards = rtl_cards(libraries, actions, add_form=add_form, open_form=open_form, **focus)
    for card in cards:
        card.completion = per_library.get(card.library.pk)
    context.update(
        cards=cards,
        page=page,
        card_range=(first, first + len(libraries) - 1, sum(map(len, pages))),
        summary=rtl_summary(counts),
        completion=completion,
        new_form=open_form.form if new_open else None,
        new_open=new_open,
        status=status,
    )
    return context


def _tab_url(meeting: Meeting, library_id: int | None = None) -> str:
    """The tab's URL at the page with ``library_id``'s card (the first page if it has none)."""
    url = reverse("meetings:rtl", args=[meeting.pk])
    if library_id is None:
        return url
    number = rtl_page_with(rtl_pages(rtl_libraries(meeting), rtl_counts(meeting)), library_id)
    return f"{url}?page={number}" if number and number > 1 else url


# --- responses -----------------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    open_form: Open | None = None,
    at_library: int | None = None,
) -> HttpResponse:
    if open_form:
        open_form.focus()
    context = _context(request, meeting, open_form=open_form, at_library=at_library)
    return render_tab(request, TEMPLATE, context)


def _board_update(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The board (maybe another page of it than the one on screen); the address bar follows."""
    response = swap(render_tab(request, TEMPLATE, context, partial="board-update"), "#rtl-board")
    url = reverse("meetings:rtl", args=[context["meeting"].pk])
    number = context["page"].number
    return replace_url(response, f"{url}?page={number}" if number > 1 else url)


def card_update(
    request: HttpRequest,
    meeting: Meeting,
    library_id: int,
    *,
    status: str,
    focus_row: int | None = None,
    open_add: bool = False,
    focus_card: bool = False,
) -> HttpResponse:
    """The library's card with the summary and the status out of band; the whole board if the card left."""
    context = _context(
        request,
        meeting,
        at_library=library_id,
        status=status,
        focus_row=focus_row,
        open_add=library_id if open_add else None,
        focus_card=library_id if focus_card else None,
    )
    card = next((c for c in context["cards"] if c.library.pk == library_id), None)
    if card is None:
        return _board_update(request, context)
    context["card"] = card
    response = render_tab(request, TEMPLATE, context, partial="card-update")
    return swap(response, f"#rtl-library-{library_id}")


def _board_response(
    request: HttpRequest, meeting: Meeting, action: RtlAction, *, status: str
) -> HttpResponse:
    """The whole board, at the page of ``action``'s card, for a row that lands in a card that was not on
    the page."""
    context = _context(
        request, meeting, at_library=action.library_id, status=status, focus_row=action.pk
    )
    return _board_update(request, context)


def row_response(request: HttpRequest, meeting: Meeting, row: Row) -> HttpResponse:
    context = {**meeting_context(request, meeting, tab="rtl"), "row": row}
    return render_tab(request, TEMPLATE, context, partial="row")


def saved_redirect(
    request: HttpRequest, meeting: Meeting, status: str, anchor: str, library_id: int
) -> HttpResponse:
    """The answer to a write without htmx: back to the tab, at what changed (on the page of its card)."""
    messages.success(request, status)
    return redirect(f"{_tab_url(meeting, library_id)}#{anchor}")


def _row_form(
    request: HttpRequest,
    meeting: Meeting,
    action: RtlAction,
    form: forms.ModelForm,
    *,
    mode: str,
    write: Callable[[], RtlAction],
    status: Callable[[RtlAction], str],
) -> HttpResponse:
    """A form open in a row (``mode`` "edit" or "progress"): saved, the card comes back; else the form again."""
    # Read before validating: a ModelForm writes the typed values into its instance.
    library_id, number = action.library_id, rtl_row_number(action)
    saved = save_form(request, form, write)
    if saved is not None:
        message = status(saved)
        if not request.htmx:
            return saved_redirect(
                request, meeting, message, f"rtl-row-{saved.pk}", saved.library_id
            )
        if saved.library_id == library_id:
            return card_update(
                request, meeting, saved.library_id, status=message, focus_row=saved.pk
            )
        return _board_response(request, meeting, saved, status=message)
    open_form = Open(kind=mode, key=action.pk, form=form)
    if not request.htmx:
        return _page(request, meeting, open_form=open_form, at_library=library_id)
    open_form.focus()
    return row_response(request, meeting, Row(action=action, number=number, mode=mode, form=form))


# --- views ---------------------------------------------------------------------------------------


@login_required
@require_GET
def rtl(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return _page(request, meeting)


def _new_row_form(
    request: HttpRequest, meeting: Meeting, card_library: Library | None, form: RtlActionForm
) -> HttpResponse:
    """The add form of a card (or the form for another library): empty, loaded when asked for (GET), or
    sent back with errors.

    The tab itself carries a link per card, not a form: its HTML grows with the rows, not with cards times form
    fields and the province's library list. Without JavaScript the link opens the tab with the form open.
    """
    if card_library is not None:
        open_form = Open(kind="add", key=card_library.pk, form=form)
    else:
        open_form = Open(kind="new", key=None, form=form)
    if not request.htmx:
        return _page(request, meeting, open_form=open_form)
    open_form.focus()
    context = meeting_context(request, meeting, tab="rtl")
    if card_library is not None:
        context["card"] = Card(library=card_library, add_form=form, add_open=True)
        return render_tab(request, TEMPLATE, context, partial="add-form")
    context.update(new_form=form, new_open=True)
    return render_tab(request, TEMPLATE, context, partial="new-form")


@login_required
@require_http_methods(["GET", "POST"])
def rtl_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    # "place" says which form is meant: a library's card (its id) or the form for another library ("new").
    place = (request.POST if request.method == "POST" else request.GET).get("place", "")
    card_library = None
    if place.isdecimal():
        card_library = next((lib for lib in rtl_libraries(meeting) if lib.pk == int(place)), None)
    data = request.POST if request.method == "POST" else None
    if card_library is not None:
        form = _add_form(request, meeting, card_library, data)
    else:
        form = _new_form(request, meeting, data)
    action = save_form(
        request,
        form,
        lambda: create_rtl_action(meeting=meeting, by=request.user, **form.plan()),
        new=RtlAction,
    )
    if action is not None:
        message = _("Baris RTL untuk %(library)s tersimpan.") % {"library": action.library.name}
        if not request.htmx:
            return saved_redirect(
                request, meeting, message, f"rtl-row-{action.pk}", action.library_id
            )
        if card_library is not None and card_library.pk == action.library_id:
            # Keep the form open and empty: officers usually type several rows for one library.
            return card_update(request, meeting, action.library_id, status=message, open_add=True)
        return _board_response(request, meeting, action, status=message)
    return _new_row_form(request, meeting, card_library, form)


@login_required
@require_GET
def rtl_row(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """One row as shown (the 'Batal' of an open row form)."""
    meeting = get_meeting_for_user(request.user, pk)
    action = get_rtl_action(meeting, action_pk)
    if not request.htmx:
        return redirect(f"{_tab_url(meeting, action.library_id)}#rtl-row-{action.pk}")
    attach_follow_ups([action], today=meeting_today(meeting))
    row = Row(action=action, number=rtl_row_number(action), focus=True)
    return row_response(request, meeting, row)


@login_required
@require_http_methods(["GET", "POST"])
def rtl_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    action = get_rtl_action(meeting, action_pk)
    form = RtlActionForm(
        request.POST or None,
        instance=action,
        meeting=meeting,
        user=request.user,
        auto_id=f"rtl-edit-{action.pk}-%s",
    )
    return _row_form(
        request,
        meeting,
        action,
        form,
        mode="edit",
        write=lambda: update_rtl_action(action=action, by=request.user, **form.plan()),
        status=lambda saved: _("Perubahan baris RTL tersimpan."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rtl_progress(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    action = get_rtl_action(meeting, action_pk)
    form = ProgressForm(
        request.POST or None,
        instance=action,
        meeting=meeting,
        auto_id=f"rtl-progress-{action.pk}-%s",
    )
    return _row_form(
        request,
        meeting,
        action,
        form,
        mode="progress",
        write=lambda: record_rtl_progress(action=action, by=request.user, **form.cleaned_data),
        status=lambda saved: (
            _("Perkembangan “%(activity)s” tersimpan.") % {"activity": saved.activity}
        ),
    )


@login_required
@require_POST
def rtl_delete(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    action = get_rtl_action(meeting, action_pk)
    library_id = action.library_id
    delete_rtl_action(action=action, by=request.user)
    message = _("Baris RTL “%(activity)s” dihapus.") % {"activity": action.activity}
    if not request.htmx:
        return saved_redirect(request, meeting, message, f"rtl-library-{library_id}", library_id)
    return card_update(request, meeting, library_id, status=message, focus_card=True)


urlpatterns = [
    path("<int:pk>/rtl/", rtl, name="rtl"),
    path("<int:pk>/rtl/new/", rtl_new, name="rtl_new"),
    path("<int:pk>/rtl/<int:action_pk>/", rtl_row, name="rtl_row"),
    path("<int:pk>/rtl/<int:action_pk>/edit/", rtl_edit, name="rtl_edit"),
    path("<int:pk>/rtl/<int:action_pk>/progress/", rtl_progress, name="rtl_progress"),
    path("<int:pk>/rtl/<int:action_pk>/delete/", rtl_delete, name="rtl_delete"),
]
