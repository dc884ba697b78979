"""A Bimtek training or Peer Learning Meeting, and its agenda sessions."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from libraries.models import Library, Person, Province, Regency
from plm_portal.choices_display import ChoiceLabels
from plm_portal.history import audited
from plm_portal.indexes import TrigramIndex


def new_checkin_token() -> str:
    return secrets.token_urlsafe(24)


class Meeting(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        PLM = "plm", _("Peer Learning Meeting (PLM)")
        BIMTEK = "bimtek", _("Bimbingan Teknis (Bimtek)")
        OTHER = "lainnya", _("Pertemuan lainnya")

    class Mode(models.TextChoices):
        TATAP_MUKA = "tatap_muka", _("Tatap muka")
        DARING = "daring", _("Daring")
        HIBRIDA = "hibrida", _("Hibrida")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        ONGOING = "ongoing", _("Berlangsung")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind, default=Kind.PLM)
    title = models.CharField(_("judul"), max_length=200)
    province = models.ForeignKey(
        Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="meetings"
    )
    year = models.PositiveSmallIntegerField(_("tahun program"))
    wave = models.PositiveSmallIntegerField(_("gelombang"), null=True, blank=True)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    mode = models.CharField(_("moda"), max_length=10, choices=Mode, default=Mode.TATAP_MUKA)
    venue_regency = models.ForeignKey(
        Regency,
        verbose_name=_("kabupaten/kota tempat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    venue_name = models.CharField(_("nama tempat"), max_length=200, blank=True)
    venue_address = models.TextField(_("alamat tempat"), blank=True)
    online_url = models.URLField(_("tautan daring"), blank=True)
    host_library = models.ForeignKey(
        Library,
        verbose_name=_("penyelenggara"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        help_text=_("Dinas yang menyelenggarakan; kop surat laporan memakai datanya."),
    )
    opened_by = models.CharField(
        _("dibuka oleh"),
        max_length=200,
        blank=True,
        help_text=_("Nama dan jabatan pejabat yang membuka."),
    )
    objectives = models.TextField(_("tujuan"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    assigned_facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fasilitator yang ditugaskan"),
        blank=True,
        related_name="assigned_meetings",
        limit_choices_to={"role": "facilitator"},
    )
    checkin_token = models.CharField(
        _("token check-in mandiri"),
        max_length=64,
        unique=True,
        default=new_checkin_token,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    # The self check-in token is a secret: never copied into the history.
    history = audited(excluded_fields=["checkin_token"])

    class Meta:
        verbose_name = _("pertemuan")
        verbose_name_plural = _("pertemuan")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_ends_on_or_after_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2018) & Q(year__lte=2100),
                name="meeting_year_in_range",
                violation_error_message=_("Tahun program antara 2018 dan 2100."),
            ),
            models.CheckConstraint(
                condition=Q(wave__isnull=True) | (Q(wave__gte=1) & Q(wave__lte=20)),
                name="meeting_wave_in_range",
                violation_error_message=_("Gelombang antara 1 dan 20."),
            ),
            models.CheckConstraint(
                condition=Q(venue_regency__isnull=True)
                | StartsWith(F("venue_regency"), F("province")),
                name="meeting_venue_within_province",
                violation_error_message=_("Tempat harus berada di provinsi pertemuan."),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "year"]),
            models.Index(
                fields=["year"], name="meeting_year"
            ),  # the list's year filter: min and max
            # The list's order, newest first: a page is read from the index, not sorted from every meeting.
            models.Index(F("start_date").desc(), "title", "id", name="meeting_list_order"),
            TrigramIndex("title", name="meeting_title_trgm"),
            TrigramIndex("venue_name", name="meeting_venue_trgm"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def days(self) -> list:
        from datetime import timedelta

        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + timedelta(days=offset) for offset in range(count)]


class Session(ChoiceLabels, models.Model):
    """One item of a meeting's agenda."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("pertemuan"), on_delete=models.CASCADE, related_name="sessions"
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    title = models.CharField(_("judul sesi"), max_length=200)
    date = models.DateField(_("tanggal"), null=True, blank=True)
    start_time = models.TimeField(_("jam mulai"), null=True, blank=True)
    end_time = models.TimeField(_("jam selesai"), null=True, blank=True)
    led_by = models.ForeignKey(
        Person,
        verbose_name=_("fasilitator/narasumber"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_sessions",
    )
    description = models.TextField(_("uraian"), blank=True)
    history = audited()

    class Meta:
        verbose_name = _("sesi")
        verbose_name_plural = _("agenda")
        ordering = ["meeting", "order", "date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="session_ends_after_start",
                violation_error_message=_("Jam selesai harus setelah jam mulai."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
