"""Forms for libraries and people: list filters, and create/edit forms kept inside the user's provinces.

Every queryset a form offers (provinces, regencies, districts, villages, home libraries) is narrowed to the
province the user may write, so a value posted by hand from another province is an invalid choice, not a save.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from libraries.models import District, Library, Person, Province
from libraries.phone import normalize_phone
from libraries.picker import LibraryPicker
from libraries.selectors import (
    MIN_SEARCH_LENGTH,
    districts_of,
    enrollment_filter_choices,
    libraries_of,
    library_name_taken,
    people_visible_to,
    person_with,
    provinces_by_code,
    provinces_visible_to,
    regencies_of,
    search_length,
    villages_of,
)
from plm_portal.forms import PortalForm, PortalModelForm
from plm_portal.models import User
from plm_portal.once import FormKeyMixin

EVERYTHING = ("", _("Semua"))


def set_place_choices(
    form: forms.Form, provinces: list[tuple[str, str]], regencies: list[tuple[str, str]]
) -> None:
    """The province and regency filters of a list: a province filter only for users who see several
    provinces (else the field goes), and the regency filter waits for a province when there are several."""
    form.fields["regency"].choices = [EVERYTHING, *regencies]
    if len(provinces) > 1:
        form.fields["province"].choices = [EVERYTHING, *provinces]
        if not regencies:
            form.fields["regency"].disabled = True
            form.fields["regency"].help_text = _("Pilih provinsi dulu.")
    else:
        del form.fields["province"]


# Posted ids are region codes or row ids: digits and dots. Anything else (junk, a NUL byte that PostgreSQL
# refuses in a query) selects nothing, and the field's own validation says why.
POSTED_ID = re.compile(r"[0-9.]{1,20}")


def _pk(value: Any) -> str | None:
    """A model instance, a pk or "" as a plain pk string (or None, also for what cannot be an id)."""
    value = getattr(value, "pk", value)
    if value in (None, ""):
        return None
    value = str(value)
    return value if POSTED_ID.fullmatch(value) else None


# --- list filters ------------------------------------------------------------------------------------


class LibraryFilterForm(PortalForm):
    """Search and filters of the library list. Choices come as lists so rendering costs no extra query."""

    q = forms.CharField(label=_("Cari"), required=False, max_length=100, widget=forms.SearchInput)
    kind = forms.ChoiceField(label=_("Jenis"), required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    year = forms.ChoiceField(label=_("Tahun program"), required=False)
    status = forms.ChoiceField(label=_("Status kepesertaan"), required=False)

    def __init__(
        self,
        *args: Any,
        provinces: list[tuple[str, str]],
        regencies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [EVERYTHING, *Library.Kind.choices]
        years, statuses = enrollment_filter_choices()
        self.fields["year"].choices = [EVERYTHING, *years]
        self.fields["status"].choices = [EVERYTHING, *statuses]
        set_place_choices(self, provinces, regencies)
        self.fields["q"].widget.attrs.update(
            {
                "placeholder": _("Nama, kabupaten/kota atau desa"),
                "autocomplete": "off",
            }
        )
        for name in ("kind", "province", "regency", "year", "status"):
            if name in self.fields:
                self.fields[name].widget.attrs["data-autosubmit"] = ""


class PeopleSearchField(forms.CharField):
    """The search box of a list of people. It filters through ``search_people``, which needs MIN_SEARCH_LENGTH
    letters or digits: a shorter query is an error, and the list stays unfiltered rather than empty."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=100, widget=forms.SearchInput, **kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and search_length(value) < MIN_SEARCH_LENGTH:
            raise ValidationError(
                _("Ketik minimal %(count)d huruf atau angka untuk mencari."),
                code="too_short",
                params={"count": MIN_SEARCH_LENGTH},
            )


