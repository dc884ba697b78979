"""Project-wide Celery tasks: outgoing e-mail and a ping that proves the worker's wiring.

Enqueue e-mail through ``plm_portal.services.send_email`` (after commit), not by calling the task directly.
"""

from __future__ import annotations

import logging
import smtplib

from celery import Task, shared_task

logger = logging.getLogger(__name__)


@shared_task(
    name="plm_portal.send_email",
    bind=True,
    # Only transient failures: the SMTP server or the network may be back a minute later.
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_email_task(
    self: Task, *, to: list[str], subject: str, body: str, html_body: str | None = None
) -> int:
    """Send one message through the default mailer (settings.MAILERS); return how many were sent."""
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    sent = message.send()
    logger.info(
        "E-mail %r sent to %d recipient(s) (attempt %d).",
        subject,
        len(to),
        self.request.retries + 1,
    )
    return sent


@shared_task(name="plm_portal.ping")
def ping_task() -> dict[str, object]:
    """Answer from inside a worker with a real query, so a health check covers broker, worker and database."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    users = get_user_model().objects.count()
    return {"pong": True, "database": connection.vendor, "users": users}
