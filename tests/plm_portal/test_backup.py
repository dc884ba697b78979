"""Backups: ``manage.py backup`` writes one archive, ``manage.py restore`` puts it into a fresh database.

The backup runs in-process against the test database (SQLite, or PostgreSQL when DATABASE_URL is set); the
restore runs as the operator would, ``manage.py restore`` in a process of its own, into a new SQLite file or a new
database on the same PostgreSQL server, and new media folders. Then the same rows and files are looked for there.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection

from plm_portal.backups import BackupError, read_manifest, restore_backup
from tests.factories import LibraryFactory, PersonFactory

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media_dirs(settings, tmp_path: Path) -> tuple[Path, Path]:
    media, private = tmp_path / "media", tmp_path / "private"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": private},
        },
    }
    return media, private


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a new SQLite file, or a new database on the test's PostgreSQL server."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"plm_restore_{uuid.uuid4().hex[:10]}"
    settings_dict = connection.settings_dict
    admin = {
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
        "user": settings_dict["USER"] or None,
        "password": settings_dict["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(os.environ["DATABASE_URL"])
    try:
        yield urlunsplit(parts._replace(path="/" + quote(name)))
    finally:
        with psycopg.connect(**admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage_restore(
    archive: Path, database_url: str, tmp_path: Path, *extra: str
) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="plm_portal.settings",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY="backup-restore-test-" + "y" * 40,
        DATABASE_URL=database_url,
        PLM_VAR_DIR=str(tmp_path / "restored-var"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "restored-media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(tmp_path / "restored-private"),
    )
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), *extra],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _rows(database_url: str, sql: str) -> list[tuple]:
    if database_url.startswith("sqlite:"):
        with closing(sqlite3.connect(urlsplit(database_url).path)) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(database_url) as db:
        return db.execute(sql).fetchall()


def test_backup_restore_into_a_fresh_database_finds_the_same_rows_and_files(
    media_dirs, fresh_database, tmp_path
):
    media, private = media_dirs
    library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi")
    person = PersonFactory(full_name="Siti Aminah", phone="+6281234567890")
    _write(media / "logos" / "kop.png", b"\x89PNG logo bytes")
    _write(media / "reports" / "1" / "daftar-hadir.pdf", b"%PDF-1.7 daftar hadir")
    _write(private / "activities" / "7" / "foto.jpg", b"\xff\xd8 photo bytes")
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=str(archive), stdout=io.StringIO())
    result = _manage_restore(archive, fresh_database, tmp_path)

    assert result.returncode == 0, result.stderr
    manifest = read_manifest(archive)
    assert manifest["vendor"] == connection.vendor
    assert manifest["row_counts"]["libraries.library"] == 1
    assert manifest["row_counts"]["libraries.person"] == 1
    assert manifest["files"] == {"media": 2, "private": 1}
    assert manifest["file_count"] == 3
    assert manifest["app_version"] == "0.1.0"
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert _rows(fresh_database, "SELECT id, name FROM libraries_library") == [
        (library.pk, "Dinas Perpustakaan Kota Jambi")
    ]
    assert _rows(fresh_database, "SELECT id, full_name, phone FROM libraries_person") == [
        (person.pk, "Siti Aminah", "+6281234567890")
    ]
    restored_media, restored_private = tmp_path / "restored-media", tmp_path / "restored-private"
    assert (restored_media / "logos" / "kop.png").read_bytes() == b"\x89PNG logo bytes"
    assert (restored_media / "reports" / "1" / "daftar-hadir.pdf").read_bytes() == (
        b"%PDF-1.7 daftar hadir"
    )
    assert (
        restored_private / "activities" / "7" / "foto.jpg"
    ).read_bytes() == b"\xff\xd8 photo bytes"


def test_restore_refuses_a_target_holding_data_unless_forced(media_dirs, fresh_database, tmp_path):
    LibraryFactory(name="Perpustakaan Desa Mekar")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    assert _manage_restore(archive, fresh_database, tmp_path).returncode == 0

    refused = _manage_restore(archive, fresh_database, tmp_path)
    forced = _manage_restore(archive, fresh_database, tmp_path, "--force")

    assert refused.returncode != 0
    assert "--force" in refused.stderr
    assert forced.returncode == 0, forced.stderr
    assert _rows(fresh_database, "SELECT name FROM libraries_library") == [
        ("Perpustakaan Desa Mekar",)
    ]


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    archive = tmp_path / "not-a-backup.tar.gz"
    archive.write_bytes(b"not a tar file")

    with pytest.raises(BackupError, match="bukan cadangan"):
        restore_backup(archive)


def test_restore_refuses_an_archive_escaping_the_media_folder(media_dirs, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    manifest = read_manifest(archive)
    evil = tmp_path / "evil-rebuilt.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(evil, "w:gz") as target:
        for member in source.getmembers():
            target.addfile(member, source.extractfile(member))
        payload = b"escaped"
        member = tarfile.TarInfo("media/../../escaped.txt")
        member.size = len(payload)
        target.addfile(member, io.BytesIO(payload))
    assert manifest["vendor"] == connection.vendor

    with pytest.raises(BackupError, match="tidak aman"):
        restore_backup(evil, force=True)

    assert not (tmp_path / "escaped.txt").exists()


def test_backup_manifest_is_json_with_the_row_counts(media_dirs, tmp_path):
    PersonFactory.create_batch(3)
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[:2] == ["manifest.json", manifest["database_file"]]
    assert manifest["row_counts"]["libraries.person"] == 3
    assert manifest["rows"] == sum(manifest["row_counts"].values())
