"""Helpers of the activity tests: photo bytes made with Pillow, stored photos, a private storage per test,
and a world of two provinces with one activity each.

The fixtures are registered as ``private_storage`` and ``world``; a test module imports ``private_storage_fixture``
and ``world_fixture`` (so that the names the tests take as arguments do not shadow the imports).
"""

from __future__ import annotations

import io
import struct
import zlib
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from programs.models import Activity, ActivityPhoto
from tests.factories import ActivityFactory, LibraryFactory, RegencyFactory

GPS_IFD = 0x8825


def jpeg_bytes(size=(640, 480), *, gps: bool = False, color=(30, 140, 90)) -> bytes:
    """A JPEG; with ``gps`` it carries EXIF with a camera make and a GPS position, as a phone's does."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "KameraHP"  # Make
        exif.get_ifd(GPS_IFD)[2] = (1.0, 35.0, 0.0)  # GPSLatitude
        kwargs["exif"] = exif.tobytes()
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def png_bytes(size=(120, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 50, 50)).save(out, "PNG")
    return out.getvalue()


def bomb_png(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny PNG that declares huge dimensions (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def polyglot_jpeg() -> bytes:
    """A JPEG with a zip archive appended: an image and something else in one file."""
    return jpeg_bytes() + b"PK\x03\x04" + b"\x00" * 40


def store_photo(activity: Activity, caption: str = "", **kwargs) -> ActivityPhoto:
    """A stored photo of ``activity`` (a small JPEG in the private storage), bypassing the form."""
    photo = ActivityPhoto(activity=activity, width=64, height=48, caption=caption, **kwargs)
    photo.image.save("foto.jpg", ContentFile(jpeg_bytes((64, 48))), save=False)
    photo.save()
    return photo


@pytest.fixture(name="private_storage")
def private_storage_fixture(tmp_path, monkeypatch):
    """The photos' private storage in this test's own folder (its files are checked, then thrown away)."""
    storage = ActivityPhoto._meta.get_field("image").storage
    folder = tmp_path / "private"
    folder.mkdir()
    monkeypatch.setattr(storage, "_location", str(folder))
    monkeypatch.setitem(storage.__dict__, "base_location", str(folder))
    monkeypatch.setitem(storage.__dict__, "location", str(folder))
    return folder


@pytest.fixture(name="world")
def world_fixture(scenario, private_storage):
    """Jambi: a city library office with an activity and a photo; Riau: a city library office, an activity, a photo."""
    s = scenario
    s.pekanbaru = RegencyFactory(province=s.riau, code="14.71", name="Kota Pekanbaru")
    s.library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=s.kota_jambi)
    s.riau_library = LibraryFactory(name="Dinas Perpustakaan Kota Pekanbaru", regency=s.pekanbaru)
    s.activity = ActivityFactory(
        library=s.library,
        title="Pelatihan anyaman rotan",
        beneficiaries_female=12,
        beneficiaries_male=8,
        beneficiaries_disabled=2,
    )
    s.riau_activity = ActivityFactory(
        library=s.riau_library,
        title="Kelas literasi digital Pekanbaru",
        beneficiaries_female=5,
        beneficiaries_male=5,
    )
    s.photo = store_photo(s.activity, caption="Peserta menganyam")
    s.riau_photo = store_photo(s.riau_activity, caption="Kelas di Pekanbaru")
    s.private = private_storage
    return s


def form_data(world: SimpleNamespace, **changes) -> dict:
    data = {
        "library": str(world.library.pk),
        "line_of_work": "pelibatan",
        "title": "Kelas menjahit untuk ibu rumah tangga",
        "description": "Pelatihan menjahit tiga hari bersama PKK.",
        "date": "2022-09-12",
        "end_date": "2022-09-14",
        "location": "Aula Dinas Perpustakaan Kota Jambi",
        "partners": "PKK Kota Jambi",
        "beneficiaries_female": "25",
        "beneficiaries_male": "3",
        "beneficiaries_disabled": "2",
        "evidence_url": "https://example.org/berita/kelas-menjahit",
    }
    data.update(changes)
    return data
