"""Writes for the follow-ups of RTL rows: the checks due 1, 3 and 6 months after the meeting.

Every RTL row has its three follow-ups from the moment it exists (``create_follow_ups``, called in the same
transaction as the row); their due dates follow the meeting's end (``reschedule_follow_ups``) until they are
recorded; recording one (``record_follow_up``) moves the row's own status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, DateField, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.models import Meeting, RtlAction, RtlFollowUp
from meetings.selectors import can_edit_meeting, meeting_today
from plm_portal.dates import months_after
from plm_portal.freshness import changed
from plm_portal.history import current_address
from plm_portal.models import User

MONTHS: tuple[int, ...] = tuple(RtlFollowUp.Month.values)
FollowUpStatus = RtlFollowUp.Status
# What a check says about the row itself. "Tidak terlaksana" leaves the row's status as it was: a row that
# got going and then stalled is still "berjalan", one that never started still "direncanakan".
ROW_STATUS = {
    FollowUpStatus.DONE: RtlAction.Status.DONE,
    FollowUpStatus.PARTIAL: RtlAction.Status.IN_PROGRESS,
}
# What a row's own status says a check found (for rows loaded with their progress).
ROW_STATUS_NEWS = {
    RtlAction.Status.DONE: FollowUpStatus.DONE,
    RtlAction.Status.IN_PROGRESS: FollowUpStatus.PARTIAL,
}
# What a check may record: what it found, never "not checked".
RECORDED = (FollowUpStatus.DONE, FollowUpStatus.PARTIAL, FollowUpStatus.NOT_DONE)


def follow_up_due(meeting: Meeting, month: int) -> dt.date:
    return months_after(meeting.end_date, month)


def _planned(action: RtlAction, month: int, *, from_progress: bool) -> RtlFollowUp:
    meeting = action.meeting
    follow_up = RtlFollowUp(rtl_action=action, month=month, due_date=follow_up_due(meeting, month))
    news = ROW_STATUS_NEWS.get(action.status)
    if from_progress and month == MONTHS[0] and news and action.progress_date:
        zone = ZoneInfo(meeting.province.time_zone)
        follow_up.status, follow_up.note = news, action.progress_note
        follow_up.recorded_by_id = meeting.created_by_id
        follow_up.recorded_at = dt.datetime.combine(action.progress_date, dt.time(12), zone)
    return follow_up


def create_follow_ups(*, actions: Iterable[RtlAction], from_progress: bool = False) -> int:
    """Add the missing 1-, 3- and 6-month follow-ups of ``actions`` (each with its ``meeting``); those there
    are left as they are. Two SELECTs and two INSERTs (the rows, their history); returns how many were added.

    ``from_progress`` is for loaders of rows written before follow-ups existed (the demo): a row with progress
    news (done, in progress, with a date) had it at its 1-month check, recorded by the meeting's creator on the
    progress date. Not permission-checked: called by the services and loaders that create RTL rows, inside
    their transaction.
    """
    actions = list(actions)
    have = set(
        RtlFollowUp.objects.filter(rtl_action__in=actions).values_list("rtl_action_id", "month")
    )
    missing = [
        _planned(action, month, from_progress=from_progress)
        for action in actions
        for month in MONTHS
        if (action.pk, month) not in have
    ]
    # Two writers at once: the unique (row, month) constraint keeps one, the other is dropped quietly.
    RtlFollowUp.objects.bulk_create(missing, ignore_conflicts=True)
    if missing:  # their history (who made them): the rows just made, read back in one query
        made = RtlFollowUp.objects.filter(rtl_action__in=actions)
        RtlFollowUp.history.bulk_history_create(
            [f for f in made if (f.rtl_action_id, f.month) not in have],
            custom_historical_attrs={"ip_address": current_address()},
        )
    changed("dashboard")  # the dashboards count RTL rows and their checks
    return len(missing)


def reschedule_follow_ups(*, meeting: Meeting) -> int:
    """Move the due dates of ``meeting``'s follow-ups not yet recorded to follow its (new) end date.

    Recorded follow-ups keep the date they were due on. One UPDATE; returns the number of rows changed.
    """
    due = Case(
        *(When(month=month, then=Value(follow_up_due(meeting, month))) for month in MONTHS),
        output_field=DateField(),
    )
    return RtlFollowUp.objects.filter(
        rtl_action__meeting=meeting, status=FollowUpStatus.PENDING
    ).update(due_date=due)


def _lock_follow_up(action: RtlAction, month: int) -> RtlFollowUp:
    """The row's follow-up of ``month``, locked; made first when missing (a row written outside the
    services, e.g. by a bulk load)."""
    found = RtlFollowUp.objects.select_for_update().filter(rtl_action=action, month=month).first()
    if found is None:
        create_follow_ups(actions=[action])
        found = RtlFollowUp.objects.select_for_update().get(rtl_action=action, month=month)
    return found


def _sync_row(action: RtlAction, follow_up: RtlFollowUp, day: dt.date) -> None:
    """Bring the row's status and progress in step with its latest check (the highest month recorded).

    A check of an earlier month recorded after a later one (a late entry) does not override the later news.
    The check's note becomes the row's progress note when it has one; the progress date is the day it was
    recorded.
    """
    latest = (
        RtlFollowUp.objects.filter(rtl_action=action)
        .exclude(status=FollowUpStatus.PENDING)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if latest != follow_up.month:
        return
    action.status = ROW_STATUS.get(follow_up.status, action.status)
    if follow_up.note:
        action.progress_note = follow_up.note
    action.progress_date = day
    action.full_clean()
    action.save(update_fields=["status", "progress_note", "progress_date", "updated_at"])


@transaction.atomic
def record_follow_up(
    *,
    action: RtlAction,
    by: User,
    month: int,
    status: str,
    note: str = "",
    evidence_url: str = "",
) -> RtlFollowUp:
    """Record the ``month`` check of an RTL row: what happened (``status``), a note and a link to evidence.

    Side effects: sets who recorded it and when; when it is the row's latest check, moves the row's status
    (terlaksana → selesai, sebagian → berjalan; tidak terlaksana keeps it), its progress note (if a note was
    given) and its progress date (today where the meeting is held). Sending what is already recorded
    changes nothing (a double tap, a retry). Raises PermissionDenied unless ``by`` may change the meeting,
    ValidationError (nothing saved) on a month or status that is not one of a check, or before the meeting.
    """
    row = (
        RtlAction.objects.select_for_update().select_related("meeting__province").get(pk=action.pk)
    )
    meeting = row.meeting
    if not can_edit_meeting(by, meeting):
        raise PermissionDenied
    if month not in MONTHS:
        raise ValidationError(_("Pilih tindak lanjut 1, 3 atau 6 bulan."))
    if status not in RECORDED:
        raise ValidationError({"status": _("Pilih hasil tindak lanjut.")})
    today = meeting_today(meeting)
    if today < meeting.start_date:
        raise ValidationError(
            _("Tindak lanjut baru dapat dicatat setelah pertemuan dimulai (%(date)s).")
            % {"date": date_format(meeting.start_date, "j F Y")}
        )
    follow_up = _lock_follow_up(row, month)
    if (follow_up.status, follow_up.note, follow_up.evidence_url) == (status, note, evidence_url):
        return follow_up
    follow_up.status, follow_up.note, follow_up.evidence_url = status, note, evidence_url
    follow_up.recorded_by, follow_up.recorded_at = by, timezone.now()
    follow_up.full_clean()
    follow_up.save(update_fields=["status", "note", "evidence_url", "recorded_by", "recorded_at"])
    _sync_row(row, follow_up, today)
    changed("dashboard")  # the dashboards count RTL rows and their checks
    return follow_up
