"""The programme over the years: which libraries take part, their implementation work, and impact stories."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from libraries.models import Library, Person
from plm_portal.choices import LineOfWork
from plm_portal.choices_display import ChoiceLabels


class ProgrammeYear(ChoiceLabels, models.Model):
    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    name = models.CharField(_("nama"), max_length=200, blank=True)
    theme = models.TextField(_("tema/catatan"), blank=True)
    is_national_priority = models.BooleanField(_("program prioritas nasional"), default=False)

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
        ]

    def __str__(self) -> str:
        return self.name or f"TPBIS {self.year}"


class Enrollment(ChoiceLabels, models.Model):
    """A library taking part in the programme in one year."""

    class PartnerStatus(models.TextChoices):
        PARTNER = "mitra", _("Mitra program")
        REPLICATION = "replikasi", _("Replikasi (anggaran daerah)")
        INDEPENDENT = "mandiri", _("Mandiri")

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

    def __str__(self) -> str:
        return f"{self.library} ({self.programme_year.year})"


class Activity(ChoiceLabels, models.Model):
    """A library's implementation work in one of the four TPBIS lines of work."""

    library = models.ForeignKey(
        Library, verbose_name=_("perpustakaan"), on_delete=models.CASCADE, related_name="activities"
    )
    line_of_work = models.CharField(_("lini kerja"), max_length=10, choices=LineOfWork)
    title = models.CharField(_("judul kegiatan"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    date = models.DateField(_("tanggal"))
    end_date = models.DateField(_("tanggal selesai"), null=True, blank=True)
    location = models.CharField(_("tempat"), max_length=200, blank=True)
    partners = models.CharField(_("mitra/pihak yang terlibat"), max_length=300, blank=True)
    beneficiaries_male = models.PositiveIntegerField(_("penerima manfaat laki-laki"), default=0)
    beneficiaries_female = models.PositiveIntegerField(_("penerima manfaat perempuan"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("kegiatan implementasi")
        verbose_name_plural = _("kegiatan implementasi")
        ordering = ["-date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="activity_ends_after_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def beneficiaries_total(self) -> int:
        return self.beneficiaries_male + self.beneficiaries_female


class ImpactStory(ChoiceLabels, models.Model):
    """A person whose life changed after using library services. Published only with their consent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Terbit")

    library = models.ForeignKey(
        Library,
        verbose_name=_("perpustakaan"),
        on_delete=models.CASCADE,
        related_name="impact_stories",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("orang"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="impact_stories",
    )
    title = models.CharField(_("judul"), max_length=200)
    story = models.TextField(_("cerita"))
    line_of_work = models.CharField(_("lini kerja"), max_length=10, choices=LineOfWork, blank=True)
    date = models.DateField(_("tanggal"))
    consent_given = models.BooleanField(_("persetujuan publikasi"), default=False)
    consent_date = models.DateField(_("tanggal persetujuan"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("cerita dampak")
        verbose_name_plural = _("cerita dampak")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(consent_given=True),
                name="impactstory_published_needs_consent",
                violation_error_message=_(
                    "Cerita hanya dapat diterbitkan dengan persetujuan orangnya."
                ),
            ),
            models.CheckConstraint(
                condition=Q(consent_given=False) | Q(consent_date__isnull=False),
                name="impactstory_consent_has_date",
                violation_error_message=_("Isi tanggal persetujuan."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
