"""Who takes part in a meeting, in which role, and on which days they were present."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from libraries.models import Library, Person
from meetings.models.meeting import Meeting
from plm_portal.choices_display import ChoiceLabels
from plm_portal.history import audited


class Participation(ChoiceLabels, models.Model):
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
    history = audited()

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


class Attendance(ChoiceLabels, models.Model):
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
    history = audited()

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
