"""Forms of the participants tab: validation only. Querysets come from the user's scope and the meeting's
province, never wider."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from libraries.forms import PeopleSearchField
from libraries.models import Library, Person
from libraries.phone import normalize_phone
from libraries.picker import LibraryPicker
from meetings.importing.files import MAX_UPLOAD_BYTES, ImportFileError, check_size
from meetings.models import Meeting, Participation
from meetings.selectors import meeting_libraries, person_candidates
from plm_portal.choices import Gender
from plm_portal.forms import PortalForm
from plm_portal.models import User
from plm_portal.once import FormKeyMixin

# The blocks of the list are the model's (Participation.Group), as on the printed attendance list.
GROUP_ROLES: dict[str, tuple[str, ...]] = {
    str(group): tuple(roles) for group, roles in Participation.GROUP_ROLES.items()
}


def group_labels() -> dict[str, str]:
    return {str(group): label for group, label in Participation.Group.choices}


def role_choices() -> list:
    """Roles grouped as on the attendance list (<optgroup>s)."""
    labels = group_labels()
    return [("", _("— pilih peran —"))] + [
        (labels[group], [(role, Participation.Role(role).label) for role in roles])
        for group, roles in GROUP_ROLES.items()
    ]


def suggested_role(library: Library | None) -> str:
    """The usual role for someone from ``library``, to preselect."""
    if library is None:
        return ""
    return {
        Library.Kind.PROVINCIAL_OFFICE: Participation.Role.PROVINCIAL_OFFICE,
        Library.Kind.REGENCY_OFFICE: Participation.Role.REGENCY_OFFICE,
        Library.Kind.VILLAGE: Participation.Role.VILLAGE_LIBRARY,
    }.get(library.kind, "")


class ParticipationForm(PortalForm):
    """Role and represented library of a participation (add, edit)."""

    role = forms.ChoiceField(label=_("Peran"))
    library = forms.ModelChoiceField(
        label=_("Perpustakaan yang diwakili"),
        queryset=Library.objects.none(),
        required=False,
        empty_label=_("— tidak ada —"),
        widget=LibraryPicker,
    )

    def __init__(self, *args: Any, meeting: Meeting, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["role"].choices = role_choices()
        self.fields["library"].queryset = meeting_libraries(user, meeting)
        self.fields["library"].widget.province_id = meeting.province_id
        self.fields["library"].error_messages["invalid_choice"] = _(
            "Pilih perpustakaan dari Provinsi %(province)s."
        ) % {"province": meeting.province.name}


class PickPersonForm(FormKeyMixin, ParticipationForm):
    """Add a person found by search."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Pilih orang dari hasil pencarian."),
            "invalid_choice": _(
                "Orang ini tidak dapat ditambahkan: mungkin sudah terdaftar di pertemuan ini. "
                "Cari lagi."
            ),
        },
    )

    def __init__(self, *args: Any, meeting: Meeting, user: User, **kwargs: Any) -> None:
        super().__init__(*args, meeting=meeting, user=user, **kwargs)
        self.fields["person"].queryset = person_candidates(user, meeting).select_related(
            "home_library"
        )


class NewPersonForm(FormKeyMixin, ParticipationForm):
    """A person not yet registered, and their role in the meeting."""

    full_name = forms.CharField(
        label=_("Nama lengkap"), max_length=Person._meta.get_field("full_name").max_length
    )
    gender = forms.ChoiceField(
        label=_("Jenis kelamin"),
        required=False,
        choices=[("", "—"), *Gender.choices],
    )
    phone = forms.CharField(
        label=_("Nomor HP"),
        required=False,
        max_length=30,
        help_text=_("mis. 0812 3456 7890; disimpan sebagai +62…"),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=Person._meta.get_field("email").max_length,
    )
    position = forms.CharField(
        label=_("Jabatan"),
        required=False,
        max_length=Person._meta.get_field("position").max_length,
    )
    institution = forms.CharField(
        label=_("Instansi/asal"),
        required=False,
        max_length=Person._meta.get_field("institution").max_length,
        help_text=_("Diisi bila berbeda dari perpustakaan asal."),
    )
    home_library = forms.ModelChoiceField(
        label=_("Perpustakaan asal"),
        queryset=Library.objects.none(),
        required=False,
        empty_label=_("— sama dengan yang diwakili —"),
        widget=LibraryPicker,
    )

    field_order = [
        "full_name",
        "gender",
        "phone",
        "email",
        "position",
        "institution",
        "home_library",
        "role",
        "library",
    ]

    def __init__(self, *args: Any, meeting: Meeting, user: User, **kwargs: Any) -> None:
        super().__init__(*args, meeting=meeting, user=user, **kwargs)
        self.fields["home_library"].queryset = self.fields["library"].queryset
        self.fields["home_library"].widget.province_id = meeting.province_id
        self.fields["home_library"].error_messages["invalid_choice"] = self.fields[
            "library"
        ].error_messages["invalid_choice"]
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()


class ParticipantFilterForm(PortalForm):
    q = PeopleSearchField(label=_("Cari di daftar"))
    group = forms.ChoiceField(label=_("Kelompok"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Semua")), *group_labels().items()]
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Nama, instansi, HP"), "autocomplete": "off"}
        )


class PersonSearchForm(PortalForm):
    q = forms.CharField(
        label=_("Cari orang terdaftar"), required=False, max_length=100, widget=forms.SearchInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {
                "placeholder": _("Ketik nama, email atau 4 angka terakhir HP"),
                "autocomplete": "off",
            }
        )


class ImportForm(PortalForm):
    """An uploaded CSV/XLSX file or a table pasted from a spreadsheet (one of the two)."""

    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        required=False,
        help_text=_("Maksimal 2 MB dan 1.000 baris."),
    )
    text = forms.CharField(
        label=_("Atau tempel dari spreadsheet"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Salin baris judul kolom beserta datanya dari Excel atau Google Sheets."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.fields["text"].widget.attrs["maxlength"] = MAX_UPLOAD_BYTES

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            # Refused on its declared size, before a byte of it is read.
            try:
                check_size(upload.size)
            except ImportFileError as error:
                raise ValidationError(error.message, code="too_large") from error
        return upload

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text", "")
        if text.strip():
            try:
                check_size(len(text.encode("utf-8")))
            except ImportFileError as error:
                raise ValidationError(error.message, code="too_large") from error
            return text
        return ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("file") and cleaned.get("text"):
            raise ValidationError(
                _("Pilih salah satu: unggah berkas atau tempel daftar, tidak keduanya."),
                code="both",
            )
        if not cleaned.get("file") and not cleaned.get("text"):
            raise ValidationError(_("Unggah berkas atau tempel daftar peserta."), code="empty")
        return cleaned
