"""Regions named in a library file: a Kemendagri code ("15.71", "15.71.01.2001") or a name ("Kota Jambi",
"Kab. Muaro Jambi", a village's name within its regency), always within the import's province.

The province's regencies are read once per job (at most a few dozen); districts and villages once per chunk
of rows, in one query each, for the codes and names that chunk mentions.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from libraries.models import District, Province, Regency, Village

_REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")
_DISTRICT_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
_VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
# "15.10" typed into a spreadsheet cell is the number 15.1.
_SHORT_REGENCY_CODE = re.compile(r"^\d{2}\.\d$")
_KABUPATEN_PREFIX = re.compile(r"^(kabupaten|kab\.?)\s+")


class PlaceError(Exception):
    """A region value that names nothing in the province; ``message`` is the row error."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def name_key(text: str) -> str:
    """Case and spacing ignored: "Kota  JAMBI " → "kota jambi"."""
    return " ".join(text.split()).casefold()


def _code(value: str) -> str:
    value = value.strip()
    return value + "0" if _SHORT_REGENCY_CODE.match(value) else value


class Places:
    """Region lookups for one import into ``province``."""

    def __init__(self, province: Province) -> None:
        self.province = province
        self.regencies = {r.code: r for r in Regency.objects.filter(province=province)}
        by_name: dict[str, list[Regency]] = defaultdict(list)
        for regency in self.regencies.values():
            full = name_key(regency.name)
            by_name[full].append(regency)
            short = _KABUPATEN_PREFIX.sub("", full)
            if short != full:
                by_name[short].append(regency)
                by_name[f"kab. {short}"].append(regency)
                by_name[f"kab {short}"].append(regency)
        # A name two regencies answer to ("Bekasi") names neither.
        self._regency_by_name = {k: v[0] for k, v in by_name.items() if len(v) == 1}
        self._districts: dict[str, list[District]] = {}
        self._villages: dict[str, list[Village]] = {}

    def load(self, *, districts: set[str], villages: set[str]) -> None:
        """Read the districts and villages a chunk mentions (codes or names): one query each, if any."""
        self._districts = self._lookup(District, "regency__province", districts)
        self._villages = self._lookup(Village, "district__regency__province", villages)

    def _lookup(self, model, path: str, values: set[str]) -> dict[str, list]:
        codes = {_code(v) for v in values if v[:1].isdigit()}
        names = {name_key(v) for v in values if not v[:1].isdigit()}
        if not codes and not names:
            return {}
        rows = model.objects.annotate(lname=Lower("name")).filter(
            Q(code__in=codes) | Q(**{path: self.province}, lname__in=names)
        )
        found: dict[str, list] = defaultdict(list)
        for row in rows:
            found[row.code].append(row)
            found[name_key(row.name)].append(row)
        return found

    def _outside(self, value: str) -> PlaceError:
        return PlaceError(
            _("kode %(code)s bukan wilayah Provinsi %(province)s")
            % {"code": value, "province": self.province.name}
        )

    def regency(self, value: str) -> Regency | None:
        """The regency ``value`` names, None when blank; PlaceError when it names none in the province."""
        if not value:
            return None
        code = _code(value)
        if code[:1].isdigit():
            if not _REGENCY_CODE.match(code):
                raise PlaceError(
                    _("kode kabupaten/kota “%(value)s” tidak valid") % {"value": value}
                )
            if code in self.regencies:
                return self.regencies[code]
            raise self._outside(value)
        regency = self._regency_by_name.get(name_key(value))
        if regency is None:
            raise PlaceError(
                _("kabupaten/kota “%(value)s” tidak ada di Provinsi %(province)s")
                % {"value": value, "province": self.province.name}
            )
        return regency

    def district(self, value: str, regency: Regency | None) -> District | None:
        if not value:
            return None
        if value[:1].isdigit() and not _DISTRICT_CODE.match(value):
            raise PlaceError(_("kode kecamatan “%(value)s” tidak valid") % {"value": value})
        return self._one(
            self._districts.get(_code(value) if value[:1].isdigit() else name_key(value), []),
            value=value,
            regency=regency,
            district=None,
            what=_("kecamatan"),
        )

    def village(
        self, value: str, regency: Regency | None, district: District | None
    ) -> Village | None:
        if not value:
            return None
        if value[:1].isdigit():
            if not _VILLAGE_CODE.match(value):
                raise PlaceError(
                    _("kode desa/kelurahan “%(value)s” tidak valid") % {"value": value}
                )
            if not value.startswith(f"{self.province.code}."):
                raise self._outside(value)
        elif regency is None:
            raise PlaceError(
                _("isi Kabupaten/Kota untuk mencari desa/kelurahan “%(value)s” menurut nama")
                % {"value": value}
            )
        key = value if value[:1].isdigit() else name_key(value)
        return self._one(
            self._villages.get(key, []),
            value=value,
            regency=regency,
            district=district,
            what=_("desa/kelurahan"),
        )

    def _one(self, candidates: list, *, value: str, regency, district, what: str):
        code_given = value[:1].isdigit()
        if code_given and not value.startswith(f"{self.province.code}."):
            raise self._outside(value)
        matches = [
            c
            for c in candidates
            if (regency is None or c.code.startswith(f"{regency.code}."))
            and (district is None or c.code.startswith(f"{district.code}."))
        ]
        place = regency.name if regency else _("Provinsi %(name)s") % {"name": self.province.name}
        if not matches:
            if code_given and candidates:
                return_message = _("%(what)s %(value)s tidak berada di %(place)s")
            else:
                return_message = _("%(what)s “%(value)s” tidak ditemukan di %(place)s")
            raise PlaceError(return_message % {"what": what, "value": value, "place": place})
        if len(matches) > 1:
            raise PlaceError(
                _(
                    "ada %(count)s %(what)s bernama “%(value)s” di %(place)s; "
                    "isi kolom Kecamatan atau tulis kodenya"
                )
                % {"count": len(matches), "what": what, "value": value, "place": place}
            )
        return matches[0]

    def regency_of(self, code: str) -> Regency | None:
        """The regency of a district's or village's code ("15.71.01.2001" → Kota Jambi)."""
        return self.regencies.get(code[:5])
