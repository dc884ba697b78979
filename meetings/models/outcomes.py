"""What a meeting produces: follow-up plans (RTL) and awards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from libraries.models import Library, Province
from meetings.models.meeting import Meeting
from plm_portal.choices import LineOfWork
from plm_portal.choices_display import ChoiceLabels
from plm_portal.history import audited


class RtlAction(ChoiceLabels, models.Model):
    """One row of a library's follow-up plan (Rencana Tindak Lanjut, RTL) drawn up at a meeting."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        IN_PROGRESS = "in_progress", _("Berjalan")
        DONE = "done", _("Selesai")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("pertemuan"),
        on_delete=models.CASCADE,
        related_name="rtl_actions",
    )
    library = models.ForeignKey(
        Library,
        verbose_name=_("perpustakaan"),
        on_delete=models.PROTECT,
        related_name="rtl_actions",
    )
    line_of_work = models.CharField(_("lini kerja"), max_length=10, choices=LineOfWork)
    activity = models.CharField(_("kegiatan"), max_length=300)
    objective = models.TextField(_("tujuan"), blank=True)
    target_group = models.CharField(_("sasaran"), max_length=200, blank=True)
    timeline = models.CharField(_("waktu"), max_length=100, blank=True)
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    responsible = models.CharField(_("penanggung jawab"), max_length=150, blank=True)
    indicator = models.TextField(_("indikator"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PLANNED)
    progress_note = models.TextField(_("catatan perkembangan"), blank=True)
    progress_date = models.DateField(_("tanggal perkembangan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    history = audited()

    class Meta:
        verbose_name = _("rencana tindak lanjut (RTL)")
        verbose_name_plural = _("rencana tindak lanjut (RTL)")
        ordering = ["meeting", "library__name", "order", "pk"]

    def __str__(self) -> str:
        return self.activity


class RtlFollowUp(ChoiceLabels, models.Model):
    """A check of an RTL row, due 1, 3 and 6 months after its meeting: what happened, with evidence.

    The three rows are made with the RTL row (meetings.services.rtl); their due dates follow the meeting's end.
    """

    class Month(models.IntegerChoices):
        ONE = 1, _("1 bulan")
        THREE = 3, _("3 bulan")
        SIX = 6, _("6 bulan")

    class Status(models.TextChoices):
        PENDING = "belum", _("Belum dicek")
        DONE = "selesai", _("Terlaksana")
        PARTIAL = "sebagian", _("Sebagian terlaksana")
        NOT_DONE = "tidak", _("Tidak terlaksana")

    rtl_action = models.ForeignKey(
        RtlAction,
        verbose_name=_("baris RTL"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    month = models.PositiveSmallIntegerField(_("bulan ke-"), choices=Month)
    due_date = models.DateField(_("jatuh tempo"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    note = models.TextField(_("catatan"), blank=True, max_length=2000)
    evidence_url = models.URLField(_("tautan bukti"), blank=True, max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("dicatat"), null=True, blank=True)
    history = audited()

    class Meta:
        verbose_name = _("tindak lanjut RTL")
        verbose_name_plural = _("tindak lanjut RTL")
        ordering = ["rtl_action", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["rtl_action", "month"],
                name="rtlfollowup_once_per_month",
                violation_error_message=_("Tindak lanjut bulan ini sudah ada untuk baris RTL ini."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date", "id"], name="rtlfollowup_due"),
        ]

    def __str__(self) -> str:
        return f"{self.rtl_action} ({self.get_month_display()})"


class Award(ChoiceLabels, models.Model):
    """Apresiasi: the best regency/city and village libraries of a province in a year."""

    class Category(models.TextChoices):
        BEST_REGENCY_LIBRARY = "kabkota", _("Perpustakaan kabupaten/kota terbaik")
        BEST_VILLAGE_LIBRARY = "desa", _("Perpustakaan desa terbaik")

    province = models.ForeignKey(
        Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="awards"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    category = models.CharField(_("kategori"), max_length=10, choices=Category)
    rank = models.PositiveSmallIntegerField(_("peringkat"), default=1)
    library = models.ForeignKey(
        Library, verbose_name=_("perpustakaan"), on_delete=models.PROTECT, related_name="awards"
    )
    citation = models.TextField(_("kutipan penghargaan"), blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("diserahkan pada"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
    )
    # Why the jury chose a library other than the score sheet's top one. Kept for Perpusnas; printed nowhere
    # public (not on the Piagam, not on any report).
    jury_reason = models.TextField(_("alasan juri"), blank=True, max_length=2000)
    history = audited()

    class Meta:
        verbose_name = _("penghargaan")
        verbose_name_plural = _("penghargaan")
        ordering = ["-year", "province_id", "category", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "category", "rank"],
                name="award_unique_rank",
                violation_error_message=_(
                    "Peringkat ini sudah diberikan untuk kategori dan tahun ini."
                ),
            ),
            models.UniqueConstraint(
                fields=["province", "year", "category", "library"],
                name="award_library_once_per_category",
                violation_error_message=_(
                    "Perpustakaan ini sudah menerima penghargaan kategori ini."
                ),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=10),
                name="award_rank_in_range",
                violation_error_message=_("Peringkat antara 1 dan 10."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.year} #{self.rank}: {self.library}"
