"""Writes for a meeting's RTL (Rencana Tindak Lanjut, the follow-up plan): its rows and their progress.

Every write takes the acting user as ``by`` and raises PermissionDenied, before anything is written, unless they
may change the meeting.
"""

from __future__ import annotations

import datetime as dt
from typing import Required, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from libraries.models import Library
from meetings.models import Meeting, RtlAction
from meetings.selectors import can_edit_meeting
from meetings.services.follow_ups import create_follow_ups
from plm_portal.freshness import changed
from plm_portal.models import User


def library_error(meeting: Meeting, library: Library) -> str | None:
    """Why ``library`` cannot hold RTL rows of ``meeting`` (it is in another province), or None."""
    if library.province_id != meeting.province_id:
        return _("Pilih perpustakaan di provinsi %(province)s.") % {
            "province": meeting.province.name
        }
    return None


def due_date_error(meeting: Meeting, due_date: dt.date | None) -> str | None:
    if due_date is not None and due_date < meeting.start_date:
        return _("Tenggat tidak boleh sebelum tanggal mulai pertemuan (%(date)s).") % {
            "date": date_format(meeting.start_date, "j F Y")
        }
    return None


def progress_date_error(meeting: Meeting, progress_date: dt.date | None) -> str | None:
    if progress_date is not None and progress_date < meeting.start_date:
        return _("Tanggal perkembangan tidak boleh sebelum tanggal mulai pertemuan (%(date)s).") % {
            "date": date_format(meeting.start_date, "j F Y")
        }
    return None


def _check_can_edit(by: User, meeting: Meeting) -> None:
    if not can_edit_meeting(by, meeting):
        raise PermissionDenied


def _check(errors: dict[str, str | None]) -> None:
    found = {field: message for field, message in errors.items() if message}
    if found:
        raise ValidationError(found)


def _next_order(*, meeting: Meeting, library: Library) -> int:
    last = RtlAction.objects.filter(meeting=meeting, library=library).aggregate(last=Max("order"))[
        "last"
    ]
    return 0 if last is None else last + 1


class RtlPlan(TypedDict, total=False):
    """What an RTL row plans: RtlActionForm's fields but the library. A field left out is blank."""

    line_of_work: Required[str]
    activity: Required[str]
    objective: str
    target_group: str
    timeline: str
    due_date: dt.date | None
    responsible: str
    indicator: str


BLANK_PLAN: RtlPlan = {
    "line_of_work": "",
    "activity": "",
    "objective": "",
    "target_group": "",
    "timeline": "",
    "due_date": None,
    "responsible": "",
    "indicator": "",
}


def _check_plan(meeting: Meeting, library: Library, plan: RtlPlan) -> None:
    _check(
        {
            "library": library_error(meeting, library),
            "due_date": due_date_error(meeting, plan.get("due_date")),
        }
    )


@transaction.atomic
def create_rtl_action(
    *, meeting: Meeting, by: User, library: Library, **plan: Unpack[RtlPlan]
) -> RtlAction:
    """Add an RTL row for ``library`` at ``meeting``, placed after that library's existing rows, with its
    follow-ups due 1, 3 and 6 months after the meeting.

    Raises ValidationError (nothing saved) when the library is in another province or the due date falls
    before the meeting.
    """
    _check_can_edit(by, meeting)
    plan = {**BLANK_PLAN, **plan}
    _check_plan(meeting, library, plan)
    action = RtlAction(
        meeting=meeting,
        library=library,
        order=_next_order(meeting=meeting, library=library),
        **plan,
    )
    action.full_clean()
    action.save()
    create_follow_ups(actions=[action])
    return action


@transaction.atomic
def update_rtl_action(
    *, action: RtlAction, by: User, library: Library, **plan: Unpack[RtlPlan]
) -> RtlAction:
    """Change an RTL row's plan (not its progress). Returns the saved row, read afresh from the database.

    Side effects: a row moved to another library goes after that library's rows. Raises ValidationError
    (nothing saved) on a library of another province or a due date before the meeting.
    """
    # Lock and re-read: the caller's instance may already carry the new values (a ModelForm writes them
    # into its instance while validating), and we need the library the row had before.
    row = (
        RtlAction.objects.select_for_update().select_related("meeting__province").get(pk=action.pk)
    )
    meeting = row.meeting
    _check_can_edit(by, meeting)
    plan = {**BLANK_PLAN, **plan}
    _check_plan(meeting, library, plan)
    if library.pk != row.library_id:
        row.order = _next_order(meeting=meeting, library=library)
    row.library = library
    for name, value in plan.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    changed("dashboard")  # the dashboards count RTL rows and their checks
    return row


@transaction.atomic
def record_rtl_progress(
    *,
    action: RtlAction,
    by: User,
    status: str,
    progress_note: str,
    progress_date: dt.date,
) -> RtlAction:
    """Record where an RTL row stands: its status, a note and the date of that news.

    Raises ValidationError (nothing saved) on a date before the meeting or an unknown status.
    """
    row = RtlAction.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    _check_can_edit(by, row.meeting)
    _check({"progress_date": progress_date_error(row.meeting, progress_date)})
    row.status = status
    row.progress_note = progress_note
    row.progress_date = progress_date
    row.full_clean()
    row.save(update_fields=["status", "progress_note", "progress_date", "updated_at"])
    changed("dashboard")  # the dashboards count RTL rows and their checks
    return row


@transaction.atomic
def delete_rtl_action(*, action: RtlAction, by: User) -> None:
    """Delete an RTL row. The library's other rows keep their order (numbers shown are positions)."""
    _check_can_edit(by, action.meeting)
    RtlAction.objects.filter(pk=action.pk).delete()
    changed("dashboard")  # the dashboards count RTL rows and their checks