class PersonFilterForm(PortalForm):
    q = PeopleSearchField(label=_("Cari"))
    province = forms.ChoiceField(label=_("Provinsi"), required=False)

    def __init__(self, *args: Any, provinces: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(provinces) > 1:
            self.fields["province"].choices = [EVERYTHING, *provinces]
            self.fields["province"].widget.attrs["data-autosubmit"] = ""
        else:
            del self.fields["province"]
        self.fields["q"].widget.attrs.update(
            {
                "placeholder": _("Nama, nomor HP, email, jabatan atau instansi"),
                "autocomplete": "off",
            }
        )


# --- province handling shared by both edit forms -------------------------------------------------------


class _ProvinceScopedForm(PortalModelForm):
    """A model form whose ``province`` is chosen by national staff and fixed for a provincial officer."""

    province = forms.ModelChoiceField(
        label=_("Provinsi"),
        queryset=Province.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Pilih provinsi yang tersedia.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["province"]
        if user.is_national:
            field.queryset = provinces_visible_to(user).order_by("name")
            field.empty_label = _("— pilih provinsi —")
            self.province_id = self._selected("province")
        else:
            # Shown but fixed. Kept in the form (disabled, not removed) so the model's constraints that
            # mention province are still validated.
            self.province_id = user.province_id
            field.queryset = provinces_by_code(user.province_id)
            field.initial = user.province_id
            field.disabled = True
            self.instance.province_id = user.province_id

    def _get_validation_exclusions(self) -> set[str]:
        """Also leave out the regency when the province is: the constraint that a library's regency lies in
        its province compares the two, and Django skips it only when its first field is excluded."""
        excluded = super()._get_validation_exclusions()
        if "province" in excluded:
            excluded.add("regency")
        return excluded

    def _selected(self, name: str) -> str | None:
        """The value of field ``name`` as the form will see it: posted data, else the instance, else initial."""
        if self.is_bound:
            return _pk(self.data.get(self.add_prefix(name)))
        if name in self.initial:
            return _pk(self.initial[name])
        return _pk(getattr(self.instance, f"{name}_id", None))


# --- library -------------------------------------------------------------------------------------------


ADDRESS_MAX_LENGTH = 500
TOO_LONG = _(
    "Teks ini terlalu panjang: paling banyak %(limit_value)d karakter (sekarang %(show_value)d)."
)


class LibraryForm(FormKeyMixin, _ProvinceScopedForm):
    """Create or edit a library. The place is chosen step by step: regency → district → village.

    ``district`` is not stored: it narrows the village list. The logo is managed by national staff in the admin.
    """

    district = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("— pilih kecamatan —"),
        help_text=_("Untuk memilih desa/kelurahan."),
        error_messages={"invalid_choice": _("Pilih kecamatan di kabupaten/kota yang dipilih.")},
    )

    field_order = [
        "name",
        "kind",
        "province",
        "regency",
        "district",
        "village",
        "address",
        "phone",
        "email",
        "website",
        "head_name",
        "head_title",
        "head_nip",
        "is_active",
    ]

    class Meta:
        model = Library
        fields = [
            "name",
            "kind",
            "province",
            "regency",
            "village",
            "address",
            "phone",
            "email",
            "website",
            "head_name",
            "head_title",
            "head_nip",
            "is_active",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "regency": {"invalid_choice": _("Pilih kabupaten/kota di provinsi perpustakaan.")},
            "village": {"invalid_choice": _("Pilih desa/kelurahan di kecamatan yang dipilih.")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # The address is printed in meeting PDFs: a sane length, checked here (the column is a TextField).
        address = self.fields["address"]
        address.max_length = ADDRESS_MAX_LENGTH
        address.validators.append(MaxLengthValidator(ADDRESS_MAX_LENGTH, message=TOO_LONG))
        address.widget.attrs["maxlength"] = str(ADDRESS_MAX_LENGTH)
        if not self.is_bound and self.instance.village_id and "district" not in self.initial:
            self.initial["district"] = self.instance.village.district_id
        self.regency_id = self._selected("regency")
        self.district_id = self._selected("district")

        regency = self.fields["regency"]
        regency.queryset = regencies_of(self.province_id)
        regency.empty_label = _("— pilih kabupaten/kota —")
        regency.help_text = _("Wajib untuk dinas kabupaten/kota dan perpustakaan desa.")
        self.fields["district"].queryset = districts_of(self.province_id, self.regency_id)
        village = self.fields["village"]
        village.queryset = villages_of(self.province_id, self.regency_id, self.district_id)
        village.empty_label = (
            _("— pilih desa/kelurahan —") if self.district_id else _("— pilih kecamatan dulu —")
        )
        village.help_text = _("Wajib untuk perpustakaan desa/kelurahan.")

        self.fields["name"].widget.attrs["placeholder"] = _("mis. Perpustakaan Desa Mendalo Darat")
        self.fields["phone"].widget.attrs.update({"type": "tel", "inputmode": "tel"})
        self.fields["email"].widget.attrs["inputmode"] = "email"
        self.fields["website"].widget.attrs["placeholder"] = "https://"
        self.fields["head_nip"].widget.attrs["inputmode"] = "numeric"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        regency = cleaned.get("regency")
        village = cleaned.get("village")
        needs_regency = kind in (Library.Kind.VILLAGE, Library.Kind.REGENCY_OFFICE)
        if needs_regency and not regency and "regency" not in self.errors:
            self.add_error("regency", _("Pilih kabupaten/kota perpustakaan ini."))
        if kind == Library.Kind.VILLAGE and not village and "village" not in self.errors:
            self.add_error("village", _("Pilih desa/kelurahan untuk perpustakaan desa."))
        name = (cleaned.get("name") or "").strip()
        province = cleaned.get("province")
        if name and province and library_name_taken(province, name, exclude_pk=self.instance.pk):
            self.add_error("name", _("Perpustakaan dengan nama ini sudah ada di provinsi ini."))
        return cleaned


# --- person --------------------------------------------------------------------------------------------


class PersonForm(FormKeyMixin, _ProvinceScopedForm):
    """Create or edit a person. Phone numbers are stored as +62…; phone and e-mail are unique per province.

    A duplicate is a field error; ``duplicates`` maps the field to the existing person when the user may see
    them, so the page can link to that person.
    """

    # Longer than the stored +62… form: people type spaces, dashes and brackets.
    phone = forms.CharField(label=_("Nomor HP"), required=False, max_length=40)

    field_order = [
        "full_name",
        "gender",
        "phone",
        "email",
        "position",
        "institution",
        "province",
        "home_library",
    ]

    class Meta:
        model = Person
        fields = [
            "full_name",
            "gender",
            "phone",
            "email",
            "position",
            "institution",
            "province",
            "home_library",
        ]
        widgets = {"gender": forms.RadioSelect, "home_library": LibraryPicker}
        error_messages = {
            "home_library": {
                "invalid_choice": _("Pilih perpustakaan di provinsi orang ini."),
            },
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.duplicates: dict[str, Person] = {}
        gender = self.fields["gender"]
        gender.choices = [choice for choice in gender.choices if choice[0]]
        gender.widget.attrs["class"] = "form-check-input"
        home_library = self.fields["home_library"]
        home_library.queryset = libraries_of(self.province_id)
        home_library.widget.province_id = self.province_id
        home_library.empty_label = _("— tidak ada —")
        phone = self.fields["phone"]
        phone.help_text = _("Boleh diketik 0812…, 62812… atau +62 812…; disimpan dalam format +62.")
        phone.widget.attrs.update({"type": "tel", "inputmode": "tel", "autocomplete": "off"})
        self.fields["email"].widget.attrs["inputmode"] = "email"

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone", ""))

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        province = cleaned.get("province")
        if not province:
            return cleaned
        checks = (
            (
                "phone",
                _("Nomor HP ini sudah terdaftar di provinsi ini."),
                _("Nomor HP ini sudah terdaftar di provinsi ini, atas nama %(name)s."),
            ),
            (
                "email",
                _("Email ini sudah terdaftar di provinsi ini."),
                _("Email ini sudah terdaftar di provinsi ini, atas nama %(name)s."),
            ),
        )
        for field, message, named_message in checks:
            value = cleaned.get(field)
            if not value:
                continue
            existing = person_with(province, **{field: value}, exclude_pk=self.instance.pk)
            if existing is None:
                continue
            # Name and link the existing person only to someone who may see them.
            if people_visible_to(self.user).filter(pk=existing.pk).exists():
                self.duplicates[field] = existing
                error = ValidationError(
                    named_message, code="duplicate", params={"name": existing.full_name}
                )
            else:
                error = ValidationError(message, code="duplicate")
            self.add_error(field, error)
        return cleaned
