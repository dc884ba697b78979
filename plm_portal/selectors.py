"""Reads for the home page: aggregates without personal data, plus the user's own scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from libraries.models import Library, Province
from meetings.models import Meeting
from plm_portal.models import User


@dataclass(frozen=True)
class HomeSummary:
    province: Province | None
    meetings: int
    libraries: int
    provinces_with_meetings: int


def home_summary_for(user: User) -> HomeSummary:
    province = user.province if user.is_provincial_officer else None
    meetings = Meeting.objects.all()
    libraries = Library.objects.filter(is_active=True)
    if province is not None:
        meetings = meetings.filter(province=province)
        libraries = libraries.filter(province=province)
    totals = Meeting.objects.aggregate(provinces=Count("province", distinct=True))
    return HomeSummary(
        province=province,
        meetings=meetings.count(),
        libraries=libraries.count(),
        provinces_with_meetings=totals["provinces"],
    )
