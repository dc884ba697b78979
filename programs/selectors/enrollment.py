"""Reads for enrolment: which libraries take part in which programme year, always through the user's scope.

National staff see every enrolment; a provincial officer those of their province's libraries; facilitators and
anyone else none (the programme pages answer them 403 before reading).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404

from libraries.selectors import libraries_visible_to
from plm_portal.access import can_write_province
from plm_portal.models import User
from programs.models import Enrollment, EnrollmentChange, ProgrammeYear

# How many changes the edit page lists, newest first (a total says how many there are).
HISTORY_LIMIT = 20


def can_use_enrollment(user: User) -> bool:
    """Who works on enrolments at all: national staff and provincial officers (with a province)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_national or (user.is_provincial_officer and user.province_id))


def enrollments_visible_to(user: User) -> QuerySet[Enrollment]:
    enrollments = Enrollment.objects.all()
    if not can_use_enrollment(user):
        return enrollments.none()
    if user.is_national:
        return enrollments
    return enrollments.filter(library__province_id=user.province_id)


def get_enrollment_for_user(user: User, pk: int, *, write: bool = False) -> Enrollment:
    """The enrolment ``pk``: 404 when ``user`` may not see it, 403 when they may see but not change it."""
    enrollment = (
        enrollments_visible_to(user)
        .select_related("programme_year", "library__province", "library__regency")
        .filter(pk=pk)
        .first()
    )
    if enrollment is None:
        raise Http404
    if write and not can_write_province(user, enrollment.library.province_id):
        raise PermissionDenied
    return enrollment


def programme_years() -> QuerySet[ProgrammeYear]:
    """Every programme year, newest first: a handful of rows, the choices of the list and the form."""
    return ProgrammeYear.objects.order_by("-year")


def default_year(user: User, years: list[ProgrammeYear]) -> ProgrammeYear | None:
    """The latest of ``years`` with an enrolment ``user`` can see, else the latest of them."""
    if not years:
        return None
    visible = enrollments_visible_to(user).filter(programme_year=OuterRef("pk"))
    latest = (
        ProgrammeYear.objects.filter(pk__in=[year.pk for year in years])
        .filter(Exists(visible))
        .order_by("-year")
        .values_list("pk", flat=True)
        .first()
    )
    return next((year for year in years if year.pk == latest), years[0])


def enrollment_list(
    user: User,
    *,
    programme_year: ProgrammeYear | None,
    province: str = "",
    regency: str = "",
    q: str = "",
) -> QuerySet[Enrollment]:
    """Visible enrolments of ``programme_year`` matching the filters but status, in the library list's order.

    The caller counts the statuses over this queryset (``status_counts``), then narrows it to one status.
    """
    if programme_year is None:
        return Enrollment.objects.none()
    enrollments = enrollments_visible_to(user).filter(programme_year=programme_year)
    if province:
        enrollments = enrollments.filter(library__province_id=province)
    if regency:
        enrollments = enrollments.filter(library__regency_id=regency)
    for term in q.split():
        enrollments = enrollments.filter(library__name__icontains=term)
    return enrollments.select_related(
        "programme_year", "library__province", "library__regency", "library__village"
    ).order_by("library__province_id", "library__name", "pk")


def status_counts(enrollments: QuerySet[Enrollment]) -> dict[str, int]:
    """How many of ``enrollments`` have each partner status (every status, zero when none): one query."""
    counts = dict.fromkeys(Enrollment.PartnerStatus.values, 0)
    rows = enrollments.order_by().values("partner_status").annotate(n=Count("pk"))
    for row in rows:
        counts[row["partner_status"]] = row["n"]
    return counts


def enrollment_of(programme_year: ProgrammeYear, library_id: int) -> Enrollment | None:
    """The library's enrolment in ``programme_year``, if any (for the service; no scope applied)."""
    return (
        Enrollment.objects.select_for_update()
        .filter(programme_year=programme_year, library_id=library_id)
        .first()
    )


def enrollment_history(enrollment: Enrollment) -> tuple[list[EnrollmentChange], int]:
    """The enrolment's newest changes (at most HISTORY_LIMIT), with who made them, and how many there are."""
    changes = enrollment.changes.select_related("changed_by").order_by("-changed_at", "-pk")
    shown = list(changes[:HISTORY_LIMIT])
    total = len(shown) if len(shown) < HISTORY_LIMIT else changes.count()
    return shown, total


def enrollable_libraries(user: User, province_id: str | None) -> QuerySet:
    """The libraries of ``province_id`` that ``user`` may enrol: none outside the provinces they may write."""
    if not province_id or not can_write_province(user, province_id):
        return libraries_visible_to(user).none()
    return libraries_visible_to(user).filter(province_id=province_id).order_by("name")
