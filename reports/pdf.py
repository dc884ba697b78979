"""HTML templates → PDF with WeasyPrint, reading nothing but local files.

Fonts come from the system through fontconfig (DejaVu); stylesheets from ``static/reports/pdf/``; a host
office's logo from media storage. ``LocalOnlyFetcher`` refuses every other URL, so a template or a value that
names ``http://…`` or ``file:///etc/passwd`` never makes the worker fetch it.

A worker renders many PDFs, so what does not depend on the document is made once per process and reused: the
parsed stylesheets (parsed again when a file changes) and, per thread, WeasyPrint's font configuration. The rest
of a render is WeasyPrint's own layout (see bench/reports.py for the figures).
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import mimetypes
import os
import re
import ssl
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from weasyprint import CSS, HTML
from weasyprint import html as weasyprint_html
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetchingError, path2url

from reports.documents import STYLE_DIR, Document

logger = logging.getLogger(__name__)

# For the HTTPS handler every URLFetcher carries: left to WeasyPrint it builds a default context, loading the
# system's CA store (~35 ms) for each fetcher. Ours refuses http(s) before any I/O, so it never uses one; an
# empty context (no CA: it could verify nothing) costs nothing.
_UNUSED_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
_per_thread = threading.local()
# WeasyPrint's default (user-agent) stylesheet has rules for pseudo-elements of *every* element: ::marker and
# five footnote and note calls and markers. Each gives every element six computed styles of its own, drawn or
# not: at 1,000 attendees 55,000 styles, 70 MiB of a worker's peak and ~5% of the time. The documents have no
# footnotes and no list markers but those of li and summary, so PortalHTML uses that stylesheet with ::marker
# kept for those two and the note rules left out.
_EVERY_MARKER = re.compile(r"^::marker \{", re.MULTILINE)
_NOTE_RULES = re.compile(r"^::(?:footnote|note)-(?:call|marker|callback) \{[^}]*\}\n", re.MULTILINE)


class RefusedURL(URLFetchingError):
    """A URL the PDF renderer may not fetch."""


def allowed_directories() -> list[Path]:
    """Where the renderer may read files: the project's static folders and media storage."""
    folders: list[Path] = []
    for entry in settings.STATICFILES_DIRS:
        folders.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    folders.append(Path(settings.STATIC_ROOT))
    folders.append(Path(settings.MEDIA_ROOT))
    return folders


class LocalOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that fetches ``data:`` URLs and ``file:`` URLs inside ``directories`` only.

    Everything else (http, https, ftp, a file outside those folders, a symlink leading out of them) raises
    ``RefusedURL`` before any I/O; WeasyPrint then leaves the resource out and logs a warning. ``refused``
    lists what was refused, for tests and logs.
    """

    def __init__(self, directories: Iterable[Path] | None = None, **kwargs) -> None:
        kwargs.setdefault("allowed_protocols", {"data", "file"})
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 5)
        kwargs.setdefault("ssl_context", _UNUSED_TLS)
        super().__init__(**kwargs)
        folders = allowed_directories() if directories is None else directories
        self.directories = tuple(Path(os.path.realpath(folder)) for folder in folders)
        self.refused: list[str] = []

    def is_allowed(self, url: str) -> bool:
        scheme, _, _ = url.partition(":")
        scheme = scheme.lower()
        if scheme == "data":
            return True
        if scheme != "file":
            return False
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return False
        # realpath resolves "..", symlinks and percent-escapes (after url2pathname) before the check.
        path = Path(os.path.realpath(url2pathname(parts.path)))
        return path.is_file() and any(path.is_relative_to(folder) for folder in self.directories)

    def fetch(self, url: str, headers: dict | None = None):
        if not self.is_allowed(url):
            self.refused.append(url)
            logger.warning("PDF renderer refused to fetch %s", url[:200])
            raise RefusedURL(f"Refused URL (only local static and media files): {url[:200]}")
        return super().fetch(url, headers)


@lru_cache(maxsize=1)
def user_agent_stylesheet() -> CSS | None:
    """WeasyPrint's html5_ua.css without its rules for every element's pseudo-elements, or None when it no
    longer has them as written here (a newer WeasyPrint): PortalHTML then keeps WeasyPrint's own."""
    text, notes = _NOTE_RULES.subn("", weasyprint_html.UA)
    text, markers = _EVERY_MARKER.subn(":is(li, summary)::marker {", text)
    if (notes, markers) != (5, 1):
        logger.warning("WeasyPrint's user-agent stylesheet changed; PDFs use it unchanged")
        return None
    # Its @counter-style rules are already in the counter styles WeasyPrint gives each document (from its own
    # copy of the stylesheet); parsed again into those, they would be rejected as redefinitions.
    return CSS(string=text, counter_style=CounterStyle())


