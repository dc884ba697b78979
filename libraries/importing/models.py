"""The rows that follow a registry import: the job (file, mapping, status, counts) and its row issues.

Registered with the ``libraries`` app through ``libraries.models`` (which imports this module): the models
live here so that ``libraries/models.py`` stays about the registry itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The import's own rows and the row errors it keeps, at most: enough to fix a file, not a copy of it.
MAX_STORED_ISSUES = 1000


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class ImportJob(models.Model):
    """One upload of libraries or people into one province, from the file to the summary.

    ``uploaded`` (columns being mapped) → ``check_queued`` → ``checking`` → ``checked`` (row errors or ready) →
    ``apply_queued`` → ``applying`` → ``applied``; ``failed`` (``failed_step`` says which) may be retried.
    The counts hold what the check found until the apply replaces them with what it wrote.
    """

    class Kind(models.TextChoices):
        LIBRARIES = "libraries", _("Perpustakaan")
        PEOPLE = "people", _("Orang")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Memetakan kolom")
        CHECK_QUEUED = "check_queued", _("Menunggu pemeriksaan")
        CHECKING = "checking", _("Memeriksa")
        CHECKED = "checked", _("Sudah diperiksa")
        APPLY_QUEUED = "apply_queued", _("Menunggu penyimpanan")
        APPLYING = "applying", _("Menyimpan")
        APPLIED = "applied", _("Tersimpan")
        FAILED = "failed", _("Gagal")

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind)
    province = models.ForeignKey(
        "libraries.Province",
        verbose_name=_("provinsi"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    file = models.FileField(_("berkas"), storage=_private_storage, upload_to="imports/")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    file_size = models.PositiveBigIntegerField(_("ukuran"), default=0)
    header_row = models.PositiveIntegerField(_("baris judul"), default=1)
    headers = models.JSONField(_("judul kolom"), default=list)
    mapping = models.JSONField(_("pemetaan kolom"), default=dict)
    # The first rows under the header, for the mapping step's preview (cleared once applied).
    preview = models.JSONField(_("pratinjau"), default=list, blank=True)
    row_estimate = models.PositiveIntegerField(_("perkiraan baris"), default=0)
    status = models.CharField(_("status"), max_length=14, choices=Status, default=Status.UPLOADED)
    failed_step = models.CharField(_("langkah gagal"), max_length=10, blank=True)
    failure_message = models.TextField(_("alasan gagal"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    rows_done = models.PositiveIntegerField(_("baris diproses"), default=0)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    error_count = models.PositiveIntegerField(_("baris bermasalah"), default=0)
    created_count = models.PositiveIntegerField(_("baru"), default=0)
    updated_count = models.PositiveIntegerField(_("diperbarui"), default=0)
    skipped_count = models.PositiveIntegerField(_("dilewati"), default=0)
    duplicate_count = models.PositiveIntegerField(_("duplikat dalam berkas"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("impor registri")
        verbose_name_plural = _("impor registri")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["province", "-created_at"], name="import_job_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("libraries:import_job", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in (
            self.Status.CHECK_QUEUED,
            self.Status.CHECKING,
            self.Status.APPLY_QUEUED,
            self.Status.APPLYING,
        )

    @property
    def ready_to_apply(self) -> bool:
        """Checked without a row error, with something to write (or an apply that failed and may run again)."""
        checked = self.status == self.Status.CHECKED or (
            self.status == self.Status.FAILED and self.failed_step == "apply"
        )
        return checked and self.error_count == 0 and (self.created_count + self.updated_count) > 0


class ImportIssue(models.Model):
    """A row the import refuses (error) or leaves out (duplicate of an earlier row), with its reason."""

    class Level(models.TextChoices):
        ERROR = "error", _("Bermasalah")
        DUPLICATE = "duplicate", _("Duplikat dalam berkas")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    level = models.CharField(_("jenis"), max_length=10, choices=Level)
    row_number = models.PositiveIntegerField(_("baris"))
    column = models.CharField(_("kolom"), max_length=60, blank=True)
    message = models.CharField(_("pesan"), max_length=500)

    class Meta:
        verbose_name = _("catatan baris impor")
        verbose_name_plural = _("catatan baris impor")
        ordering = ["job", "row_number", "pk"]
        indexes = [models.Index(fields=["job", "level", "row_number"], name="import_issue_list")]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.message}"
