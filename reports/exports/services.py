"""Writes of the XLSX exports: ask for one, claim and build it, fail it with a reason, retry it, sweep old ones.

An export's life mirrors a PDF report's (reports.services): ``pending`` (queued) → ``running`` (claimed by one
worker with a conditional UPDATE; ``rows_done`` of ``rows_total`` moves as rows are written) → ``ready`` (file
in the private storage) or ``failed`` (reason stored, "Coba lagi" offered). A double tap makes one job: the
form's one-time key (plm_portal.once) and a partial unique constraint on the open jobs of one user and request.

The job reads its rows again through the requester's scope when it runs (``datasets.plan_for``); the filters
are the list page's query string. Without REDIS_URL the job runs eagerly, in the request, once it commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404, QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plm_portal import once
from plm_portal.background import enqueue_long
from plm_portal.models import User
from reports.exports.base import filters_of, params_of
from reports.exports.cells import safe_filename
from reports.exports.datasets import plan_for
from reports.exports.writers import TooManyRows, write_xlsx
from reports.models import Export, export_upload_to
from reports.tasks import MAX_ATTEMPTS, TRANSIENT_ERRORS, build_export_task

logger = logging.getLogger(__name__)

FORM_KIND = "export"
OPEN_STATUSES = (Export.Status.PENDING, Export.Status.RUNNING)
# Ready and failed exports (and their files) are deleted after this many days: the file holds personal data,
# and the list page makes a new one in a minute.
KEEP_DAYS = 7
PROGRESS_EVERY = 1000


def export_fingerprint(dataset: str, filters: dict[str, list[str]]) -> str:
    """The same request gives the same fingerprint, whatever the order of the query string."""
    payload = json.dumps([dataset, Export.Format.XLSX, filters], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def request_export(
    *, by: User, dataset: str, params: QueryDict, language: str, form_key: str = ""
) -> Export:
    """The XLSX job of ``dataset`` for the list page's ``params``, queued for ``by``.

    Raises Http404 / PermissionDenied as the list page would (nothing is written then). A second post of the
    same form (``form_key``), or the same request while its job waits or runs, returns that job. Side
    effects: inserts an Export and enqueues ``build_export_task`` after commit (eager: it runs right then).
    """
    plan = plan_for(by, dataset, params)
    filters = filters_of(params)
    fingerprint = export_fingerprint(dataset, filters)
    mine = Export.objects.filter(requested_by=by, dataset=dataset, fingerprint=fingerprint)
    try:
        once.claim(FORM_KIND, form_key)
    except once.AlreadySubmitted as sent:
        earlier = mine.filter(pk=sent.row_id).first() if sent.row_id else None
        earlier = earlier or mine.order_by("-created_at", "-pk").first()
        if earlier is not None:
            return earlier
    try:
        export = _create(
            by=by,
            dataset=dataset,
            filters=filters,
            fingerprint=fingerprint,
            summary=plan.summary,
            language=language,
        )
    except BaseException:
        once.release(FORM_KIND, form_key)
        raise
    once.settle(FORM_KIND, form_key, export.pk)
    export.refresh_from_db()
    return export


def _create(**fields) -> Export:
    same_open = Export.objects.filter(
        requested_by=fields["by"],
        dataset=fields["dataset"],
        fingerprint=fields["fingerprint"],
        status__in=OPEN_STATUSES,
    )
    with transaction.atomic():
        existing = same_open.first()
        if existing is not None:
            return existing
        try:
            with (
                transaction.atomic()
            ):  # a savepoint: losing a race leaves the outer transaction usable
                export = Export.objects.create(
                    requested_by=fields["by"],
                    dataset=fields["dataset"],
                    filters=fields["filters"],
                    fingerprint=fields["fingerprint"],
                    summary=fields["summary"],
                    language=fields["language"],
                )
        except IntegrityError:
            existing = same_open.first()
            if existing is None:
                raise
            return existing
        enqueue_long(build_export_task, export_id=export.pk)
    return export


def retry_export(*, export: Export, by: User) -> Export:
    """Queue a failed ``export`` again (its requester only); the same request already open is returned
    instead. Side effects: the export goes back to pending and is enqueued after commit."""
    if export.requested_by_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        try:
            with transaction.atomic():
                updated = Export.objects.filter(pk=export.pk, status=Export.Status.FAILED).update(
                    status=Export.Status.PENDING,
                    attempts=0,
                    rows_done=0,
                    rows_total=None,
                    error_message="",
                    started_at=None,
                    finished_at=None,
                )
        except IntegrityError:
            updated = 0
        if updated:
            enqueue_long(build_export_task, export_id=export.pk)
    if not updated:
        other = Export.objects.filter(
            requested_by=by,
            dataset=export.dataset,
            fingerprint=export.fingerprint,
            status__in=OPEN_STATUSES,
        ).first()
        if other is not None:
            return other
    export.refresh_from_db()
    return export


def claim_export(*, export_id: int, now: dt.datetime | None = None) -> bool:
    """Take ``export_id`` for building: one conditional UPDATE, so exactly one worker wins. Claimable: pending,
    or running past the task time limit (its worker died), with fewer than MAX_ATTEMPTS builds started."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.PLM_LONG_TASK_TIME_LIMIT)
    return (
        Export.objects.filter(pk=export_id, attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(status=Export.Status.PENDING) | Q(status=Export.Status.RUNNING, started_at__lt=stale)
        )
        .update(
            status=Export.Status.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            finished_at=None,
            error_message="",
            rows_done=0,
        )
        == 1
    )


