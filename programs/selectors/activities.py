"""Reads for implementation activities and their photos, always through the user's scope.

National staff see every activity; a provincial officer sees their province's (the activity's library's
province); nobody else sees any (facilitators work on their meetings only). Another province's activity or photo
is not found (404), a visible one the user may not change is refused (403).
"""

from __future__ import annotations

from typing import TypedDict

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from plm_portal.access import can_write_province
from plm_portal.freshness import generation
from plm_portal.models import User
from programs.models import Activity, ActivityPhoto


class ActivityTotals(TypedDict):
    activities: int
    female: int
    male: int
    disabled: int


def _scope(user: User) -> Q | None:
    """A Q over Activity keeping what ``user`` may see, or None when they may see none."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.is_national:
        return Q()
    if user.is_provincial_officer and user.province_id:
        return Q(library__province_id=user.province_id)
    return None


def can_use_activities(user: User) -> bool:
    """Whether the activity pages are for ``user`` at all (national staff, provincial officers)."""
    return _scope(user) is not None


def activities_visible_to(user: User) -> QuerySet[Activity]:
    scope = _scope(user)
    if scope is None:
        return Activity.objects.none()
    return Activity.objects.filter(scope)


def get_activity_for_user(user: User, pk: int, *, write: bool = False) -> Activity:
    """The activity with the library, its province and regency, and who recorded it; 404 / 403 as above."""
    activity = (
        activities_visible_to(user)
        .select_related("library__province", "library__regency", "created_by")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    if write and not can_write_province(user, activity.library.province_id):
        raise PermissionDenied
    return activity


def get_photo_for_user(user: User, pk: int, *, write: bool = False) -> ActivityPhoto:
    """A photo of a visible activity (with its activity and library): 404 for any other, 403 if read-only."""
    scope = _scope(user)
    photo = None
    if scope is not None:
        photo = (
            ActivityPhoto.objects.filter(
                pk=pk, activity__in=Activity.objects.filter(scope).values("pk")
            )
            .select_related("activity__library")
            .first()
        )
    if photo is None:
        raise Http404
    if write and not can_write_province(user, photo.activity.library.province_id):
        raise PermissionDenied
    return photo


def activity_photos(activity: Activity) -> list[ActivityPhoto]:
    """The activity's photos, oldest first (at most ``services.activities.MAX_PHOTOS``)."""
    return list(activity.photos.order_by("pk"))


def activity_list(
    user: User,
    *,
    year: int | None = None,
    line_of_work: str = "",
    province: str = "",
    regency: str = "",
    library: int | None = None,
) -> QuerySet[Activity]:
    """Visible activities matching the list's filters, newest first (the activity_list_order index)."""
    activities = activities_visible_to(user)
    if year:
        activities = activities.filter(date__year=year)
    if line_of_work:
        activities = activities.filter(line_of_work=line_of_work)
    if library:
        activities = activities.filter(library_id=library)
    if regency:
        activities = activities.filter(library__regency_id=regency)
    if province:
        activities = activities.filter(library__province_id=province)
    return activities.order_by("-date", "pk")


def activity_rows(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """What a list row shows: the library with its province and regency, and how many photos there are.

    The photo count is a correlated subquery, evaluated for the page's rows only (after ORDER BY ... LIMIT);
    a COUNT with GROUP BY would count the photos of every matching activity before paginating.
    """
    photos = (
        ActivityPhoto.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return activities.select_related("library__province", "library__regency").annotate(
        photo_count=Coalesce(Subquery(photos, output_field=IntegerField()), 0)
    )


def activity_totals(activities: QuerySet[Activity], *, national: bool = False) -> ActivityTotals:
    """How many activities match and whom they reached, in one aggregate query.

    ``national``: the unfiltered list of national staff, every activity of the nation; its totals are cached
    under the "activities" generation (moved by the activity services) for at most 5 minutes.
    """
    if national:
        key = f"activities:national-totals:{generation('activities')}"
        totals = cache.get(key)
        if totals is None:
            totals = activity_totals(activities)
            cache.set(key, totals, 300)
        return totals
    zero = 0
    totals = activities.order_by().aggregate(
        activities=Count("pk"),
        female=Coalesce(Sum("beneficiaries_female"), zero),
        male=Coalesce(Sum("beneficiaries_male"), zero),
        disabled=Coalesce(Sum("beneficiaries_disabled"), zero),
    )
    return ActivityTotals(**totals)
