"""Photo uploads: sniffed from their bytes, bounded, re-encoded without metadata; hostile files refused."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programs import photos
from programs.photos import process_photo

GPS_IFD = 0x8825


def _jpeg(size=(800, 600), *, exif: bool = False, comment: bytes = b"") -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "KameraHP"  # Make
        data[0x0112] = 6  # Orientation: rotate 90 degrees
        data.get_ifd(GPS_IFD)[2] = (1.0, 35.0, 0.0)  # GPSLatitude
        kwargs["exif"] = data.tobytes()
    if comment:
        kwargs["comment"] = comment
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def _png(size=(300, 200), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def _upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _refused(data: bytes, code: str, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        process_photo(_upload(data, **kwargs))
    assert error.value.code == code
    return str(error.value.message % (error.value.params or {}))


def test_a_phone_photo_is_turned_upright_shrunk_and_stripped():
    photo = process_photo(_upload(_jpeg((4000, 3000), exif=True)))

    image = Image.open(io.BytesIO(photo.content))
    assert image.format == "JPEG"
    # Orientation 6 applied: the stored photo is upright (portrait), at most MAX_SIDE.
    assert (photo.width, photo.height) == (1200, 1600) == image.size
    assert not image.getexif()
    assert "exif" not in image.info and "comment" not in image.info


def test_png_with_transparency_becomes_jpeg_on_white():
    photo = process_photo(_upload(_png(), name="foto.png", content_type="image/png"))

    image = Image.open(io.BytesIO(photo.content))
    assert (image.format, image.size) == ("JPEG", (300, 200))
    assert image.getpixel((0, 0)) == (255, 255, 255)


def test_not_an_image_is_refused_whatever_its_name():
    message = _refused(b"Nama,HP\nSiti,0812\n", "not_an_image", name="foto.jpg")
    assert "bukan foto" in message


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    _refused(svg, "not_an_image", name="foto.svg", content_type="image/svg+xml")


def test_oversized_file_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 1000)
    message = _refused(_jpeg(), "too_big")
    assert "terlalu besar" in message


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares huge dimensions (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused():
    message = _refused(_png_header_only(60_000, 60_000), "too_many_pixels", name="bom.png")
    assert "megapiksel" in message


def test_jpeg_with_an_archive_appended_is_refused():
    _refused(_jpeg() + b"PK\x03\x04" + b"\x00" * 40, "hidden_content")


def test_jpeg_with_script_in_a_comment_is_refused():
    _refused(_jpeg(comment=b"<script>alert(1)</script>"), "hidden_content")


def test_png_with_trailing_html_is_refused():
    _refused(_png() + b"<html><body>hi</body></html>", "hidden_content", name="x.png")


def test_truncated_image_is_refused_as_broken():
    out = io.BytesIO()
    Image.effect_noise((1200, 900), 80).convert("RGB").save(out, "JPEG")
    data = out.getvalue()
    message = _refused(data[: len(data) // 3], "broken")
    assert "rusak" in message


def test_webp_is_accepted_and_stored_as_jpeg():
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 90, 160)).save(out, "WEBP")
    photo = process_photo(_upload(out.getvalue(), name="foto.webp", content_type="image/webp"))
    assert Image.open(io.BytesIO(photo.content)).format == "JPEG"
    assert (photo.width, photo.height) == (640, 480)
