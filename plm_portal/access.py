"""Scope helpers shared by every app: who may see which province's data.

A provincial officer sees only their own province; a facilitator sees the meetings they are assigned to;
national staff see everything. Per-app selectors build on these.
"""

from __future__ import annotations

from django.db.models import Q

from plm_portal.models import User


def can_manage_users(user: User) -> bool:
    """Only national staff see, invite and edit portal users."""
    return bool(user.is_authenticated and user.is_active and user.is_national)


def can_write_province(user: User, province_id: str | None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_national:
        return True
    return bool(user.is_provincial_officer and province_id and user.province_id == province_id)


def meeting_filter(user: User, path: str = "") -> Q:
    """A Q keeping the meetings ``user`` may see, through ``path`` (a relation to a meeting; "" for Meeting).

    National staff see every meeting, a provincial officer their province's, a facilitator those assigned to
    them. Apps that must not depend on the meetings app (libraries) filter their reverse relations with it
    too.
    """
    prefix = f"{path}__" if path else ""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_national:
        return Q()
    if user.is_provincial_officer and user.province_id:
        return Q(**{f"{prefix}province_id": user.province_id})
    if user.is_facilitator:
        return Q(**{f"{prefix}assigned_facilitators": user})
    return Q(pk__in=[])
