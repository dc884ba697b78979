from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plm_portal.choices_display import ChoiceLabels
from plm_portal.history import audited


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", User.Role.NATIONAL)
        return self._create_user(email, password, **extra_fields)


class User(ChoiceLabels, AbstractBaseUser, PermissionsMixin):
    """A person who signs in: e-mail is the login; role and province decide what they may see."""

    class Role(models.TextChoices):
        NATIONAL = "national", _("Staf nasional (Perpusnas)")
        PROVINCIAL = "provincial", _("Petugas provinsi")
        FACILITATOR = "facilitator", _("Fasilitator")

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    role = models.CharField(_("peran"), max_length=20, choices=Role, default=Role.PROVINCIAL)
    province = models.ForeignKey(
        "libraries.Province",
        verbose_name=_("provinsi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Wajib untuk petugas provinsi: mereka hanya melihat data provinsi ini."),
    )
    is_staff = models.BooleanField(
        _("akses admin"),
        default=False,
        help_text=_("Boleh masuk ke halaman admin Django."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    date_joined = models.DateTimeField(_("tanggal bergabung"), default=timezone.now)

    objects = UserManager()
    # Secrets and sign-in bookkeeping stay out of the history (a sign-in alone records nothing).
    history = audited(excluded_fields=["password", "last_login"])

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=~Q(role="provincial") | Q(province__isnull=False),
                name="user_provincial_officer_has_province",
                violation_error_message=_("Petugas provinsi wajib memiliki provinsi."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_national(self) -> bool:
        return self.is_active and (self.role == self.Role.NATIONAL or self.is_superuser)

    @property
    def is_provincial_officer(self) -> bool:
        return self.role == self.Role.PROVINCIAL and not self.is_superuser

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR and not self.is_superuser
