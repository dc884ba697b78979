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


def export_storage():
    """Exports hold personal data: the private storage, served only by the download view."""
    from django.core.files.storage import storages

    return storages["private"]


def export_upload_to(export: Export, filename: str) -> str:
    # The requester's folder and a random part: a file name never tells whose data or which province it holds.
    return f"exports/{export.requested_by_id or 0}/{secrets.token_hex(8)}-{filename}"


class Export(ChoiceLabels, models.Model):
    """An XLSX export built by Celery for one user from one list page's filters (CSV is streamed, no row).

    The rows are read again when the job runs, through the requester's scope at that moment: the filters are
    the list page's query string, never a list of rows chosen in the browser.
    """

    class Dataset(models.TextChoices):
        PARTICIPANTS = "participants", _("Peserta")
        ATTENDANCE = "attendance", _("Kehadiran")
        RTL = "rtl", _("RTL dan tindak lanjut")
        ACTIVITIES = "activities", _("Kegiatan implementasi")
        STORIES = "stories", _("Cerita dampak")
        LIBRARIES = "libraries", _("Perpustakaan")
        PEOPLE = "people", _("Orang")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (XLSX)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Sedang dibuat")
        READY = "ready", _("Siap")
        FAILED = "failed", _("Gagal")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        # An export is its requester's personal copy: it goes with their account.
        on_delete=models.CASCADE,
        related_name="exports",
    )
    dataset = models.CharField(_("data"), max_length=20, choices=Dataset)
    format = models.CharField(_("format"), max_length=10, choices=Format, default=Format.XLSX)
    filters = models.JSONField(_("saringan"), default=dict, blank=True)
    summary = models.CharField(_("ringkasan saringan"), max_length=300, blank=True)
    language = models.CharField(_("bahasa"), max_length=10, default="id")
    fingerprint = models.CharField(_("sidik permintaan"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    rows_done = models.PositiveIntegerField(_("baris selesai"), default=0)
    rows_total = models.PositiveIntegerField(_("jumlah baris"), null=True, blank=True)
    file = models.FileField(
        _("berkas"), upload_to=export_upload_to, storage=export_storage, blank=True, max_length=200
    )
    file_size = models.PositiveBigIntegerField(_("ukuran berkas (bita)"), null=True, blank=True)
    error_message = models.TextField(_("pesan kesalahan"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai dibuat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("ekspor")
        verbose_name_plural = _("ekspor")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(file=""),
                name="export_ready_has_file",
                violation_error_message=_("Ekspor yang siap harus memiliki berkas."),
            ),
            # One job per user and request while it waits or runs: a double tap, or a second tap while the
            # first is still being built, joins the job already there.
            models.UniqueConstraint(
                fields=["requested_by", "dataset", "fingerprint"],
                condition=Q(status__in=["pending", "running"]),
                name="export_one_open_per_fingerprint",
                violation_error_message=_("Ekspor yang sama sedang dibuat."),
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="export_requester_recent"),
            models.Index(fields=["status", "created_at"], name="export_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        """How far the build is, 0 to 100 (0 until the rows are counted)."""
        if not self.rows_total:
            return 100 if self.status == self.Status.READY else 0
        return min(100, self.rows_done * 100 // self.rows_total)
