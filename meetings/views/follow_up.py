"""Meeting tab RTL (Rencana Tindak Lanjut): follow-up plan rows per represented library, and their progress.

Every write answers an htmx request with the smallest piece that changed: the library's card plus the summary
(out of band), or the whole board when a row moves to a card that is not on the page yet. Errors come back in
the form that was sent, typed input kept. Without JavaScript the same URLs answer full pages and redirects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from libraries.models import Library
from meetings.forms.follow_up import ProgressForm, RtlActionForm
from meetings.models import Meeting, RtlAction
from meetings.selectors import get_meeting_for_user, rtl_actions, rtl_libraries
from meetings.services.follow_up import (
    create_follow_up_action,
    delete_follow_up_action,
    record_progress,
    update_follow_up_action,
)
from meetings.views.core import meeting_context
from plm_portal.choices import LineOfWork

TEMPLATE = "meetings/rtl.html"
# Cards go from the provincial office down to the villages, as the paper RTL is read out.


@dataclass
class Row:
    action: RtlAction
    number: int
    mode: str = "show"  # "show", or the form open in the row: "edit" | "progress"
    form: forms.Form | None = None
    focus: bool = False


@dataclass
class Card:
    library: Library
    rows: list[Row] = field(default_factory=list)
    add_form: RtlActionForm | None = None
    add_open: bool = False
    focus: bool = False


@dataclass
class Summary:
    total: int
    libraries: int
    by_line: list[tuple[str, int]]
    by_status: list[tuple[str, str, int]]


@dataclass
class Open:
    """A form the response shows open (bound with errors, or freshly asked for)."""

    kind: str  # "add" | "new" | "edit" | "progress"
    key: int | None
    form: forms.Form


# --- reads ---------------------------------------------------------------------------------------


def _summary(actions: list[RtlAction]) -> Summary:
    lines = Counter(a.line_of_work for a in actions)
    statuses = Counter(a.status for a in actions)
    return Summary(
        total=len(actions),
        libraries=len({a.library_id for a in actions}),
        by_line=[(label, lines[value]) for value, label in LineOfWork.choices],
        by_status=[(value, label, statuses[value]) for value, label in RtlAction.Status.choices],
    )


def _add_form(request: HttpRequest, meeting: Meeting, library: Library) -> RtlActionForm:
    return RtlActionForm(
        meeting=meeting,
        user=request.user,
        hide_library=True,
        initial={"library": library.pk},
        auto_id=f"rtl-add-{library.pk}-%s",
    )


def _new_form(request: HttpRequest, meeting: Meeting, data=None) -> RtlActionForm:
    return RtlActionForm(data, meeting=meeting, user=request.user, auto_id="rtl-new-%s")


def _board(
    request: HttpRequest,
    meeting: Meeting,
    *,
    can_edit: bool,
    open_form: Open | None = None,
    focus_row: int | None = None,
    open_add: int | None = None,
    focus_card: int | None = None,
) -> dict:
    """Cards, summary and the 'other library' form; ``open_form`` is shown open in its row or card."""
    actions = rtl_actions(meeting)
    by_library: dict[int, list[RtlAction]] = defaultdict(list)
    for action in actions:
        by_library[action.library_id].append(action)
    cards = []
    for library in rtl_libraries(meeting):
        card = Card(library=library, focus=library.pk == focus_card)
        for number, action in enumerate(by_library[library.pk], start=1):
            row = Row(action=action, number=number, focus=action.pk == focus_row)
            if open_form and open_form.kind in ("edit", "progress") and open_form.key == action.pk:
                row.mode, row.form = open_form.kind, open_form.form
            card.rows.append(row)
        if can_edit:
            if open_form and open_form.kind == "add" and open_form.key == library.pk:
                card.add_form, card.add_open = open_form.form, True
            else:
                card.add_form = _add_form(request, meeting, library)
                card.add_open = library.pk == open_add
                if card.add_open:
                    _autofocus(card.add_form)
        cards.append(card)
    new_open = bool(open_form and open_form.kind == "new")
    return {
        "cards": cards,
        "summary": _summary(actions),
        "new_form": open_form.form if new_open else _new_form(request, meeting),
        "new_open": new_open,
    }


def _row_number(action: RtlAction) -> int:
    """The row's position in its library's list (what the 'No' column shows)."""
    before = RtlAction.objects.filter(
        Q(order__lt=action.order) | Q(order=action.order, pk__lt=action.pk),
        meeting_id=action.meeting_id,
        library_id=action.library_id,
    ).count()
    return before + 1


def _autofocus(form: forms.Form, *, skip: tuple[str, ...] = ()) -> None:
    """Put the cursor on the first field with an error, else on the first visible field not skipped."""
    names = [name for name in form.errors if name in form.fields]
    names += [name for name in form.fields if name not in skip]
    for name in names:
        if not form.fields[name].widget.is_hidden:
            form.fields[name].widget.attrs["autofocus"] = True
            return


def _focus_open(open_form: Open) -> None:
    # An edit form's library select is there to move a misfiled row; people come to change the text.
    _autofocus(open_form.form, skip=("library",) if open_form.kind == "edit" else ())


def _get_action(meeting: Meeting, action_pk: int) -> RtlAction:
    return get_object_or_404(
        RtlAction.objects.select_related("library"), meeting=meeting, pk=action_pk
    )


# --- responses -----------------------------------------------------------------------------------


def _page(request: HttpRequest, meeting: Meeting, *, open_form: Open | None = None) -> HttpResponse:
    context = meeting_context(request, meeting, tab="rtl")
    if open_form:
        _focus_open(open_form)
    context.update(_board(request, meeting, can_edit=context["can_edit"], open_form=open_form))
    return render(request, TEMPLATE, context)


def _card_update(
    request: HttpRequest,
    meeting: Meeting,
    library_id: int,
    *,
    message: str,
    focus_row: int | None = None,
    open_add: bool = False,
    focus_card: bool = False,
) -> HttpResponse:
    """The library's card with the summary and a status message out of band; the board if the card left."""
    context = meeting_context(request, meeting, tab="rtl")
    context.update(
        _board(
            request,
            meeting,
            can_edit=context["can_edit"],
            focus_row=focus_row,
            open_add=library_id if open_add else None,
            focus_card=library_id if focus_card else None,
        )
    )
    context["status_message"] = message
    card = next((c for c in context["cards"] if c.library.pk == library_id), None)
    if card is None:
        return _board_update(request, context)
    context["card"] = card
    response = render(request, f"{TEMPLATE}#card-update", context)
    return reswap(retarget(response, f"#rtl-library-{library_id}"), "outerHTML")


