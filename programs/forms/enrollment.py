"""Forms for enrolment: the list's filters, enrolling a library in a programme year, changing an enrolment.

The libraries a form offers are those of the province the user may write (chosen first by national staff,
fixed for an officer), so a library posted by hand from elsewhere is an invalid choice, not a save.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from libraries.forms import EVERYTHING, set_place_choices
from libraries.models import Library, Province
from libraries.picker import LibraryPicker
from libraries.selectors import provinces_visible_to
from plm_portal.forms import PortalForm, PortalModelForm
from plm_portal.models import User
from programs.models import Enrollment
from programs.selectors.enrollment import enrollable_libraries, programme_years

NOTES_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 1000
# A joined-on date outside these years is a typo (the programme began in 2018).
EARLIEST_JOINED, LATEST_JOINED = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def _pk(value: Any) -> str | None:
    value = getattr(value, "pk", value)
    return str(value) if value not in (None, "") else None


# --- list filters ------------------------------------------------------------------------------------


class EnrollmentFilterForm(PortalForm):
    """The enrolment list's filters. Choices come as lists, so rendering the form costs no query."""

    year = forms.ChoiceField(label=_("Tahun program"), required=False)
    status = forms.ChoiceField(label=_("Status kepesertaan"), required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    q = forms.CharField(
        label=_("Cari perpustakaan"), required=False, max_length=100, widget=forms.SearchInput
    )

    def __init__(
        self,
        *args: Any,
        years: list[tuple[str, str]],
        provinces: list[tuple[str, str]],
        regencies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years
        self.fields["status"].choices = [EVERYTHING, *Enrollment.PartnerStatus.choices]
        set_place_choices(self, provinces, regencies)
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Nama perpustakaan"), "autocomplete": "off"}
        )
        for name in ("year", "status", "province", "regency"):
            if name in self.fields:
                self.fields[name].widget.attrs["data-autosubmit"] = ""


# --- enrol and change ----------------------------------------------------------------------------------


class _EnrollmentFields(PortalModelForm):
    """What both forms share: length limits, the joined-on date's range, a placeholder."""

    notes = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].widget.attrs["placeholder"] = _("mis. Angkatan 2022")
        self.fields["cohort"].help_text = _("Boleh dikosongkan.")
        status = self.fields["partner_status"]
        status.help_text = _(
            "Perpustakaan yang berhenti ditandai “Mengundurkan diri”, tidak dihapus."
        )

    def clean_cohort(self) -> str:
        return " ".join((self.cleaned_data.get("cohort") or "").split())

    def clean_notes(self) -> str:
        return (self.cleaned_data.get("notes") or "").strip()

    def clean_joined_on(self) -> dt.date | None:
        joined_on = self.cleaned_data.get("joined_on")
        if joined_on and not EARLIEST_JOINED <= joined_on <= LATEST_JOINED:
            raise ValidationError(
                _("Periksa tahunnya: tanggal bergabung antara tahun 2000 dan 2100."),
                code="out_of_range",
            )
        return joined_on


class EnrollmentForm(_EnrollmentFields):
    """Enrol a library in a programme year.

    National staff choose the province first (``province`` is not stored: it narrows the library picker);
    an officer's is their own. Opened from a library's page (``library``), the library is fixed.
    """

    province = forms.ModelChoiceField(
        label=_("Provinsi"),
        queryset=Province.objects.none(),
        empty_label=_("— pilih provinsi —"),
        error_messages={
            "invalid_choice": _("Pilih provinsi yang tersedia."),
            "required": _("Pilih provinsi perpustakaan."),
        },
    )

    field_order = [
        "programme_year",
        "province",
        "library",
        "partner_status",
        "cohort",
        "joined_on",
        "notes",
    ]

    class Meta:
        model = Enrollment
        fields = ["programme_year", "library", "partner_status", "cohort", "joined_on", "notes"]
        widgets = {"library": LibraryPicker}
        error_messages = {
            "programme_year": {
                "invalid_choice": _("Pilih tahun program yang tersedia."),
                "required": _("Pilih tahun program."),
            },
            "library": {
                "invalid_choice": _("Pilih perpustakaan di provinsi yang dipilih."),
                "required": _("Pilih perpustakaan yang didaftarkan."),
            },
        }

    def __init__(
        self, *args: Any, user: User, library: Library | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fixed_library = library
        year = self.fields["programme_year"]
        year.queryset = programme_years()
        year.empty_label = None
        field = self.fields["library"]
        if library is not None:
            # Enrolled from the library's page: that library, shown and fixed.
            self.province_id = library.province_id
            del self.fields["province"]
            field.widget = forms.Select(attrs={"class": "form-select"})
            field.empty_label = None
            field.queryset = enrollable_libraries(user, library.province_id).filter(pk=library.pk)
            field.disabled = True
            self.initial["library"] = library.pk
            return
        if user.is_national:
            province = self.fields["province"]
            province.queryset = provinces_visible_to(user).order_by("name")
            self.province_id = self._selected("province")
            field.empty_label = (
                _("— pilih perpustakaan —") if self.province_id else _("— pilih provinsi dulu —")
            )
        else:
            self.province_id = user.province_id
            del self.fields["province"]
            field.empty_label = _("— pilih perpustakaan —")
        field.queryset = enrollable_libraries(user, self.province_id)
        field.widget.province_id = self.province_id

    def _selected(self, name: str) -> str | None:
        """The value of ``name`` as the form will see it: posted data, else initial."""
        if self.is_bound:
            return _pk(self.data.get(self.add_prefix(name)))
        return _pk(self.initial.get(name))

    def validate_constraints(self) -> None:
        # The same library and year again is decided by the service: the same values are a repeated post
        # (answered with the saved row), different ones a field error.
        return None


class EnrollmentChangeForm(_EnrollmentFields):
    """Change an enrolment's status, cohort, joined-on date or notes; the year and library stay."""

    note = forms.CharField(
        label=_("Catatan perubahan"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mengapa berubah; disimpan di riwayat bersama nama Anda dan waktunya."),
    )

    class Meta:
        model = Enrollment
        fields = ["partner_status", "cohort", "joined_on", "notes"]

    def clean_note(self) -> str:
        return (self.cleaned_data.get("note") or "").strip()
