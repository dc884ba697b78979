"""Forms of the implementation activities: the list filters and the activity form. Validation only.

The activity form's libraries are one province's that the user may see (the library picker), so a library posted
by hand from elsewhere is an invalid choice. Photos are checked and re-encoded here
(``programs.photos.process_photo``); the service stores them. A browser cannot fill a file input again, so every
message about photos that were not kept ends with "Pilih fotonya lagi".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from libraries.forms import EVERYTHING, set_place_choices
from libraries.models import Province
from libraries.picker import LibraryPicker
from libraries.selectors import libraries_visible_to
from plm_portal.choices import LineOfWork
from plm_portal.forms import PortalForm, PortalModelForm
from plm_portal.models import User
from plm_portal.once import FormKeyMixin
from programs.models import Activity, ActivityPhoto
from programs.photos import MAX_BYTES, Photo, process_photo
from programs.services.activities import MAX_PHOTOS, too_many_photos_message

# TPBIS started in 2018: the years the list filters by, without reading the activities to find them.
FIRST_YEAR = 2018
MAX_BENEFICIARIES = 1_000_000
CHOOSE_AGAIN = _("Pilih fotonya lagi.")


def year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [EVERYTHING] + [(str(y), str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]


class ActivityFilterForm(PortalForm):
    """Filters of the activity list. Choices come as lists so rendering costs no extra query."""

    year = forms.TypedChoiceField(label=_("Tahun"), required=False, coerce=int, empty_value=None)
    line_of_work = forms.ChoiceField(label=_("Lini kerja"), required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    library = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        provinces: list[tuple[str, str]],
        regencies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["line_of_work"].choices = [EVERYTHING, *LineOfWork.choices]
        set_place_choices(self, provinces, regencies)
        for name in ("year", "line_of_work", "province", "regency"):
            if name in self.fields:
                self.fields[name].widget.attrs["data-autosubmit"] = ""


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files from one input: a list of uploads (empty when none was chosen)."""

    widget = MultiplePhotoInput

    def clean(self, data: Any, initial: Any = None) -> list:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        cleaned, messages = [], []
        for item in files:
            try:
                cleaned.append(super().clean(item, initial))
            except ValidationError as error:
                messages.append(_named(item, error))
        if messages:
            raise ValidationError([*messages, CHOOSE_AGAIN])
        return cleaned