def _board_update(request: HttpRequest, context: dict) -> HttpResponse:
    response = render(request, f"{TEMPLATE}#board-update", context)
    return reswap(retarget(response, "#rtl-board"), "outerHTML")


def _board_response(
    request: HttpRequest, meeting: Meeting, *, message: str, focus_row: int
) -> HttpResponse:
    """The whole board, for a row that lands in a card that was not on the page."""
    context = meeting_context(request, meeting, tab="rtl")
    context.update(_board(request, meeting, can_edit=context["can_edit"], focus_row=focus_row))
    context["status_message"] = message
    return _board_update(request, context)


def _done(request: HttpRequest, meeting: Meeting, message: str, anchor: str) -> HttpResponse:
    """The answer to a write without htmx: back to the tab, at the card that changed."""
    messages.success(request, message)
    return redirect(reverse("meetings:rtl", args=[meeting.pk]) + f"#{anchor}")


def _row_response(request: HttpRequest, meeting: Meeting, row: Row) -> HttpResponse:
    context = {**meeting_context(request, meeting, tab="rtl"), "row": row}
    return render(request, f"{TEMPLATE}#row", context)


# --- views ---------------------------------------------------------------------------------------


@login_required
@require_GET
def rtl_tab(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return _page(request, meeting)


@login_required
@require_POST
def rtl_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    # "place" says which form was sent: a library's card (its id) or the form for another library ("new").
    place = request.POST.get("place", "")
    card_library = None
    if place.isdecimal():
        card_library = next((lib for lib in rtl_libraries(meeting) if lib.pk == int(place)), None)
    if card_library is not None:
        form = RtlActionForm(
            request.POST,
            meeting=meeting,
            user=request.user,
            hide_library=True,
            auto_id=f"rtl-add-{card_library.pk}-%s",
        )
    else:
        form = _new_form(request, meeting, request.POST)
    action = None
    if form.is_valid():
        try:
            action = create_follow_up_action(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if action is not None:
        message = _("Baris RTL untuk %(library)s tersimpan.") % {"library": action.library.name}
        if not request.htmx:
            return _done(request, meeting, message, f"rtl-row-{action.pk}")
        if card_library is not None and card_library.pk == action.library_id:
            # Keep the form open and empty: officers usually type several rows for one library.
            return _card_update(request, meeting, action.library_id, message=message, open_add=True)
        return _board_response(request, meeting, message=message, focus_row=action.pk)
    if card_library is not None:
        open_form = Open(kind="add", key=card_library.pk, form=form)
    else:
        open_form = Open(kind="new", key=None, form=form)
    if not request.htmx:
        return _page(request, meeting, open_form=open_form)
    _focus_open(open_form)
    context = meeting_context(request, meeting, tab="rtl")
    if card_library is not None:
        context["card"] = Card(library=card_library, add_form=form, add_open=True)
        return render(request, f"{TEMPLATE}#add-form", context)
    context.update({"new_form": form, "new_open": True})
    return render(request, f"{TEMPLATE}#new-form", context)


@login_required
@require_GET
def rtl_row(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """One row as shown (the 'Batal' of an open row form)."""
    meeting = get_meeting_for_user(request.user, pk)
    action = _get_action(meeting, action_pk)
    if not request.htmx:
        return redirect(reverse("meetings:rtl", args=[meeting.pk]) + f"#rtl-row-{action.pk}")
    return _row_response(
        request, meeting, Row(action=action, number=_row_number(action), focus=True)
    )


@login_required
@require_http_methods(["GET", "POST"])
def rtl_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    action = _get_action(meeting, action_pk)
    previous_library_id = action.library_id
    number = _row_number(action)
    form = RtlActionForm(
        request.POST or None,
        instance=action,
        meeting=meeting,
        user=request.user,
        auto_id=f"rtl-edit-{action.pk}-%s",
    )
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = update_follow_up_action(action=action, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if saved is not None:
        message = _("Perubahan baris RTL tersimpan.")
        if not request.htmx:
            return _done(request, meeting, message, f"rtl-row-{saved.pk}")
        if saved.library_id == previous_library_id:
            return _card_update(
                request, meeting, saved.library_id, message=message, focus_row=saved.pk
            )
        return _board_response(request, meeting, message=message, focus_row=saved.pk)
    open_form = Open(kind="edit", key=action.pk, form=form)
    if not request.htmx:
        return _page(request, meeting, open_form=open_form)
    _focus_open(open_form)
    return _row_response(
        request, meeting, Row(action=action, number=number, mode="edit", form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def rtl_progress(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    action = _get_action(meeting, action_pk)
    number = _row_number(action)
    form = ProgressForm(
        request.POST or None,
        instance=action,
        meeting=meeting,
        auto_id=f"rtl-progress-{action.pk}-%s",
    )
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = record_progress(action=action, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if saved is not None:
        message = _("Perkembangan “%(activity)s” tersimpan.") % {"activity": saved.activity}
        if not request.htmx:
            return _done(request, meeting, message, f"rtl-row-{saved.pk}")
        return _card_update(request, meeting, saved.library_id, message=message, focus_row=saved.pk)
    open_form = Open(kind="progress", key=action.pk, form=form)
    if not request.htmx:
        return _page(request, meeting, open_form=open_form)
    _focus_open(open_form)
    return _row_response(
        request, meeting, Row(action=action, number=number, mode="progress", form=form)
    )


@login_required
@require_POST
def rtl_delete(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    action = _get_action(meeting, action_pk)
    library_id = action.library_id
    delete_follow_up_action(action=action)
    message = _("Baris RTL “%(activity)s” dihapus.") % {"activity": action.activity}
    if not request.htmx:
        return _done(request, meeting, message, f"rtl-library-{library_id}")
    return _card_update(request, meeting, library_id, message=message, focus_card=True)


urlpatterns = [
    path("<int:pk>/rtl/", rtl_tab, name="rtl"),
    path("<int:pk>/rtl/add/", rtl_add, name="rtl_add"),
    path("<int:pk>/rtl/<int:action_pk>/", rtl_row, name="rtl_row"),
    path("<int:pk>/rtl/<int:action_pk>/edit/", rtl_edit, name="rtl_edit"),
    path("<int:pk>/rtl/<int:action_pk>/progress/", rtl_progress, name="rtl_progress"),
    path("<int:pk>/rtl/<int:action_pk>/delete/", rtl_delete, name="rtl_delete"),
]
