"""Admin for generated reports: a read-only log. Reports are requested and rendered by the pipeline only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plm_portal.admin import SelectRelatedMixin
from reports.models import Export, Report
from reports.services import rerender_report


@admin.register(Report)
class ReportAdmin(SelectRelatedMixin, admin.ModelAdmin):
    list_display = (
        "kind",
        "meeting",
        "status",
        "created_at",
        "finished_at",
        "requested_by",
        "attempts",
    )
    list_filter = ("kind", "status", "meeting__kind", "meeting__province")
    list_select_related = ("meeting", "requested_by")
    search_fields = ("meeting__title", "verification_code", "requested_by__email", "fingerprint")
    date_hierarchy = "created_at"
    actions = ("rerender",)
    fieldsets = (
        (None, {"fields": ("kind", "meeting", "options", "status", "file")}),
        (_("Keaslian"), {"fields": ("verification_code", "fingerprint")}),
        (
            _("Pembuatan"),
            {
                "fields": (
                    "requested_by",
                    "created_at",
                    "started_at",
                    "finished_at",
                    "attempts",
                    "error_message",
                )
            },
        ),
    )
    readonly_fields = (
        "kind",
        "meeting",
        "options",
        "status",
        "file",
        "verification_code",
        "fingerprint",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
        "error_message",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_rerender_permission(self, request: HttpRequest) -> bool:
        return request.user.is_national

    @admin.action(description=_("Buat ulang laporan"), permissions=["rerender"])
    def rerender(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        """Render the selected ready or failed reports again from the current data."""
        queued = [report for report in queryset if rerender_report(report=report, by=request.user)]
        skipped = queryset.count() - len(queued)
        if queued:
            for report in queued:
                self.log_change(request, report, [{"changed": {"fields": ["status"]}}])
            self.message_user(
                request,
                ngettext(
                    "%(count)d laporan diantrekan untuk dibuat ulang.",
                    "%(count)d laporan diantrekan untuk dibuat ulang.",
                    len(queued),
                )
                % {"count": len(queued)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d laporan dilewati: sedang diantrekan atau dibuat.",
                    "%(count)d laporan dilewati: sedang diantrekan atau dibuat.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    def has_change_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False


@admin.register(Export)
class ExportAdmin(SelectRelatedMixin, admin.ModelAdmin):
    """A read-only log of XLSX exports. The file is not offered here: it holds its requester's scope of
    personal data, and only they download it (reports.exports.views.export_download)."""

    list_display = ("dataset", "requested_by", "status", "rows_total", "created_at", "finished_at")
    list_filter = ("dataset", "status")
    list_select_related = ("requested_by",)
    search_fields = ("requested_by__email", "summary")
    date_hierarchy = "created_at"
    fields = (
        "dataset",
        "format",
        "requested_by",
        "summary",
        "filters",
        "language",
        "status",
        "rows_done",
        "rows_total",
        "file_size",
        "attempts",
        "error_message",
        "created_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Export | None = None) -> bool:
        return False
