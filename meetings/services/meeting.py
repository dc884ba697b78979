from __future__ import annotations

from django.db import transaction

from meetings.models import Meeting
from plm_portal.models import User


@transaction.atomic
def save_meeting(*, meeting: Meeting, user: User) -> Meeting:
    """Create or update a meeting filled in by a validated MeetingForm; records who created it."""
    if meeting.pk is None:
        meeting.created_by = user
    meeting.full_clean()
    meeting.save()
    return meeting
