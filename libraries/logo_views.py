"""A library's logo (kop surat), served by a view: the portal has no public /media/ route, not even in DEBUG.

A logo is not personal data, so every signed-in user may see it; nobody signed out, and there is no folder to
list or file name to guess. Only what Pillow validated on upload (ImageField) is stored, and it is sent with its
own image type, never as HTML or SVG.
"""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from libraries.models import Library

# Raster types Pillow accepts for an ImageField; anything else is not served as an image.
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})


@login_required
@require_GET
def library_logo(request: HttpRequest, pk: int) -> FileResponse:
    library = get_object_or_404(Library.objects.only("pk", "logo"), pk=pk)
    if not library.logo:
        raise Http404
    content_type, _encoding = mimetypes.guess_type(library.logo.name)
    if content_type not in IMAGE_TYPES:
        raise Http404
    try:
        handle = library.logo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
