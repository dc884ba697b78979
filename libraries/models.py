"""Regions (Kemendagri codes), libraries and the people who take part in the programme.

Region rows use their dotted Kemendagri code as primary key: the code is the identity the ministry publishes,
a newer list only renames, and foreign keys stay readable ("15.71" is Kota Jambi everywhere).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Lower, Upper
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plm_portal.choices import Gender
from plm_portal.choices_display import ChoiceLabels
from plm_portal.history import audited
from plm_portal.indexes import TrigramIndex


class Province(ChoiceLabels, models.Model):
    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", _("WIB (UTC+7)")
        WITA = "Asia/Makassar", _("WITA (UTC+8)")
        WIT = "Asia/Jayapura", _("WIT (UTC+9)")

    code = models.CharField(_("kode"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    time_zone = models.CharField(_("zona waktu"), max_length=20, choices=TimeZone)

    class Meta:
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def time_zone_abbreviation(self) -> str:
        return self.TimeZone(self.time_zone).name


class Regency(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="regencies"
    )
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind)

    class Meta:
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__startswith=Concat(F("province"), Value("."))),
                name="regency_code_within_province",
                violation_error_message=_("Kode harus diawali kode induknya."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class District(ChoiceLabels, models.Model):
    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    regency = models.ForeignKey(
        Regency,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="districts",
    )
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__startswith=Concat(F("regency"), Value("."))),
                name="district_code_within_regency",
                violation_error_message=_("Kode harus diawali kode induknya."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Village(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA_ADAT = "desa_adat", _("Desa adat")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    district = models.ForeignKey(
        District, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="villages"
    )
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind)
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__startswith=Concat(F("district"), Value("."))),
                name="village_code_within_district",
                violation_error_message=_("Kode harus diawali kode induknya."),
            ),
        ]
        indexes = [TrigramIndex("name", name="village_name_trgm")]  # the library list's search

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Library(ChoiceLabels, models.Model):
    """A library or library office. Every library belongs to exactly one province."""

    class Kind(models.TextChoices):
        PROVINCIAL_OFFICE = "provinsi", _("Dinas Perpustakaan Provinsi")
        REGENCY_OFFICE = "kabkota", _("Dinas Perpustakaan Kabupaten/Kota")
        VILLAGE = "desa", _("Perpustakaan Desa/Kelurahan")
        OTHER = "lainnya", _("Lainnya")

    # The one order of libraries on every list and report: offices first, then village libraries, the rest.
    KIND_ORDER = (Kind.PROVINCIAL_OFFICE, Kind.REGENCY_OFFICE, Kind.VILLAGE, Kind.OTHER)

    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind)
    province = models.ForeignKey(
        Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="libraries"
    )
    regency = models.ForeignKey(
        Regency,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="libraries",
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="libraries",
    )
    address = models.TextField(_("alamat"), blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    head_name = models.CharField(_("nama kepala"), max_length=150, blank=True)
    head_title = models.CharField(_("jabatan kepala"), max_length=150, blank=True)
    head_nip = models.CharField(_("NIP kepala"), max_length=30, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    history = audited()

    class Meta:
        verbose_name = _("perpustakaan")
        verbose_name_plural = _("perpustakaan")
        ordering = ["province_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="desa") | Q(village__isnull=False),
                name="library_village_library_has_village",
                violation_error_message=_("Perpustakaan desa wajib memiliki desa/kelurahan."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["desa", "kabkota"]) | Q(regency__isnull=False),
                name="library_local_library_has_regency",
                violation_error_message=_("Perpustakaan ini wajib memiliki kabupaten/kota."),
            ),
            models.CheckConstraint(
                condition=Q(regency__isnull=True) | StartsWith(F("regency"), F("province")),
                name="library_regency_within_province",
                violation_error_message=_("Kabupaten/kota harus berada di provinsi perpustakaan."),
            ),
            models.CheckConstraint(
                condition=Q(village__isnull=True)
                | (Q(regency__isnull=False) & StartsWith(F("village"), F("regency"))),
                name="library_village_within_regency",
                violation_error_message=_(
                    "Desa/kelurahan harus berada di kabupaten/kota perpustakaan."
                ),
            ),
            models.UniqueConstraint(
                "province",
                Lower("name"),
                name="library_name_unique_in_province",
                violation_error_message=_(
                    "Perpustakaan dengan nama ini sudah ada di provinsi ini."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "name", "id"], name="library_list_order"),
            TrigramIndex("name", name="library_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("libraries:library_detail", args=[self.pk])

    @classmethod
    def kind_rank(cls, kind: str) -> int:
        """Where ``kind`` comes in KIND_ORDER; an unknown kind last."""
        return cls.KIND_ORDER.index(kind) if kind in cls.KIND_ORDER else len(cls.KIND_ORDER)

    @property
    def list_order(self) -> tuple[int, str]:
        """The sort key of every list of libraries: kind (KIND_ORDER), then name, case-insensitive."""
        return (self.kind_rank(self.kind), self.name.casefold())


class PersonHaystack(models.Func):
    """What the people search reads: name, e-mail, position and institution in capitals, one string.

    On PostgreSQL it is ``plm_person_haystack(...)``, a PL/pgSQL function created by migration 0004 and
    declared expensive (COST 1000): the planner then answers a search from ``person_search_trgm`` (a trigram
    index on this very expression) and rechecks the matches, instead of computing it for every person in a
    sequential scan because a common name matches 4 % of the nation. Elsewhere it is the same UPPER(...).
    """

    function = "plm_person_haystack"
    output_field = models.TextField()

    def as_sql(
        self, compiler, connection, **extra_context
    ):  # SQLite and the rest: the plain expression
        fields = self.get_source_expressions()
        parts = []
        for field in fields:
            parts += [field, Value(" ")]
        return Upper(Concat(*parts[:-1], output_field=models.TextField())).as_sql(
            compiler, connection, **extra_context
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, **extra_context)


def person_haystack(prefix: str = "") -> PersonHaystack:
    """The haystack of the person (``prefix`` reaches one from another row: ``"person__"``)."""
    return PersonHaystack(
        *(f"{prefix}{field}" for field in ("full_name", "email", "position", "institution"))
    )


class Person(ChoiceLabels, models.Model):
    """A human who takes part in the programme. Personal data (UU PDP No. 27/2022): scoped to a province.

    Deduplicated by phone or e-mail within a province.
    """

    full_name = models.CharField(_("nama lengkap"), max_length=150)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender, blank=True)
    phone = models.CharField(
        _("nomor HP"), max_length=16, blank=True, help_text=_("Disimpan dalam format +62…")
    )
    email = models.EmailField(_("email"), blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    institution = models.CharField(
        _("instansi/asal"),
        max_length=200,
        blank=True,
        help_text=_("Diisi bila berbeda dari perpustakaan asal."),
    )
    province = models.ForeignKey(
        Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="people"
    )
    home_library = models.ForeignKey(
        Library,
        verbose_name=_("perpustakaan asal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    history = audited()

    class Meta:
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                "province",
                "phone",
                condition=~Q(phone=""),
                name="person_phone_unique_in_province",
                violation_error_message=_("Nomor HP ini sudah terdaftar di provinsi ini."),
            ),
            models.UniqueConstraint(
                "province",
                Lower("email"),
                condition=~Q(email=""),
                name="person_email_unique_in_province",
                violation_error_message=_("Email ini sudah terdaftar di provinsi ini."),
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__startswith="+62"),
                name="person_phone_normalised",
                violation_error_message=_("Nomor HP harus dalam format +62…"),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "full_name"]),
            models.Index(fields=["full_name", "id"], name="person_name_order"),
            TrigramIndex(
                "full_name", name="person_name_trgm"
            ),  # the self check-in page's name search
            TrigramIndex(person_haystack(), name="person_search_trgm", upper=False),
            TrigramIndex("phone", name="person_phone_trgm", upper=False),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        super().clean()
        if (
            self.home_library_id
            and self.province_id
            and self.home_library.province_id != self.province_id
        ):
            raise ValidationError(
                {"home_library": _("Perpustakaan asal harus berada di provinsi yang sama.")}
            )

    @property
    def affiliation(self) -> str:
        """Instansi/Asal as printed on an attendance list."""
        if self.institution:
            return self.institution
        return self.home_library.name if self.home_library_id else ""


# Registry imports (libraries and people from a spreadsheet): their models live with the import code.
from libraries.importing.models import ImportIssue, ImportJob  # noqa: E402, F401
