"""Writes to a meeting's agenda: add, change, delete and reorder sessions.

The agenda's order is the sequence of sessions sorted by (date, order, pk), undated sessions last. Every write
renumbers ``order`` to 0..n-1 in that sequence, so the numbers always say where a session stands, and a session
never moves from one day to another by reordering (only by changing its date).
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from meetings.models import Meeting, Session
from meetings.selectors import agenda_order, can_edit_meeting
from plm_portal.history import current_address
from plm_portal.models import User

Direction = Literal["up", "down"]


def _lock_meeting(session: Session, by: User) -> None:
    """Refuse ``by`` unless they may change the session's meeting, then hold the meeting's agenda lock.

    One agenda write at a time per meeting, so two editors reordering at once cannot interleave renumbering.
    """
    if not can_edit_meeting(by, session.meeting):
        raise PermissionDenied
    Meeting.objects.select_for_update().filter(pk=session.meeting_id).values_list("pk").first()


def _renumber(meeting_id: int, sequence: list[Session] | None = None) -> None:
    if sequence is None:
        sequence = list(agenda_order(Session.objects.filter(meeting_id=meeting_id)))
    changed = []
    for position, session in enumerate(sequence):
        if session.order != position:
            session.order = position
            changed.append(session)
    if changed:
        # Audited: the new order, by whom, from where.
        bulk_update_with_history(
            changed, Session, ["order"], custom_historical_attrs={"ip_address": current_address()}
        )


def _insert_position(sequence: list[Session], session: Session) -> int:
    """Where ``session`` goes among the others: on its day, before the first session that starts later."""
    same_day = [i for i, other in enumerate(sequence) if other.date == session.date]
    if same_day:
        if session.start_time is not None:
            for i in same_day:
                start = sequence[i].start_time
                if start is not None and start > session.start_time:
                    return i
        return same_day[-1] + 1
    for i, other in enumerate(sequence):
        if session.date is not None and (other.date is None or other.date > session.date):
            return i
    return len(sequence)


@transaction.atomic
def save_session(*, session: Session, by: User) -> Session:
    """Create or update a session filled in by a validated SessionForm.

    Side effects: a new session, or one whose day or start time changed, is placed on its day by start time
    (after sessions without a later start); the meeting's sessions are renumbered 0..n-1. Raises
    PermissionDenied (nothing saved) when ``by`` may not change the meeting.
    """
    _lock_meeting(session, by)
    before = (
        Session.objects.filter(pk=session.pk).values("date", "start_time").first()
        if session.pk
        else None
    )
    session.full_clean()
    session.save()
    sessions = agenda_order(Session.objects.filter(meeting_id=session.meeting_id))
    if before == {"date": session.date, "start_time": session.start_time}:
        # Same day and start time: keep the position the editors gave it.
        sequence = [session if s.pk == session.pk else s for s in sessions]
    else:
        sequence = list(sessions.exclude(pk=session.pk))
        sequence.insert(_insert_position(sequence, session), session)
    _renumber(session.meeting_id, sequence)
    return session


@transaction.atomic
def delete_session(*, session: Session, by: User) -> None:
    """Delete a session. Side effect: the remaining sessions are renumbered 0..n-1.

    Raises PermissionDenied (nothing deleted) when ``by`` may not change the meeting.
    """
    _lock_meeting(session, by)
    meeting_id = session.meeting_id
    session.delete()
    _renumber(meeting_id)


@transaction.atomic
def move_session(*, session: Session, direction: Direction, by: User) -> bool:
    """Swap a session with its neighbour on the same day, one step ``direction``; False if it is at the edge.

    Side effect: the meeting's sessions are renumbered 0..n-1 (also when nothing moved, which repairs gaps).
    Raises PermissionDenied (nothing moved) when ``by`` may not change the meeting.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    _lock_meeting(session, by)
    sequence = list(agenda_order(Session.objects.filter(meeting_id=session.meeting_id)))
    index = next((i for i, s in enumerate(sequence) if s.pk == session.pk), None)
    if index is None:  # deleted meanwhile
        return False
    other = index - 1 if direction == "up" else index + 1
    moved = 0 <= other < len(sequence) and sequence[other].date == sequence[index].date
    if moved:
        sequence[index], sequence[other] = sequence[other], sequence[index]
    _renumber(session.meeting_id, sequence)
    session.order = next(s.order for s in sequence if s.pk == session.pk)
    return moved
