"""Export pages: the CSV download (streamed), "Unduh XLSX" (a Celery job), "Ekspor saya" with progress
(htmx polling), retry and download of a finished file.

Every export is reached from a list page with that page's query string and holds exactly what the page lists
(``datasets``); a dataset the user's page would refuse answers 403 / 404 here too.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reports.exports.cells import safe_filename
from reports.exports.datasets import plan_for
from reports.exports.forms import ExportRequestForm
from reports.exports.selectors import get_export_for_user, recent_exports
from reports.exports.services import request_export, retry_export
from reports.exports.writers import csv_chunks
from reports.models import Export

PAGE = "reports/exports.html"


def _private(response: HttpResponse) -> HttpResponse:
    # Personal data: never kept by a shared cache, never guessed into another type by the browser.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _in_language(language: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    # The rows are written after the view has returned: keep the request's language for their labels.
    with translation.override(language):
        yield from chunks


@login_required
@require_GET
def export_csv(request: HttpRequest, dataset: str) -> StreamingHttpResponse:
    """The list's rows as CSV, streamed from a server-side cursor as they are read."""
    plan = plan_for(request.user, dataset, request.GET)
    chunks = csv_chunks(plan.headers, plan.rows())
    response = StreamingHttpResponse(
        _in_language(translation.get_language(), chunks), content_type="text/csv; charset=utf-8"
    )
    filename = safe_filename(plan.title, "csv", today=timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


@login_required
@require_POST
def export_xlsx(request: HttpRequest, dataset: str) -> HttpResponse:
    """ "Unduh XLSX": queue the job (or join the one already queued) and show it on "Ekspor saya"."""
    if dataset not in Export.Dataset.values:
        raise Http404
    form = ExportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Permintaan ekspor tidak dapat dibaca. Buka daftarnya lagi."))
        return redirect("reports:exports")
    export = request_export(
        by=request.user,
        dataset=dataset,
        params=form.params,
        language=translation.get_language() or "id",
        form_key=form.cleaned_data["form_key"],
    )
    if export.status == Export.Status.READY:
        messages.success(request, _("Berkas XLSX siap diunduh."))
    elif export.status == Export.Status.FAILED:
        messages.error(request, _("Berkas XLSX gagal dibuat. Alasannya tertera di bawah."))
    else:
        messages.info(request, _("Berkas XLSX sedang dibuat. Halaman ini menampilkan kemajuannya."))
    return redirect(f"{reverse('reports:exports')}#export-{export.pk}")


@login_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    """ "Ekspor saya": the user's recent XLSX exports with their state."""
    return render(request, PAGE, {"exports": recent_exports(request.user)})


@login_required
@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """One export's row; polled every 2 s while it waits or runs (the answer stops the polling after)."""
    return render(request, f"{PAGE}#export", {"export": get_export_for_user(request.user, pk)})


@login_required
@require_POST
def export_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Coba lagi" on a failed export: the same request built again from the current data."""
    export = retry_export(export=get_export_for_user(request.user, pk), by=request.user)
    if request.htmx:
        return render(request, f"{PAGE}#export", {"export": export})
    return redirect(f"{reverse('reports:exports')}#export-{export.pk}")


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = get_export_for_user(request.user, pk)
    if export.status != Export.Status.READY or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    with translation.override(export.language):
        stem = str(export.get_dataset_display())
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(stem, "xlsx", today=timezone.localdate(export.created_at)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _private(response)
