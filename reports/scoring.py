"""The award score sheet: candidate libraries of a province ranked by their recorded work in a programme year.

Every figure is computed by the database in one query: per candidate, its implementation activities of the year,
their beneficiaries, the share of its RTL rows (from the year's meetings) that are done, and its impact stories
published that year. Activities, beneficiaries and stories are scaled to 0-100 against the best candidate of the
province; the RTL share is already a percentage. The score is their average weighted by the programme year's
weights (``ProgrammeYear.weight_*``, set by national staff). The jury's decision stays human: the awards form
asks for a reason when it names a library other than the sheet's at that rank (``ranking``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.aggregates import Max
from django.db.models.functions import Cast, Coalesce, NullIf

from libraries.models import Library
from meetings.models import Award, RtlAction
from programs.models import Activity, Enrollment, ImpactStory, ProgrammeYear

# Which kind of library competes in each award category.
CATEGORY_KIND = {
    Award.Category.BEST_REGENCY_LIBRARY: Library.Kind.REGENCY_OFFICE,
    Award.Category.BEST_VILLAGE_LIBRARY: Library.Kind.VILLAGE,
}
DEFAULT_WEIGHTS = {"activities": 30, "beneficiaries": 20, "rtl": 30, "stories": 20}
# The sheet lists this many candidates; a province's hundreds of village libraries are ranked, not all shown.
SHOWN = 50


@dataclass(frozen=True)
class ScoreSheet:
    province_id: str
    year: int
    category: str
    weights: dict[str, int]
    enrolled_only: (
        bool  # candidates are the year's enrolled libraries (else every library of the kind)
    )
    rows: list[
        Library
    ]  # annotated: n_activities, n_beneficiaries, n_women, n_disabled, n_rtl_done,
    # n_rtl_total, rtl_rate, n_stories, score, and the parts' scaled values (*_scaled)
    total: int


def weights_for(year: int) -> dict[str, int]:
    programme = ProgrammeYear.objects.filter(year=year).first()
    return programme.weights if programme else dict(DEFAULT_WEIGHTS)


def _count(queryset: QuerySet) -> Subquery:
    rows = queryset.order_by().values("library").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _sum(queryset: QuerySet, expression) -> Subquery:
    rows = queryset.order_by().values("library").annotate(n=Sum(expression)).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _scaled(field: str) -> Case:
    """``field`` as 0-100 of the best candidate's (0 when nobody has any)."""
    best = Window(Max(field))
    return Case(
        When(**{f"{field}__gt": 0}, then=Cast(F(field), FloatField()) * 100.0 / NullIf(best, 0)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def candidates(province_id: str, year: int, category: str) -> tuple[QuerySet[Library], bool]:
    """The libraries that compete: the year's enrolled libraries of the category's kind (not withdrawn), or
    every active library of that kind when the province enrolled none that year."""
    libraries = Library.objects.filter(
        province_id=province_id, kind=CATEGORY_KIND[category], is_active=True
    )
    enrolled = Enrollment.objects.filter(library=OuterRef("pk"), programme_year__year=year).exclude(
        partner_status=Enrollment.PartnerStatus.WITHDRAWN
    )
    with_enrolment = libraries.filter(Exists(enrolled))
    if with_enrolment.exists():
        return with_enrolment, True
    return libraries, False


def _annotated(libraries: QuerySet[Library], year: int, weights: dict[str, int]) -> QuerySet:
    activities = Activity.objects.filter(library=OuterRef("pk"), date__year=year)
    rtl = RtlAction.objects.filter(library=OuterRef("pk"), meeting__year=year)
    stories = ImpactStory.objects.filter(
        library=OuterRef("pk"), status=ImpactStory.Status.PUBLISHED, date__year=year
    )
    weight_sum = sum(weights.values()) or 1
    rows = libraries.annotate(
        n_activities=_count(activities),
        n_beneficiaries=_sum(activities, F("beneficiaries_male") + F("beneficiaries_female")),
        n_women=_sum(activities, F("beneficiaries_female")),
        n_disabled=_sum(activities, F("beneficiaries_disabled")),
        n_rtl_total=_count(rtl),
        n_rtl_done=_count(rtl.filter(status=RtlAction.Status.DONE)),
        n_stories=_count(stories),
    ).annotate(
        rtl_rate=Case(
            When(
                n_rtl_total__gt=0,
                then=Cast(F("n_rtl_done"), FloatField()) * 100.0 / F("n_rtl_total"),
            ),
            default=Value(0.0),
            output_field=FloatField(),
        ),
        activities_scaled=_scaled("n_activities"),
        beneficiaries_scaled=_scaled("n_beneficiaries"),
        stories_scaled=_scaled("n_stories"),
    )
    return rows.annotate(
        score=(
            F("activities_scaled") * weights["activities"]
            + F("beneficiaries_scaled") * weights["beneficiaries"]
            + F("rtl_rate") * weights["rtl"]
            + F("stories_scaled") * weights["stories"]
        )
        / float(weight_sum)
    )


def score_sheet(province_id: str, year: int, category: str, *, shown: int = SHOWN) -> ScoreSheet:
    weights = weights_for(year)
    libraries, enrolled_only = candidates(province_id, year, category)
    ranked = (
        _annotated(libraries, year, weights)
        .select_related("regency")
        .order_by(F("score").desc(), "name", "pk")
    )
    rows = list(ranked[:shown])
    total = libraries.count() if len(rows) == shown else len(rows)
    return ScoreSheet(province_id, year, category, weights, enrolled_only, rows, total)


def ranking(province_id: str, year: int, category: str, depth: int = 10) -> list[int]:
    """The ids of the sheet's first ``depth`` libraries, best first: what the awards form compares with.

    Empty when no candidate has any recorded work (nothing to compare: the jury decides freely).
    """
    weights = weights_for(year)
    libraries, _ = candidates(province_id, year, category)
    ranked = (
        _annotated(libraries, year, weights)
        .filter(Q(n_activities__gt=0) | Q(n_rtl_total__gt=0) | Q(n_stories__gt=0))
        .order_by(F("score").desc(), "name", "pk")
        .values_list("pk", flat=True)
    )
    return list(ranked[:depth])
