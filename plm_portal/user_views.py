"""National staff manage portal users: list, invite, edit (role, province, active) and resend invitations.

Everyone else gets 403; anonymous visitors are sent to sign in. Users are never deleted, only deactivated.
The URLs are in plm_portal.user_urls (namespace "users"); URL names equal these view names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plm_portal import once
from plm_portal.access import can_manage_users
from plm_portal.models import User
from plm_portal.selectors import filtered_users, get_user_for_user
from plm_portal.services import (
    invitation_valid_days,
    invite_user,
    resend_invitation,
    update_user,
)
from plm_portal.user_forms import EditUserForm, InviteUserForm, UserFilterForm

PAGE_SIZE = 25


def national_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first (anonymous → login page), then national staff only (others → 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_manage_users(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _base_url(request: HttpRequest) -> str:
    # The host the inviter reached the portal on (validated against ALLOWED_HOSTS by get_host()).
    return request.build_absolute_uri("/")


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
@national_staff_required
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = filtered_users(request.user, **filters)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "users/list.html#results" if request.htmx else "users/list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@national_staff_required
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteUserForm(request.POST or None)
    kind = f"invite:{request.user.pk}"
    # A double tap: the first post's invitation, not "this e-mail is already registered".
    if (user := once.repeated(kind, form, model=User)) is not None:
        messages.success(request, _("Undangan terkirim ke %(email)s.") % {"email": user.email})
        return redirect("users:user_list")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def invite() -> User:
            return invite_user(
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                province=data["province"],
                by=request.user,
                base_url=_base_url(request),
            )

        try:
            user = once.save(kind, data["form_key"], invite, model=User)
        except once.AlreadySubmitted:
            form.add_error(
                None, _("Kiriman yang sama sedang disimpan. Muat ulang halaman sebentar lagi.")
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Undangan terkirim ke %(email)s. Tautan di dalamnya berlaku %(days)s hari.")
                % {"email": user.email, "days": invitation_valid_days()},
            )
            return redirect("users:user_list")
    return render(request, "users/invite.html", {"form": form})


@require_http_methods(["GET", "POST"])
@national_staff_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_user_for_user(request.user, pk)
    form = EditUserForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_user(
                user=account,
                full_name=data["full_name"],
                role=data["role"],
                province=data["province"],
                is_active=data["is_active"],
                by=request.user,
            )
        except ValidationError as error:
            account.refresh_from_db()
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Perubahan pada %(name)s tersimpan.") % {"name": account})
            return redirect("users:user_list")
    return render(request, "users/edit.html", {"form": form, "account": account})


@require_POST
@national_staff_required
def user_resend(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_user_for_user(request.user, pk)
    try:
        resend_invitation(user=account, by=request.user, base_url=_base_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Undangan dikirim ulang ke %(email)s. Tautan di dalamnya berlaku %(days)s hari.")
            % {"email": account.email, "days": invitation_valid_days()},
        )
    return redirect("users:user_edit", pk=account.pk)
