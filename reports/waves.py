"""The wave overview (national staff): a programme year's meetings by wave (gelombang) and province.

Every province is listed, those with no meeting of the kind that year too. Figures are database aggregates per
(wave, province): how many meetings, first and last day; the page's size depends on 38 provinces and at most 20
waves, never on how many meetings there are.

One PLM for two provinces: the portal records a PLM per province (a meeting belongs to exactly one province: its
officer writes it, its people and their personal data stay in that province, its PDFs carry one province's
letterhead). A joint PLM is recorded as one meeting in each province on the same day and venue; this overview
shows them together ("gabungan"), so the 2022 programme's 33 PLMs for 34 provinces read as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q

from libraries.models import Province
from meetings.models import Meeting


@dataclass
class ProvinceWave:
    province: Province
    meetings: int
    first_day: dt.date
    last_day: dt.date
    joint_with: list[str] = field(default_factory=list)  # provinces met on the same day and venue


@dataclass
class Wave:
    number: int | None  # None: meetings without a wave
    provinces: list[ProvinceWave]

    @property
    def first_day(self) -> dt.date:
        return min(row.first_day for row in self.provinces)

    @property
    def last_day(self) -> dt.date:
        return max(row.last_day for row in self.provinces)


@dataclass
class WaveOverview:
    year: int
    kind: str
    waves: list[Wave]
    without: list[Province]  # provinces with no meeting of the kind that year
    provinces_with: int
    meetings: int


def years_with_meetings() -> list[int]:
    return list(Meeting.objects.order_by("-year").values_list("year", flat=True).distinct())


def _joint(meetings) -> dict[str, set[str]]:
    """Province code -> the other provinces that met on the same first day at the same venue (two queries)."""
    places = list(
        meetings.exclude(venue_name="")
        .values("start_date", "venue_name")
        .annotate(provinces=Count("province", distinct=True))
        .filter(provinces__gt=1)
        .values_list("start_date", "venue_name")[:50]
    )
    if not places:
        return {}
    shared = Q()
    for start_date, venue_name in places:
        shared |= Q(start_date=start_date, venue_name=venue_name)
    together: dict[tuple, set[str]] = {}
    for start_date, venue_name, code in meetings.filter(shared).values_list(
        "start_date", "venue_name", "province_id"
    ):
        together.setdefault((start_date, venue_name), set()).add(code)
    joint: dict[str, set[str]] = {}
    for codes in together.values():
        for code in codes:
            joint.setdefault(code, set()).update(codes - {code})
    return joint


def wave_overview(year: int, kind: str = Meeting.Kind.PLM) -> WaveOverview:
    meetings = Meeting.objects.filter(year=year, kind=kind).exclude(status=Meeting.Status.CANCELLED)
    provinces = {province.code: province for province in Province.objects.order_by("code")}
    rows = (
        meetings.order_by()
        .values("wave", "province")
        .annotate(n=Count("pk"), first=Min("start_date"), last=Max("end_date"))
        .order_by("wave", "first", "province")
    )
    joint = _joint(meetings)
    waves: dict[int | None, list[ProvinceWave]] = {}
    seen: set[str] = set()
    total = 0
    for row in rows:
        code = row["province"]
        seen.add(code)
        total += row["n"]
        waves.setdefault(row["wave"], []).append(
            ProvinceWave(
                province=provinces[code],
                meetings=row["n"],
                first_day=row["first"],
                last_day=row["last"],
                joint_with=sorted(provinces[c].name for c in joint.get(code, ())),
            )
        )
    ordered = sorted(waves.items(), key=lambda item: (item[0] is None, item[0] or 0))
    return WaveOverview(
        year=year,
        kind=kind,
        waves=[Wave(number, rows) for number, rows in ordered],
        without=[province for code, province in provinces.items() if code not in seen],
        provinces_with=len(seen),
        meetings=total,
    )
