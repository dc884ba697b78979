"""Reads of the export pages. An export belongs to the user who asked for it: its scope was theirs, so
nobody else (not even national staff) sees or downloads it; another user's export answers 404."""

from __future__ import annotations

from django.http import Http404

from plm_portal.models import User
from reports.models import Export

# The "Ekspor saya" page lists this many of the user's latest exports (older ones expire anyway).
RECENT_EXPORTS = 30


def recent_exports(user: User) -> list[Export]:
    """The user's latest exports, newest first: one query on the export_requester_recent index."""
    return list(
        Export.objects.filter(requested_by=user).order_by("-created_at", "-pk")[:RECENT_EXPORTS]
    )


def get_export_for_user(user: User, pk: int) -> Export:
    export = (
        Export.objects.filter(pk=pk, requested_by=user).first() if user.is_authenticated else None
    )
    if export is None:
        raise Http404
    return export
