"""``manage.py backup [--output PATH]`` (``make backup``): the database, media and a manifest in one tar.gz."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plm_portal.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup archive (tar.gz): the database (pg_dump or SQLite's backup API), the media and "
        "private media folders and a manifest. Default: var/backups/plm-backup-<date>.tar.gz."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", "-o", help="A file name or a folder for the archive.")

    def handle(self, *args, **options) -> None:
        try:
            path, manifest = create_backup(Path(options["output"]) if options["output"] else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("Cadangan ditulis: %(path)s (%(rows)s baris, %(files)s berkas, %(vendor)s).")
            % {
                "path": path,
                "rows": manifest["rows"],
                "files": manifest["file_count"],
                "vendor": manifest["vendor"],
            }
        )
