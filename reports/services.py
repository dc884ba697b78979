"""Writes of the report pipeline: ask for a PDF, claim and render it, record a failure, re-queue stuck ones.

A report's life: ``pending`` (queued) → ``rendering`` (claimed by one worker with a conditional UPDATE) →
``ready`` (file stored) or ``failed`` (reason stored, retry offered). The same data is never rendered twice at
once: ``request_report`` reuses a ready report with the current fingerprint, or the one already queued, and a
partial unique constraint backs that up when two requests race.

``request_report`` and ``rerender_report`` take the person asking as ``by`` and check that they may see the
meeting (its reports are theirs to ask for and download), raising PermissionDenied before anything is written.
The worker's services (claim, render, sweep) take ids only.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnreachable
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from meetings.models import Meeting
from plm_portal.access import can_write_province, meeting_filter
from plm_portal.models import User
from reports import pdf
from reports.documents import NothingToPrint, build_document, normalize_options
from reports.models import Report, report_upload_to
from reports.selectors import may_print_full_phones
from reports.tasks import MAX_ATTEMPTS, TRANSIENT_ERRORS, render_report_task

logger = logging.getLogger(__name__)

OPEN_STATUSES = (Report.Status.PENDING, Report.Status.RENDERING, Report.Status.FAILED)
# What publishing a task raises while Redis (the broker) is away: kombu wraps connection errors once its retries
# are spent (CELERY_TASK_PUBLISH_RETRY_POLICY in settings); the others are what may slip through unwrapped.
QUEUE_ERRORS: tuple[type[BaseException], ...] = (
    BrokerUnreachable,
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,
    TimeoutError,
)


def check_may_ask_for_reports(by: User, meeting: Meeting) -> None:
    """PermissionDenied unless ``by`` may see ``meeting``: national staff, its province's officers and its
    assigned facilitators ask for and download its documents."""
    if can_write_province(by, meeting.province_id):
        return
    if not Meeting.objects.filter(meeting_filter(by), pk=meeting.pk).exists():
        raise PermissionDenied


def check_may_ask_for_options(by: User, meeting: Meeting, options: dict[str, Any]) -> None:
    """PermissionDenied when ``options`` ask for what ``by`` may not print (full phone numbers)."""
    if options.get("full_phones") and not may_print_full_phones(by, meeting):
        raise PermissionDenied


def request_report(
    *, meeting: Meeting, kind: str, options: dict[str, Any] | None = None, by: User
) -> Report:
    """The report of ``kind`` for ``meeting`` made from the current data, queued for rendering if need be.

    Reuses, in order: a ready report with the same fingerprint whose file is still in storage; a report of the
    same fingerprint that is queued, rendering or failed (a failed one is queued again: a retry). Otherwise
    creates a report. Side effects: may insert a Report or set one back to pending, and enqueues
    ``render_report_task`` after the transaction commits (with no REDIS_URL it runs right there, in-process).
    Raises PermissionDenied when ``by`` may not see the meeting or ask for these options (full phone numbers:
    only the province's officers and national staff), ValueError when ``options`` do not fit it,
    NothingToPrint when the document would be empty.
    """
    check_may_ask_for_reports(by, meeting)
    options = normalize_options(meeting=meeting, kind=kind, options=options)
    check_may_ask_for_options(by, meeting, options)
    fingerprint = build_document(meeting=meeting, kind=kind, options=options).fingerprint
    same = Report.objects.filter(meeting=meeting, kind=kind, fingerprint=fingerprint)
    with transaction.atomic():
        ready = same.filter(status=Report.Status.READY).order_by("-finished_at", "-pk").first()
        if ready is not None and ready.file and default_storage.exists(ready.file.name):
            return ready
        report = same.filter(status__in=OPEN_STATUSES).first()
        if report is None and ready is not None:
            # Ready, but its file is gone from storage (a wiped volume): render that report again.
            report = ready
        if report is None:
            report = _create(
                meeting=meeting, kind=kind, options=options, fingerprint=fingerprint, by=by
            )
        elif report.status in (Report.Status.FAILED, Report.Status.READY):
            _requeue(report, from_statuses=(report.status,))
        elif report.status == Report.Status.PENDING and report.error_message:
            # Kept while the queue was away (see _send): asked again, it is sent again.
            _enqueue(report.pk, noted=True)
    report.refresh_from_db()
    return report


def _create(
    *, meeting: Meeting, kind: str, options: dict[str, Any], fingerprint: str, by: User
) -> Report:
    same_open = Report.objects.filter(
        meeting=meeting, kind=kind, fingerprint=fingerprint, status__in=OPEN_STATUSES
    )
    try:
        # A savepoint: losing the race to a concurrent request leaves the outer transaction usable.
        with transaction.atomic():
            report = Report.objects.create(
                meeting=meeting,
                kind=kind,
                options=options,
                fingerprint=fingerprint,
                requested_by=by,
            )
    except IntegrityError:
        report = same_open.first()
        if report is None:
            raise
        return report
    _enqueue(report.pk)
    return report


def _requeue(report: Report, *, from_statuses: tuple[str, ...]) -> bool:
    """Set ``report`` back to pending from one of ``from_statuses`` and enqueue it; False if it moved on."""
    try:
        with transaction.atomic():
            updated = Report.objects.filter(pk=report.pk, status__in=from_statuses).update(
                status=Report.Status.PENDING,
                attempts=0,
                error_message="",
                started_at=None,
                finished_at=None,
            )
    except IntegrityError:
        # Another report of the same data is already queued or rendering.
        return False
    if updated:
        _enqueue(report.pk)
    return bool(updated)


def _enqueue(report_id: int, *, noted: bool = False) -> None:
    """Send the render of ``report_id`` once the transaction commits (see _send)."""
    transaction.on_commit(partial(_send, report_id, noted=noted))


def _send(report_id: int, *, noted: bool = False) -> bool:
    """Publish the render of pending report ``report_id``; False when the task queue (Redis) is unreachable.

    Then the request is not lost: the report stays pending with a note in ``error_message`` (shown on the
    Laporan tab) that it will be made once the queue service is back; ``sweep_stuck_reports`` (beat) and a new
    request for the same document send it again, and a successful send (``noted``) or the claim clears the
    note. Publishing gives up within about a second (settings: CELERY_TASK_PUBLISH_RETRY_POLICY). No result
    is kept: the portal reads the Report row, and a web process must not wait on the result store's reconnect
    loop (~20 s) while Redis is away.
    """
    try:
        render_report_task.apply_async(kwargs={"report_id": report_id}, ignore_result=True)
    except QUEUE_ERRORS:
        logger.warning(
            "Report %s stays pending: the task queue is unreachable", report_id, exc_info=True
        )
        Report.objects.filter(pk=report_id, status=Report.Status.PENDING).update(
            error_message=_(
                "Layanan antrean sedang tidak tersedia. Permintaan PDF ini tetap tercatat dan akan dibuat "
                "otomatis begitu layanan antrean kembali."
            )
        )
        return False
    if noted:
        Report.objects.filter(pk=report_id, status=Report.Status.PENDING).update(error_message="")
    return True


def rerender_report(*, report: Report, by: User) -> bool:
    """Render a ready or failed ``report`` again from the current data (the admin's "Buat ulang laporan").

    Side effects: sets it back to pending (its file stays downloadable from storage until the new one
    replaces it) and enqueues the render after commit. False when it is already queued or rendering, or when
    another report of the same data is. Raises PermissionDenied when ``by`` may not see its meeting.
    """
    check_may_ask_for_reports(by, report.meeting)
    check_may_ask_for_options(by, report.meeting, report.options)
    with transaction.atomic():
        return _requeue(report, from_statuses=(Report.Status.READY, Report.Status.FAILED))


def claim_report(*, report_id: int, now: dt.datetime | None = None) -> bool:
    """Take ``report_id`` for rendering: one conditional UPDATE, so exactly one worker wins.

    Claimable: pending, or rendering for longer than the task time limit (its worker died), and fewer than
    MAX_ATTEMPTS renders started. Side effects: status rendering, attempts + 1, started_at now.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimed = (
        Report.objects.filter(pk=report_id, attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(status=Report.Status.PENDING)
            | Q(status=Report.Status.RENDERING, started_at__lt=stale)
        )
        .update(
            status=Report.Status.RENDERING,
            attempts=F("attempts") + 1,
            started_at=now,
            finished_at=None,
            error_message="",
        )
    )
    return claimed == 1


def render_report(*, report_id: int, last_try: bool = True) -> str:
    """Claim, render and store report ``report_id``; returns "ready", "failed", "skipped" or "gone".

    Side effects: the PDF is written to media storage (a previous file of the same report is deleted once
    the new one is recorded); the report becomes ready with its page count, size and the fingerprint of the
    data actually rendered, or failed with an Indonesian reason. A transient error (TRANSIENT_ERRORS) puts it
    back to pending and is raised again for the task to retry, unless ``last_try`` or the report's last allowed
    attempt (MAX_ATTEMPTS), when it fails the report.
    """
    if not claim_report(report_id=report_id):
        return "skipped" if Report.objects.filter(pk=report_id).exists() else "gone"
    report = Report.objects.select_related(
        "meeting__province",
        "meeting__venue_regency",
        "meeting__host_library__regency",
        "meeting__host_library__village",
    ).get(pk=report_id)
    try:
        options = normalize_options(
            meeting=report.meeting, kind=report.kind, options=report.options
        )
    except ValueError:
        # The options no longer fit: the meeting's dates changed after the list of a day was asked for.
        _fail(
            report,
            _(
                "Hari daftar hadir ini bukan lagi hari pertemuan (tanggal pertemuan diubah). "
                "Buat PDF lagi dari halaman Laporan."
            ),
        )
        return "failed"
    try:
        document = build_document(meeting=report.meeting, kind=report.kind, options=options)
        rendered = pdf.render_document(
            document, verification_code=report.verification_code, generated_at=timezone.now()
        )
        return _store(report, document.fingerprint, document.filename, rendered)
    except TRANSIENT_ERRORS as error:
        if last_try or report.attempts >= MAX_ATTEMPTS:
            logger.exception("Report %s failed after retries", report_id)
            _fail(
                report,
                _(
                    "Basis data atau layanan lain tidak dapat dihubungi setelah beberapa percobaan "
                    "(%(error)s). Coba lagi beberapa saat lagi."
                )
                % {"error": type(error).__name__},
            )
            return "failed"
        _release(report)
        raise
    except SoftTimeLimitExceeded:
        logger.warning("Report %s hit the soft time limit", report_id)
        _fail(
            report,
            _(
                "Pembuatan PDF melebihi batas waktu %(seconds)s detik. Coba lagi; bila terus gagal, "
                "hubungi admin Perpusnas."
            )
            % {"seconds": settings.CELERY_TASK_SOFT_TIME_LIMIT},
        )
        return "failed"
    except NothingToPrint as error:
        _fail(report, str(error))
        return "failed"
    except Exception as error:
        logger.exception("Report %s failed", report_id)
        _fail(
            report,
            _(
                "PDF tidak dapat dibuat karena kesalahan sistem (%(error)s). Coba lagi; bila terus "
                "gagal, hubungi admin Perpusnas dan sebutkan kode %(code)s."
            )
            % {"error": type(error).__name__, "code": report.verification_code},
        )
        return "failed"


def _store(report: Report, fingerprint: str, filename: str, rendered: pdf.RenderedPdf) -> str:
    old_name = report.file.name
    name = default_storage.save(
        report_upload_to(report, filename), ContentFile(rendered.content, name=filename)
    )
    updated = Report.objects.filter(
        pk=report.pk, status=Report.Status.RENDERING, attempts=report.attempts
    ).update(
        status=Report.Status.READY,
        file=name,
        fingerprint=fingerprint,
        page_count=rendered.page_count,
        file_size=len(rendered.content),
        finished_at=timezone.now(),
        error_message="",
    )
    if not updated:
        # Taken over meanwhile (presumed dead past the time limit): the other render's file counts.
        default_storage.delete(name)
        return "skipped"
    if old_name and old_name != name:
        default_storage.delete(old_name)
    return "ready"


def _fail(report: Report, message: str) -> None:
    Report.objects.filter(
        pk=report.pk, status=Report.Status.RENDERING, attempts=report.attempts
    ).update(status=Report.Status.FAILED, error_message=message, finished_at=timezone.now())


def _release(report: Report) -> None:
    Report.objects.filter(
        pk=report.pk, status=Report.Status.RENDERING, attempts=report.attempts
    ).update(status=Report.Status.PENDING)


def sweep_stuck_reports(*, now: dt.datetime | None = None) -> list[int]:
    """Re-queue reports stuck past the task time limit; return their ids. Run by Celery beat.

    Stuck: rendering since before the limit (its worker died or was killed), pending since before it (its
    queue message was lost, e.g. Redis restarted without persistence), or pending with the note that the
    queue was unreachable when it was asked for (at once: no message was ever sent; see _send). Side effects:
    such reports go back to pending and are enqueued again (a duplicate message is harmless: only one claim succeeds); those that
    already started MAX_ATTEMPTS renders are failed with a reason instead.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    stuck = Report.objects.filter(
        Q(status=Report.Status.RENDERING, started_at__lt=cutoff)
        | (
            Q(status=Report.Status.PENDING, created_at__lt=cutoff)
            & (Q(started_at__isnull=True) | Q(started_at__lt=cutoff))
        )
        | (Q(status=Report.Status.PENDING) & ~Q(error_message=""))
    ).only("pk", "status", "attempts", "error_message")
    requeued = []
    for report in stuck:
        same_state = Report.objects.filter(
            pk=report.pk, status=report.status, attempts=report.attempts
        )
        if report.attempts >= MAX_ATTEMPTS:
            same_state.update(
                status=Report.Status.FAILED,
                finished_at=now,
                error_message=_(
                    "Pembuatan PDF terhenti %(attempts)s kali sebelum selesai (pekerja latar "
                    "berhenti). Coba lagi; bila terus gagal, hubungi admin Perpusnas."
                )
                % {"attempts": report.attempts},
            )
            continue
        if report.status == Report.Status.RENDERING and not same_state.update(
            status=Report.Status.PENDING
        ):
            continue
        _enqueue(
            report.pk, noted=report.status == Report.Status.PENDING and bool(report.error_message)
        )
        requeued.append(report.pk)
    if requeued:
        logger.warning("Re-queued stuck reports %s", requeued)
    return requeued
