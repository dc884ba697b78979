"""The htmx kit of the meeting tabs: the page or one of its pieces, and items edited in place.

A tab answers a plain request with the whole page and an htmx request with one partial of the same template
(``template#name``); both vary on HX-Request so no cache serves one for the other. After a write, htmx gets the
changed piece with a status message for the tab's live region and focus where the person was; without
JavaScript the same URL redirects back to the tab, at the item, with the message flashed.

``InlineItems`` is that shape for a list of items (agenda sessions, awards): GET a form / POST it, the item as
shown (what "cancel" asks for), delete. The RTL tab swaps cards rather than one list and uses the pieces below
(``render_tab``, ``swap``, ``back``, ``save_form``) directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django_htmx.http import reswap, retarget

from meetings.models import Meeting
from meetings.presenters import autofocus
from meetings.views.core import STILL_SAVING, meeting_context
from plm_portal import once

# (item pk or None, which control): where focus goes in the re-rendered list; (None, "add") is the add button.
Focus = tuple[int | None, str]


def render_tab(
    request: HttpRequest, template: str, context: dict, *, partial: str = ""
) -> HttpResponse:
    """``template``, or only its ``partial``, with ``Vary: HX-Request`` (the same URL answers both)."""
    response = render(request, f"{template}#{partial}" if partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def swap(response: HttpResponse, target: str) -> HttpResponse:
    """Have htmx put ``response`` in place of ``target`` (a CSS selector), whatever element asked."""
    return reswap(retarget(response, target), "outerHTML")


def back(
    request: HttpRequest,
    url_name: str,
    meeting: Meeting,
    anchor: str = "",
    *,
    message: str = "",
    level: int = messages.SUCCESS,
) -> HttpResponse:
    """The answer to a write without htmx: a redirect to the tab (at ``anchor``), ``message`` flashed."""
    if message:
        messages.add_message(request, level, message)
    url = reverse(url_name, args=[meeting.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def save_form[T: Model](
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[], T],
    *,
    new: type[T] | None = None,
) -> T | None:
    """``write()`` for a POSTed valid form, else None; a ValidationError it raises is shown on the form.

    A form that creates a ``new`` row is saved once per form key (plm_portal.once): the same form posted
    again, or at the same time, gets the row the first post made, so the answer is the same.
    """
    if request.method != "POST":
        return None
    kind = f"{new._meta.label_lower}:{request.user.pk}" if new is not None else ""
    # Asked before validating: the first post's row may now fail the form's checks (a rank taken).
    if kind and (row := once.repeated(kind, form, model=new)) is not None:
        return row
    if not form.is_valid():
        return None
    key = form.cleaned_data.get("form_key", "") if kind else ""
    try:
        if not key:
            return write()
        return once.save(kind, key, write, model=new)
    except once.AlreadySubmitted:
        form.add_error(None, STILL_SAVING)
        return None
    except ValidationError as error:
        form.add_error(None, error)
        return None


@dataclass(frozen=True)
class InlineItems:
    """A meeting tab whose items are added, changed and deleted in place.

    Names follow one scheme, used by the views and by ``templates/meetings/_inline.html``: the tab's URL name
    ``tab`` and its verbs ``<tab>_new``, ``<tab>_row``, ``<tab>_edit``, ``<tab>_delete``; the template
    ``meetings/<tab>.html`` with partials ``<prefix>-list``, ``add-form``, ``edit-form`` and ``fields``;
    element ids ``#<prefix>-list``, ``#<prefix>-add``, ``#<prefix>-status`` and ``#<item>-<pk>``.
    """

    tab: str
    prefix: str
    item: str
    # What the list shows (e.g. {"days": ...}), given who asks, the meeting and where focus goes.
    items: Callable[[HttpRequest, Meeting, Focus | None], dict[str, Any]]
    # Fields a fresh form never focuses (shown for information, disabled).
    focus_skip: tuple[str, ...] = ()

    @property
    def template(self) -> str:
        return f"meetings/{self.tab}.html"

    @property
    def fields(self) -> str:
        return f"{self.template}#fields"

    @property
    def page(self) -> str:
        return f"meetings:{self.tab}"

    @property
    def new(self) -> str:
        return f"meetings:{self.tab}_new"

    @property
    def row(self) -> str:
        return f"meetings:{self.tab}_row"

    @property
    def edit(self) -> str:
        return f"meetings:{self.tab}_edit"

    @property
    def delete(self) -> str:
        return f"meetings:{self.tab}_delete"

    @property
    def list_id(self) -> str:
        return f"{self.prefix}-list"

    def context(
        self,
        request: HttpRequest,
        meeting: Meeting,
        *,
        add_form: forms.BaseForm | None = None,
        edit_form: forms.BaseForm | None = None,
        status: str = "",
        focus: Focus | None = None,
    ) -> dict[str, Any]:
        """The tab page's context; ``edit_form`` is shown open in its item, ``add_form`` in place of the add button."""
        return {
            **meeting_context(request, meeting, tab=self.tab),
            **self.items(request, meeting, focus),
            "inline": self,
            "add_form": add_form,
            "edit_form": edit_form,
            "editing": edit_form.instance.pk if edit_form else None,
            "status": status,
            "focus_add": focus == (None, "add"),
        }

    def show(self, request: HttpRequest, meeting: Meeting) -> HttpResponse:
        """The tab: the whole page, or with htmx the list alone (an add form was closed, focus on its button)."""
        if not request.htmx:
            return render_tab(request, self.template, self.context(request, meeting))
        focus = (None, "add") if request.GET.get("focus") == "add" else None
        context = self.context(request, meeting, focus=focus)
        return render_tab(request, self.template, context, partial=self.list_id)

    def list_swap(self, request: HttpRequest, meeting: Meeting, **state: Any) -> HttpResponse:
        """The re-rendered list, swapped in place of the current one whatever element asked."""
        context = self.context(request, meeting, **state)
        response = render_tab(request, self.template, context, partial=self.list_id)
        return swap(response, f"#{self.list_id}")

    def form(
        self, request: HttpRequest, meeting: Meeting, form: forms.BaseModelForm
    ) -> HttpResponse:
        """An add or edit form (fresh, or sent back with errors): alone with htmx, else open in the page."""
        autofocus(form, skip=self.focus_skip)
        editing = form.instance.pk is not None
        if request.htmx:
            context = {
                **meeting_context(request, meeting, tab=self.tab),
                "inline": self,
                "form": form,
            }
            partial = "edit-form" if editing else "add-form"
            return render_tab(request, self.template, context, partial=partial)
        state = {"edit_form": form} if editing else {"add_form": form}
        return render_tab(request, self.template, self.context(request, meeting, **state))

    def submit[T: Model](
        self,
        request: HttpRequest,
        meeting: Meeting,
        form: forms.BaseModelForm,
        *,
        write: Callable[[], T],
        status: Callable[[T], str],
        state: Callable[[T], dict[str, Any]] = lambda item: {"focus": (item.pk, "edit")},
    ) -> HttpResponse:
        """An add or edit view's answer: ``write()`` a POSTed valid form and say ``status(item)`` (the list,
        with ``state(item)``, default focus on the item's edit button), or show the form (fresh or with errors).
        """
        new = type(form.instance) if form.instance.pk is None else None
        item = save_form(request, form, write, new=new)
        if item is None:
            return self.form(request, meeting, form)
        return self.saved(request, meeting, status(item), pk=item.pk, **state(item))

    def saved(
        self,
        request: HttpRequest,
        meeting: Meeting,
        status: str,
        *,
        pk: int | None = None,
        **state: Any,
    ) -> HttpResponse:
        """After a write: the list with ``status`` announced (htmx), or back to item ``pk`` with it flashed."""
        if not request.htmx:
            return self.back(request, meeting, pk, message=status)
        return self.list_swap(request, meeting, status=status, **state)

    def shown(self, request: HttpRequest, meeting: Meeting, pk: int) -> HttpResponse:
        """An item as shown ("cancel" of its form): the list with focus on the item, or a redirect to it."""
        if not request.htmx:
            return self.back(request, meeting, pk)
        return self.list_swap(request, meeting, focus=(pk, "edit"))

    def back(
        self,
        request: HttpRequest,
        meeting: Meeting,
        pk: int | None = None,
        *,
        message: str = "",
        level: int = messages.SUCCESS,
    ) -> HttpResponse:
        anchor = f"{self.item}-{pk}" if pk else ""
        return back(request, self.page, meeting, anchor, message=message, level=level)
