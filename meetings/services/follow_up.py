"""Writes for a meeting's follow-up plan (Rencana Tindak Lanjut, RTL): its rows and their progress."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from libraries.models import Library
from meetings.models import Meeting, RtlAction


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


def _check(errors: dict[str, str | None]) -> None:
    found = {field: message for field, message in errors.items() if message}
    if found:
        raise ValidationError(found)


def _next_order(*, meeting: Meeting, library: Library) -> int:
    last = RtlAction.objects.filter(meeting=meeting, library=library).aggregate(last=Max("order"))[
        "last"
    ]
    return 0 if last is None else last + 1


@transaction.atomic
def create_follow_up_action(
    *,
    meeting: Meeting,
    library: Library,
    line_of_work: str,
    activity: str,
    objective: str = "",
    target_group: str = "",
    timeline: str = "",
    due_date: dt.date | None = None,
    responsible: str = "",
    indicator: str = "",
) -> RtlAction:
    """Add an RTL row for ``library`` at ``meeting``, placed after that library's existing rows.

    Raises ValidationError (nothing saved) when the library is in another province or the due date falls
    before the meeting.
    """
    _check(
        {"library": library_error(meeting, library), "due_date": due_date_error(meeting, due_date)}
    )
    action = RtlAction(
        meeting=meeting,
        library=library,
        line_of_work=line_of_work,
        activity=activity,
        objective=objective,
        target_group=target_group,
        timeline=timeline,
        due_date=due_date,
        responsible=responsible,
        indicator=indicator,
        order=_next_order(meeting=meeting, library=library),
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def update_follow_up_action(
    *,
    action: RtlAction,
    library: Library,
    line_of_work: str,
    activity: str,
    objective: str = "",
    target_group: str = "",
    timeline: str = "",
    due_date: dt.date | None = None,
    responsible: str = "",
    indicator: str = "",
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
    _check(
        {"library": library_error(meeting, library), "due_date": due_date_error(meeting, due_date)}
    )
    if library.pk != row.library_id:
        row.order = _next_order(meeting=meeting, library=library)
    row.library = library
    row.line_of_work = line_of_work
    row.activity = activity
    row.objective = objective
    row.target_group = target_group
    row.timeline = timeline
    row.due_date = due_date
    row.responsible = responsible
    row.indicator = indicator
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def record_progress(
    *,
    action: RtlAction,
    status: str,
    progress_note: str,
    progress_date: dt.date,
) -> RtlAction:
    """Record where an RTL row stands: its status, a note and the date of that news.

    Raises ValidationError (nothing saved) on a date before the meeting or an unknown status.
    """
    row = RtlAction.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    _check({"progress_date": progress_date_error(row.meeting, progress_date)})
    row.status = status
    row.progress_note = progress_note
    row.progress_date = progress_date
    row.full_clean()
    row.save(update_fields=["status", "progress_note", "progress_date", "updated_at"])
    return row


@transaction.atomic
def delete_follow_up_action(*, action: RtlAction) -> None:
    """Delete an RTL row. The library's other rows keep their order (numbers shown are positions)."""
    RtlAction.objects.filter(pk=action.pk).delete()
