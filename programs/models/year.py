"""Programme years and which libraries take part in them (enrolment), with every change kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from plm_portal.choices_display import ChoiceLabels
from plm_portal.history import audited


class ProgrammeYear(ChoiceLabels, models.Model):
    """A programme year, and the weights of its award score sheet (set by national staff)."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    name = models.CharField(_("nama"), max_length=200, blank=True)
    theme = models.TextField(_("tema/catatan"), blank=True)
    is_national_priority = models.BooleanField(_("program prioritas nasional"), default=False)
    # Award score sheet: each part is scaled to 0-100 within the province, then weighted (see reports.scoring).
    weight_activities = models.PositiveSmallIntegerField(
        _("bobot kegiatan implementasi"), default=30
    )
    weight_beneficiaries = models.PositiveSmallIntegerField(_("bobot penerima manfaat"), default=20)
    weight_rtl = models.PositiveSmallIntegerField(_("bobot ketuntasan RTL"), default=30)
    weight_stories = models.PositiveSmallIntegerField(
        _("bobot kisah inspiratif terbit"), default=20
    )

    class Meta:
        verbose_name = _("tahun program")
        verbose_name_plural = _("tahun program")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2018) & Q(year__lte=2100),
                name="programmeyear_year_in_range",
                violation_error_message=_("Tahun program antara 2018 dan 2100."),
            ),
            models.CheckConstraint(
                condition=Q(weight_activities__lte=100)
                & Q(weight_beneficiaries__lte=100)
                & Q(weight_rtl__lte=100)
                & Q(weight_stories__lte=100),
                name="programmeyear_weights_at_most_100",
                violation_error_message=_("Setiap bobot antara 0 dan 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"TPBIS {self.year}"

    @property
    def weights(self) -> dict[str, int]:
        return {
            "activities": self.weight_activities,
            "beneficiaries": self.weight_beneficiaries,
            "rtl": self.weight_rtl,
            "stories": self.weight_stories,
        }


class Enrollment(ChoiceLabels, models.Model):
    """A library taking part in the programme in one year. Its changes are kept as EnrollmentChange rows."""

    class PartnerStatus(models.TextChoices):
        PARTNER = "mitra", _("Mitra program")
        REPLICATION = "replikasi", _("Replikasi (anggaran daerah)")
        INDEPENDENT = "mandiri", _("Mandiri")
        WITHDRAWN = "keluar", _("Mengundurkan diri")

    programme_year = models.ForeignKey(
        ProgrammeYear,
        verbose_name=_("tahun program"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    library = models.ForeignKey(
        Library,
        verbose_name=_("perpustakaan"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    cohort = models.CharField(_("angkatan"), max_length=50, blank=True)
    partner_status = models.CharField(
        _("status kemitraan"), max_length=10, choices=PartnerStatus, default=PartnerStatus.PARTNER
    )
    joined_on = models.DateField(_("tanggal bergabung"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True, null=True)
    history = audited()

    class Meta:
        verbose_name = _("kepesertaan")
        verbose_name_plural = _("kepesertaan")
        ordering = ["-programme_year__year", "library__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "library"],
                name="enrollment_unique_library_per_year",
                violation_error_message=_(
                    "Perpustakaan ini sudah terdaftar pada tahun program ini."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["programme_year", "partner_status", "library"],
                name="enrollment_year_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.library} ({self.programme_year.year})"


class EnrollmentChange(ChoiceLabels, models.Model):
    """One state of an enrolment, as saved: what it became, who changed it and when (the first is its creation)."""

    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("kepesertaan"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    partner_status = models.CharField(
        _("status kemitraan"), max_length=10, choices=Enrollment.PartnerStatus
    )
    cohort = models.CharField(_("angkatan"), max_length=50, blank=True)
    joined_on = models.DateField(_("tanggal bergabung"), null=True, blank=True)
    note = models.TextField(_("catatan perubahan"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("waktu perubahan"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat kepesertaan")
        verbose_name_plural = _("riwayat kepesertaan")
        ordering = ["enrollment", "-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["enrollment", "-changed_at"], name="enrollmentchange_history"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.get_partner_status_display()}"
