"""Reads of the attendance tab and the self check-in page. ``meeting`` is already authorised (or found by
its secret check-in token)."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Q,
    QuerySet,
)
from django.http import Http404

from libraries.selectors import (
    MIN_SEARCH_LENGTH,
    search_length,
    search_people,
)
from meetings.models import Meeting, Participation


def checkin_rows(meeting: Meeting, day: dt.date) -> QuerySet[Participation]:
    """Everyone taking part in ``meeting``, each with their attendance on ``day`` (or None): one query."""
    return (
        meeting.participations.annotate(
            on_day=FilteredRelation("attendances", condition=Q(attendances__day=day))
        )
        .annotate(checked_in_at=F("on_day__checked_in_at"), checkin_method=F("on_day__method"))
        .select_related("person", "library", "person__home_library")
        .only(
            "pk",
            "role",
            "meeting_id",
            "person__full_name",
            "person__phone",
            "person__institution",
            "person__home_library__name",
            "library__name",
        )
        .order_by("person__full_name", "pk")
    )


# What the door's search box takes as "the last digits of the phone" (the screen asks for 4): matched at the
# end of the number, as a person reads them out, not anywhere in it like the people search's digits.
PHONE_END_DIGITS = 4


def checkin_list(
    meeting: Meeting, day: dt.date, *, q: str = "", absent: bool = False
) -> QuerySet[Participation]:
    """``checkin_rows`` matching the door's search (name, library, institution, the phone's last digits) and,
    with ``absent``, only those not yet present on ``day``. A search shorter than the people search's minimum
    filters nothing: the list stays whole while the first letters are typed."""
    rows = checkin_rows(meeting, day)
    if absent:
        rows = rows.filter(checked_in_at__isnull=True)
    q = " ".join(q.split())
    if q.isdigit() and MIN_SEARCH_LENGTH <= len(q) <= PHONE_END_DIGITS:
        rows = rows.filter(person__phone__endswith=q)
    elif search_length(q) >= MIN_SEARCH_LENGTH:
        rows = search_people(rows, q, path="person", also=("library__name",))
    return rows


def attendance_counts(meeting: Meeting, day: dt.date) -> tuple[int, int]:
    """(present on ``day``, everyone) for the counter: one query."""
    counts = meeting.participations.aggregate(
        total=Count("pk", distinct=True),
        present=Count("attendances", filter=Q(attendances__day=day)),
    )
    return counts["present"], counts["total"]


def checkin_row(meeting: Meeting, day: dt.date, participation_pk: int) -> Participation:
    """One row of ``checkin_rows``, after it changed."""
    return checkin_rows(meeting, day).get(pk=participation_pk)


def meeting_for_checkin_token(token: str) -> Meeting:
    """The meeting whose self check-in link carries ``token`` (404 if none): the public page's only key."""
    meeting = (
        Meeting.objects.select_related("province", "venue_regency")
        .filter(checkin_token=token)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


# The public page lists names only once what was typed narrows them: one word of at least this many letters
# (so "a a a" … "z z z" find nobody), and then only when at most SELF_CHECKIN_MAX_SHOWN names match (more:
# the participant is asked for more letters, and nobody is listed).
SELF_CHECKIN_MIN_WORD_LETTERS = MIN_SEARCH_LENGTH
SELF_CHECKIN_MAX_SHOWN = 5


def self_checkin_search_ready(text: str) -> bool:
    """Whether ``text`` has a word of SELF_CHECKIN_MIN_WORD_LETTERS letters: only then is it searched."""
    return any(
        sum(1 for char in word if char.isalpha()) >= SELF_CHECKIN_MIN_WORD_LETTERS
        for word in text.split()
    )


def self_checkin_matches(meeting: Meeting, text: str) -> QuerySet[Participation]:
    """Participations of ``meeting`` whose name has a word starting with each word of ``text``.

    The people search, narrowed for a public page: names only, at the start of a word, never by phone, and
    nobody unless ``self_checkin_search_ready(text)``.
    """
    if not self_checkin_search_ready(text):
        return meeting.participations.none()
    matches = search_people(
        meeting.participations.all(),
        text,
        path="person",
        fields=("full_name",),
        by_phone=False,
        word_start=True,
    )
    return (
        matches.select_related("person", "library")
        .only("pk", "meeting_id", "person__full_name", "person__phone", "library__name")
        .order_by("person__full_name", "pk")
    )


def self_checkin_shown(meeting: Meeting, text: str) -> tuple[list[Participation], bool]:
    """(the names the public page may list for ``text``, whether more matched than it may show).

    When more than SELF_CHECKIN_MAX_SHOWN match, the list is empty: showing the first few would still let
    26 short searches walk through a meeting's names.
    """
    rows = list(self_checkin_matches(meeting, text)[: SELF_CHECKIN_MAX_SHOWN + 1])
    if len(rows) > SELF_CHECKIN_MAX_SHOWN:
        return [], True
    return rows, False
