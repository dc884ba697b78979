"""Reads of the portal's users, for the national staff who manage them (the only ones who may see them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from plm_portal.access import can_manage_users
from plm_portal.models import User

if TYPE_CHECKING:
    from libraries.models import Province


class UserStatus:
    """Values of the user list's status filter."""

    ACTIVE = "active"
    INVITED = "invited"  # active, but no password set yet
    INACTIVE = "inactive"


def users_visible_to(user: User) -> QuerySet[User]:
    """Every portal user for national staff; nobody for anyone else."""
    if not can_manage_users(user):
        return User.objects.none()
    return User.objects.all()


def filtered_users(
    by: User,
    *,
    q: str = "",
    role: str = "",
    province: Province | None = None,
    status: str = "",
) -> QuerySet[User]:
    """The user list, filtered by name or e-mail (``q``), role, province and status; by name."""
    users = users_visible_to(by).select_related("province").order_by("full_name", "email")
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if role:
        users = users.filter(role=role)
    if province:
        users = users.filter(province=province)
    invited = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    match status:
        case UserStatus.ACTIVE:
            users = users.filter(is_active=True).exclude(invited)
        case UserStatus.INVITED:
            users = users.filter(invited, is_active=True)
        case UserStatus.INACTIVE:
            users = users.filter(is_active=False)
    return users


def get_user_for_user(by: User, pk: int) -> User:
    """The account ``pk`` for national staff to edit: 403 for anyone else, 404 when there is none."""
    if not can_manage_users(by):
        raise PermissionDenied
    return get_object_or_404(User.objects.select_related("province"), pk=pk)


def user_email_taken(email: str) -> bool:
    """Whether an account already signs in with ``email`` (compared case-insensitively)."""
    return User.objects.filter(email__iexact=email).exists()
