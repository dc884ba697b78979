from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from libraries.models import Province, Regency
from libraries.selectors import (
    offices_of,
    provinces_by_code,
    provinces_visible_to,
    regencies_of,
)
from meetings.forms import limits
from meetings.forms.limits import limit_text
from meetings.models import Meeting
from plm_portal.forms import PortalForm, PortalModelForm
from plm_portal.models import User
from plm_portal.once import FormKeyMixin


class MeetingForm(FormKeyMixin, PortalModelForm):
    """Create or edit a meeting. A provincial officer's meetings are always in their own province."""

    province = forms.ModelChoiceField(
        label=_("Provinsi"), queryset=Province.objects.none(), empty_label=None
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "province",
            "year",
            "wave",
            "start_date",
            "end_date",
            "mode",
            "venue_regency",
            "venue_name",
            "venue_address",
            "online_url",
            "host_library",
            "opened_by",
            "objectives",
            "status",
        ]
        widgets = {
            "venue_address": forms.Textarea(attrs={"rows": 2}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_text(self, limits.MEETING)
        self.user = user
        if user.is_national:
            self.fields["province"].queryset = provinces_visible_to(user).order_by("name")
            province_id = self._selected_province_id()
        else:
            # The officer's province is shown but fixed. The field stays in the form (disabled, not removed)
            # so the model's cross-field constraints on province are still validated.
            province_id = user.province_id
            province = self.fields["province"]
            province.queryset = provinces_by_code(province_id)
            province.initial = province_id
            province.disabled = True
            self.instance.province_id = province_id
        self.fields["venue_regency"].queryset = regencies_of(province_id)
        self.fields["host_library"].queryset = offices_of(province_id)
        self.fields["title"].widget.attrs["placeholder"] = _("mis. PLM Provinsi Jambi 2022")
        self.fields["year"].widget.attrs.update({"min": 2018, "max": 2100, "inputmode": "numeric"})
        self.fields["wave"].widget.attrs.update({"min": 1, "max": 20, "inputmode": "numeric"})

    def _get_validation_exclusions(self) -> set[str]:
        """Also leave out the venue regency when the province is: the constraint that the venue lies in the
        province compares the two, and Django skips it only when its first field is excluded."""
        excluded = super()._get_validation_exclusions()
        if "province" in excluded:
            excluded.add("venue_regency")
        return excluded

    def _selected_province_id(self) -> str | None:
        if self.is_bound:
            posted = self.data.get(self.add_prefix("province")) or ""
            # A province code is digits; junk (or a NUL byte PostgreSQL refuses) selects none.
            return posted if posted.isdigit() and len(posted) <= 4 else None
        if self.instance.province_id:
            return self.instance.province_id
        initial = self.initial.get("province")
        return getattr(initial, "pk", initial)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        mode = cleaned.get("mode")
        if mode in (Meeting.Mode.DARING, Meeting.Mode.HIBRIDA) and not cleaned.get("online_url"):
            self.add_error(
                "online_url", _("Isi tautan daring untuk pertemuan daring atau hibrida.")
            )
        if mode in (Meeting.Mode.TATAP_MUKA, Meeting.Mode.HIBRIDA) and not cleaned.get(
            "venue_regency"
        ):
            self.add_error("venue_regency", _("Pilih kabupaten/kota tempat pertemuan tatap muka."))
        return cleaned


class MeetingFilterForm(PortalForm):
    q = forms.CharField(label=_("Cari"), required=False, widget=forms.SearchInput)
    year = forms.TypedChoiceField(label=_("Tahun"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Jenis"), required=False)
    wave = forms.TypedChoiceField(
        label=_("Gelombang"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    province = forms.ModelChoiceField(
        label=_("Provinsi"), required=False, queryset=Province.objects.none()
    )
    regency = forms.ModelChoiceField(
        label=_("Kabupaten/kota"), required=False, queryset=Regency.objects.none()
    )

    def __init__(
        self, *args: Any, years: list[int], provinces=None, regencies=None, **kwargs: Any
    ) -> None:
        """``provinces`` for users who see several provinces (national staff, facilitators): 38 options at
        most; ``regencies`` for a provincial officer, within their province. Never both: a national list of
        514 regencies would be a long select to scroll on a phone and a large page to send."""
        super().__init__(*args, **kwargs)
        everything = [("", _("Semua"))]
        self.fields["year"].choices = everything + [(y, y) for y in years]
        self.fields["kind"].choices = everything + list(Meeting.Kind.choices)
        self.fields["wave"].choices = everything + [(w, w) for w in range(1, 11)]
        self.fields["status"].choices = everything + list(Meeting.Status.choices)
        for name, places in (("province", provinces), ("regency", regencies)):
            if places is None:
                del self.fields[name]
            else:
                self.fields[name].queryset = places
                self.fields[name].empty_label = _("Semua")
        self.fields["q"].widget.attrs.update({"placeholder": _("Judul atau tempat")})
        for name in ("year", "kind", "wave", "status", "province", "regency"):
            if name in self.fields:
                self.fields[name].widget.attrs["data-autosubmit"] = ""