def build_export(*, export_id: int, last_try: bool = True) -> str:
    """Claim, build and store export ``export_id``; returns "ready", "failed", "skipped" or "gone".

    Side effects: rows_total, then rows_done every PROGRESS_EVERY rows; the XLSX file saved to the private
    storage; the export ready, or failed with a reason in the requester's language. A transient error puts it
    back to pending and is raised again for the task to retry, unless ``last_try``.
    """
    if not claim_export(export_id=export_id):
        return "skipped" if Export.objects.filter(pk=export_id).exists() else "gone"
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    running = Export.objects.filter(
        pk=export.pk, status=Export.Status.RUNNING, attempts=export.attempts
    )
    with translation.override(export.language):
        try:
            plan = plan_for(export.requested_by, export.dataset, params_of(export.filters))
            running.update(rows_total=plan.count())
            filename = safe_filename(plan.title, "xlsx", today=timezone.localdate())
            with tempfile.TemporaryFile() as scratch:
                written = write_xlsx(
                    scratch,
                    plan.headers,
                    plan.rows(),
                    sheet_title=plan.title,
                    on_progress=lambda done: running.update(rows_done=done),
                    every=PROGRESS_EVERY,
                )
                scratch.seek(0, 2)
                size = scratch.tell()
                scratch.seek(0)
                name = export.file.storage.save(
                    export_upload_to(export, filename), File(scratch, name=filename)
                )
        except (Http404, PermissionDenied):
            return _fail(running, _("Data ini tidak lagi dapat Anda lihat, jadi tidak diekspor."))
        except TooManyRows:
            return _fail(
                running,
                _(
                    "Lebih dari 1.048.575 baris: terlalu banyak untuk satu lembar Excel. Persempit "
                    "saringan, atau unduh CSV."
                ),
            )
        except TRANSIENT_ERRORS as error:
            if last_try or export.attempts >= MAX_ATTEMPTS:
                logger.exception("Export %s failed after retries", export_id)
                return _fail(
                    running,
                    _(
                        "Basis data tidak dapat dihubungi setelah beberapa percobaan (%(error)s). "
                        "Coba lagi beberapa saat lagi."
                    )
                    % {"error": type(error).__name__},
                )
            running.update(status=Export.Status.PENDING)
            raise
        except SoftTimeLimitExceeded:
            logger.warning("Export %s hit the soft time limit", export_id)
            return _fail(
                running,
                _(
                    "Pembuatan berkas melebihi batas waktu %(seconds)s detik. Persempit saringan, atau "
                    "unduh CSV."
                )
                % {"seconds": settings.PLM_LONG_TASK_SOFT_TIME_LIMIT},
            )
        except Exception as error:
            logger.exception("Export %s failed", export_id)
            return _fail(
                running,
                _(
                    "Berkas tidak dapat dibuat karena kesalahan sistem (%(error)s). Coba lagi; bila "
                    "terus gagal, hubungi admin Perpusnas."
                )
                % {"error": type(error).__name__},
            )
    stored = running.update(
        status=Export.Status.READY,
        file=name,
        file_size=size,
        rows_done=written,
        rows_total=written,
        finished_at=timezone.now(),
    )
    if not stored:
        # Taken over meanwhile (presumed dead past the time limit): the other build's file counts.
        export.file.storage.delete(name)
        return "skipped"
    return "ready"


def _fail(running, message: str) -> str:
    running.update(status=Export.Status.FAILED, error_message=message, finished_at=timezone.now())
    return "failed"


def sweep_exports(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete exports older than KEEP_DAYS with their files; fail those stuck past the time limit.

    Run by Celery beat. Stuck: running since before the time limit (its worker died) or pending since before
    it (its message was lost): they are failed with a reason, and the user's "Coba lagi" queues them again.
    """
    now = now or timezone.now()
    old = Export.objects.filter(created_at__lt=now - dt.timedelta(days=KEEP_DAYS)).exclude(
        status__in=OPEN_STATUSES
    )
    deleted = 0
    for export in old.only("pk", "file").iterator(chunk_size=500):
        if export.file:
            export.file.storage.delete(export.file.name)
        deleted += Export.objects.filter(pk=export.pk).delete()[0]
    cutoff = now - dt.timedelta(seconds=settings.PLM_LONG_TASK_TIME_LIMIT)
    stuck = Export.objects.filter(
        Q(status=Export.Status.RUNNING, started_at__lt=cutoff)
        | Q(status=Export.Status.PENDING, created_at__lt=cutoff, started_at__isnull=True)
    ).update(
        status=Export.Status.FAILED,
        finished_at=now,
        error_message=_("Pembuatan berkas terhenti sebelum selesai. Coba lagi."),
    )
    return {"deleted": deleted, "stuck": stuck}
