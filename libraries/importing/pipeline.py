"""The two long steps of a registry import, run by Celery: check every row, then apply all or nothing.

Both read the stored file as a stream in chunks of ``CHUNK_SIZE`` records; each chunk costs a few queries (its
regions, libraries and people, one query each) whatever its rows say, and reports progress. The check writes
only the job and its issues (the first ``MAX_STORED_ISSUES`` of each level; the counts are complete). The apply
checks every row again inside one transaction (the registry may have changed since) and writes with
bulk_create/bulk_update per chunk; the first row error rolls everything back and the job says why. Each step
starts by claiming the job with a conditional UPDATE, so a task delivered twice runs once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from libraries.importing import files
from libraries.importing.library_rows import LibraryChecker
from libraries.importing.models import MAX_STORED_ISSUES, ImportIssue, ImportJob
from libraries.importing.people import PeopleChecker
from libraries.importing.rows import CREATE, DUPLICATE, ERROR, UNCHANGED, UPDATE, RowResult
from libraries.models import Library, Person
from plm_portal.freshness import changed
from plm_portal.spreadsheets import SpreadsheetError

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1000
WRITE_BATCH = 500
_PROGRESS_SECONDS = 24 * 3600
Status = ImportJob.Status


class RowsRefused(Exception):
    """A row failed during the apply: everything is rolled back; ``result`` is the row."""

    def __init__(self, result: RowResult) -> None:
        super().__init__(result.number)
        self.result = result


def _progress_key(job_id: int) -> str:
    return f"libraries:import-progress:{job_id}"


def rows_done(job: ImportJob) -> int:
    """Rows processed so far: the apply's progress lives in the cache (its transaction hides the job row)."""
    if job.in_progress:
        value = cache.get(_progress_key(job.pk))
        if isinstance(value, int):
            return value
    return job.rows_done


def _report(job_id: int, done: int, *, persist: bool) -> None:
    cache.set(_progress_key(job_id), done, _PROGRESS_SECONDS)
    if persist:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done)


def checker_for(job: ImportJob) -> PeopleChecker | LibraryChecker:
    if job.kind == ImportJob.Kind.PEOPLE:
        return PeopleChecker(job.province)
    return LibraryChecker(job.province)


def chunks(job: ImportJob) -> Iterator[list[files.Record]]:
    records = files.records(
        name=job.file.name,
        filename=job.original_name,
        header_row=job.header_row,
        mapping={field: int(index) for field, index in job.mapping.items()},
    )
    while chunk := list(islice(records, CHUNK_SIZE)):
        yield chunk


