"""How the agenda, awards and RTL tabs arrange what the selectors read: days, categories, cards and rows.

Plain display objects for the templates, built from rows already read; nothing here queries or writes. The
views pass in the forms, which need the request.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django import forms

from libraries.models import Library
from meetings.models import Award, Meeting, RtlAction, Session
from plm_portal.choices import LineOfWork


def autofocus(form: forms.BaseForm, *, skip: tuple[str, ...] = ()) -> None:
    """Mark the first visible field with an error, else the first visible one not in ``skip``, ``autofocus``.

    htmx focuses it after the swap, so a keyboard or screen reader user lands where there is something to do.
    """
    visible = [name for name, f in form.fields.items() if not f.widget.is_hidden]
    name = next((n for n in visible if n in form.errors), None)
    if name is None:
        name = next((n for n in visible if n not in skip), None)
    if name is not None:
        form.fields[name].widget.attrs["autofocus"] = True


# --- agenda ----------------------------------------------------------------------------------------------------


@dataclass
class AgendaDay:
    date: date | None
    sessions: list[Session] = field(default_factory=list)


def agenda_days(sessions: list[Session]) -> list[AgendaDay]:
    """Sessions (in agenda order) grouped by day, each marked ``first_of_day`` / ``last_of_day``."""
    days = [
        AgendaDay(date=day, sessions=list(group))
        for day, group in itertools.groupby(sessions, key=lambda s: s.date)
    ]
    for day in days:
        for position, session in enumerate(day.sessions):
            session.first_of_day = position == 0
            session.last_of_day = position == len(day.sessions) - 1
    return days


def mark_focus(sessions: list[Session], session_pk: int | None, button: str) -> None:
    """Which button of the re-rendered row gets focus (htmx honours ``autofocus``) so keyboard users stay put.

    After a move the same arrow keeps focus, or the other one when the session reached the edge of its day.
    Needs ``agenda_days`` to have marked the edges.
    """
    for session in sessions:
        if session.pk != session_pk:
            continue
        if button == "up" and session.first_of_day:
            button = "down" if not session.last_of_day else "edit"
        elif button == "down" and session.last_of_day:
            button = "up" if not session.first_of_day else "edit"
        session.focus_button = button


# --- awards ----------------------------------------------------------------------------------------------------


@dataclass
class AwardCategory:
    value: str
    label: str
    awards: list[Award] = field(default_factory=list)


def award_categories(
    meeting: Meeting, awards: list[Award], *, focus_pk: int | None = None
) -> list[AwardCategory]:
    """Every category, empty ones too, with its awards; ``editable_here`` marks those changed from ``meeting``.

    The award ``focus_pk`` gets focus on its edit button (``focus_button``), as an agenda session does.
    """
    categories = {
        value: AwardCategory(value=value, label=label) for value, label in Award.Category.choices
    }
    for award in awards:
        award.editable_here = award.meeting_id in (None, meeting.pk)
        award.focus_button = "edit" if award.pk == focus_pk else ""
        categories[award.category].awards.append(award)
    return list(categories.values())


# --- RTL -------------------------------------------------------------------------------------------------------


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
    add_form: forms.Form | None = None
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

    kind: str  # "add" (in a library's card) | "new" (another library) | "edit" | "progress"
    key: int | None  # the card's library, or the row's action
    form: forms.Form

    def focus(self) -> None:
        # An edit form's library select is there to move a misfiled row; people come to change the text.
        autofocus(self.form, skip=("library",) if self.kind == "edit" else ())


# A page of the RTL tab holds whole cards, at most this many, and at most this many rows between them (a
# card with more rows than that has a page to itself): the page's HTML stays bounded however many libraries
# a meeting has and however many rows they write.
RTL_PAGE_CARDS = 15
RTL_PAGE_ROWS = 25


def rtl_summary(counts: list[tuple[int, str, str, int]]) -> Summary:
    """The summary from ``rtl_counts``: (library, line of work, status, rows) groups."""
    lines: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for _library, line, status, rows in counts:
        lines[line] += rows
        statuses[status] += rows
    return Summary(
        total=sum(lines.values()),
        libraries=len({library for library, *_ in counts}),
        by_line=[(label, lines[value]) for value, label in LineOfWork.choices],
        by_status=[(value, label, statuses[value]) for value, label in RtlAction.Status.choices],
    )


def rtl_pages(
    libraries: list[Library],
    counts: list[tuple[int, str, str, int]],
    *,
    cards: int = RTL_PAGE_CARDS,
    rows: int = RTL_PAGE_ROWS,
) -> list[list[Library]]:
    """``libraries`` (in board order) cut into pages of whole cards: at most ``cards`` cards and ``rows``
    rows a page, as counted by ``rtl_counts``. Always at least one page, maybe empty."""
    per_library: Counter[int] = Counter()
    for library, _line, _status, n in counts:
        per_library[library] += n
    pages: list[list[Library]] = []
    page: list[Library] = []
    page_rows = 0
    for library in libraries:
        n = per_library[library.pk]
        if page and (len(page) == cards or page_rows + n > rows):
            pages.append(page)
            page, page_rows = [], 0
        page.append(library)
        page_rows += n
    pages.append(page)
    return pages


def rtl_cards(
    libraries: list[Library],
    actions: list[RtlAction],
    *,
    add_form: Callable[[Library], forms.Form] | None,
    open_form: Open | None = None,
    focus_row: int | None = None,
    open_add: int | None = None,
    focus_card: int | None = None,
) -> list[Card]:
    """One card per library with its rows numbered; ``open_form`` is shown open in its row or card.

    ``add_form`` makes a library's empty add form (None: the user may not add rows), built for the card
    whose form is open only; ``open_add`` is the library whose add form stays open, ``focus_row`` / ``focus_card`` what gets focus.
    """
    by_library: dict[int, list[RtlAction]] = defaultdict(list)
    for action in actions:
        by_library[action.library_id].append(action)
    cards = []
    for library in libraries:
        card = Card(library=library, focus=library.pk == focus_card)
        for number, action in enumerate(by_library[library.pk], start=1):
            row = Row(action=action, number=number, focus=action.pk == focus_row)
            if open_form and open_form.kind in ("edit", "progress") and open_form.key == action.pk:
                row.mode, row.form = open_form.kind, open_form.form
            card.rows.append(row)
        if add_form is not None:
            if open_form and open_form.kind == "add" and open_form.key == library.pk:
                card.add_form, card.add_open = open_form.form, True
            elif library.pk == open_add:
                # Only an open form is built: the others are a link that loads the form (meetings.views.rtl).
                card.add_form, card.add_open = add_form(library), True
                autofocus(card.add_form)
        cards.append(card)
    return cards


def rtl_page_with(pages: list[list[Library]], library_id: int | None) -> int | None:
    """The number of the page of ``rtl_pages`` with ``library_id``'s card (None: no such card)."""
    if library_id is None:
        return None
    return next(
        (n for n, page in enumerate(pages, start=1) if any(lib.pk == library_id for lib in page)),
        None,
    )
