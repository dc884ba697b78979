"""Load the demo data (demo/plm_jambi_2022.toml): ``manage.py load_demo``. Idempotent; needs ``load_regions``."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports.demo import load_demo


class Command(BaseCommand):
    help = (
        "Create the demo libraries, people, meetings (PLM Jambi 2022, PLM Riau 2022, Bimtek SPP-TIK) and "
        "demo accounts. Idempotent: rows already there are left as they are."
    )

    def handle(self, *args, verbosity: int, **options) -> None:
        result = load_demo()
        if not result.total_created:
            self.stdout.write(_("Data demo sudah lengkap; tidak ada yang diubah."))
            return
        self.stdout.write(
            _("Data demo dimuat: %(count)d baris baru.") % {"count": result.total_created}
        )
        if verbosity >= 2:
            for label, count in sorted(result.created.items()):
                self.stdout.write(f"  {label}: {count}")
