"""Reads of the agenda, awards and RTL tabs. ``meeting`` is already authorised (get_meeting_for_user); an
item of another meeting answers 404, as if it did not exist."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from libraries.models import Library, Person, Province
from libraries.selectors import (
    libraries_visible_to,
    people_visible_to,
)
from meetings.models import Award, Meeting, Participation, RtlAction, Session
from plm_portal.models import User


def session_leaders(user: User, meeting: Meeting) -> QuerySet[Person]:
    """People who may lead a session: those taking part in ``meeting`` whom ``user`` may see.

    Master Trainers, regional facilitators and resource persons come first; ``meeting_role`` is annotated.
    """
    role = Participation.objects.filter(meeting=meeting, person=OuterRef("pk")).values("role")[:1]
    return (
        people_visible_to(user)
        .filter(participations__meeting=meeting)
        .annotate(meeting_role=Subquery(role))
        .annotate(
            lead_rank=Case(
                When(meeting_role__in=Participation.FACILITATOR_ROLES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("lead_rank", "full_name", "pk")
    )


def rtl_libraries(meeting: Meeting) -> list[Library]:
    """Libraries represented at the meeting (in its province), plus any library that already has RTL rows."""
    represented = Participation.objects.filter(
        meeting=meeting, library__province_id=meeting.province_id
    ).values("library")
    planned = RtlAction.objects.filter(meeting=meeting).values("library")
    libraries = Library.objects.filter(Q(pk__in=represented) | Q(pk__in=planned)).select_related(
        "regency"
    )
    return sorted(libraries, key=lambda lib: lib.list_order)


def rtl_counts(meeting: Meeting) -> list[tuple[int, str, str, int]]:
    """(library, line of work, status, rows) for the meeting's RTL rows: the summary and how many rows each
    card holds, without reading the rows: one query."""
    return list(
        RtlAction.objects.filter(meeting=meeting)
        .order_by()
        .values_list("library_id", "line_of_work", "status")
        .annotate(rows=Count("pk"))
    )


def rtl_actions(meeting: Meeting, library_ids: Iterable[int] | None = None) -> list[RtlAction]:
    """The meeting's RTL rows (of ``library_ids`` only, if given: the cards shown), grouped by library in
    their order: one query."""
    actions = RtlAction.objects.filter(meeting=meeting)
    if library_ids is not None:
        actions = actions.filter(library_id__in=list(library_ids))
    return list(actions.order_by("library_id", "order", "pk"))


def agenda_order(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions in agenda order: by day (undated last), then ``order``, then creation."""
    return sessions.order_by(F("date").asc(nulls_last=True), "order", "pk")


def agenda_sessions(user: User, meeting: Meeting) -> list[Session]:
    """The meeting's sessions in agenda order, each with ``leader`` (the lead's name and role, or None).

    A lead is named only when ``user`` may see that person; one query whatever the number of sessions.
    """
    role_labels = dict(Participation.Role.choices)
    lead_role = Participation.objects.filter(meeting=meeting, person=OuterRef("led_by")).values(
        "role"
    )[:1]
    sessions = agenda_order(meeting.sessions.all()).annotate(
        lead_visible=Exists(people_visible_to(user).filter(pk=OuterRef("led_by"))),
        lead_role=Subquery(lead_role),
    )
    result = list(sessions.select_related("led_by"))
    for session in result:
        session.leader = None
        if session.led_by_id and session.lead_visible:
            session.leader = (session.led_by.full_name, role_labels.get(session.lead_role, ""))
    return result


def get_session(meeting: Meeting, session_pk: int) -> Session:
    # With its meeting: the write services check who may change it.
    session = (
        Session.objects.select_related("meeting").filter(pk=session_pk, meeting=meeting).first()
    )
    if session is None:
        raise Http404
    return session


def meeting_awards(meeting: Meeting) -> list[Award]:
    """The awards of the meeting's province and year, by category and rank (wherever they were presented)."""
    return list(
        Award.objects.filter(province_id=meeting.province_id, year=meeting.year)
        .select_related("library__regency")
        .order_by("category", "rank", "pk")
    )


def get_award(meeting: Meeting, award_pk: int) -> Award:
    """An award of the meeting's province and year (else 404) that is changed from this meeting (else 403)."""
    award = (
        Award.objects.filter(pk=award_pk, province_id=meeting.province_id, year=meeting.year)
        .select_related("library")
        .first()
    )
    if award is None:
        raise Http404
    if award.meeting_id not in (None, meeting.pk):
        raise PermissionDenied
    return award


def award_provinces(meeting: Meeting) -> QuerySet[Province]:
    """The one province an award of ``meeting`` can be for (the award form shows it, disabled)."""
    return Province.objects.filter(pk=meeting.province_id)


def award_libraries(user: User, meeting: Meeting, kinds: list[str]) -> QuerySet[Library]:
    """Libraries of ``kinds`` in the meeting's province that ``user`` may see: the award form's choices."""
    return (
        libraries_visible_to(user)
        .filter(province_id=meeting.province_id, kind__in=kinds)
        .select_related("regency")
        .order_by("kind", "name")
    )


def award_siblings(
    meeting: Meeting, category: str | None, *, exclude_pk: int | None
) -> QuerySet[Award]:
    """The other awards of the meeting's province, year and ``category``: what a rank or library clashes with."""
    return Award.objects.filter(
        province_id=meeting.province_id, year=meeting.year, category=category
    ).exclude(pk=exclude_pk)


def rtl_library_choices(user: User, meeting: Meeting) -> QuerySet[Library]:
    """Libraries that may hold this meeting's RTL rows: the meeting's province, within the user's scope."""
    return libraries_visible_to(user).filter(province_id=meeting.province_id).order_by("name", "pk")


def get_rtl_action(meeting: Meeting, action_pk: int) -> RtlAction:
    # With its meeting: the write services check who may change it.
    action = (
        RtlAction.objects.select_related("library", "meeting")
        .filter(meeting=meeting, pk=action_pk)
        .first()
    )
    if action is None:
        raise Http404
    return action


def rtl_row_number(action: RtlAction) -> int:
    """The row's position in its library's list (what the 'No' column shows)."""
    before = RtlAction.objects.filter(
        Q(order__lt=action.order) | Q(order=action.order, pk__lt=action.pk),
        meeting_id=action.meeting_id,
        library_id=action.library_id,
    ).count()
    return before + 1