def claim(*, job_id: int, queued: str, running: str, now: dt.datetime | None = None) -> bool:
    """Take ``job_id`` from ``queued`` to ``running`` (or over from a worker that died past the time limit)."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.PLM_LONG_TASK_TIME_LIMIT)
    return (
        ImportJob.objects.filter(pk=job_id)
        .filter(Q(status=queued) | Q(status=running, started_at__lt=stale))
        .update(
            status=running,
            started_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
            rows_done=0,
            failed_step="",
            failure_message="",
        )
        == 1
    )


def _fail(job: ImportJob, step: str, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.FAILED, failed_step=step, failure_message=message, finished_at=timezone.now()
    )
    cache.delete(_progress_key(job.pk))


def _unexpected() -> str:
    return _("Terjadi kesalahan tak terduga; tidak ada yang disimpan. Coba lagi sebentar lagi.")


def check_job(*, job_id: int) -> str:
    """Check every row of import ``job_id``; returns "checked", "failed", "skipped" or "gone".

    Side effects: replaces the job's issues, sets its counts (new, updated, skipped, duplicates, error rows)
    and status ``checked``, or ``failed`` with the reason when the file cannot be read to its end.
    """
    if not claim(job_id=job_id, queued=Status.CHECK_QUEUED, running=Status.CHECKING):
        return "skipped" if ImportJob.objects.filter(pk=job_id).exists() else "gone"
    job = ImportJob.objects.select_related("province").get(pk=job_id)
    ImportIssue.objects.filter(job=job).delete()
    counts: Counter[str] = Counter()
    stored: Counter[str] = Counter()
    done = 0
    checker = checker_for(job)
    try:
        for chunk in chunks(job):
            issues = []
            for result in checker.check(chunk):
                counts[result.action] += 1
                for level, column, message in result.issues:
                    if stored[level] < MAX_STORED_ISSUES:
                        stored[level] += 1
                        issues.append(
                            ImportIssue(
                                job=job,
                                level=level,
                                row_number=result.number,
                                column=column[:60],
                                message=message[:500],
                            )
                        )
            ImportIssue.objects.bulk_create(issues)
            done += len(chunk)
            _report(job.pk, done, persist=True)
    except SpreadsheetError as error:
        _fail(job, "check", error.message)
        return "failed"
    except Exception:
        logger.exception("Registry import %s: check failed", job_id)
        _fail(job, "check", _unexpected())
        return "failed"
    ImportJob.objects.filter(pk=job.pk, status=Status.CHECKING).update(
        status=Status.CHECKED,
        rows_done=done,
        total_rows=done,
        error_count=counts[ERROR],
        created_count=counts[CREATE],
        updated_count=counts[UPDATE],
        skipped_count=counts[UNCHANGED] + counts[DUPLICATE],
        duplicate_count=counts[DUPLICATE],
        finished_at=timezone.now(),
    )
    cache.delete(_progress_key(job.pk))
    return "checked"


def apply_job(*, job_id: int) -> str:
    """Write import ``job_id`` all or nothing; returns "applied", "failed", "skipped" or "gone".

    Side effects: in one transaction, creates and updates the province's libraries or people; then sets the
    job's counts to what was written and status ``applied``, deletes the stored file and the preview (the
    registry now holds the data), and marks the cached national figures stale. On a row error, an unreadable
    file or a conflicting concurrent write nothing is written and the job is ``failed`` with the reason.
    """
    if not claim(job_id=job_id, queued=Status.APPLY_QUEUED, running=Status.APPLYING):
        return "skipped" if ImportJob.objects.filter(pk=job_id).exists() else "gone"
    job = ImportJob.objects.select_related("province").get(pk=job_id)
    try:
        with transaction.atomic():
            counts = _write(job)
    except RowsRefused as refused:
        row = refused.result
        reason = "; ".join(message for _level, _column, message in row.issues)
        _fail(
            job,
            "apply",
            _(
                "Tidak ada yang disimpan: baris %(row)s bermasalah (%(reason)s). Periksa ulang berkasnya."
            )
            % {"row": row.number, "reason": reason},
        )
        return "failed"
    except SpreadsheetError as error:
        _fail(job, "apply", error.message)
        return "failed"
    except IntegrityError:
        _fail(
            job,
            "apply",
            _(
                "Tidak ada yang disimpan: data berubah saat menyimpan (orang lain menyimpan data yang sama). "
                "Coba simpan lagi."
            ),
        )
        return "failed"
    except Exception:
        logger.exception("Registry import %s: apply failed", job_id)
        _fail(job, "apply", _unexpected())
        return "failed"
    ImportJob.objects.filter(pk=job.pk, status=Status.APPLYING).update(
        status=Status.APPLIED,
        rows_done=counts["rows"],
        total_rows=counts["rows"],
        error_count=0,
        created_count=counts[CREATE],
        updated_count=counts[UPDATE],
        skipped_count=counts[UNCHANGED] + counts[DUPLICATE],
        duplicate_count=counts[DUPLICATE],
        preview=[],
        finished_at=timezone.now(),
    )
    cache.delete(_progress_key(job.pk))
    job.file.delete(save=False)
    changed("people" if job.kind == ImportJob.Kind.PEOPLE else "dashboard")
    return "applied"


def _write(job: ImportJob) -> Counter[str]:
    model = Person if job.kind == ImportJob.Kind.PEOPLE else Library
    checker = checker_for(job)
    counts: Counter[str] = Counter()
    now = timezone.now()
    reason = _("Impor registri #%(job)s") % {"job": job.pk}
    for chunk in chunks(job):
        creates, updates, fields = [], [], set()
        for result in checker.check(chunk):
            if result.failed:
                raise RowsRefused(result)
            counts[result.action] += 1
            if result.action == CREATE:
                creates.append(result.obj)
            elif result.action == UPDATE:
                result.obj.updated_at = now
                updates.append(result.obj)
                fields.update(result.fields)
        # With their history: who imported (the job's user), and which import, on every row.
        bulk_create_with_history(
            creates,
            model,
            batch_size=WRITE_BATCH,
            default_user=job.created_by,
            default_change_reason=reason,
        )
        if updates:
            bulk_update_with_history(
                updates,
                model,
                [*sorted(fields), "updated_at"],
                batch_size=WRITE_BATCH,
                default_user=job.created_by,
                default_change_reason=reason,
            )
        counts["rows"] += len(chunk)
        _report(job.pk, counts["rows"], persist=False)
    return counts
