"""Which meetings an export of participants, attendance or RTL reads: the meeting list's, or one meeting's.

From the meeting list the query string holds the list's filters (``MeetingFilterForm``, read exactly as the
list view reads them, over ``meetings.selectors.meeting_list``); from a meeting's tab it holds ``meeting`` and
the tab's own filters, and the meeting is authorised as the tab authorises it (404 outside the user's scope).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from meetings import selectors
from meetings.forms.meeting import MeetingFilterForm
from meetings.models import Meeting
from plm_portal.access import can_write_province
from plm_portal.models import User
from reports.exports.base import summarise


@dataclass
class MeetingScope:
    """The meetings of an export: ``meeting`` (one tab's) or ``meetings`` (the list's, as a subquery)."""

    meeting: Meeting | None
    meetings: QuerySet[Meeting] | None
    summary: str


def meeting_scope(user: User, params: QueryDict, *, attendance: bool = False) -> MeetingScope:
    """The meeting of ``?meeting=`` (as its tab authorises it; ``attendance``: as the attendance tab does), or
    the meetings the meeting list shows for these filters."""
    if "meeting" in params:
        raw = params.get("meeting", "")
        if not raw.isdecimal():
            raise Http404
        meeting = selectors.get_meeting_for_user(user, int(raw), attendance=attendance)
        return MeetingScope(meeting=meeting, meetings=None, summary=meeting.title)
    places = (
        {"regencies": selectors.meeting_regencies(user)}
        if user.is_provincial_officer
        else {"provinces": selectors.meeting_provinces(user)}
    )
    form = MeetingFilterForm(params or None, years=selectors.meeting_years(user), **places)
    filters = form.cleaned_data if form.is_valid() else {}
    meetings = selectors.meeting_list(user, **filters)
    summary = summarise(form) if filters else ""
    # Only the ids, in a subquery: the list's counts and order are not needed to pick the rows.
    ids = Meeting.objects.filter(pk__in=meetings.order_by().values("pk"))
    return MeetingScope(meeting=None, meetings=ids, summary=summary or _("Semua pertemuan"))


class Editors:
    """Whether the user may change a province's people (national staff, its officers): they see phone numbers
    and e-mail in full; everyone else (an assigned facilitator) sees a phone's last digits and no e-mail, as
    the person page shows it to them."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._seen: dict[str, bool] = {}

    def __call__(self, province_id: str) -> bool:
        if province_id not in self._seen:
            self._seen[province_id] = can_write_province(self.user, province_id)
        return self._seen[province_id]
