"""Reads for meetings, always through the user's scope.

National staff see every meeting; a provincial officer sees and changes their own province's meetings; a
facilitator sees the meetings they are assigned to (any province) and takes attendance there. Anything else
answers 404 (not visible) or 403 (visible, not changeable).
"""

from __future__ import annotations

import datetime as dt

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

from libraries.models import Library, Person
from libraries.selectors import people_visible_to
from meetings.models import Attendance, Meeting, Participation, RtlAction
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


def meeting_list(user: User) -> QuerySet[Meeting]:
    """Visible meetings with what the list shows: place, participant and attendance counts."""
    participant_roles = list(Participation.PARTICIPANT_ROLES)
    return (
        meetings_visible_to(user)
        .select_related("province", "venue_regency")
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


def self_checkin_matches(meeting: Meeting, text: str) -> QuerySet[Participation]:
    """Participations of ``meeting`` whose name has a word starting with each word of ``text``."""
    condition = Q()
    for word in text.split():
        condition &= Q(person__full_name__istartswith=word) | Q(
            person__full_name__icontains=f" {word}"
        )
    return (
        meeting.participations.filter(condition)
        .select_related("person", "library")
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
