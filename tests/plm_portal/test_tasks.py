"""plm_portal tasks and the e-mail service, run eagerly in-process (tests/integration uses a real worker)."""

from __future__ import annotations

import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction

from plm_portal.services import send_email
from plm_portal.tasks import ping_task, send_email_task
from tests.factories import UserFactory


class FlakySMTPBackend(LocmemBackend):
    """Stands in for an SMTP server that drops the first two connections, then accepts."""

    failures_left = 0

    def send_messages(self, messages):
        if FlakySMTPBackend.failures_left:
            FlakySMTPBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_send_email_delivered_only_after_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send_email(
            to=["petugas@dispusip.jambiprov.go.id"],
            subject="Undangan PLM Gelombang 1",
            body="Yth. Bapak/Ibu, ...",
        )
        sent_before_commit = len(mailoutbox)

    assert sent_before_commit == 0
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["petugas@dispusip.jambiprov.go.id"]
    assert message.subject == "Undangan PLM Gelombang 1"
    assert message.body == "Yth. Bapak/Ibu, ..."
    assert message.from_email == "PLM Portal <noreply@localhost>"
    assert message.alternatives == []


@pytest.mark.django_db
def test_send_email_not_sent_when_transaction_rolls_back(
    mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_email(to=["a@example.test"], subject="Batal", body="-")
        raise RuntimeError("the caller's write failed")

    assert callbacks == []
    assert mailoutbox == []


@pytest.mark.django_db
def test_send_email_with_html_body_attaches_alternative(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_email(
            to=["a@example.test", "b@example.test"],
            subject="Laporan siap",
            body="Laporan daftar hadir siap diunduh.",
            html_body="<p>Laporan daftar hadir <b>siap</b> diunduh.</p>",
        )

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["a@example.test", "b@example.test"]
    assert [tuple(alt) for alt in mailoutbox[0].alternatives] == [
        ("<p>Laporan daftar hadir <b>siap</b> diunduh.</p>", "text/html")
    ]


@pytest.mark.parametrize("to", ["a@example.test", []])
def test_send_email_rejects_bad_recipients(to, mailoutbox):
    with pytest.raises((TypeError, ValueError)):
        send_email(to=to, subject="x", body="x")

    assert mailoutbox == []


def test_send_email_task_retry_configuration():
    assert send_email_task.name == "plm_portal.send_email"
    assert send_email_task.autoretry_for == (
        smtplib.SMTPException,
        ConnectionError,
        TimeoutError,
    )
    assert send_email_task.retry_backoff is True
    assert send_email_task.retry_backoff_max == 600
    assert send_email_task.max_retries == 5


@pytest.fixture
def eager_retries():
    """Let eager retries run in-process: with eager_propagates Celery raises the first Retry instead."""
    from plm_portal.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


def test_send_email_task_retries_transient_smtp_failure(settings, mailoutbox, eager_retries):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakySMTPBackend"}}
    FlakySMTPBackend.failures_left = 2

    result = send_email_task.apply(
        kwargs={"to": ["a@example.test"], "subject": "Coba lagi", "body": "-"}
    )

    assert result.state == "SUCCESS"
    assert result.result == 1
    assert FlakySMTPBackend.failures_left == 0
    assert [message.subject for message in mailoutbox] == ["Coba lagi"]


@pytest.mark.django_db
def test_ping_task_reports_database_vendor_and_user_count():
    UserFactory()

    result = ping_task.delay()

    assert result.get(timeout=5) == {"pong": True, "database": connection.vendor, "users": 1}
