"""Backups: one tar.gz with the database, the media folders and a manifest; and the way back.

``manage.py backup`` / ``make backup`` write it, ``manage.py restore <file>`` / ``make restore BACKUP=<file>`` put
it back into an empty database and media folders (``--force`` for a non-empty one) and check the manifest's row
and file counts afterwards. The database half is plm_portal/backup_db.py.

Archive layout::

    manifest.json        created_at, vendor, app version, git commit, migrations, rows per model, files
    database.dump        PostgreSQL (pg_dump --format=custom)   | database.sqlite3 (SQLite backup API)
    media/…              settings.MEDIA_ROOT (logos, rendered PDFs)
    private/…            the private storage (photos of activities and stories)
"""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from plm_portal import backup_db
from plm_portal.backup_db import BackupError

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    rows: int
    files: int


def media_folders() -> dict[str, Path]:
    """Archive folder → folder on disk, read at call time (tests and deployments move them)."""
    private = settings.STORAGES.get("private", {}).get("OPTIONS", {}).get("location")
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(private or getattr(settings, "PRIVATE_MEDIA_ROOT", "")),
    }


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def _app_version() -> str:
    try:
        with (settings.BASE_DIR / "pyproject.toml").open("rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return ""


def _git_commit() -> str:
    try:
        result = subprocess.run(  # noqa: S603 - a fixed git command
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _migrations(alias: str = "default") -> dict[str, str]:
    """The last applied migration per app: a restore into older code can be spotted."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def default_backup_path() -> Path:
    var_dir = Path(getattr(settings, "VAR_DIR", settings.BASE_DIR / "var"))
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return var_dir / "backups" / f"plm-backup-{stamp}.tar.gz"


def create_backup(output: Path | None = None, *, alias: str = "default") -> tuple[Path, dict]:
    """Write the archive (0600: it holds personal data) and return its path and manifest.

    Written next to its final name and renamed at the end, so a failed backup never leaves a file that looks
    complete. ``output`` may be a folder (a dated name is made in it) or a file name.
    """
    target = Path(output) if output else default_backup_path()
    if target.is_dir():
        target = target / default_backup_path().name
    target.parent.mkdir(parents=True, exist_ok=True)
    folders = media_folders()
    with tempfile.TemporaryDirectory(prefix="plm-backup-") as tmp:
        dump_path, counts = backup_db.dump(Path(tmp), alias)
        files = {name: _files(folder) for name, folder in folders.items()}
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "vendor": backup_db.vendor(alias),
            "database_file": dump_path.name,
            "app_version": _app_version(),
            "git_commit": _git_commit(),
            "django_version": django.get_version(),
            "migrations": _migrations(alias),
            "row_counts": counts,
            "rows": sum(counts.values()),
            "files": {name: len(paths) for name, paths in files.items()},
            "file_count": sum(len(paths) for paths in files.values()),
        }
        manifest_path = Path(tmp) / MANIFEST_NAME
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
        partial = target.with_name(target.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(manifest_path, arcname=MANIFEST_NAME)
                tar.add(dump_path, arcname=dump_path.name)
                for name, paths in files.items():
                    for path in paths:
                        relative = path.relative_to(folders[name]).as_posix()
                        tar.add(path, arcname=f"{name}/{relative}", recursive=False)
            partial.replace(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return target, manifest


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            member = tar.extractfile(MANIFEST_NAME)
            if member is None:
                raise KeyError(MANIFEST_NAME)
            manifest = json.loads(member.read().decode("utf-8"))
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(
            _("%(file)s bukan cadangan Portal PLM: %(error)s") % {"file": archive, "error": exc}
        ) from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(_("Format cadangan %(format)s tidak dikenal.") % manifest)
    return manifest


def target_holds_data(alias: str = "default") -> bool:
    return backup_db.holds_data(alias) or any(_files(folder) for folder in media_folders().values())


def _media_members(
    tar: tarfile.TarFile, folders: dict[str, Path]
) -> list[tuple[Path, tarfile.TarInfo]]:
    """(folder, member renamed relative to it) for each file under media/ and private/, all checked safe."""
    members = []
    for member in tar.getmembers():
        parts = PurePosixPath(member.name).parts
        if len(parts) < 2 or parts[0] not in folders or not member.isfile():
            continue
        folder = folders[parts[0]]
        member = member.replace(name=PurePosixPath(*parts[1:]).as_posix(), deep=False)
        try:
            # The "data" filter refuses absolute paths, "..", links and device files.
            tarfile.data_filter(member, str(folder))
        except tarfile.FilterError as exc:
            raise BackupError(
                _("Berkas tidak aman di cadangan: %(error)s") % {"error": exc}
            ) from None
        members.append((folder, member))
    return members


def restore_backup(archive: Path, *, force: bool = False, alias: str = "default") -> RestoreResult:
    """Put an archive back: the database, then the media folders, then check the manifest's counts.

    Refuses a target database or media folder that already holds data unless ``force``; with ``force`` the
    database is replaced and the archive's files are written over the folders (files not in the archive stay).
    Raises BackupError when the restored row or file counts differ from the manifest.
    """
    manifest = read_manifest(archive)
    target_vendor = backup_db.vendor(alias)
    if manifest["vendor"] != target_vendor:
        raise BackupError(
            _("Cadangan ini dari %(source)s dan tidak dapat dipulihkan ke %(target)s.")
            % {"source": manifest["vendor"], "target": target_vendor}
        )
    if not force and target_holds_data(alias):
        raise BackupError(
            _(
                "Basis data atau folder media tujuan sudah berisi data; pulihkan ke tempat kosong, atau "
                "tambahkan --force untuk menimpanya."
            )
        )
    folders = media_folders()
    with tempfile.TemporaryDirectory(prefix="plm-restore-") as tmp, tarfile.open(archive) as tar:
        # Every file is checked before anything is touched: an unsafe archive changes nothing.
        files = _media_members(tar, folders)
        database_file = manifest["database_file"]
        tar.extract(database_file, path=tmp, filter="data")
        backup_db.restore(Path(tmp) / database_file, alias)
        for folder, member in files:
            folder.mkdir(parents=True, exist_ok=True)
            tar.extract(member, path=folder, filter="data")
    restored_files = len(files)
    counts = backup_db.row_counts(alias)
    differences = {
        label: (expected, counts.get(label))
        for label, expected in manifest["row_counts"].items()
        if counts.get(label) != expected
    }
    if differences:
        raise BackupError(
            _("Jumlah baris setelah pemulihan berbeda dari manifes: %(differences)s")
            % {"differences": differences}
        )
    if restored_files != manifest["file_count"]:
        raise BackupError(
            _("Berkas yang dipulihkan: %(restored)s, manifes: %(expected)s.")
            % {"restored": restored_files, "expected": manifest["file_count"]}
        )
    return RestoreResult(manifest=manifest, rows=sum(counts.values()), files=restored_files)
