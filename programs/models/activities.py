"""Implementation activities: what a library did in the four lines of work, for whom, with evidence."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from libraries.models import Library
from plm_portal.choices import LineOfWork
from plm_portal.choices_display import ChoiceLabels
from plm_portal.history import audited


def private_storage():
    """Uploaded photos: outside MEDIA_ROOT, never served as static files, only through scoped views."""
    return storages["private"]


def photo_name(instance: models.Model, filename: str) -> str:
    """An unguessable name; the uploaded file's own name is not kept (it may carry personal data)."""
    return f"photos/{uuid.uuid4().hex}.jpg"


class Activity(ChoiceLabels, models.Model):
    """A library's implementation work in one of the four TPBIS lines of work."""

    library = models.ForeignKey(
        Library, verbose_name=_("perpustakaan"), on_delete=models.CASCADE, related_name="activities"
    )
    line_of_work = models.CharField(_("lini kerja"), max_length=10, choices=LineOfWork)
    title = models.CharField(_("judul kegiatan"), max_length=200)
    description = models.TextField(_("uraian"), blank=True, max_length=5000)
    date = models.DateField(_("tanggal"))
    end_date = models.DateField(_("tanggal selesai"), null=True, blank=True)
    location = models.CharField(_("tempat"), max_length=200, blank=True)
    partners = models.CharField(_("mitra/pihak yang terlibat"), max_length=300, blank=True)
    beneficiaries_male = models.PositiveIntegerField(_("penerima manfaat laki-laki"), default=0)
    beneficiaries_female = models.PositiveIntegerField(_("penerima manfaat perempuan"), default=0)
    beneficiaries_disabled = models.PositiveIntegerField(
        _("di antaranya penyandang disabilitas"), default=0
    )
    evidence_url = models.URLField(_("tautan bukti"), blank=True, max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    history = audited()

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
            models.CheckConstraint(
                condition=Q(
                    beneficiaries_disabled__lte=F("beneficiaries_male") + F("beneficiaries_female")
                ),
                name="activity_disabled_within_total",
                violation_error_message=_(
                    "Penerima manfaat penyandang disabilitas tidak boleh melebihi jumlah penerima "
                    "manfaat."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["library", "-date", "id"], name="activity_library_date"),
            models.Index(fields=["-date", "id"], name="activity_list_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def beneficiaries_total(self) -> int:
        return self.beneficiaries_male + self.beneficiaries_female


class ActivityPhoto(models.Model):
    """A photo of an activity: re-encoded as JPEG without metadata (EXIF, GPS) when uploaded."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("kegiatan"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("foto"), upload_to=photo_name, storage=private_storage)
    width = models.PositiveIntegerField(_("lebar"))
    height = models.PositiveIntegerField(_("tinggi"))
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto kegiatan")
        verbose_name_plural = _("foto kegiatan")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return self.caption or f"{self.activity} #{self.pk}"
