from __future__ import annotations

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext

from plm_portal.services import send_email


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: national staff create accounts and invite people.

    allauth's e-mails (password reset) leave through the portal's ``send_email`` service, so they are sent by
    the Celery worker after the request's transaction commits, with the same retries as every other e-mail.
    Links in them are built from the request (``request.build_absolute_uri``), i.e. the host the user asked.
    """

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        # allauth's default prefix is the site name, which without django.contrib.sites is the bare host.
        return f"[{gettext('Portal PLM')}] {force_str(subject)}"

    def get_password_change_redirect_url(self, request: HttpRequest) -> str:
        return reverse("home")

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """No second password prompt for setting up two-factor sign-in right after signing in.

        allauth asks for the password again before any MFA change; a user who signed in (password, and code
        if any) within ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` has just proved it, e.g. national staff sent
        straight from the sign-in to the activation page.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and self._signed_in_recently():
            return False
        return required

    def _signed_in_recently(self) -> bool:
        from allauth.account import app_settings as account_settings
        from allauth.account.internal.flows.login import get_authentication_records

        request = self.request or allauth_context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        records = get_authentication_records(request, user)
        if not records:
            return False
        return time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html_body = None
        if message.content_subtype == "html":
            body, html_body = "", message.body
        else:
            body = message.body
            for content, mimetype in getattr(message, "alternatives", []):
                if mimetype == "text/html":
                    html_body = content
        send_email(to=list(message.to), subject=message.subject, body=body, html_body=html_body)


def mfa_required(user) -> bool:
    """Whether ``user`` must sign in with a second factor: national staff and anyone with admin access."""
    return bool(user.is_active and (user.is_national or user.is_staff or user.is_superuser))


def has_totp(user) -> bool:
    """Whether ``user`` has an authenticator app set up (recovery codes alone do not count)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor sign-in: users for whom it is required cannot switch it off themselves.

    Losing the phone is handled with a recovery code, or by national staff removing the authenticator in the
    admin (the user then sets up a new one at the next sign-in).
    """

    def can_delete_authenticator(self, authenticator) -> bool:
        return not (settings.PLM_MFA_REQUIRED and mfa_required(authenticator.user))
