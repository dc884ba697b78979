"""Forms of a registry import: the upload (province and file) and the column mapping. Validation only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from libraries.importing import files
from libraries.importing.columns import columns_of
from libraries.models import Province
from plm_portal import spreadsheets
from plm_portal.forms import PortalForm

_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(PortalForm):
    """The province to import into (fixed for a provincial officer) and the file."""

    province = forms.ModelChoiceField(
        label=gettext_lazy("Provinsi"), queryset=Province.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        help_text=gettext_lazy(
            "Maksimal 20 MB dan 60.000 baris. Baris pertama berisi judul kolom."
        ),
    )

    def __init__(self, *args: Any, provinces: QuerySet[Province], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        if provinces.count() == 1:
            self.fields["province"].initial = provinces.first()
            self.fields["province"].disabled = True
        self.fields["file"].widget.attrs["accept"] = f".csv,.xlsx,text/csv,{_XLSX_TYPE}"

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                # Refused on its declared size and name, before a byte of it is read.
                spreadsheets.check_size(upload.size or 0, files.MAX_UPLOAD_BYTES)
                files.file_type(upload.name or "")
            except spreadsheets.SpreadsheetError as error:
                raise ValidationError(error.message, code="bad_file") from error
        return upload


class MappingForm(PortalForm):
    """One select per field of the kind: which column of the file fills it ("" for none)."""

    def __init__(
        self, *args: Any, kind: str, headers: list[str], mapping: dict[str, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        choices = [("", _("— tidak diimpor —"))] + [
            (str(index), header or _("Kolom %(number)s") % {"number": index + 1})
            for index, header in enumerate(headers)
        ]
        self.column_count = len(headers)
        for column in columns_of(kind):
            label = f"{column.label} *" if column.required else str(column.label)
            self.fields[column.name] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
            if column.name in mapping:
                self.fields[column.name].initial = str(mapping[column.name])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mapping = {name: int(value) for name, value in data.items() if value not in ("", None)}
        missing = [
            str(c.label) for c in columns_of(self.kind) if c.required and c.name not in mapping
        ]
        if missing:
            raise ValidationError(
                _("Kolom wajib belum dipetakan: %(columns)s.") % {"columns": ", ".join(missing)},
                code="missing_columns",
            )
        if self.kind == "people" and "phone" not in mapping and "email" not in mapping:
            raise ValidationError(
                _("Petakan kolom No. HP atau Email: orang dikenali dari salah satunya."),
                code="missing_columns",
            )
        used: dict[int, list[str]] = {}
        for name, index in mapping.items():
            used.setdefault(index, []).append(str(self.fields[name].label).rstrip(" *"))
        twice = [", ".join(names) for names in used.values() if len(names) > 1]
        if twice:
            raise ValidationError(
                _("Satu kolom berkas dipetakan ke lebih dari satu isian: %(fields)s.")
                % {"fields": "; ".join(twice)},
                code="column_twice",
            )
        self.mapping = mapping
        return data

    def current(self) -> dict[str, int]:
        """The mapping shown: the posted one when valid, else the initial one."""
        if self.is_bound and self.is_valid():
            return self.mapping
        return {
            name: int(field.initial)
            for name, field in self.fields.items()
            if field.initial not in ("", None)
        }
