"""Load the national sample (issue 12's sizes at scale 1): ``manage.py load_national_sample --scale 1.0``.

A developer and benchmark command: deterministic, idempotent, sample rows only (see reports.national_sample).
"""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from libraries.models import Province
from plm_portal.freshness import bump
from reports.national_sample import load_national_sample


class Command(BaseCommand):
    help = (
        "Fill the database with a deterministic national sample (38 provinces, ~1,675 meetings, ~100,000 "
        "participations at scale 1). Idempotent; touches no non-sample row; sends no mail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Size multiplier (default 1.0)."
        )
        parser.add_argument(
            "--password",
            default=None,
            help="Password of every sample account (default: unusable, no sign-in).",
        )

    def handle(self, *args, scale: float, password: str | None, **options) -> None:
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        started = time.perf_counter()
        if not Province.objects.exists():
            call_command("load_regions", stdout=self.stdout)
        result = load_national_sample(scale=scale, password=password)
        if result.already_loaded:
            self.stdout.write("A national sample is already loaded; nothing was created.")
            return
        # Fresh statistics, so the planner sees 100,000 participations and not the empty tables it last saw
        # (autovacuum would get there, later); and the cached national figures count the new rows.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        bump("dashboard")
        bump("people")
        for label, count in sorted(result.created.items()):
            self.stdout.write(f"  {label:<40} {count:>9,}")
        self.stdout.write(
            f"National sample at scale {scale:g}: {result.total_created:,} rows "
            f"in {time.perf_counter() - started:.1f} s."
        )