class PortalHTML(HTML):
    """WeasyPrint's HTML with the lean user-agent stylesheet (``user_agent_stylesheet``)."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        lean = user_agent_stylesheet()
        return [
            lean if lean is not None and sheet is weasyprint_html.UA_STYLESHEET else sheet
            for sheet in super()._ua_stylesheets(forms)
        ]


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def media_url(name: str) -> str:
    """A URL WeasyPrint can read a media file from: file:// on local storage, else the bytes as data:."""
    if not name:
        return ""
    try:
        return path2url(default_storage.path(name))
    except NotImplementedError:
        # Remote storage (S3 and the like): embed the bytes, the renderer fetches nothing over the network.
        with default_storage.open(name, "rb") as handle:
            payload = base64.b64encode(handle.read()).decode()
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return f"data:{mime};base64,{payload}"


def render_html(document: Document, *, verification_code: str, generated_at: dt.datetime) -> str:
    """The document's HTML, in Indonesian, with the generation time in the meeting province's time zone."""
    meeting = document.data["meeting"]
    zone = ZoneInfo(meeting["time_zone"])
    with translation.override("id"), timezone.override(zone):
        local = timezone.localtime(generated_at, zone)
        generated = (
            f"{date_format(local, 'j F Y')} {local:%H.%M} {meeting['time_zone_abbreviation']}"
        )
        context = {
            "doc": document.data,
            "verification_code": verification_code,
            "generated_at": generated,
            "logo_url": media_url(document.data.get("letterhead", {}).get("logo", "")),
        }
        return render_to_string(document.template_name, context)


def stylesheet(name: str) -> CSS:
    """static/reports/pdf/``name``, parsed once per process and again when the file changes."""
    return _parsed_stylesheet(name, (STYLE_DIR / name).stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _parsed_stylesheet(name: str, mtime_ns: int) -> CSS:
    # Parsed with the local-only fetcher too: an @import or url() in a stylesheet gets no further than the
    # HTML's. A CSS object is only read by the renders that use it, so renders may share it.
    return CSS(filename=STYLE_DIR / name, url_fetcher=LocalOnlyFetcher())


def font_config() -> FontConfiguration:
    """This thread's WeasyPrint font configuration, made once: a new one per render reloads fontconfig and
    starts Pango's font caches cold. Per thread, as Pango's font map is not for sharing between threads."""
    config = getattr(_per_thread, "font_config", None)
    if config is None:
        config = _per_thread.font_config = FontConfiguration()
    return config


def render_pdf(
    *, html: str, stylesheets: Iterable[str] = (), fetcher: URLFetcher | None = None
) -> RenderedPdf:
    """Lay out ``html`` with the named stylesheets of static/reports/pdf/ and write the PDF."""
    fetcher = fetcher or LocalOnlyFetcher()
    rendered = PortalHTML(string=html, base_url=path2url(STYLE_DIR), url_fetcher=fetcher).render(
        stylesheets=[stylesheet(name) for name in stylesheets], font_config=font_config()
    )
    return RenderedPdf(content=rendered.write_pdf(), page_count=len(rendered.pages))


def render_document(
    document: Document, *, verification_code: str, generated_at: dt.datetime
) -> RenderedPdf:
    html = render_html(document, verification_code=verification_code, generated_at=generated_at)
    return render_pdf(html=html, stylesheets=document.stylesheets)
