"""The few region rows the demo data refers to, for tests that load the demo without all 83k villages."""

from __future__ import annotations

from lokal import wilayah

from libraries.models import District, Province, Regency, Village
from reports import demo


def create_demo_regions() -> None:
    """The few region rows the demo refers to, with their real codes and names (not all 83k villages)."""
    base, villages = wilayah._base(), wilayah._desa()
    codes = demo.required_region_codes()
    village_codes = sorted(code for code in codes if code.count(".") == 3)
    district_codes = sorted({code[:8] for code in village_codes})
    regency_codes = sorted({code for code in codes if code.count(".") == 1})
    province_codes = sorted({code for code in codes if "." not in code})
    # Jambi and Riau, the only provinces of the demo, are both WIB.
    Province.objects.bulk_create(
        Province(code=code, name=base[code], time_zone=Province.TimeZone.WIB)
        for code in province_codes
    )
    Regency.objects.bulk_create(
        Regency(
            code=code,
            province_id=code[:2],
            name=base[code],
            kind=Regency.Kind.KOTA if base[code].startswith("Kota ") else Regency.Kind.KABUPATEN,
        )
        for code in regency_codes
    )
    District.objects.bulk_create(
        District(code=code, regency_id=code[:5], name=base[code]) for code in district_codes
    )
    Village.objects.bulk_create(
        Village(
            code=code,
            district_id=code[:8],
            name=villages[code],
            kind=Village.Kind.KELURAHAN if code[9] == "1" else Village.Kind.DESA,
        )
        for code in village_codes
    )
