"""Reads for meetings, always through the user's scope.

National staff see every meeting; a provincial officer sees and changes their own province's meetings; a
facilitator sees the meetings they are assigned to (any province) and takes attendance there. Anything else
answers 404 (not visible) or 403 (visible, not changeable).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from meetings.models import Meeting, Participation
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
