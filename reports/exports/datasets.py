"""The datasets an export may hold, by key (``Export.Dataset``): each turns a list page's query string into
a Plan for one user, raising Http404 / PermissionDenied exactly where the list page would."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, QueryDict

from plm_portal.models import User
from reports.exports.base import Plan
from reports.exports.meeting_data import attendance_plan, participants_plan, rtl_plan
from reports.exports.programme_data import activities_plan, stories_plan
from reports.exports.registry_data import libraries_plan, people_plan

PLANS: dict[str, Callable[[User, QueryDict], Plan]] = {
    "participants": participants_plan,
    "attendance": attendance_plan,
    "rtl": rtl_plan,
    "activities": activities_plan,
    "stories": stories_plan,
    "libraries": libraries_plan,
    "people": people_plan,
}


def plan_for(user: User, dataset: str, params: QueryDict) -> Plan:
    """The export of ``dataset`` for ``user`` and the list page's ``params``; 404 for an unknown dataset."""
    try:
        make = PLANS[dataset]
    except KeyError as unknown:
        raise Http404 from unknown
    return make(user, params)
