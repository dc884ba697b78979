"""Reads of the RTL follow-ups (the checks due 1, 3 and 6 months after a meeting) and of RTL completion.

The follow-ups due list is for those who record them: national staff (every province) and provincial officers
(their own). Completion is a count of rows, not personal data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from libraries.models import Province
from meetings.models import Meeting, RtlAction, RtlFollowUp
from plm_portal.access import meeting_filter
from plm_portal.dates import months_after
from plm_portal.models import User

# A follow-up shows on the due list from this many days before its due date.
DUE_SOON_DAYS = 14


class Completion(NamedTuple):
    """RTL rows done of rows written."""

    done: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


class DueCounts(NamedTuple):
    overdue: int
    soon: int

    @property
    def total(self) -> int:
        return self.overdue + self.soon


def meeting_today(meeting: Meeting) -> dt.date:
    """Today where the meeting is held (Indonesia spans three time zones)."""
    return timezone.localdate(timezone=ZoneInfo(meeting.province.time_zone))


def attach_follow_ups(actions: list[RtlAction], *, today: dt.date | None = None) -> None:
    """Read the follow-ups of ``actions`` (one query, whatever their number) into ``action.follow_ups.all``,
    in month order; given ``today``, each is marked ``late`` when not recorded and past its due date."""
    prefetch_related_objects(
        actions, Prefetch("follow_ups", queryset=RtlFollowUp.objects.order_by("month"))
    )
    for action in actions:
        for follow_up in action.follow_ups.all():
            follow_up.late = bool(
                today
                and follow_up.status == RtlFollowUp.Status.PENDING
                and follow_up.due_date < today
            )


def action_follow_ups(action: RtlAction) -> dict[int, RtlFollowUp]:
    """The row's follow-up of each month, by month; one not in the database (a row loaded in bulk without
    them) is an unsaved follow-up, made when recorded."""
    found = {
        f.month: f
        for f in RtlFollowUp.objects.filter(rtl_action=action).select_related("recorded_by")
    }
    return {
        month: found.get(month)
        or RtlFollowUp(
            rtl_action=action, month=month, due_date=months_after(action.meeting.end_date, month)
        )
        for month in RtlFollowUp.Month.values
    }


def completion_of_counts(
    counts: list[tuple[int, str, str, int]],
) -> tuple[Completion, dict[int, Completion]]:
    """The meeting's completion and each library's, from ``rtl_counts`` (no query)."""
    done: Counter[int] = Counter()
    total: Counter[int] = Counter()
    for library, _line, status, rows in counts:
        total[library] += rows
        if status == RtlAction.Status.DONE:
            done[library] += rows
    per_library = {library: Completion(done[library], total[library]) for library in total}
    return Completion(sum(done.values()), sum(total.values())), per_library


def rtl_completion(
    library_ids: Iterable[int], *, user: User | None = None
) -> dict[int, Completion]:
    """Each library's RTL rows done and written, over every meeting (those ``user`` may see, if given): one
    query. A library without rows is absent.

    The aggregate, for one library: ``library.rtl_actions.aggregate(done=Count("pk",
    filter=Q(status="done")), total=Count("pk"))``.
    """
    rows = RtlAction.objects.filter(library_id__in=list(library_ids))
    if user is not None:
        rows = rows.filter(meeting_filter(user, "meeting"))
    counted = (
        rows.order_by()
        .values("library_id")
        .annotate(done=Count("pk", filter=Q(status=RtlAction.Status.DONE)), total=Count("pk"))
    )
    return {row["library_id"]: Completion(row["done"], row["total"]) for row in counted}


def follow_ups_due(
    user: User, *, today: dt.date, province: Province | None = None
) -> QuerySet[RtlFollowUp]:
    """Follow-ups not recorded yet that are overdue or due within ``DUE_SOON_DAYS`` of ``today``, in the
    meetings ``user`` may see (of ``province`` only, if given), the oldest first, with their row, library
    and meeting."""
    follow_ups = RtlFollowUp.objects.filter(
        meeting_filter(user, "rtl_action__meeting"),
        status=RtlFollowUp.Status.PENDING,
        due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
    )
    if province is not None:
        follow_ups = follow_ups.filter(rtl_action__meeting__province=province)
    return follow_ups.select_related(
        "rtl_action__library", "rtl_action__meeting__province"
    ).order_by("due_date", "pk")


def due_counts(follow_ups: QuerySet[RtlFollowUp], *, today: dt.date) -> DueCounts:
    """How many of ``follow_ups_due`` are overdue and how many due soon: one query."""
    counted = follow_ups.order_by().aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        soon=Count("pk", filter=Q(due_date__gte=today)),
    )
    return DueCounts(counted["overdue"], counted["soon"])
