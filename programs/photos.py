"""Uploaded photos (activities, impact stories): checked from their bytes, re-encoded, stripped of metadata.

What an officer's phone sends is never stored as sent. A photo is accepted only when its bytes are a JPEG, PNG
or WebP image that Pillow decodes, of sensible size and dimensions, with nothing else hidden in the file; it is
then turned upright, shrunk to at most ``MAX_SIDE`` pixels and saved as a new JPEG without EXIF (GPS position,
camera, owner) or any other metadata. The stored name is random (``programs.models.activities.photo_name``), in
private storage, and served only by views that check the user's scope.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import router, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# A phone photo is 2-6 MB; more is not a photo taken for a report.
MAX_BYTES = 10 * 1024 * 1024
# Decoded size limit: a small file that decodes to a huge image (a decompression bomb) is refused before
# decoding. 50 megapixels is more than any phone camera.
MAX_PIXELS = 50_000_000
# What is stored: enough for a report or a screen, far less than the original.
MAX_SIDE = 1600
JPEG_QUALITY = 82

# The formats accepted, by their first bytes (what the file is, whatever its name or declared type says).
_SIGNATURES = {
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "WEBP": (b"RIFF",),
}
# Another file hidden inside an image (a polyglot): HTML or script, an archive, a PDF, a PHP page.
_HIDDEN = (b"<script", b"<html", b"<?php", b"<svg", b"<!doctype", b"pk\x03\x04", b"%pdf-", b"<?xml")

TOO_BIG = _("Foto terlalu besar (lebih dari %(mb)s MB). Kirim foto yang lebih kecil.")
NOT_AN_IMAGE = _("Berkas ini bukan foto JPEG, PNG atau WebP.")
TOO_MANY_PIXELS = _("Ukuran gambar terlalu besar (lebih dari %(mp)s megapiksel).")
HIDDEN_CONTENT = _("Foto ini berisi data lain selain gambar dan tidak dapat diterima.")
BROKEN = _("Foto ini rusak atau tidak lengkap. Coba unggah ulang.")


@dataclass(frozen=True)
class Photo:
    """A re-encoded photo, ready to store: JPEG bytes and their dimensions."""

    content: bytes
    width: int
    height: int


def _read(upload: UploadedFile) -> bytes:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(TOO_BIG, code="too_big", params={"mb": MAX_BYTES // (1024 * 1024)})
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(TOO_BIG, code="too_big", params={"mb": MAX_BYTES // (1024 * 1024)})
    return data


def _sniffed_format(data: bytes) -> str:
    for name, signatures in _SIGNATURES.items():
        if any(data.startswith(signature) for signature in signatures):
            if name == "WEBP" and data[8:12] != b"WEBP":
                continue
            return name
    raise ValidationError(NOT_AN_IMAGE, code="not_an_image")


def _trailing_data(data: bytes, kind: str) -> bool:
    """Whether bytes follow the image's own end (where polyglots and appended archives live).

    ValidationError (broken) when the image has no end at all: a file cut short.
    """
    if kind == "PNG":
        end = data.rfind(b"IEND")
        rest = len(data) - (end + 8) if end != -1 else None  # chunk type + CRC
    elif kind == "JPEG":
        end = data.rfind(b"\xff\xd9")
        rest = len(data[end + 2 :].strip(b"\x00")) if end != -1 else None
    else:  # WebP: the RIFF header says how long the file is (padded to an even length).
        declared = int.from_bytes(data[4:8], "little") + 8
        rest = len(data) - declared - (declared % 2) if len(data) >= declared else None
    if rest is None:
        raise ValidationError(BROKEN, code="broken")
    return rest > 0


def process_photo(upload: UploadedFile) -> Photo:
    """The upload as a clean JPEG, or ValidationError with a message for the person who sent it."""
    data = _read(upload)
    kind = _sniffed_format(data)
    lowered = data.lower()
    if any(marker in lowered for marker in _HIDDEN) or _trailing_data(data, kind):
        raise ValidationError(HIDDEN_CONTENT, code="hidden_content")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != kind:
                raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
            width, height = probe.size
            if width * height > MAX_PIXELS or getattr(probe, "n_frames", 1) > 1:
                raise ValidationError(
                    TOO_MANY_PIXELS, code="too_many_pixels", params={"mp": MAX_PIXELS // 1_000_000}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                image = _flatten(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # A new image: no exif, icc, comments or any other metadata block is passed to save().
            image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
            return Photo(out.getvalue(), image.width, image.height)
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise ValidationError(
            TOO_MANY_PIXELS, code="too_many_pixels", params={"mp": MAX_PIXELS // 1_000_000}
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(BROKEN, code="broken") from error


def _flatten(image: Image.Image) -> Image.Image:
    """Transparency onto white, palette and CMYK into RGB: what a JPEG holds."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def photo_response(image: FieldFile, *, filename: str, max_age: int) -> FileResponse:
    """A stored photo as the scoped views serve it (after checking the user may see it): a JPEG the browser
    never sniffs into anything else, cached by this browser only, under ``filename`` (never the stored random
    name); 404 when the file is gone."""
    try:
        handle = image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg", filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"private, max-age={max_age}"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- files of deleted rows ----------------------------------------------------------------------------------
# A photo row can go without its service: a library deleted in the admin takes its activities, their photos and
# its impact stories with it (CASCADE), and the admin deletes photo rows and stories directly. The file must go
# too (a photo of a person is personal data), but only once the deletion commits: a rolled-back deletion keeps
# its row, which still needs its file. Deleting a file that is already gone is harmless, so the services that
# delete files themselves are not disturbed.


def delete_file_on_commit(
    sender: type, instance: object, *, field_name: str, **kwargs: object
) -> None:
    """post_delete receiver body: remove ``instance``'s ``field_name`` file from its storage after commit."""
    file = getattr(instance, field_name)
    if not file or not file.name:
        return
    storage, name = file.storage, file.name

    def delete() -> None:
        try:
            storage.delete(name)
        except (
            OSError
        ):  # the disk refuses: the row is gone either way; the name is random and unlisted
            logger.warning("Could not delete photo file %s of a deleted %s", name, sender.__name__)

    transaction.on_commit(delete, using=router.db_for_write(sender))


def connect_photo_cleanup() -> None:
    """Called from ProgramsConfig.ready(): the photo-bearing models delete their files with their rows."""
    from programs.models import ActivityPhoto, ImpactStory

    for model, field_name in ((ActivityPhoto, "image"), (ImpactStory, "photo")):
        post_delete.connect(
            partial(delete_file_on_commit, field_name=field_name),
            sender=model,
            weak=False,
            dispatch_uid=f"programs.photo_cleanup.{model.__name__}",
        )
