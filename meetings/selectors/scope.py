"""Meetings in the user's scope: who sees, edits and takes attendance; the meeting list and overview.

National staff see every meeting; a provincial officer sees and changes their own province's meetings; a
facilitator sees the meetings they are assigned to (any province) and takes attendance there. Anything else
answers 404 (not visible) or 403 (visible, not changeable).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from libraries.models import Province, Regency
from libraries.selectors import (
    named,
    regencies_visible_to,
)
from meetings.models import Attendance, Meeting, Participation
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
    province: Province | None = None,
    regency: Regency | None = None,
) -> QuerySet[Meeting]:
    """Visible meetings matching the list's filters, with what the list shows: place, participant and
    attendance counts."""
    meetings = meetings_visible_to(user)
    if q:
        # The venue regency by its ids (libraries.selectors.named), so PostgreSQL ORs the trigram indexes
        # on title and venue instead of reading every meeting.
        meetings = meetings.filter(
            Q(title__icontains=q) | Q(venue_name__icontains=q) | named(Regency, "venue_regency", q)
        )
    for field, value in (("year", year), ("kind", kind), ("wave", wave), ("status", status)):
        if value not in (None, ""):
            meetings = meetings.filter(**{field: value})
    if province:
        meetings = meetings.filter(province=province)
    if regency:
        meetings = meetings.filter(venue_regency=regency)
    return (
        meetings.select_related("province", "venue_regency")
        .annotate(**participant_counts())
        .order_by("-start_date", "title", "pk")
    )


def _count_of(participations: QuerySet[Participation]) -> Coalesce:
    counted = participations.order_by().values("meeting").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def participant_counts() -> dict[str, Coalesce]:
    """``participant_count`` and ``attended_count`` annotations for a meeting queryset.

    Participants are the five participant groups (not facilitators, resource persons or committee); "hadir" is
    a participant present on at least one day. Each is a correlated subquery on the participation index, not a
    join and GROUP BY over the whole list: PostgreSQL evaluates it after ORDER BY and LIMIT, so a page of the
    list counts the participations of its own 20 meetings only, whatever the number of meetings.
    """
    participations = Participation.objects.filter(
        meeting=OuterRef("pk"), role__in=list(Participation.PARTICIPANT_ROLES)
    )
    present = Exists(Attendance.objects.filter(participation=OuterRef("pk")))
    return {
        "participant_count": _count_of(participations),
        "attended_count": _count_of(participations.filter(present)),
    }


def meeting_years(user: User) -> list[int]:
    """From the newest to the oldest year of the visible meetings: the list's year filter.

    The first and last year come from the year indexes (two index probes), not a DISTINCT over every
    meeting; programme years follow each other, so a year between them without meetings is rare and
    harmless (it lists nothing).
    """
    span = meetings_visible_to(user).aggregate(first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return []
    return list(range(span["last"], span["first"] - 1, -1))


def meeting_provinces(user: User) -> QuerySet[Province]:
    """Visible provinces that have meetings: the list's province filter for national staff and facilitators."""
    if user.is_national:  # every province runs meetings: no need to look
        return Province.objects.order_by("name")
    return Province.objects.filter(
        Exists(meetings_visible_to(user).filter(province=OuterRef("pk")))
    ).order_by("name")


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
