"""Library rows: one chunk at a time against the province; a query each for the chunk's districts, villages
and same-named libraries (the province's regencies are read once per import).

A library is the same as a registered one when its name matches (case and spacing ignored) and so does its
place: the village for a village library, else the regency. The portal keeps library names unique within a
province, so the same name at another place is an error, not a second library. Within the file a later row of
the same name and place is skipped as a duplicate (the first row wins); at another place it is an error.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from libraries.importing.files import Record
from libraries.importing.places import PlaceError, Places, name_key
from libraries.importing.rows import CREATE, UNCHANGED, UPDATE, RowResult, Values, changes
from libraries.models import Library, Province
from plm_portal.spreadsheets import key

_LOCAL_KINDS = (Library.Kind.VILLAGE, Library.Kind.REGENCY_OFFICE)
_KIND_WORDS = {
    "provinsi": Library.Kind.PROVINCIAL_OFFICE,
    "dinasprovinsi": Library.Kind.PROVINCIAL_OFFICE,
    "province": Library.Kind.PROVINCIAL_OFFICE,
    "kabkota": Library.Kind.REGENCY_OFFICE,
    "kabupatenkota": Library.Kind.REGENCY_OFFICE,
    "dinaskabupatenkota": Library.Kind.REGENCY_OFFICE,
    "dinaskabkota": Library.Kind.REGENCY_OFFICE,
    "regency": Library.Kind.REGENCY_OFFICE,
    "desa": Library.Kind.VILLAGE,
    "kelurahan": Library.Kind.VILLAGE,
    "desakelurahan": Library.Kind.VILLAGE,
    "perpustakaandesa": Library.Kind.VILLAGE,
    "perpustakaankelurahan": Library.Kind.VILLAGE,
    "perpusdes": Library.Kind.VILLAGE,
    "village": Library.Kind.VILLAGE,
    "lainnya": Library.Kind.OTHER,
    "lain": Library.Kind.OTHER,
    "other": Library.Kind.OTHER,
}


def kind_lookup() -> dict[str, str]:
    lookup = dict(_KIND_WORDS)
    for value, label in Library.Kind.choices:
        lookup[key(value)] = value
        lookup[key(str(label))] = value
    return lookup


class LibraryChecker:
    """Checks library records of one import; remembers the names of earlier rows across chunks."""

    kind = "libraries"

    def __init__(self, province: Province) -> None:
        self.province = province
        self.places = Places(province)
        self.kinds = kind_lookup()
        self.name_rows: dict[str, tuple[int, str]] = {}  # name key → (row, place key)

    def check(self, records: list[Record]) -> list[RowResult]:
        self.places.load(
            districts={r.values.get("district", "").strip() for r in records} - {""},
            villages={r.values.get("village", "").strip() for r in records} - {""},
        )
        parsed = [self._parse(record) for record in records]
        names = {name_key(lib.name) for result, lib in parsed if not result.failed}
        existing = self._existing(names)
        for result, library in parsed:
            if not result.failed:
                self._match(result, library, existing)
        return [result for result, _lib in parsed]

    def _existing(self, names: set[str]) -> dict[str, Library]:
        if not names:
            return {}
        libraries = (
            Library.objects.annotate(lname=Lower("name"))
            .filter(province=self.province, lname__in=names)
            .select_related("regency", "village")
        )
        return {name_key(library.name): library for library in libraries}

    def _parse(self, record: Record) -> tuple[RowResult, Library]:
        result = RowResult(number=record.number)
        values = Values(self.kind, record.values, result)
        library = Library(
            province=self.province,
            name=values.text("name", Library),
            address=values.raw("address"),
            phone=values.phone(),
            email=values.email(),
            website=self._website(values),
            head_name=values.text("head_name", Library),
            head_title=values.text("head_title", Library),
            head_nip=values.text("head_nip", Library),
        )
        if values.missing("name"):
            result.error(values.label("name"), _("nama perpustakaan wajib diisi"))
        kind = values.raw("kind")
        library.kind = self.kinds.get(key(kind), "") if kind else ""
        if values.missing("kind"):
            result.error(values.label("kind"), _("jenis wajib diisi"))
        elif kind and not library.kind:
            result.error(
                values.label("kind"),
                _("jenis “%(value)s” tidak dikenal; gunakan salah satu: %(kinds)s")
                % {"value": kind, "kinds": ", ".join(str(k) for k in Library.Kind.labels)},
            )
        self._place(values, library)
        return result, library

    def _website(self, values: Values) -> str:
        value = values.raw("website")
        if not value:
            return ""
        url = value if "://" in value else f"https://{value}"
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            values.result.error(
                values.label("website"),
                _("alamat situs web tidak valid (%(value)s)") % {"value": value},
            )
            return ""
        return url[:200]

    def _place(self, values: Values, library: Library) -> None:
        column = "regency"
        try:
            regency = self.places.regency(values.raw("regency"))
            column = "district"
            district = self.places.district(values.raw("district"), regency)
            column = "village"
            village = self.places.village(values.raw("village"), regency, district)
        except PlaceError as error:
            values.result.error(values.label(column), error.message)
            return
        if village is not None and regency is None:
            regency = self.places.regency_of(village.code)
        library.regency, library.village = regency, village
        if library.kind == Library.Kind.VILLAGE and village is None:
            values.result.error(
                values.label("village"),
                _("perpustakaan desa/kelurahan wajib memiliki desa/kelurahan"),
            )
        elif library.kind in _LOCAL_KINDS and regency is None:
            values.result.error(
                values.label("regency"), _("jenis perpustakaan ini wajib memiliki kabupaten/kota")
            )

    @staticmethod
    def _place_key(library: Library) -> str:
        return library.village_id or library.regency_id or ""

    def _place_name(self, library: Library) -> str:
        if library.village_id:
            return str(library.village)
        if library.regency_id:
            return library.regency.name
        return _("Provinsi %(name)s") % {"name": self.province.name}

    def _match(self, result: RowResult, library: Library, existing: dict[str, Library]) -> None:
        name = name_key(library.name)
        place = self._place_key(library)
        earlier = self.name_rows.get(name)
        if earlier:
            if earlier[1] == place:
                result.duplicate(
                    _("perpustakaan yang sama dengan baris %(row)s; baris ini dilewati")
                    % {"row": earlier[0]}
                )
            else:
                result.error(
                    _("Nama perpustakaan"),
                    _(
                        "nama sama dengan baris %(row)s di tempat lain; nama perpustakaan harus unik di provinsi"
                    )
                    % {"row": earlier[0]},
                )
            return
        self.name_rows[name] = (result.number, place)
        current = existing.get(name)
        if current is None:
            result.action, result.obj = CREATE, library
            return
        same_place = (
            current.village_id == library.village_id
            if library.village_id
            else current.regency_id == library.regency_id
        )
        if not same_place:
            result.error(
                _("Nama perpustakaan"),
                _("nama “%(name)s” sudah dipakai perpustakaan lain di provinsi ini (%(place)s)")
                % {"name": current.name, "place": self._place_name(current)},
            )
            return
        wanted = {
            field: getattr(library, field)
            for field in (
                "kind",
                "address",
                "phone",
                "email",
                "website",
                "head_name",
                "head_title",
                "head_nip",
            )
        }
        result.fields = changes(current, wanted)
        result.action = UPDATE if result.fields else UNCHANGED
        result.obj = current
