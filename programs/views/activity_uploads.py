"""The limits of one activity form's upload, applied while the request is read (before anything is stored).

Django keeps uploads above FILE_UPLOAD_MAX_MEMORY_SIZE in temporary files, whatever their size. The activity
form accepts at most ``MAX_PHOTOS`` photos of at most ``photos.MAX_BYTES`` each, so this handler, placed first,
skips (never stores) any file past those limits and every file of a request larger than all of them together,
and notes a message for each. The form's other fields are still read, so the page comes back with everything
that was typed and the messages next to the photo field.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from programs import photos
from programs.forms.activities import short_name
from programs.services.activities import MAX_PHOTOS

PHOTO_FIELD = "photos"
# All the photos at their largest, and room for the form's text fields and the multipart framing.
MAX_REQUEST_BYTES = MAX_PHOTOS * photos.MAX_BYTES + 1024 * 1024


class PhotoUploadLimits(FileUploadHandler):
    """Skips files past the activity form's limits; ``problems`` says which, for the person who sent them."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.problems: list[str] = []
        self._whole_request_too_big = False
        self._files = 0
        self._skip = False
        self._size = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict,
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        if content_length > MAX_REQUEST_BYTES:
            self._whole_request_too_big = True
            self.problems.append(
                _(
                    "Foto-foto yang dikirim terlalu besar (bersama-sama lebih dari %(total)d MB). Kirim "
                    "paling banyak %(count)d foto, masing-masing paling besar %(mb)d MB."
                )
                % {
                    "total": MAX_REQUEST_BYTES // (1024 * 1024),
                    "count": MAX_PHOTOS,
                    "mb": photos.MAX_BYTES // (1024 * 1024),
                }
            )
        return None

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self._size = 0
        # SkipFile is raised on the first chunk, not here: raised here it would close the file the next
        # handler completed just before (Django closes each handler's current file on SkipFile).
        self._skip = self._whole_request_too_big or field_name != PHOTO_FIELD
        if field_name == PHOTO_FIELD and not self._skip:
            self._files += 1
            if self._files == MAX_PHOTOS + 1:
                self.problems.append(
                    _("Paling banyak %(count)d foto sekali kirim.") % {"count": MAX_PHOTOS}
                )
            self._skip = self._files > MAX_PHOTOS

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self._skip:
            raise SkipFile
        self._size += len(raw_data)
        if self._size > photos.MAX_BYTES:
            message = photos.TOO_BIG % {"mb": photos.MAX_BYTES // (1024 * 1024)}
            self.problems.append(f"“{short_name(self.file_name)}”: {message}")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the uploaded file


def limit_photo_uploads(request: HttpRequest) -> PhotoUploadLimits:
    """Put the limits before Django's own handlers; call before anything reads ``request.POST``."""
    limits = PhotoUploadLimits(request)
    if request.method == "POST":
        request.upload_handlers.insert(0, limits)
    return limits
