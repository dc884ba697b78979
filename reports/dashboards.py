"""Dashboard reads: the home page of each role, its own scope plus aggregates without personal data.

The home page gathers meetings, participants, RTL rows and libraries across apps, so it is composed here, on
the read side (ARCHITECTURE.md: reports reads meetings and programs for dashboards).

Every list and count goes through the per-app scope selectors (``meetings_visible_to``,
``libraries_visible_to``), so the home page never shows more than the pages it links to. "Today" is the
meeting province's date: Indonesia spans three time zones, and at 23.30 WIB it is already tomorrow in WIT.

National staff see the programme, not the clock: the latest programme year with data (meetings, enrolments,
activities; reports.dashboard_figures), its figures per province (all 38, from the Province table) and its
waves. "Participants" are people, counted once however many meetings they attended; participations are
counted apart.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field
from functools import reduce
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from libraries.models import Library, Province
from libraries.selectors import libraries_visible_to
from meetings.models import Meeting, Participation, RtlAction
from meetings.selectors import meeting_list, meetings_visible_to
from plm_portal.freshness import generation
from plm_portal.models import User
from reports.dashboard_figures import Figures, figures_for, latest_year, years_with_data
from reports.dashboard_pages import percent
from reports.waves import WaveOverview, wave_overview

UPCOMING_LIMIT = 5
RECENT_LIMIT = 5
TODAY_LIMIT = 3
FACILITATOR_UPCOMING_LIMIT = 20
FACILITATOR_PAST_LIMIT = 10
NATIONAL_UPCOMING_LIMIT = 10
# Seconds the national figures may be served from the cache (see _national_figures).
NATIONAL_FIGURES_TTL = 300


@dataclass(frozen=True)
class RtlCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class HomeSummary:
    """What the home page shows. Fields a role does not use stay empty."""

    province: Province | None
    year: int
    meetings: int
    meetings_this_year: int
    libraries: int
    provinces_with_meetings: int
    participants: int = 0  # people (distinct), in participant roles
    participations: int = 0  # the same people counted per meeting
    attended: int = 0  # participations with an attendance
    rtl: list[RtlCount] = field(default_factory=list)
    upcoming: list[Meeting] = field(default_factory=list)
    recent: list[Meeting] = field(default_factory=list)
    happening_today: list[Meeting] = field(default_factory=list)
    past: list[Meeting] = field(default_factory=list)
    provinces: list[ProvinceRow] = field(default_factory=list)
    programme: Figures | None = None  # national: the year's figures (dashboard_figures)
    waves: WaveOverview | None = None  # national: the year's PLM waves
    years: list[int] = field(default_factory=list)  # national: the years with data, newest first

    @property
    def rtl_total(self) -> int:
        return sum(row.count for row in self.rtl)

    @property
    def attendance_rate(self) -> str:
        """Participations attended, in per cent of participations, as the page writes it."""
        return percent(100 * self.attended / self.participations if self.participations else None)


def _local_dates(now: dt.datetime) -> dict[str, dt.date]:
    return {tz: now.astimezone(ZoneInfo(tz)).date() for tz in Province.TimeZone.values}


def _per_zone(now: dt.datetime, condition) -> Q:
    """OR over the three time zones of ``condition(today)`` for meetings in provinces of that zone."""
    return reduce(
        operator.or_,
        (Q(province__time_zone=tz) & condition(today) for tz, today in _local_dates(now).items()),
    )


def starts_today_or_later(now: dt.datetime) -> Q:
    return _per_zone(now, lambda today: Q(start_date__gte=today))


def started_before_today(now: dt.datetime) -> Q:
    return _per_zone(now, lambda today: Q(start_date__lt=today))


def ends_today_or_later(now: dt.datetime) -> Q:
    return _per_zone(now, lambda today: Q(end_date__gte=today))


def happening_today(now: dt.datetime) -> Q:
    return _per_zone(now, lambda today: Q(start_date__lte=today, end_date__gte=today))


def _participation_counts(meetings) -> dict[str, int]:
    """People (each once), their participations and the participations attended: one query."""
    roles = list(Participation.PARTICIPANT_ROLES)
    return Participation.objects.filter(meeting__in=meetings, role__in=roles).aggregate(
        participants=Count("person", distinct=True),
        participations=Count("pk", distinct=True),
        attended=Count("pk", filter=Q(attendances__isnull=False), distinct=True),
    )


def _rtl_counts(meetings) -> list[RtlCount]:
    counts = dict(
        RtlAction.objects.filter(meeting__in=meetings)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [
        RtlCount(status=value, label=label, count=counts.get(value, 0))
        for value, label in RtlAction.Status.choices
    ]


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name: str
    meeting_count: int
    participant_count: int


def _cached(name: str, compute):
    """``compute()``, cached for NATIONAL_FIGURES_TTL under the current "dashboard" generation."""
    key = f"home:{name}:{generation('dashboard')}"
    if (value := cache.get(key)) is None:
        value = compute()
        cache.set(key, value, NATIONAL_FIGURES_TTL)
    return value


def _provinces_with_meetings() -> int:
    """How many provinces have held meetings: a national figure every role's home shows, no personal data."""
    return _cached(
        "provinces", lambda: Meeting.objects.aggregate(n=Count("province", distinct=True))["n"]
    )


