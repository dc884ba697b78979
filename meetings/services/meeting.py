from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from meetings.models import Meeting
from meetings.services.follow_ups import reschedule_follow_ups
from plm_portal.access import can_write_province
from plm_portal.freshness import changed
from plm_portal.models import User


@transaction.atomic
def save_meeting(*, meeting: Meeting, by: User) -> Meeting:
    """Create or update a meeting filled in by a validated MeetingForm; records who created it.

    Side effects: a new end date moves the due dates of its RTL follow-ups not yet recorded. Raises
    PermissionDenied when ``by`` may not write the meeting's province, ValidationError when the row is
    invalid; nothing is saved in either case.
    """
    changed("dashboard")  # the national home figures count this
    if not can_write_province(by, meeting.province_id):
        raise PermissionDenied
    if meeting.pk is None:
        meeting.created_by = by
        old_end = None
    else:
        old_end = Meeting.objects.filter(pk=meeting.pk).values_list("end_date", flat=True).first()
    meeting.full_clean()
    meeting.save()
    if old_end is not None and old_end != meeting.end_date:
        reschedule_follow_ups(meeting=meeting)
    return meeting
