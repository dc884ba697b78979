"""Bimtek trainings and Peer Learning Meetings: agenda, participants, attendance, follow-up plans and awards."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from libraries.models import Library, Person, Province, Regency
from plm_portal.choices import LineOfWork


def new_checkin_token() -> str:
    return secrets.token_urlsafe(24)


class Meeting(models.Model):
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
        indexes = [models.Index(fields=["province", "year"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def days(self) -> list:
        from datetime import timedelta

        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + timedelta(days=offset) for offset in range(count)]


class Session(models.Model):
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


class Participation(models.Model):
    """A person taking part in a meeting, in one role, representing one library."""

    class Role(models.TextChoices):
        PROVINCIAL_OFFICE = "dinas_provinsi", _("Dinas Perpustakaan Provinsi")
        REGENCY_OFFICE = "dinas_kabkota", _("Dinas Perpustakaan Kabupaten/Kota")
        VILLAGE_LIBRARY = "perpusdes", _("Perpustakaan Desa")
        IMPACT = "dampak", _("Impact/Dampak")
        DESA_CHAMPION = "desa_champion", _("Desa Champion")
        MASTER_TRAINER = "master_trainer", _("Master Trainer")
        REGIONAL_FACILITATOR = "fasilitator_daerah", _("Fasilitator Daerah")
        RESOURCE_PERSON = "narasumber", _("Narasumber")
        COMMITTEE = "panitia", _("Panitia")

    PARTICIPANT_ROLES = (
        Role.PROVINCIAL_OFFICE,
        Role.REGENCY_OFFICE,
        Role.VILLAGE_LIBRARY,
        Role.IMPACT,
        Role.DESA_CHAMPION,
    )
    FACILITATOR_ROLES = (Role.MASTER_TRAINER, Role.REGIONAL_FACILITATOR, Role.RESOURCE_PERSON)
    COMMITTEE_ROLES = (Role.COMMITTEE,)

    class Group(models.TextChoices):  # the blocks of every participant list, in order
        PARTICIPANTS = "peserta", _("Peserta")
        FACILITATORS = "fasilitator", _("Fasilitator dan narasumber")
        COMMITTEE = "panitia", _("Panitia")

    GROUP_ROLES = dict(
        zip(Group, (PARTICIPANT_ROLES, FACILITATOR_ROLES, COMMITTEE_ROLES), strict=True)
    )
    # Each role's rank on every list and document: block by block, within a block as declared.
    ROLE_ORDER = {role: rank for rank, role in enumerate(sum(GROUP_ROLES.values(), ()))}

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("pertemuan"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("orang"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role)
    library = models.ForeignKey(
        Library,
        verbose_name=_("perpustakaan yang diwakili"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    notes = models.CharField(_("catatan"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        ordering = ["meeting", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="participation_unique_person_per_meeting",
                violation_error_message=_("Orang ini sudah terdaftar di pertemuan ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"

    @cached_property  # Instansi/Asal as listed and printed; settable, as a view may work it out itself
    def affiliation(self) -> str:
        return self.library.name if self.library_id else self.person.affiliation


class Attendance(models.Model):
    """A participant's presence on one day of a meeting (a Bimtek lasts several days; a PLM one)."""

    class Method(models.TextChoices):
        MANUAL = "manual", _("Dicatat petugas")
        SELF = "mandiri", _("Check-in mandiri")

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("peserta"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    day = models.DateField(_("hari"))
    checked_in_at = models.DateTimeField(_("waktu hadir"))
    method = models.CharField(_("cara"), max_length=10, choices=Method, default=Method.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        ordering = ["day", "checked_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "day"],
                name="attendance_once_per_day",
                violation_error_message=_("Kehadiran hari ini sudah tercatat."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation.person} — {self.day:%Y-%m-%d}"


class RtlAction(models.Model):
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

    class Meta:
        verbose_name = _("rencana tindak lanjut (RTL)")
        verbose_name_plural = _("rencana tindak lanjut (RTL)")
        ordering = ["meeting", "library__name", "order", "pk"]

    def __str__(self) -> str:
        return self.activity


class Award(models.Model):
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
