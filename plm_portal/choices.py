"""Choices shared by several apps (kept here because programs and meetings do not import each other)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LineOfWork(models.TextChoices):
    """The four lines of TPBIS implementation work after the Bimtek."""

    SERVICES = "layanan", _("Peningkatan layanan informasi")
    COMMUNITY = "pelibatan", _("Kegiatan pelibatan masyarakat")
    ADVOCACY = "advokasi", _("Advokasi")
    PUBLICATION = "publikasi", _("Publikasi")


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")
