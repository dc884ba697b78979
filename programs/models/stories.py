"""Impact stories (kisah inspiratif): a person whose life changed, told with their consent.

Workflow: draft (the province writes) → verified (the province checks it) → published (national staff). A story
without recorded consent is never published; wherever a story leaves its editors' hands it is shown anonymised
unless its person agreed to be named.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from libraries.models import Library, Person
from plm_portal.choices import LineOfWork
from plm_portal.choices_display import ChoiceLabels
from plm_portal.history import audited
from programs.models.activities import Activity, photo_name, private_storage


class ImpactStory(ChoiceLabels, models.Model):
    """A person whose life changed after using library services. Published only with their consent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        VERIFIED = "verified", _("Terverifikasi")
        PUBLISHED = "published", _("Terbit")

    class ConsentMethod(models.TextChoices):
        WRITTEN = "tertulis", _("Formulir tertulis")
        RECORDED_VERBAL = "lisan", _("Lisan, direkam")

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
    anonymous = models.BooleanField(
        _("tanpa nama"),
        default=True,
        help_text=_("Nama orang tidak ditampilkan di luar tim penyunting."),
    )
    alias = models.CharField(
        _("nama samaran"), max_length=100, blank=True, help_text=_("mis. “Ibu S., 42 tahun”")
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("kegiatan yang membantu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="impact_stories",
    )
    title = models.CharField(_("judul"), max_length=200)
    before = models.TextField(_("keadaan sebelum"), blank=True, max_length=5000)
    after = models.TextField(_("keadaan sesudah"), blank=True, max_length=5000)
    story = models.TextField(_("cerita"), max_length=10000)
    change_skills = models.BooleanField(_("keterampilan"), default=False)
    change_income = models.BooleanField(_("pendapatan"), default=False)
    change_work = models.BooleanField(_("pekerjaan"), default=False)
    change_community = models.BooleanField(_("kehidupan bermasyarakat"), default=False)
    line_of_work = models.CharField(_("lini kerja"), max_length=10, choices=LineOfWork, blank=True)
    date = models.DateField(_("tanggal"))
    photo = models.FileField(
        _("foto"), upload_to=photo_name, storage=private_storage, blank=True, max_length=200
    )
    consent_given = models.BooleanField(_("persetujuan publikasi"), default=False)
    consent_date = models.DateField(_("tanggal persetujuan"), null=True, blank=True)
    consent_method = models.CharField(
        _("cara persetujuan"), max_length=10, choices=ConsentMethod, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persetujuan dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditulis oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    history = audited()

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
            models.CheckConstraint(
                condition=Q(consent_given=False) | ~Q(consent_method=""),
                name="impactstory_consent_has_method",
                violation_error_message=_("Isi cara persetujuan diberikan."),
            ),
        ]
        indexes = [
            models.Index(fields=["library", "-date", "id"], name="impactstory_library_date"),
            models.Index(fields=["status", "-date", "id"], name="impactstory_status_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shows_name(self) -> bool:
        """Whether the person's name may be shown outside the editors: consent given, not anonymous."""
        return bool(self.person_id and self.consent_given and not self.anonymous)

    @property
    def public_name(self) -> str:
        """The name to show outside the editors' hands: the person's only with consent, else the alias."""
        if self.shows_name:
            return self.person.full_name
        return self.alias or str(_("Narasumber (tanpa nama)"))

    @property
    def changes(self) -> list[str]:
        """What changed, as labels."""
        fields = ("change_skills", "change_income", "change_work", "change_community")
        return [
            str(self._meta.get_field(name).verbose_name) for name in fields if getattr(self, name)
        ]
