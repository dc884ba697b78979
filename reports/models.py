"""PDF reports rendered by Celery: one row per requested document, with the data fingerprint it was made from."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from plm_portal.choices_display import ChoiceLabels


def new_verification_code() -> str:
    # Short enough to type from paper; unique per report.
    return secrets.token_hex(4).upper()


def report_upload_to(report: Report, filename: str) -> str:
    return f"reports/{report.meeting_id}/{report.pk or 'new'}-{filename}"


class Report(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("Daftar hadir")
        RTL = "rtl", _("Laporan RTL")
        CERTIFICATES = "certificates", _("Sertifikat peserta")
        AWARD_CHARTERS = "award_charters", _("Piagam penghargaan")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RENDERING = "rendering", _("Sedang dibuat")
        READY = "ready", _("Siap")
        FAILED = "failed", _("Gagal")

    kind = models.CharField(_("jenis"), max_length=20, choices=Kind)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("pertemuan"), on_delete=models.CASCADE, related_name="reports"
    )
    options = models.JSONField(_("opsi"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    file = models.FileField(_("berkas"), upload_to=report_upload_to, blank=True)
    page_count = models.PositiveIntegerField(_("jumlah halaman"), null=True, blank=True)
    file_size = models.PositiveIntegerField(_("ukuran berkas (bita)"), null=True, blank=True)
    fingerprint = models.CharField(_("sidik data"), max_length=64)
    verification_code = models.CharField(
        _("kode verifikasi"),
        max_length=16,
        unique=True,
        default=new_verification_code,
        editable=False,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    error_message = models.TextField(_("pesan kesalahan"), blank=True)
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai dibuat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file=""),
                name="report_ready_has_file",
                violation_error_message=_("Laporan yang siap harus memiliki berkas."),
            ),
            # At most one report of the same data waits, renders or waits for a retry: a double click or
            # two people asking at once get the same report, never two renders of the same thing.
            models.UniqueConstraint(
                fields=["meeting", "kind", "fingerprint"],
                condition=Q(status__in=["pending", "rendering", "failed"]),
                name="report_one_open_per_fingerprint",
                violation_error_message=_("Laporan dengan data yang sama sedang dibuat."),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "kind", "fingerprint"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.meeting}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RENDERING)
