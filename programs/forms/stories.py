"""Forms of the impact stories: the editor's story form and the list filters. Validation only.

Every queryset the story form offers is narrowed to one province the user may write: its libraries (the
library picker), its people (the people picker, searched) and the chosen library's activities. A value posted
by hand from elsewhere is then an invalid choice, never a save. The photo is checked and re-encoded here
(``programs.photos.process_photo``); the service stores it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from libraries.forms import EVERYTHING, set_place_choices
from libraries.models import Person, Province
from libraries.picker import LibraryPicker
from libraries.selectors import provinces_visible_to
from plm_portal.choices import LineOfWork
from plm_portal.forms import PortalForm, PortalModelForm
from plm_portal.models import User
from plm_portal.once import FormKeyMixin
from programs.forms.activities import year_choices
from programs.models import Activity, ImpactStory
from programs.photos import Photo, process_photo
from programs.selectors.stories import (
    ACTIVITIES_SHOWN,
    editable_library,
    story_activities,
    story_libraries,
    story_people,
)


def _pk(value: Any) -> str | None:
    value = getattr(value, "pk", value)
    return str(value) if value not in (None, "") else None


class ShortSelect(forms.Select):
    """A select of a model choice field that renders only the blank, ``shown`` rows and the chosen one.

    The field keeps its whole queryset, so validation is unchanged (as ``libraries.picker.LibraryPicker``).
    """

    shown: int = ACTIVITIES_SHOWN

    def optgroups(self, name: str, value: list, attrs: dict | None = None) -> list:
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        blank = getattr(choices.field, "empty_label", None)
        selected = [int(v) for v in value if str(v).isdigit()]
        rows = list(queryset[: self.shown]) if self.shown else []
        missing = set(selected) - {row.pk for row in rows}
        if missing:
            rows += list(queryset.filter(pk__in=missing))
        self.choices = ([("", blank)] if blank is not None else []) + [
            choices.choice(row) for row in rows
        ]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices


class PersonPicker(ShortSelect):
    """The chosen person only, and a search box that fills the select with the people matching it (htmx).

    The search looks in the province of the library chosen in the same form (``#id_library``).
    """

    template_name = "programs/story_person_picker.html"
    shown = 0

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        html_id = widget["attrs"].get("id") or f"id_{name}"
        widget["picker"] = {
            "url": reverse("programs:story_people_options"),
            "search_id": f"{html_id}_search",
            "status_id": f"{html_id}_status",
            "select_id": html_id,
            "vals": json.dumps({"field": name, "status": f"{html_id}_status"}),
        }
        return context


class StoryForm(FormKeyMixin, PortalModelForm):
    """Write or change a story. National staff choose the province first; an officer's is their own."""

    province = forms.ModelChoiceField(
        label=_("Provinsi"),
        queryset=Province.objects.none(),
        empty_label=_("— pilih provinsi —"),
        error_messages={"invalid_choice": _("Pilih provinsi yang tersedia.")},
    )
    photo = forms.FileField(
        label=_("Foto"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "JPEG, PNG atau WebP, paling besar 10 MB. Lokasi dan data kamera dihapus. Foto ikut "
            "ditampilkan bila cerita terbit: untuk cerita tanpa nama, pilih foto yang tidak "
            "menampakkan wajah."
        ),
    )
    remove_photo = forms.BooleanField(label=_("Hapus foto yang ada"), required=False)

    class Meta:
        model = ImpactStory
        fields = [
            "library",
            "person",
            "anonymous",
            "alias",
            "activity",
            "title",
            "line_of_work",
            "date",
            "before",
            "after",
            "story",
            "change_skills",
            "change_income",
            "change_work",
            "change_community",
            "consent_given",
            "consent_date",
            "consent_method",
        ]
        labels = {
            "person": _("Narasumber (orang yang diceritakan)"),
            "consent_given": _("Narasumber setuju ceritanya diterbitkan"),
        }
        help_texts = {
            "alias": _("Ditampilkan sebagai pengganti nama, mis. “Ibu S., 42 tahun”."),
            "before": _("Keadaan narasumber sebelum memanfaatkan layanan perpustakaan."),
            "after": _("Keadaan narasumber sesudahnya."),
        }
        widgets = {
            "library": LibraryPicker,
            "person": PersonPicker,
            "activity": ShortSelect,
            "before": forms.Textarea(attrs={"rows": 3}),
            "after": forms.Textarea(attrs={"rows": 3}),
            "story": forms.Textarea(attrs={"rows": 8}),
            "consent_method": forms.RadioSelect,
        }
        error_messages = {
            "library": {"invalid_choice": _("Pilih perpustakaan dari provinsi yang dipilih.")},
            "person": {"invalid_choice": _("Pilih orang dari provinsi perpustakaan ini.")},
            "activity": {"invalid_choice": _("Pilih kegiatan dari perpustakaan ini.")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        province = self.fields["province"]
        if user.is_national:
            province.queryset = provinces_visible_to(user).order_by("name")
            self.province_id = self._selected("province") or self._library_province()
            province.initial = self.province_id
        else:
            del self.fields["province"]
            self.province_id = user.province_id
        library = self.fields["library"]
        library.queryset = story_libraries(user, self.province_id)
        library.widget.province_id = self.province_id
        library.empty_label = _("— pilih perpustakaan —")
        person = self.fields["person"]
        person.queryset = story_people(user, self.province_id).select_related("home_library")
        person.empty_label = _("— belum dipilih —")
        person.label_from_instance = _person_label
        activity = self.fields["activity"]
        activity.queryset = story_activities(self._selected("library")).filter(
            library__in=library.queryset
        )
        activity.empty_label = _("— tidak ada —")
        activity.label_from_instance = _activity_label
        activity.widget.attrs.update(
            {
                "hx-get": reverse("programs:story_activity_options"),
                "hx-trigger": "change from:#id_library",
                "hx-include": "#id_library, this",
                "hx-target": "this",
                "hx-swap": "innerHTML",
            }
        )
        self.fields["line_of_work"].choices = [("", _("— pilih lini kerja —")), *LineOfWork.choices]
        method = self.fields["consent_method"]
        method.choices = [c for c in method.choices if c[0]]
        method.widget.attrs["class"] = "form-check-input"
        if not self.instance.photo:
            del self.fields["remove_photo"]

    def _selected(self, name: str) -> str | None:
        """Field ``name`` as the form sees it: posted data, else initial, else the instance."""
        if self.is_bound:
            return _pk(self.data.get(self.add_prefix(name)))
        if name in self.initial:
            return _pk(self.initial[name])
        return _pk(getattr(self.instance, f"{name}_id", None))

    def _library_province(self) -> str | None:
        if self.instance.library_id:
            return self.instance.library.province_id
        library = editable_library(self.user, _pk(self.initial.get("library")))
        return library.province_id if library else None

    def clean_photo(self) -> Photo | None:
        upload = self.cleaned_data.get("photo")
        return process_photo(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        today = timezone.localdate()
        if (
            not cleaned.get("anonymous")
            and not cleaned.get("person")
            and "person" not in self.errors
        ):
            self.add_error(
                "person",
                _("Pilih narasumbernya, atau centang “tanpa nama” bila namanya tidak ditampilkan."),
            )
        if (date := cleaned.get("date")) and date > today:
            self.add_error("date", _("Tanggal cerita tidak boleh di masa depan."))
        if cleaned.get("consent_given"):
            consent_date: dt.date | None = cleaned.get("consent_date")
            if consent_date is None and "consent_date" not in self.errors:
                self.add_error("consent_date", _("Isi tanggal persetujuan."))
            elif consent_date and consent_date > today:
                self.add_error("consent_date", _("Tanggal persetujuan tidak boleh di masa depan."))
            if not cleaned.get("consent_method") and "consent_method" not in self.errors:
                self.add_error("consent_method", _("Pilih cara persetujuan diberikan."))
        else:
            # No consent: nothing about a consent is kept (the service clears who recorded it).
            cleaned["consent_date"], cleaned["consent_method"] = None, ""
        return cleaned


def _person_label(person: Person) -> str:
    place = person.home_library.name if person.home_library_id else ""
    return f"{person.full_name} · {place}" if place else person.full_name


def _activity_label(activity: Activity) -> str:
    return f"{activity.date:%d-%m-%Y} · {activity.title}"


# --- list filters ----------------------------------------------------------------------------------------


class StoryFilterForm(PortalForm):
    """Filters of the editors' list. Choices come as lists so rendering costs no query."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.TypedChoiceField(label=_("Tahun"), required=False, coerce=int, empty_value=None)
    line_of_work = forms.ChoiceField(label=_("Lini kerja"), required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)

    def __init__(
        self,
        *args: Any,
        provinces: list[tuple[str, str]],
        regencies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [EVERYTHING, *ImpactStory.Status.choices]
        self.fields["year"].choices = year_choices()
        self.fields["line_of_work"].choices = [EVERYTHING, *LineOfWork.choices]
        set_place_choices(self, provinces, regencies)


class PublishedFilterForm(PortalForm):
    """Filters of the published stories: no province or person, only what any reader may narrow by."""

    year = forms.TypedChoiceField(label=_("Tahun"), required=False, coerce=int, empty_value=None)
    line_of_work = forms.ChoiceField(label=_("Lini kerja"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["line_of_work"].choices = [EVERYTHING, *LineOfWork.choices]
