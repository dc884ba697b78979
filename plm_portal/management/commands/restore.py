"""``manage.py restore FILE [--force]`` (``make restore BACKUP=FILE``): put a backup archive back."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plm_portal.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into the configured database and media folders, then check the "
        "manifest's row and file counts. Refuses a target that holds data unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="The .tar.gz written by manage.py backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that holds data and write over existing media files.",
        )

    def handle(self, *args, **options) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(_("Berkas cadangan tidak ditemukan: %(path)s") % {"path": archive})
        try:
            result = restore_backup(archive, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("Dipulihkan dari %(path)s (dibuat %(created)s): %(rows)s baris, %(files)s berkas.")
            % {
                "path": archive,
                "created": result.manifest["created_at"],
                "rows": result.rows,
                "files": result.files,
            }
        )
