"""Reads of the participants tab and the participant import. ``meeting`` is already authorised."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from libraries.models import Library, Person
from libraries.selectors import (
    libraries_visible_to,
    likely_duplicates,
    people_visible_to,
    search_people,
)
from meetings.models import Attendance, Meeting, Participation
from plm_portal.models import User


def group_rank() -> Case:
    """0, 1, 2 for participants, facilitators and committee: the tab lists them block by block."""
    return Case(
        *(
            When(role__in=roles, then=Value(rank))
            for rank, roles in enumerate(Participation.GROUP_ROLES.values())
        ),
        output_field=IntegerField(),
    )


def participation_rows(meeting: Meeting) -> QuerySet[Participation]:
    """The meeting's participations for the participants tab, each with ``attended`` (any day) and its
    block (``group_rank``), block by block and by name within a block: one query, paginated in the view."""
    return (
        meeting.participations.select_related("person__home_library", "library")
        .annotate(
            attended=Exists(Attendance.objects.filter(participation=OuterRef("pk"))),
            group_rank=group_rank(),
        )
        .order_by("group_rank", "person__full_name", "pk")
    )


# ``meeting`` is already authorised (get_meeting_for_user); people offered are of the meeting's province and
# within the user's scope.


def participant_list(
    meeting: Meeting, *, q: str = "", roles: tuple[str, ...] = ()
) -> QuerySet[Participation]:
    """The participants tab's rows (``participation_rows``) matching the people search and the roles."""
    rows = participation_rows(meeting)
    if q:
        rows = search_people(rows, q, path="person", also=("library__name",))
    if roles:
        rows = rows.filter(role__in=roles)
    return rows


def get_participation(meeting: Meeting, participation_pk: int) -> Participation:
    participation = (
        meeting.participations.select_related("person__home_library", "library")
        .filter(pk=participation_pk)
        .first()
    )
    if participation is None:
        raise Http404
    # Reuse the meeting already loaded (and authorised) instead of loading it again.
    participation.meeting = meeting
    return participation


def attendance_count(participation: Participation) -> int:
    return participation.attendances.count()


def meeting_libraries(user: User, meeting: Meeting) -> QuerySet[Library]:
    """Libraries a participant of ``meeting`` may represent: those of the meeting's province."""
    return libraries_visible_to(user).filter(province_id=meeting.province_id).order_by("name")


def example_village_library(user: User, meeting: Meeting) -> str:
    """The name of one village library of the meeting's province ("" if none), for the import template."""
    village = meeting_libraries(user, meeting).filter(kind=Library.Kind.VILLAGE)
    return village.values_list("name", flat=True).first() or ""


def person_candidates(user: User, meeting: Meeting) -> QuerySet[Person]:
    """People ``user`` may add to ``meeting``: visible to them, of the meeting's province, not in it yet."""
    return (
        people_visible_to(user)
        .filter(province_id=meeting.province_id)
        .exclude(pk__in=Participation.objects.filter(meeting=meeting).values("person_id"))
    )


def get_candidate(user: User, meeting: Meeting, person_pk: int) -> Person:
    person = (
        person_candidates(user, meeting).select_related("home_library").filter(pk=person_pk).first()
    )
    if person is None:
        raise Http404
    return person


def search_candidates(
    user: User, meeting: Meeting, q: str, *, limit: int
) -> tuple[list[Person], bool]:
    """At most ``limit`` candidates matching the people search, and whether there are more."""
    people = list(
        search_people(person_candidates(user, meeting), q)
        .select_related("home_library")
        .order_by("full_name", "pk")[: limit + 1]
    )
    return people[:limit], len(people) > limit


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing person of the province who looks like the one about to be created, and why."""

    person: Person
    same_phone: bool
    same_email: bool
    same_name: bool
    in_meeting: bool = False

    @property
    def blocks_create(self) -> bool:
        """Phone and e-mail are unique in a province: creating anyway would be refused by the database."""
        return self.same_phone or self.same_email


def duplicate_matches(
    meeting: Meeting, *, phone: str, email: str, name: str
) -> list[DuplicateMatch]:
    """People of the meeting's province who look like the new person (``likely_duplicates``), each saying
    whether they already take part in ``meeting``; those that block creating a new person first."""
    name = " ".join(name.split())
    people = likely_duplicates(meeting.province_id, phone=phone, email=email, name=name)
    in_meeting = people_in_meeting(meeting, {person.pk for person in people})
    matches = [
        DuplicateMatch(
            person=person,
            same_phone=bool(phone) and person.phone == phone,
            same_email=bool(email) and person.email.lower() == email.lower(),
            same_name=bool(name) and person.full_name.lower() == name.lower(),
            in_meeting=person.pk in in_meeting,
        )
        for person in people
    ]
    return sorted(matches, key=lambda m: (not m.blocks_create, m.person.full_name))


def people_in_meeting(meeting: Meeting, person_ids: set[int]) -> set[int]:
    """Which of ``person_ids`` already take part in ``meeting`` (no query for none)."""
    if not person_ids:
        return set()
    return set(
        meeting.participations.filter(person__in=person_ids).values_list("person_id", flat=True)
    )
