"""Writes to the awards (apresiasi) a province gives in a year, presented at one of its meetings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meetings.models import Award, Meeting
from meetings.selectors import can_edit_meeting
from plm_portal.access import can_write_province
from plm_portal.models import User


@transaction.atomic
def save_award(*, award: Award, meeting: Meeting, by: User) -> Award:
    """Create or update an award filled in by a validated AwardForm, as presented at ``meeting``.

    Side effects: the award takes the meeting's province and year and records the meeting as where it was
    presented. Raises ValidationError when the rank or library was taken meanwhile (a concurrent save), and
    PermissionDenied (nothing saved) when ``by`` may not change the meeting.
    """
    if not can_edit_meeting(by, meeting):
        raise PermissionDenied
    award.province_id = meeting.province_id
    award.year = meeting.year
    award.meeting = meeting
    award.full_clean()
    try:
        # A savepoint, so a lost race on the unique constraints leaves the outer transaction usable.
        with transaction.atomic():
            award.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Peringkat atau perpustakaan ini baru saja dipakai penghargaan lain. Periksa lagi.")
        ) from error
    return award


@transaction.atomic
def delete_award(*, award: Award, by: User) -> None:
    """Delete an award; PermissionDenied (nothing deleted) unless ``by`` may write the award's province."""
    # An award belongs to its province and year; the meeting where it was presented may be unknown.
    if not can_write_province(by, award.province_id):
        raise PermissionDenied
    award.delete()
