"""How long rendered PDFs are kept: superseded ones go at once, the rest after ``PLM_REPORT_RETENTION_DAYS``.

A PDF holds names, phone numbers and signatures (UU PDP No. 27/2022: keep personal data no longer than needed).
A ready report is *superseded* when a newer ready report of the same meeting, kind and options exists: nobody
needs the older copy (the Laporan tab lists only the newest). Any ready or failed report finished longer ago
than the retention is deleted too. The row goes, and its file once the deletion commits; the Laporan tab then
shows the document without a PDF, with its "Buat PDF" button to render it again from the current data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reports.models import Report

logger = logging.getLogger(__name__)

# Options a report stored before an option existed is read with (an older daftar hadir has no "full_phones").
OPTION_DEFAULTS: dict[str, dict[str, Any]] = {
    Report.Kind.ATTENDANCE: {"attended_only": False, "full_phones": False},
}


@dataclass(frozen=True)
class SweepResult:
    superseded: int
    expired: int


def _variant(kind: str, options: dict[str, Any]) -> str:
    """The options in one comparable form, with the defaults of options added since the report was made."""
    return json.dumps({**OPTION_DEFAULTS.get(kind, {}), **(options or {})}, sort_keys=True)


def _delete_file_on_commit(name: str) -> None:
    def delete() -> None:
        try:
            default_storage.delete(name)
        except (
            OSError
        ):  # the disk refuses: the row is gone, the file is unreachable (no route serves it)
            logger.warning("Could not delete report file %s", name, exc_info=True)

    transaction.on_commit(delete)


def _delete(report_id: int, status: str, name: str) -> bool:
    """Delete the report if it is still in ``status`` (not being rendered again meanwhile), then its file."""
    with transaction.atomic():
        deleted, _rows = Report.objects.filter(pk=report_id, status=status).delete()
        if deleted and name:
            _delete_file_on_commit(name)
    return bool(deleted)


def superseded_report_ids() -> list[tuple[int, str, str]]:
    """(id, status, file name) of every ready report with a newer ready one of the same meeting, kind and
    options. Reads the ready reports' few columns once, newest first per meeting and kind."""
    seen: set[tuple[int, str, str]] = set()
    superseded = []
    rows = (
        Report.objects.filter(status=Report.Status.READY)
        .order_by("meeting_id", "kind", "-finished_at", "-pk")
        .values_list("pk", "meeting_id", "kind", "options", "file")
    )
    for pk, meeting_id, kind, options, name in rows.iterator(chunk_size=2000):
        key = (meeting_id, kind, _variant(kind, options))
        if key in seen:
            superseded.append((pk, Report.Status.READY, name))
        else:
            seen.add(key)
    return superseded


def sweep_old_reports(*, now: dt.datetime | None = None) -> SweepResult:
    """Delete superseded ready reports and reports finished more than PLM_REPORT_RETENTION_DAYS ago. Run by
    Celery beat (``reports.sweep_old_reports``).

    Side effects: Report rows deleted (only if still ready or failed when deleted: a report set back to
    pending for a new render stays), and their files deleted from media storage after commit.
    """
    now = now or timezone.now()
    superseded = sum(_delete(pk, status, name) for pk, status, name in superseded_report_ids())
    cutoff = now - dt.timedelta(days=settings.PLM_REPORT_RETENTION_DAYS)
    old = (
        Report.objects.filter(status__in=(Report.Status.READY, Report.Status.FAILED))
        .filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff))
        .values_list("pk", "status", "file")
    )
    expired = sum(_delete(pk, status, name) for pk, status, name in list(old))
    if superseded or expired:
        logger.info("Deleted %s superseded and %s expired reports", superseded, expired)
    return SweepResult(superseded=superseded, expired=expired)
