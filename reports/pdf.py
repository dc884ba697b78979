"""HTML templates → PDF with WeasyPrint, reading nothing but local files.

Fonts come from the system through fontconfig (DejaVu); stylesheets from ``static/reports/pdf/``; a host
office's logo from media storage. ``LocalOnlyFetcher`` refuses every other URL, so a template or a value that
names ``http://…`` or ``file:///etc/passwd`` never makes the worker fetch it.

A worker renders many PDFs, so what does not depend on the document is made once per process and reused: the
parsed stylesheets (parsed again when a file changes) and, per thread, WeasyPrint's font configuration. The rest
of a render is WeasyPrint's own layout (see bench/reports.py for the figures).

WeasyPrint holds a whole document's boxes and styles until its PDF is written, about 0.25 MiB a page: 1,000
certificates in one go took a worker to 377 MiB. A document of sheets that stand alone (``Document.sheets``:
certificates, charters) is therefore laid out ``BATCH_SHEETS`` sheets at a time, each batch written and freed
before the next, and the PDFs joined with pypdf (``join_pdfs``).
"""

from __future__ import annotations

import base64
import datetime as dt
import gc
import hashlib
import io
import logging
import mimetypes
import os
import re
import ssl
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
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

if TYPE_CHECKING:
    from pypdf import PdfWriter

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
# Sheets laid out per WeasyPrint document. 1,000 certificates in a warm worker (peak MiB, CPU s, MB): whole 374,
# 19.7, 1.65; 200 a batch 179, 17.9, 2.06; 100 a batch 159, 18.2, 2.08; 50 148, 19.8, 2.12; 25 148, 21.8, 2.24.
# Batches are faster than one go up to a point (smaller heaps for the garbage collector), then each batch's own
# layout setup, font subsets and PDF cost more than they save.
BATCH_SHEETS = 100
FONT_FILES = ("/FontFile2", "/FontFile3", "/FontFile")


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
    """The document's PDF: laid out whole, or ``BATCH_SHEETS`` sheets at a time and joined."""
    batches = document.batches(BATCH_SHEETS)
    if len(batches) == 1:
        html = render_html(document, verification_code=verification_code, generated_at=generated_at)
        return render_pdf(html=html, stylesheets=document.stylesheets)

    def parts() -> Iterator[bytes]:
        for batch in batches:
            html = render_html(
                batch, verification_code=verification_code, generated_at=generated_at
            )
            yield render_pdf(html=html, stylesheets=document.stylesheets).content
            # A laid-out document is full of reference cycles (boxes and their parents): collect it now, not
            # whenever the collector next runs, so that no two batches' layouts are in memory at once.
            gc.collect()

    return join_pdfs(parts())


def join_pdfs(parts: Iterable[bytes]) -> RenderedPdf:
    """One PDF of ``parts`` (WeasyPrint's, of one document's batches), taken one at a time, in order.

    The first part gives the catalog and metadata (title, author, subject, language); every part gives its pages
    and bookmarks. Each part embeds its own subsets of the fonts, under WeasyPrint's tag for the font (made
    from its name, not its glyphs): a subset is tagged again from its bytes, as the PDF standard wants
    different subsets in one file to have different tags, and identical objects (the same subset, the same
    Unicode map) are then kept once.
    """
    # Imported here: pypdf adds ~7 MiB to a process, and only a worker joining batches needs it.
    from pypdf import PdfWriter

    writer: PdfWriter | None = None
    for part in parts:
        if writer is None:
            writer = PdfWriter(clone_from=io.BytesIO(part))
        else:
            writer.append(io.BytesIO(part))
    if writer is None:
        raise ValueError("No PDF to join")
    _tag_font_subsets_by_content(writer)
    # A pass keeps one of each set of identical objects; those that pointed to the merged ones can become
    # identical in turn. Three passes merge font files and Unicode maps, then font descriptors, then the fonts
    # above them: at 1,000 certificates 2.26 MB → 2.08 MB, each further pass saving under 0.2% for ~0.05 s.
    # What stays above the 1.65 MB of one WeasyPrint PDF is mostly pypdf writing each page's dictionary and
    # bookmark as an object of its own, where WeasyPrint packs them into compressed object streams.
    for _ in range(3):
        writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return RenderedPdf(content=out.getvalue(), page_count=len(writer.pages))


def _tag_font_subsets_by_content(writer: PdfWriter) -> None:
    """Rename each embedded font subset ABCDEF+DejaVu-Serif with a tag made from its font file's bytes."""
    from pypdf.generic import NameObject

    done: set[int] = set()
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for reference in (fonts.get_object() if fonts is not None else {}).values():
            if reference.idnum in done:
                continue
            done.add(reference.idnum)
            font = reference.get_object()
            # A composite (Type0) font names its subset in the font it descends to as well.
            named = [font, *(child.get_object() for child in font.get("/DescendantFonts", []))]
            descriptor = named[-1].get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            files = [descriptor[key] for key in FONT_FILES if key in descriptor]
            tag, plus, family = str(font.get("/BaseFont", "")).lstrip("/").partition("+")
            if not files or not plus or len(tag) != 6:
                continue
            digest = hashlib.sha256(files[0].get_object().get_data()).digest()
            name = NameObject(
                "/" + "".join(chr(65 + byte % 26) for byte in digest[:6]) + "+" + family
            )
            for dictionary in named:
                dictionary[NameObject("/BaseFont")] = name
            descriptor[NameObject("/FontName")] = name