class ActivityForm(FormKeyMixin, PortalModelForm):
    """Create or edit an activity of one province's library, add photos, change the stored photos' captions.

    ``photos`` (existing ActivityPhoto rows) get a caption field each; ``upload_problems`` are the messages of
    files the view's upload limits refused before they reached the form. ``cleaned_data["photos"]`` is a list
    of ``programs.photos.Photo``, ready to store.
    """

    photos = MultiplePhotoField(label=_("Foto kegiatan"), required=False)

    class Meta:
        model = Activity
        fields = [
            "library",
            "line_of_work",
            "title",
            "description",
            "date",
            "end_date",
            "location",
            "partners",
            "beneficiaries_female",
            "beneficiaries_male",
            "beneficiaries_disabled",
            "evidence_url",
        ]
        widgets = {
            "library": LibraryPicker,
            "line_of_work": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "library": _("Perpustakaan"),
            "line_of_work": _("Lini kerja"),
            "title": _("Judul kegiatan"),
            "description": _("Uraian"),
            "date": _("Tanggal"),
            "end_date": _("Tanggal selesai"),
            "location": _("Tempat"),
            "partners": _("Mitra/pihak yang terlibat"),
            "beneficiaries_female": _("Perempuan"),
            "beneficiaries_male": _("Laki-laki"),
            "beneficiaries_disabled": _("Di antaranya penyandang disabilitas"),
            "evidence_url": _("Tautan bukti"),
        }
        help_texts = {
            "end_date": _("Kosongkan bila kegiatan hanya sehari."),
            "beneficiaries_disabled": _("Sudah termasuk dalam jumlah perempuan dan laki-laki."),
            "evidence_url": _("mis. unggahan media sosial, berita atau folder dokumen."),
        }

    def __init__(
        self,
        *args: Any,
        user: User,
        province: Province,
        photos: list[ActivityPhoto] | None = None,
        upload_problems: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.stored_photos = photos or []
        self.upload_problems = upload_problems or []
        self.photos_notice = ""

        library = self.fields["library"]
        library.queryset = libraries_visible_to(user).filter(province_id=province.code)
        library.empty_label = _("— pilih perpustakaan —")
        library.widget.province_id = province.code
        library.error_messages["invalid_choice"] = _(
            "Pilih perpustakaan di Provinsi %(province)s."
        ) % {"province": province.name}
        self.fields["line_of_work"].choices = LineOfWork.choices
        for name in ("beneficiaries_female", "beneficiaries_male", "beneficiaries_disabled"):
            field = self.fields[name]
            field.validators.append(MaxValueValidator(MAX_BENEFICIARIES))
            field.widget.attrs.update({"min": 0, "max": MAX_BENEFICIARIES, "inputmode": "numeric"})
        evidence = self.fields["evidence_url"]
        evidence.validators = [URLValidator(schemes=["http", "https"])]
        evidence.widget.attrs["placeholder"] = "https://"
        self.fields["title"].widget.attrs["placeholder"] = _(
            "mis. Pelatihan membuat kerajinan anyaman"
        )

        left = max(MAX_PHOTOS - len(self.stored_photos), 0)
        photos_field = self.fields["photos"]
        photos_field.help_text = _("JPEG, PNG atau WebP, paling besar %(mb)d MB per foto.") % {
            "mb": MAX_BYTES // (1024 * 1024)
        }
        photos_field.widget.attrs.update(
            {
                "accept": "image/jpeg,image/png,image/webp",
                "data-max-files": left,
                "data-max-bytes": MAX_BYTES,
            }
        )
        if left == 0:
            photos_field.disabled = True
            photos_field.help_text = _(
                "Kegiatan ini sudah punya %(max)d foto; hapus satu untuk menggantinya."
            ) % {"max": MAX_PHOTOS}
        for number, photo in enumerate(self.stored_photos, start=1):
            self.fields[f"caption_{photo.pk}"] = forms.CharField(
                label=_("Keterangan foto %(number)d") % {"number": number},
                required=False,
                max_length=ActivityPhoto._meta.get_field("caption").max_length,
                initial=photo.caption,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def photo_rows(self) -> list[tuple[ActivityPhoto, forms.BoundField]]:
        """The stored photos with their caption fields, for the template."""
        return [(photo, self[f"caption_{photo.pk}"]) for photo in self.stored_photos]

    def clean_date(self) -> dt.date | None:
        date = self.cleaned_data.get("date")
        if date and date.year < FIRST_YEAR:
            raise ValidationError(
                _("Tanggal kegiatan paling awal tahun %(year)d."), params={"year": FIRST_YEAR}
            )
        # A day's leeway: WIT (UTC+9) is already tomorrow while the server's day (WIB) is not.
        if date and date > timezone.localdate() + dt.timedelta(days=1):
            raise ValidationError(_("Tanggal kegiatan tidak boleh di masa depan."))
        return date

    def clean_photos(self) -> list[Photo]:
        uploads = self.cleaned_data.get("photos") or []
        messages = list(self.upload_problems)
        if len(self.stored_photos) + len(uploads) > MAX_PHOTOS:
            raise ValidationError([*messages, too_many_photos_message(len(self.stored_photos))])
        processed = []
        for upload in uploads:
            try:
                processed.append(process_photo(upload))
            except ValidationError as error:
                messages.append(_named(upload, error))
        if messages:
            raise ValidationError([*messages, CHOOSE_AGAIN])
        return processed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        date, end_date = cleaned.get("date"), cleaned.get("end_date")
        if date and end_date and end_date < date:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        female = cleaned.get("beneficiaries_female")
        male = cleaned.get("beneficiaries_male")
        disabled = cleaned.get("beneficiaries_disabled")
        if None not in (female, male, disabled) and disabled > female + male:
            self.add_error(
                "beneficiaries_disabled",
                _(
                    "Penerima manfaat penyandang disabilitas tidak boleh melebihi jumlah perempuan "
                    "dan laki-laki (%(total)d)."
                )
                % {"total": female + male},
            )
        return cleaned

    def captions(self) -> dict[int, str]:
        return {
            photo.pk: self.cleaned_data.get(f"caption_{photo.pk}", "")
            for photo in self.stored_photos
        }

    def full_clean(self) -> None:
        super().full_clean()
        kept = self.cleaned_data.get("photos") if hasattr(self, "cleaned_data") else None
        if self.errors and kept:
            self.photos_notice = ngettext(
                "%(count)d foto yang tadi dipilih belum tersimpan karena ada isian yang perlu "
                "diperbaiki. Pilih fotonya lagi.",
                "%(count)d foto yang tadi dipilih belum tersimpan karena ada isian yang perlu "
                "diperbaiki. Pilih fotonya lagi.",
                len(kept),
            ) % {"count": len(kept)}


def short_name(name: str | None) -> str:
    """A file's name as the person chose it, cut to fit a message."""
    name = name or ""
    return name if len(name) <= 60 else f"{name[:40]}…{name[-15:]}"


def _named(upload: Any, error: ValidationError) -> str:
    return f"“{short_name(getattr(upload, 'name', ''))}”: {' '.join(error.messages)}"
