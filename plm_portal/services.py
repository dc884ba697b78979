"""Project-wide services that leave the process: outgoing e-mail."""

from __future__ import annotations

from plm_portal.tasks import send_email_task


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
