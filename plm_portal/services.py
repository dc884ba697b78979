"""Project-wide services: outgoing e-mail, and the portal's users (invitations, role changes)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from plm_portal.access import can_manage_users
from plm_portal.models import User
from plm_portal.tasks import send_email_task

if TYPE_CHECKING:
    from libraries.models import Province


def send_email(*, to: list[str], subject: str, body: str, html_body: str | None = None) -> None:
    """Queue an e-mail for the worker.

    Side effect: enqueues ``plm_portal.send_email`` when the current transaction commits, so a rolled-back
    change never mails anyone and the worker never sees rows that are not there yet. Outside a transaction
    it is enqueued at once.
    """
    if isinstance(to, str):
        # list("a@b.id") would silently become one recipient per character.
        raise TypeError("to must be a list of addresses, not a string.")
    if not to:
        raise ValueError("to must name at least one recipient.")
    send_email_task.delay_on_commit(to=list(to), subject=subject, body=body, html_body=html_body)


# --- users -------------------------------------------------------------------------------------


def set_password_url(*, user: User, base_url: str) -> str:
    """An absolute link to allauth's "set a new password" page for ``user``, valid PASSWORD_RESET_TIMEOUT.

    Built exactly as allauth builds its password-reset links (same token generator, same uid encoding), so
    the invitee lands on the portal's own set-password page. The token is tied to the current password hash,
    last login and e-mail: it stops working once a password is set.
    """
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return urljoin(base_url, path)


def _province_for_role(role: str, province: Province | None) -> Province | None:
    """A provincial officer needs a province; everyone else has none (their scope is not a province)."""
    if role == User.Role.PROVINCIAL:
        if province is None:
            raise ValidationError({"province": _("Petugas provinsi wajib memiliki provinsi.")})
        return province
    return None


def invitation_valid_days() -> int:
    """How many days an invitation (or password-reset) link works: Django's PASSWORD_RESET_TIMEOUT."""
    return max(1, math.ceil(settings.PASSWORD_RESET_TIMEOUT / 86400))


def _check_can_manage_users(by: User) -> None:
    if not can_manage_users(by):
        raise PermissionDenied


def _send_invitation(*, user: User, by: User, base_url: str) -> None:
    context = {
        "user": user,
        "invited_by": by,
        "set_password_url": set_password_url(user=user, base_url=base_url),
        "login_url": urljoin(base_url, reverse("account_login")),
        "valid_days": invitation_valid_days(),
    }
    subject = " ".join(render_to_string("users/email/invitation_subject.txt", context).split())
    body = render_to_string("users/email/invitation_message.txt", context).strip()
    send_email(to=[user.email], subject=subject, body=body)


@transaction.atomic
def invite_user(
    *,
    email: str,
    full_name: str,
    role: str,
    province: Province | None,
    by: User,
    base_url: str,
) -> User:
    """Create a portal account without a usable password and invite its owner to set one.

    ``base_url`` is the portal's address as the inviter reached it (``request.build_absolute_uri("/")``);
    the link in the e-mail points there.

    Side effects: inserts the user; queues the invitation e-mail (``send_email``) for after the commit.
    Raises PermissionDenied unless ``by`` is national staff, ValidationError when the e-mail is taken
    (case-insensitive) or a provincial officer has no province.
    """
    _check_can_manage_users(by)
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Email ini sudah dipakai oleh pengguna lain.")})
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        province=_province_for_role(role, province),
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _send_invitation(user=user, by=by, base_url=base_url)
    return user


@transaction.atomic
def resend_invitation(*, user: User, by: User, base_url: str) -> None:
    """Send the invitation again, with a fresh link, to an active user who has not set a password yet.

    Side effect: queues the invitation e-mail for after the commit. Raises PermissionDenied unless ``by`` is
    national staff, ValidationError for a user who already has a password (they use "Lupa kata sandi?") or
    is deactivated.
    """
    _check_can_manage_users(by)
    if not user.is_active:
        raise ValidationError(_("Pengguna ini nonaktif; aktifkan dulu sebelum mengundang ulang."))
    if user.has_usable_password():
        raise ValidationError(
            _("Pengguna ini sudah mengatur kata sandi; ia bisa memakai “Lupa kata sandi?”.")
        )
    _send_invitation(user=user, by=by, base_url=base_url)


@transaction.atomic
def update_user(
    *,
    user: User,
    full_name: str,
    role: str,
    province: Province | None,
    is_active: bool,
    by: User,
) -> User:
    """Change a user's name, role, province and whether they may sign in. Users are never deleted:
    deactivating keeps the meetings and attendance they recorded attributable.

    Raises PermissionDenied unless ``by`` is national staff, ValidationError when national staff would lock
    themselves out (deactivate their own account or give up their own national role) or a provincial officer
    would have no province.
    """
    _check_can_manage_users(by)
    if user.pk == by.pk:
        if not is_active:
            raise ValidationError({"is_active": _("Anda tidak bisa menonaktifkan akun sendiri.")})
        if role != User.Role.NATIONAL and not user.is_superuser:
            raise ValidationError({"role": _("Anda tidak bisa mengubah peran akun sendiri.")})
    user.full_name = full_name.strip()
    user.role = role
    user.province = _province_for_role(role, province)
    user.is_active = is_active
    user.full_clean()
    user.save(update_fields=["full_name", "role", "province", "is_active"])
    return user
