"""The programme's figures for the dashboards, national (per province) and provincial (per regency/city).

Aggregates only, no personal data: every signed-in role may see them (ARCHITECTURE.md). Every number is a
grouped database aggregate (``values().annotate()``, COUNT DISTINCT for people); Python only adds up the
grouped rows (at most areas by statuses), never data rows. A dashboard is about a dozen queries whatever the
data, and its figures are cached (``figures_for``) under the generations the writing services move on:
"dashboard" (meetings, participants, attendance, RTL and follow-ups, enrolments, stories) and "activities";
the lifetime bounds how stale a write that bypasses the services (the admin) may be seen.

Where a figure belongs, per area: a meeting to its province (national) or its venue's regency (provincial);
a participation, an RTL row and its checks to the province of their meeting (national) or the regency of the
library they represent (provincial); enrolments, activities and stories to their library's province or
regency. What has no regency (an online meeting, a provincial office without one) is counted on a row of its
own, "without a regency", listed only when it is not empty.

People: "participants" are people in the participant roles (Participation.PARTICIPANT_ROLES), counted once
each however many meetings they attended (COUNT DISTINCT person); "participations" counts them per meeting.
The attendance rate is participations with at least one attendance over participations, as on the home page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum
from django.utils import timezone

from libraries.models import Province, Regency
from meetings.models import Attendance, Meeting, Participation, RtlAction, RtlFollowUp
from plm_portal.freshness import generation
from programs.models import Activity, Enrollment, ImpactStory, ProgrammeYear

#: Seconds the figures may be served from the cache (writes through the services are seen at once).
FIGURES_TTL = 300
#: The area code of what has no regency (provincial dashboards).
NO_AREA = ""
WITHDRAWN = Enrollment.PartnerStatus.WITHDRAWN
#: The AreaRow fields whose national (or provincial) total is the sum of the areas'.
SUMMED = (
    *("meetings", "participations", "attended", "enrolled", "rtl", "checks_due", "checks_recorded"),
    *("activities", "beneficiaries", "women", "disabled", "stories"),
)


@dataclass
class AreaRow:
    """One province (national) or regency/city (provincial): its figures for the year."""

    code: str
    name: str
    meetings: int = 0
    participants: int = 0  # distinct people in participant roles
    participations: int = 0  # of participant roles
    attended: int = 0  # participations with at least one attendance
    enrolled: int = 0  # libraries enrolled, withdrawn ones not counted
    rtl: int = 0
    checks_due: int = 0  # RTL follow-up checks due by today
    checks_recorded: int = 0  # of those, recorded (any result)
    activities: int = 0
    beneficiaries: int = 0
    women: int = 0
    disabled: int = 0
    stories: int = 0  # impact stories published

    @property
    def attendance_rate(self) -> float | None:
        """Per cent of participations attended; None when there were none."""
        return 100 * self.attended / self.participations if self.participations else None

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.meetings,
                self.participations,
                self.enrolled,
                self.rtl,
                self.activities,
                self.stories,
                self.checks_due,
            )
        )


@dataclass(frozen=True)
class LineFigures:
    activities: int = 0
    men: int = 0
    women: int = 0
    disabled: int = 0


@dataclass
class Figures:
    """Everything a dashboard shows, keyed by codes (labels are added when rendering, in the page's language)."""

    year: int | None  # None: all years
    province: str | None  # None: national
    today: dt.date
    areas: list[AreaRow]
    totals: AreaRow
    enrolment_by_status: dict[str, int] = field(default_factory=dict)
    meetings_by_kind: dict[str, list[tuple[int | None, int]]] = field(default_factory=dict)
    role_people: dict[str, tuple[int, int]] = field(default_factory=dict)  # role -> people, partic.
    gender_people: dict[str, tuple[int, int]] = field(default_factory=dict)  # "L", "P", "" -> same
    rtl_by_status: dict[str, int] = field(default_factory=dict)
    checks_by_status: dict[str, int] = field(default_factory=dict)  # due checks only
    checks_later: int = 0  # checks not due yet
    lines: dict[str, LineFigures] = field(default_factory=dict)


def _years() -> dict:
    """Programme years with meetings, enrolments or activities (cached; three small queries).

    "latest" is the newest year in which the programme did something (meetings or activities): a year that
    so far only has enrolments (the next cohort signed up in December) would show a page of zeros.
    """
    key = f"dash:years:{generation('dashboard')}:{generation('activities')}"
    if (years := cache.get(key)) is None:
        worked = set(Meeting.objects.order_by().values_list("year", flat=True).distinct())
        span = Activity.objects.aggregate(first=Min("date"), last=Max("date"))
        if span["first"]:
            worked.update(range(span["first"].year, span["last"].year + 1))
        enrolled = Enrollment.objects.filter(programme_year=OuterRef("pk"))
        found = worked | set(
            ProgrammeYear.objects.filter(Exists(enrolled)).values_list("year", flat=True)
        )
        years = {"all": sorted(found, reverse=True), "latest": max(worked or found, default=None)}
        cache.set(key, years, FIGURES_TTL)
    return years


def years_with_data() -> list[int]:
    """Programme years with meetings, enrolments or activities, newest first."""
    return _years()["all"]


def latest_year() -> int | None:
    """The newest programme year with meetings or activities (else with enrolments), or None."""
    return _years()["latest"]


def figures_for(*, year: int | None, province: Province | None = None) -> Figures:
    """The figures of ``year`` (None: every year) for the nation or one ``province``, cached."""
    today = timezone.localdate()
    scope = province.code if province else "id"
    key = (
        f"dash:figures:{scope}:{year or 'all'}:{today.isoformat()}:"
        f"{generation('dashboard')}:{generation('activities')}"
    )
    if (figures := cache.get(key)) is None:
        figures = _compute(year=year, province=province, today=today)
        cache.set(key, figures, FIGURES_TTL)
    return figures


def _areas(province: Province | None) -> dict[str, AreaRow]:
    if province is None:
        rows = Province.objects.order_by("code").values_list("code", "name")
    else:
        rows = (
            Regency.objects.filter(province=province).order_by("code").values_list("code", "name")
        )
    return {code: AreaRow(code=code, name=name) for code, name in rows}


def _row(areas: dict[str, AreaRow], code: str | None) -> AreaRow:
    """The row of ``code``; what has no area (or points at one not listed) goes to the NO_AREA row."""
    code = code or NO_AREA
    if code not in areas:
        code = NO_AREA
        areas.setdefault(NO_AREA, AreaRow(code=NO_AREA, name=""))
    return areas[code]


def _compute(*, year: int | None, province: Province | None, today: dt.date) -> Figures:
    national = province is None
    areas = _areas(province)
    in_year = (lambda path: Q(**{path: year})) if year else (lambda path: Q())
    in_province = (lambda path: Q()) if national else (lambda path: Q(**{path: province.code}))
    # The area of a row reached through its meeting (national) or through its library (provincial).
    by_meeting = "meeting__province" if national else "library__regency"
    held = ~Q(meeting__status=Meeting.Status.CANCELLED)

    meetings = Meeting.objects.filter(in_year("year"), in_province("province")).exclude(
        status=Meeting.Status.CANCELLED
    )
    for code, n in (
        meetings.order_by()
        .values_list("province" if national else "venue_regency")
        .annotate(n=Count("pk"))
    ):
        _row(areas, code).meetings += n
    by_kind: dict[str, list[tuple[int | None, int]]] = {}
    step = "wave" if year else "year"  # all years: meetings per year, not waves of different years
    for kind, step_value, n in (
        meetings.order_by().values_list("kind", step).annotate(n=Count("pk")).order_by("kind", step)
    ):
        by_kind.setdefault(kind, []).append((step_value, n))
    for (
        rows
    ) in by_kind.values():  # meetings without a wave last, whatever the database sorts NULL as
        rows.sort(key=lambda row: (row[0] is None, row[0] or 0))

    participations = Participation.objects.filter(
        held, in_year("meeting__year"), in_province("meeting__province")
    )
    participant = Q(role__in=Participation.PARTICIPANT_ROLES)
    present = Exists(Attendance.objects.filter(participation=OuterRef("pk")))
    for row in (
        participations.order_by()
        .values(by_meeting)
        .annotate(
            people=Count("person", distinct=True, filter=participant),
            n=Count("pk", filter=participant),
            attended=Count("pk", filter=participant & Q(present)),
        )
    ):
        area = _row(areas, row[by_meeting])
        area.participants += row["people"]
        area.participations += row["n"]
        area.attended += row["attended"]
    role_people = {
        role: (people, n)
        for role, people, n in participations.order_by()
        .values_list("role")
        .annotate(people=Count("person", distinct=True), n=Count("pk"))
    }
    # A person has one gender, so the groups' distinct counts add up to the distinct total.
    gender_people = {
        gender: (people, n)
        for gender, people, n in participations.filter(participant)
        .order_by()
        .values_list("person__gender")
        .annotate(people=Count("person", distinct=True), n=Count("pk"))
    }

    enrolments = Enrollment.objects.filter(
        in_year("programme_year__year"), in_province("library__province")
    )
    enrolment_by_status = dict(
        enrolments.order_by()
        .values_list("partner_status")
        .annotate(n=Count("library", distinct=True))
    )
    library_area = "library__province" if national else "library__regency"
    for code, n in (
        enrolments.exclude(partner_status=WITHDRAWN)
        .order_by()
        .values_list(library_area)
        .annotate(n=Count("library", distinct=True))
    ):
        _row(areas, code).enrolled += n

    rtl_by_status: dict[str, int] = {}
    for code, status, n in (
        RtlAction.objects.filter(held, in_year("meeting__year"), in_province("meeting__province"))
        .order_by()
        .values_list(by_meeting, "status")
        .annotate(n=Count("pk"))
    ):
        _row(areas, code).rtl += n
        rtl_by_status[status] = rtl_by_status.get(status, 0) + n

    checks_by_status: dict[str, int] = {}
    checks_later = 0
    check_area = f"rtl_action__{by_meeting}"
    for code, status, due, later in (
        RtlFollowUp.objects.filter(
            ~Q(rtl_action__meeting__status=Meeting.Status.CANCELLED),
            in_year("rtl_action__meeting__year"),
            in_province("rtl_action__meeting__province"),
        )
        .order_by()
        .values_list(check_area, "status")
        .annotate(
            due=Count("pk", filter=Q(due_date__lte=today)),
            later=Count("pk", filter=Q(due_date__gt=today)),
        )
    ):
        area = _row(areas, code)
        area.checks_due += due
        if status != RtlFollowUp.Status.PENDING:
            area.checks_recorded += due
        checks_by_status[status] = checks_by_status.get(status, 0) + due
        checks_later += later

    lines: dict[str, LineFigures] = {}
    for code, line, n, men, women, disabled in (
        Activity.objects.filter(in_year("date__year"), in_province("library__province"))
        .order_by()
        .values_list(library_area, "line_of_work")
        .annotate(
            n=Count("pk"),
            men=Sum("beneficiaries_male"),
            women=Sum("beneficiaries_female"),
            disabled=Sum("beneficiaries_disabled"),
        )
    ):
        area = _row(areas, code)
        area.activities += n
        area.beneficiaries += men + women
        area.women += women
        area.disabled += disabled
        before = lines.get(line, LineFigures())
        lines[line] = LineFigures(
            before.activities + n,
            before.men + men,
            before.women + women,
            before.disabled + disabled,
        )

    for code, n in (
        ImpactStory.objects.filter(
            in_year("date__year"),
            in_province("library__province"),
            status=ImpactStory.Status.PUBLISHED,
        )
        .order_by()
        .values_list(library_area)
        .annotate(n=Count("pk"))
    ):
        _row(areas, code).stories += n

    rows = [row for row in areas.values() if row.code != NO_AREA or not row.empty]
    totals = AreaRow(code="", name="")
    for name in SUMMED:
        setattr(totals, name, sum(getattr(row, name) for row in rows))
    # A person is counted once however many areas they met in; a library enrolled in several years once
    # in "all years" (the per-area figure is exact: a library has one area; the status split may list it
    # under each status it had).
    totals.participants = sum(people for people, _ in gender_people.values())
    return Figures(
        year=year,
        province=None if national else province.code,
        today=today,
        areas=rows,
        totals=totals,
        enrolment_by_status=enrolment_by_status,
        meetings_by_kind=by_kind,
        role_people=role_people,
        gender_people=gender_people,
        rtl_by_status=rtl_by_status,
        checks_by_status=checks_by_status,
        checks_later=checks_later,
        lines=lines,
    )
