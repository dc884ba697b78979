"""Writes of a registry import's job: start it from an upload, set its columns, queue the check or the apply.

Every service takes the person acting as ``by`` and raises PermissionDenied unless they may write the job's
province (national staff: any; a provincial officer: their own). The registry itself is written only by the
apply task (``libraries.importing.pipeline.apply_job``).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from libraries.importing import files
from libraries.importing.columns import guess_mapping
from libraries.importing.models import ImportJob
from libraries.models import Province
from plm_portal import spreadsheets
from plm_portal.access import can_write_province
from plm_portal.background import enqueue_long
from plm_portal.models import User

Status = ImportJob.Status
# Where a new mapping or a new check may start: not while a task works on the job, not once applied.
_RESTARTABLE = (Status.UPLOADED, Status.CHECKED, Status.FAILED)


def _check_may_import(by: User, province_id: str) -> None:
    if not can_write_province(by, province_id):
        raise PermissionDenied


def start_import(*, kind: str, province: Province, upload: UploadedFile, by: User) -> ImportJob:
    """A new job for ``upload``: the file checked as a whole, stored privately, its columns guessed.

    Raises SpreadsheetError (nothing stored) when the file is refused: its message is for the user. Side
    effects: the file in ``storages["private"]`` under a random name, one ImportJob row.
    """
    _check_may_import(by, province.pk)
    spreadsheets.check_size(upload.size or 0, files.MAX_UPLOAD_BYTES)
    kind_of_file = files.file_type(upload.name or "")
    upload.seek(0)
    analysis = files.analyse(file=upload.file, filename=upload.name, import_kind=kind)
    upload.seek(0)
    job = ImportJob(
        kind=kind,
        province=province,
        created_by=by,
        original_name=(upload.name or "")[-200:],
        file_size=upload.size or 0,
        header_row=analysis.header_row,
        headers=analysis.headers,
        mapping=guess_mapping(kind, analysis.headers),
        preview=[[number, cells[: files.MAX_COLUMNS]] for number, cells in analysis.preview],
        row_estimate=analysis.row_estimate,
    )
    job.file.save(f"{uuid.uuid4().hex}.{kind_of_file}", upload, save=False)
    try:
        job.save()
    except Exception:
        job.file.delete(save=False)
        raise
    return job


def save_mapping(*, job: ImportJob, mapping: dict[str, int], by: User) -> bool:
    """Use ``mapping`` (field → column index) from now on; the earlier check no longer counts.

    False when the job is being checked or applied, or was applied: then nothing changes.
    """
    _check_may_import(by, job.province_id)
    updated = ImportJob.objects.filter(pk=job.pk, status__in=_RESTARTABLE).update(
        mapping=mapping, status=Status.UPLOADED, error_count=0, failed_step="", failure_message=""
    )
    job.refresh_from_db()
    return bool(updated)


def request_check(*, job: ImportJob, by: User) -> bool:
    """Queue the check of every row; False when it is already queued, running, or the job was applied.

    Side effects: the job becomes ``check_queued`` and ``libraries.check_import`` is enqueued after commit
    (plm_portal.background: a worker, or a thread of the web process when embedded).
    """
    _check_may_import(by, job.province_id)
    with transaction.atomic():
        queued = ImportJob.objects.filter(pk=job.pk, status__in=_RESTARTABLE).update(
            status=Status.CHECK_QUEUED, rows_done=0, failed_step="", failure_message=""
        )
        if queued:
            from libraries.tasks import check_import_task

            enqueue_long(check_import_task, job_id=job.pk)
    job.refresh_from_db()
    return bool(queued)


def request_apply(*, job: ImportJob, by: User) -> bool:
    """Queue the apply once: a conditional UPDATE from ``checked`` (no row error, something to write), or
    from an apply that failed. A second tap finds the job already queued and returns False.

    Side effects: the job becomes ``apply_queued`` and ``libraries.apply_import`` is enqueued after commit.
    """
    _check_may_import(by, job.province_id)
    checked = Q(status=Status.CHECKED) | Q(status=Status.FAILED, failed_step="apply")
    with transaction.atomic():
        queued = (
            ImportJob.objects.filter(checked, pk=job.pk, error_count=0)
            .exclude(created_count=0, updated_count=0)
            .update(status=Status.APPLY_QUEUED, rows_done=0, failed_step="", failure_message="")
        )
        if queued:
            from libraries.tasks import apply_import_task

            enqueue_long(apply_import_task, job_id=job.pk)
    job.refresh_from_db()
    return bool(queued)
