from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
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
