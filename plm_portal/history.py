"""Audit history (django-simple-history): who changed which row, when, what it became, from which address.

Every audited model declares ``history = audited(...)``; its historical table keeps one row per save or delete
with the user (from the request, through ``HistoryRequestMiddleware``; a background job passes its user), the
change reason services know, and the client address of the request (``ip_address``). Bulk writes go through
``simple_history.utils.bulk_create_with_history`` / ``bulk_update_with_history``; ``QuerySet.update()`` bypasses
the history and is kept for bookkeeping columns only.

``history_page`` builds the rows of a "Riwayat" page: one UNION query over the histories that belong to one
object (paginated in the database), then, per model on the page, its rows with the previous version of each
(two queries), so a page reads what it shows whatever the length of the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from plm_portal.client import client_ip

HISTORY_PAGE_SIZE = 50


class HistoricalAddress(models.Model):
    """The abstract base of every historical model: the client address of the request behind the change."""

    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        abstract = True


class AuditedRecords(HistoricalRecords):
    """HistoricalRecords that skip saves touching excluded fields only (a sign-in's ``last_login``)."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


def audited(*, excluded_fields: Iterable[str] = (), **options: Any) -> HistoricalRecords:
    """The history of a model: ``history = audited()`` (secrets and large binary fields excluded by name)."""
    return AuditedRecords(
        bases=[HistoricalAddress], excluded_fields=list(excluded_fields), **options
    )


def request_address(request: HttpRequest | None) -> str | None:
    """The client address of ``request``, behind the trusted proxies (TRUSTED_PROXY_COUNT) as every limit."""
    if request is None:
        return None
    return client_ip(request) or None


def current_address() -> str | None:
    """The client address of the request being served (for bulk writes, which send no signal)."""
    return request_address(getattr(HistoricalRecords.context, "request", None))


@receiver(pre_create_historical_record)
def _record_address(sender, history_instance, **kwargs) -> None:
    # Set from the request the middleware exposes; background jobs have none and keep what they passed.
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None and getattr(history_instance, "ip_address", None) is None:
        history_instance.ip_address = request_address(request)


# ---------------------------------------------------------------------------------------------------------
# Riwayat pages
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: Any
    new: Any


@dataclass
class Entry:
    """One line of a Riwayat page."""

    record: Any  # the historical row
    model_label: str
    action: str
    label: str
    changes: list[Change] = field(default_factory=list)

    @property
    def user(self):
        return self.record.history_user

    @property
    def when(self):
        return self.record.history_date

    @property
    def address(self) -> str | None:
        return self.record.ip_address

    @property
    def reason(self) -> str:
        return self.record.history_change_reason or ""


ACTIONS = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}
# Bookkeeping columns that change with every save: not listed as changes.
SKIPPED_FIELDS = {"updated_at", "created_at"}


def _display(model_field: models.Field, value: Any) -> Any:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.BooleanField):
        return _("ya") if value else _("tidak")
    return value


def _changes(model: type[models.Model], record: Any, previous: Any | None) -> list[Change]:
    if previous is None:
        return []
    delta = record.diff_against(previous)
    changes = []
    for change in delta.changes:
        if change.field in SKIPPED_FIELDS:
            continue
        model_field = model._meta.get_field(change.field)
        changes.append(
            Change(
                label=str(model_field.verbose_name),
                old=_display(model_field, change.old),
                new=_display(model_field, change.new),
            )
        )
    return changes


def _with_previous(history_model, rows: list) -> dict[int, Any]:
    """The version before each of ``rows`` (same object, earlier), fetched in one query."""
    wanted = [row.prev_history_id for row in rows if row.prev_history_id]
    if not wanted:
        return {}
    return {row.history_id: row for row in history_model.objects.filter(history_id__in=wanted)}


def history_page(
    sources: dict[type[models.Model], Q],
    *,
    page_number: Any,
    label: Any = None,
    per_page: int = HISTORY_PAGE_SIZE,
) -> tuple[Page, list[Entry]]:
    """Page ``page_number`` (newest first) of the history rows of ``sources`` (model → filter on its history).

    ``label(model, record)`` names a row (default: ``str`` of the model's title-like field, else "#id").
    Queries: a count and a UNION page, then two per model present on the page, whatever the history's length.
    """
    parts = []
    for index, (model, condition) in enumerate(sources.items()):
        parts.append(
            model.history.filter(condition)
            .annotate(source=models.Value(index, output_field=models.IntegerField()))
            .values("history_id", "history_date", "source")
            .order_by()  # the parts of a UNION carry no order of their own
        )
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    combined = combined.order_by("-history_date", "-history_id")
    page = Paginator(combined, per_page).get_page(page_number)
    keys = list(page.object_list)

    models_by_index = list(sources)
    by_source: dict[int, list[int]] = {}
    for key in keys:
        by_source.setdefault(key["source"], []).append(key["history_id"])
    records: dict[tuple[int, int], Entry] = {}
    for index, history_ids in by_source.items():
        model = models_by_index[index]
        history_model = model.history.model
        previous = history_model.objects.filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
            id=OuterRef("id"),
        ).order_by("-history_date", "-history_id")
        rows = list(
            history_model.objects.filter(history_id__in=history_ids)
            .select_related("history_user")
            .annotate(prev_history_id=Subquery(previous.values("history_id")[:1]))
        )
        before = _with_previous(history_model, rows)
        for row in rows:
            records[(index, row.history_id)] = Entry(
                record=row,
                model_label=str(model._meta.verbose_name),
                action=str(ACTIONS.get(row.history_type, row.history_type)),
                label=label(model, row) if label else f"#{row.id}",
                changes=_changes(model, row, before.get(row.prev_history_id))
                if row.history_type == "~"
                else [],
            )
    entries = [records[(key["source"], key["history_id"])] for key in keys]
    return page, entries
