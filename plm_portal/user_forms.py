"""Forms national staff use to find, invite and edit portal users. Validation only; writes are services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from libraries.models import Province
from plm_portal.forms import PortalForm
from plm_portal.models import User
from plm_portal.once import FormKeyMixin
from plm_portal.selectors import UserStatus, user_email_taken


def _province_field(*, required: bool = False) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Provinsi"),
        queryset=Province.objects.order_by("name"),
        required=required,
        empty_label=_("— Pilih provinsi —"),
        help_text=_("Wajib untuk petugas provinsi; diabaikan untuk peran lain."),
    )


class _RoleProvinceMixin:
    """A provincial officer needs a province; other roles have none, so a chosen province is dropped."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == User.Role.PROVINCIAL:
            if not cleaned.get("province") and "province" not in self.errors:
                self.add_error("province", _("Petugas provinsi wajib memiliki provinsi."))
        elif role:
            cleaned["province"] = None
        return cleaned


class InviteUserForm(FormKeyMixin, _RoleProvinceMixin, PortalForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    role = forms.ChoiceField(
        label=_("Peran"), choices=User.Role.choices, initial=User.Role.PROVINCIAL
    )
    province = _province_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "inputmode": "email"})
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()
        if user_email_taken(email):
            raise forms.ValidationError(_("Email ini sudah dipakai oleh pengguna lain."))
        return email


class EditUserForm(_RoleProvinceMixin, PortalForm):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    role = forms.ChoiceField(label=_("Peran"), choices=User.Role.choices)
    province = _province_field()
    is_active = forms.BooleanField(
        label=_("Aktif (boleh masuk)"),
        required=False,
        help_text=_(
            "Pengguna tidak dihapus: nonaktifkan bila tidak lagi bertugas; "
            "data yang pernah dicatatnya tetap tersimpan."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "full_name": user.full_name,
                "role": user.role,
                "province": user.province_id,
                "is_active": user.is_active,
            },
        )
        super().__init__(*args, **kwargs)


class UserFilterForm(PortalForm):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100, widget=forms.SearchInput)
    role = forms.ChoiceField(label=_("Peran"), required=False)
    province = forms.ModelChoiceField(
        label=_("Provinsi"), required=False, queryset=Province.objects.order_by("name")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Semua"))]
        self.fields["role"].choices = [*everything, *User.Role.choices]
        self.fields["province"].empty_label = _("Semua")
        self.fields["status"].choices = [
            *everything,
            (UserStatus.ACTIVE, _("Aktif")),
            (UserStatus.INVITED, _("Belum mengatur kata sandi")),
            (UserStatus.INACTIVE, _("Nonaktif")),
        ]
        self.fields["q"].widget.attrs.update({"placeholder": _("Nama atau email")})
        for name in ("role", "province", "status"):
            self.fields[name].widget.attrs["data-autosubmit"] = ""
