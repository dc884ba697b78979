"""Reads for meetings, always through the user's scope.

National staff see every meeting; a provincial officer sees and changes their own province's meetings; a
facilitator sees the meetings they are assigned to (any province) and takes attendance there. Anything else
answers 404 (not visible) or 403 (visible, not changeable).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from libraries.models import Library, Person, Province, Regency
from libraries.selectors import (
    libraries_visible_to,
    likely_duplicates,
    people_visible_to,
    regencies_visible_to,
    search_people,
)
from meetings.models import Attendance, Award, Meeting, Participation, RtlAction, Session
from plm_portal.access import can_write_province, meeting_filter
from plm_portal.models import User


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(meeting_filter(user))


def can_edit_meeting(user: User, meeting: Meeting) -> bool:
    return can_write_province(user, meeting.province_id)


def can_take_attendance(user: User, meeting: Meeting) -> bool:
    if can_edit_meeting(user, meeting):
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_facilitator
        and meeting.assigned_facilitators.filter(pk=user.pk).exists()
    )


def get_meeting_for_user(
    user: User, pk: int, *, write: bool = False, attendance: bool = False
) -> Meeting:
    """The meeting ``pk`` if ``user`` may see it (else 404), and may change it when asked (else 403).

    ``write`` is for the meeting and everything in it; ``attendance`` only for taking attendance, which an
    assigned facilitator may do too.
    """
    meeting = (
        meetings_visible_to(user)
        .select_related("province", "venue_regency", "host_library")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    if write and not can_edit_meeting(user, meeting):
        raise PermissionDenied
    if attendance and not can_take_attendance(user, meeting):
        raise PermissionDenied
    return meeting


def meeting_list(
    user: User,
    *,
    q: str = "",
    year: int | None = None,
    kind: str = "",
    wave: int | None = None,
    status: str = "",
    regency: Regency | None = None,
) -> QuerySet[Meeting]:
    """Visible meetings matching the list's filters, with what the list shows: place, participant and
    attendance counts."""
    meetings = meetings_visible_to(user)
    if q:
        meetings = meetings.filter(
            Q(title__icontains=q) | Q(venue_name__icontains=q) | Q(venue_regency__name__icontains=q)
        )
    for field, value in (("year", year), ("kind", kind), ("wave", wave), ("status", status)):
        if value not in (None, ""):
            meetings = meetings.filter(**{field: value})
    if regency:
        meetings = meetings.filter(venue_regency=regency)
    participant_roles = list(Participation.PARTICIPANT_ROLES)
    return (
        meetings.select_related("province", "venue_regency")
        .annotate(
            participant_count=Count(
                "participations",
                filter=Q(participations__role__in=participant_roles),
                distinct=True,
            ),
            attended_count=Count(
                "participations",
                filter=Q(
                    participations__role__in=participant_roles,
                    participations__attendances__isnull=False,
                ),
                distinct=True,
            ),
        )
        .order_by("-start_date", "title")
    )


def meeting_years(user: User) -> list[int]:
    """The years of the visible meetings, newest first: the list's year filter."""
    years = meetings_visible_to(user).order_by().values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def meeting_regencies(user: User) -> QuerySet[Regency]:
    """Visible regencies where meetings took place: the list's regency filter."""
    return regencies_visible_to(user).filter(meetings__isnull=False).distinct().order_by("name")


def participation_role_counts(meeting: Meeting) -> dict[str, int]:
    """How many take part in ``meeting`` in each role: one query."""
    return dict(meeting.participations.order_by().values_list("role").annotate(n=Count("pk")))


def meeting_overview(meeting: Meeting) -> dict:
    """The overview tab's figures: people per role, participants present, facilitators, sessions, RTL."""
    role_counts = participation_role_counts(meeting)
    attended = (
        meeting.participations.filter(
            role__in=Participation.PARTICIPANT_ROLES, attendances__isnull=False
        )
        .distinct()
        .count()
    )
    return {
        "roles": [
            (label, role_counts.get(value, 0)) for value, label in Participation.Role.choices
        ],
        "participant_total": sum(role_counts.get(r, 0) for r in Participation.PARTICIPANT_ROLES),
        "attended": attended,
        "facilitators": meeting.assigned_facilitators.order_by("full_name"),
        "sessions_count": meeting.sessions.count(),
        "rtl_count": meeting.rtl_actions.count(),
    }


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


def self_checkin_matches(meeting: Meeting, text: str) -> QuerySet[Participation]:
    """Participations of ``meeting`` whose name has a word starting with each word of ``text``.

    The people search, narrowed for a public page: names only, at the start of a word, never by phone.
    """
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


def participation_rows(meeting: Meeting) -> QuerySet[Participation]:
    """The meeting's participations for the participants tab, each with ``attended`` (any day): one query."""
    return (
        meeting.participations.select_related("person__home_library", "library")
        .annotate(
            attended=Exists(Attendance.objects.filter(participation=OuterRef("pk"))),
        )
        .order_by("person__full_name", "pk")
    )


# --- participants tab ---------------------------------------------------------------------------------------
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


# Offices first, then village libraries, as on the printed RTL report.
LIBRARY_KIND_ORDER = {kind: index for index, kind in enumerate(Library.Kind.values)}


def rtl_libraries(meeting: Meeting) -> list[Library]:
    """Libraries represented at the meeting (in its province), plus any library that already has RTL rows."""
    represented = Participation.objects.filter(
        meeting=meeting, library__province_id=meeting.province_id
    ).values("library")
    planned = RtlAction.objects.filter(meeting=meeting).values("library")
    libraries = Library.objects.filter(Q(pk__in=represented) | Q(pk__in=planned)).select_related(
        "regency"
    )
    return sorted(
        libraries, key=lambda lib: (LIBRARY_KIND_ORDER.get(lib.kind, 99), lib.name.lower())
    )


def rtl_actions(meeting: Meeting) -> list[RtlAction]:
    """The meeting's RTL rows, grouped by library in their order: one query."""
    return list(RtlAction.objects.filter(meeting=meeting).order_by("library_id", "order", "pk"))


# --- agenda, awards and RTL tabs ----------------------------------------------------------------------------
# Reads of the tabs whose items are edited in place. ``meeting`` is already authorised (get_meeting_for_user);
# an item of another meeting answers 404, as if it did not exist.


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
