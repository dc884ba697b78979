from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from libraries.models import Library, Province
from meetings.forms import limits
from meetings.forms.limits import limit_text
from meetings.models import Award, Meeting
from meetings.selectors import award_libraries, award_provinces, award_siblings
from plm_portal import hooks
from plm_portal.forms import PortalModelForm
from plm_portal.models import User
from plm_portal.once import FormKeyMixin

# Which kind of library each award category is for.
CATEGORY_LIBRARY_KIND = {
    Award.Category.BEST_REGENCY_LIBRARY: Library.Kind.REGENCY_OFFICE,
    Award.Category.BEST_VILLAGE_LIBRARY: Library.Kind.VILLAGE,
}
WRONG_KIND_MESSAGES = {
    Award.Category.BEST_REGENCY_LIBRARY: _(
        "Penghargaan perpustakaan kabupaten/kota terbaik hanya untuk Dinas Perpustakaan "
        "Kabupaten/Kota. Pilih perpustakaan jenis itu."
    ),
    Award.Category.BEST_VILLAGE_LIBRARY: _(
        "Penghargaan perpustakaan desa terbaik hanya untuk perpustakaan desa/kelurahan. "
        "Pilih perpustakaan jenis itu."
    ),
}


class _LibrariesByKind(ModelChoiceIterator):
    """The libraries in one <optgroup> per kind, regency offices first."""

    def __iter__(self) -> Iterator:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {kind: [] for kind in CATEGORY_LIBRARY_KIND.values()}
        for library in self.queryset:
            groups.setdefault(library.kind, []).append(self.choice(library))
        for kind, choices in groups.items():
            if choices:
                yield (Library.Kind(kind).label, choices)


class _LibrarySelect(forms.Select):
    """Marks each option with its library kind, so awards.js can offer only the kind a category allows."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        library = getattr(option["value"], "instance", None)
        if library is not None:
            option["attrs"]["data-kind"] = library.kind
        return option


class AwardLibraryField(forms.ModelChoiceField):
    iterator = _LibrariesByKind
    widget = _LibrarySelect

    def label_from_instance(self, obj: Library) -> str:
        if obj.kind == Library.Kind.VILLAGE and obj.regency_id:
            return f"{obj.name} — {obj.regency.name}"
        return obj.name


class AwardForm(FormKeyMixin, PortalModelForm):
    """Add or change an award of the meeting's province and year.

    Province and year come from the meeting: they stay in the form, disabled, so the model's unique
    constraints on them are still checked; rank and library clashes are reported on those fields.
    """

    province = forms.ModelChoiceField(
        label=_("Provinsi"), queryset=Province.objects.none(), disabled=True, required=False
    )
    year = forms.IntegerField(label=_("Tahun"), disabled=True, required=False)
    rank = forms.IntegerField(label=_("Peringkat"), min_value=1, max_value=10, initial=1)
    library = AwardLibraryField(
        label=_("Perpustakaan"),
        queryset=Library.objects.none(),
        empty_label=_("Pilih perpustakaan"),
    )

    class Meta:
        model = Award
        fields = ["province", "year", "category", "rank", "library", "citation", "jury_reason"]
        widgets = {
            "citation": forms.Textarea(attrs={"rows": 3}),
            "jury_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, meeting: Meeting, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_text(self, limits.AWARD)
        self.meeting = meeting
        self.instance.province_id = meeting.province_id
        self.instance.year = meeting.year
        self.fields["province"].queryset = award_provinces(meeting)
        self.fields["province"].initial = meeting.province_id
        self.fields["year"].initial = meeting.year
        library = self.fields["library"]
        library.queryset = award_libraries(user, meeting, list(CATEGORY_LIBRARY_KIND.values()))
        library.help_text = _(
            "Kategori kabupaten/kota: Dinas Perpustakaan Kabupaten/Kota; kategori desa: "
            "perpustakaan desa/kelurahan. Hanya perpustakaan di provinsi ini."
        )
        library.widget.attrs["data-award-library"] = json.dumps(CATEGORY_LIBRARY_KIND)
        self.fields["category"].widget.attrs["data-award-category"] = ""
        self.fields["rank"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["library"].error_messages["invalid_choice"] = _(
            "Pilih perpustakaan dari daftar: hanya perpustakaan di provinsi pertemuan ini."
        )
        self.fields["jury_reason"].help_text = _(
            "Wajib bila lembar penilaian tidak menempatkan perpustakaan ini di peringkat ini. Disimpan untuk "
            "Perpusnas; tidak dicetak di piagam atau laporan mana pun."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        category, rank, library = (
            cleaned.get("category"),
            cleaned.get("rank"),
            cleaned.get("library"),
        )
        if category and library and library.kind != CATEGORY_LIBRARY_KIND[category]:
            self.add_error("library", WRONG_KIND_MESSAGES[category])
            library = None
        siblings = award_siblings(self.meeting, category, exclude_pk=self.instance.pk)
        if category and rank and siblings.filter(rank=rank).exists():
            self.add_error(
                "rank",
                _("Peringkat %(rank)s kategori ini sudah diberikan tahun %(year)s.")
                % {"rank": rank, "year": self.meeting.year},
            )
        if category and library and siblings.filter(library=library).exists():
            self.add_error(
                "library",
                _("Perpustakaan ini sudah menerima penghargaan kategori ini tahun %(year)s.")
                % {"year": self.meeting.year},
            )
        if category and rank and library and not (cleaned.get("jury_reason") or "").strip():
            self._ask_reason_unless_as_scored(category, rank, library)
        return cleaned

    def _ask_reason_unless_as_scored(self, category: str, rank: int, library: Library) -> None:
        """The jury decides; naming another library than the score sheet's at this rank needs a reason."""
        ranking = hooks.ask(
            hooks.AWARD_RANKING, self.meeting.province_id, self.meeting.year, category, default=[]
        )
        if not ranking or (rank <= len(ranking) and ranking[rank - 1] == library.pk):
            return
        self.add_error(
            "jury_reason",
            _(
                "Menurut lembar penilaian, peringkat %(rank)s kategori ini bukan perpustakaan ini. "
                "Tulis alasan juri memilihnya."
            )
            % {"rank": rank},
        )
