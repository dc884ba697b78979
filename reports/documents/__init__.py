"""What each PDF is made from: plain data read through reports.selectors, shaped for its template.

One module per document (attendance: daftar hadir, rtl: laporan RTL, certificates: sertifikat, award_charters:
piagam), each with ``build(meeting, options)`` and ``filename(meeting, options)``, on the shared helpers of
``base``. A builder returns a ``Document``: the template to render, a readable file name, and ``data``, a
JSON-serialisable dict of every value the document prints (names, dates already written the Indonesian way,
counts), whose fingerprint tells whether a ready PDF still shows the current data.

Documents are always in Indonesian, whatever language the person asking reads the portal in: they are filed
with the government, and dates are written the way Indonesian officials write them ("Selasa, 2 Agustus 2022").
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.utils import translation

from meetings.models import Meeting
from reports.documents import attendance, award_charters, certificates, rtl
from reports.documents.base import (
    BUILDER_VERSION,
    STYLE_DIR,
    TEMPLATE_DIR,
    Document,
    NothingToPrint,
    templates_digest,
)
from reports.models import Report

__all__ = [
    "BUILDER_VERSION",
    "STYLE_DIR",
    "TEMPLATE_DIR",
    "Document",
    "NothingToPrint",
    "build_document",
    "document_filename",
    "normalize_options",
    "templates_digest",
]

DOCUMENTS: dict[str, ModuleType] = {
    Report.Kind.ATTENDANCE: attendance,
    Report.Kind.RTL: rtl,
    Report.Kind.CERTIFICATES: certificates,
    Report.Kind.AWARD_CHARTERS: award_charters,
}


def normalize_options(
    *, meeting: Meeting, kind: str, options: dict[str, Any] | None
) -> dict[str, Any]:
    """The options of ``kind`` in their one stored form; ValueError when they do not fit the meeting.

    Attendance lists are one per meeting day: ``{"day": "2022-08-02", "attended_only": false}`` (the day
    defaults to the first); the other documents take no options.
    """
    if kind == Report.Kind.ATTENDANCE:
        return attendance.normalize_options(meeting, dict(options or {}))
    if kind in DOCUMENTS:
        return {}
    raise ValueError(f"Unknown report kind {kind!r}")


def build_document(*, meeting: Meeting, kind: str, options: dict[str, Any]) -> Document:
    """Read what the document of ``kind`` prints for ``meeting``. ``options`` must be normalised."""
    with translation.override("id"):
        return DOCUMENTS[kind].build(meeting, options)


def document_filename(*, meeting: Meeting, kind: str, options: dict[str, Any]) -> str:
    """daftar-hadir-plm-provinsi-jambi-2022-08-02.pdf: readable, and the same for the same document."""
    return DOCUMENTS[kind].filename(meeting, options)