def _national_totals() -> dict[str, int]:
    """Meetings ever and active libraries: the nation's registry, beside the programme year's figures."""
    return _cached(
        "national_totals",
        lambda: {
            "meetings": Meeting.objects.count(),
            "libraries": Library.objects.filter(is_active=True).count(),
        },
    )


def _national_programme(fallback_year: int) -> dict:
    """The latest programme year with data (``fallback_year``, the clock's, when there is none yet), its
    figures per province, its PLM waves and the years to switch to; cached like the figures."""
    years = years_with_data()
    year = latest_year() or fallback_year
    figures = figures_for(year=year)
    waves = _cached(f"waves:{year}", lambda: wave_overview(year, Meeting.Kind.PLM))
    return {"year": year, "years": years, "figures": figures, "waves": waves}


def home_summary_for(user: User, *, now: dt.datetime | None = None) -> HomeSummary:
    """The home page of ``user``: a bounded number of queries whatever the amount of data.

    Provincial officer: their province's upcoming, today's and recent meetings and its counts. Facilitator:
    the meetings they are assigned to, upcoming first. National staff: the latest programme year with data,
    its figures per province (all of them) and its PLM waves, and upcoming meetings everywhere.
    """
    now = now or timezone.now()
    province = user.province if user.is_provincial_officer else None
    year = now.astimezone(ZoneInfo(province.time_zone if province else "Asia/Jakarta")).year
    visible = meetings_visible_to(user)
    national = _national_programme(year) if user.is_national else None
    if national:
        year = national["year"]
        totals = {
            "total": _national_totals()["meetings"],
            "this_year": national["figures"].totals.meetings,
        }
    else:
        totals = visible.aggregate(
            total=Count("pk"), this_year=Count("pk", filter=Q(start_date__year=year))
        )
    common = {
        "province": province,
        "year": year,
        "meetings": totals["total"],
        "meetings_this_year": totals["this_year"],
        "provinces_with_meetings": _provinces_with_meetings(),
    }
    listed = meeting_list(user)
    today_meetings = list(
        listed.filter(happening_today(now))
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("start_date", "title")[:TODAY_LIMIT]
    )

    if user.is_facilitator:
        return HomeSummary(
            **common,
            libraries=0,
            happening_today=today_meetings,
            upcoming=list(
                listed.filter(ends_today_or_later(now)).order_by("start_date", "title")[
                    :FACILITATOR_UPCOMING_LIMIT
                ]
            ),
            past=list(
                listed.exclude(ends_today_or_later(now)).order_by("-start_date", "title")[
                    :FACILITATOR_PAST_LIMIT
                ]
            ),
        )

    if national:
        figures = national["figures"]
        return HomeSummary(
            **common,
            libraries=_national_totals()["libraries"],
            participants=figures.totals.participants,
            participations=figures.totals.participations,
            attended=figures.totals.attended,
            happening_today=today_meetings,
            upcoming=list(
                listed.filter(starts_today_or_later(now)).order_by("start_date", "title")[
                    :NATIONAL_UPCOMING_LIMIT
                ]
            ),
            provinces=[
                ProvinceRow(
                    code=row.code,
                    name=row.name,
                    meeting_count=row.meetings,
                    participant_count=row.participants,
                )
                for row in figures.areas
            ],
            programme=figures,
            waves=national["waves"],
            years=national["years"],
        )
    # A province's participations (26,000 at ten times today's programme): cached like the national figures,
    # under the generation the participant and attendance services move on.
    people = _cached(f"province-people:{user.province_id}", lambda: _participation_counts(visible))
    return HomeSummary(
        **common,
        libraries=libraries_visible_to(user).filter(is_active=True).count(),
        participants=people["participants"],
        participations=people["participations"],
        attended=people["attended"],
        rtl=_rtl_counts(visible),
        happening_today=today_meetings,
        upcoming=list(
            listed.filter(starts_today_or_later(now)).order_by("start_date", "title")[
                :UPCOMING_LIMIT
            ]
        ),
        recent=list(
            listed.filter(started_before_today(now)).order_by("-start_date", "title")[:RECENT_LIMIT]
        ),
    )
