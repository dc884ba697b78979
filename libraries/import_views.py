"""Registry imports: upload a CSV/XLSX of libraries or people, map its columns with a preview, check every
row, apply all or nothing, read the summary. National staff import into any province, a provincial officer into
theirs; nobody else gets here. The long steps run in Celery (libraries.tasks); the job page polls with htmx.

Views parse, authorise (libraries.importing.selectors), call (libraries.importing.services) and respond.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.importing import selectors, services
from libraries.importing.columns import columns_of
from libraries.importing.files import MAX_ROWS
from libraries.importing.forms import MappingForm, UploadForm
from libraries.importing.models import ImportIssue, ImportJob
from libraries.importing.pipeline import rows_done
from libraries.models import Library
from plm_portal.spreadsheets import SpreadsheetError

ISSUES_PAGE_SIZE = 50
KINDS = {"libraries": ImportJob.Kind.LIBRARIES, "people": ImportJob.Kind.PEOPLE}


def _check_may_import(request: HttpRequest) -> None:
    if not selectors.may_import(request.user):
        raise PermissionDenied


def _start(request: HttpRequest, kind: str) -> HttpResponse:
    _check_may_import(request)
    provinces = selectors.import_provinces(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(
                kind=kind,
                province=form.cleaned_data["province"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except SpreadsheetError as error:
            form.add_error("file", error.message)
        else:
            return redirect(job)
    return render(
        request,
        "libraries/import_start.html",
        {
            "kind": kind,
            "form": form,
            "columns": columns_of(kind),
            "jobs": selectors.recent_import_jobs(request.user, kind),
            "max_rows": MAX_ROWS,
            "library_kinds": Library.Kind.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def library_import(request: HttpRequest) -> HttpResponse:
    return _start(request, ImportJob.Kind.LIBRARIES)


@login_required
@require_http_methods(["GET", "POST"])
def person_import(request: HttpRequest) -> HttpResponse:
    return _start(request, ImportJob.Kind.PEOPLE)


def _preview(
    job: ImportJob, mapping: dict[str, int]
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The preview table: the mapped fields' labels, then each preview row's mapped cells."""
    fields = [c for c in columns_of(job.kind) if c.name in mapping]
    rows = []
    for number, cells in job.preview:
        rows.append(
            (
                number,
                [cells[mapping[c.name]] if mapping[c.name] < len(cells) else "" for c in fields],
            )
        )
    return [str(c.label) for c in fields], rows


def _posted_mapping(form: MappingForm) -> dict[str, int]:
    """What the selects say, even when the form is refused: the preview follows the user's choices."""
    mapping = {}
    for name in form.fields:
        value = form.data.get(name, "")
        if value.isdigit() and int(value) < form.column_count:
            mapping[name] = int(value)
    return mapping


def _job_context(request: HttpRequest, job: ImportJob, form: MappingForm | None = None) -> dict:
    if form is None:
        form = MappingForm(kind=job.kind, headers=job.headers, mapping=job.mapping)
    mapping = _posted_mapping(form) if form.is_bound else job.mapping
    preview_labels, preview_rows = _preview(job, {k: int(v) for k, v in mapping.items()})
    errors = Paginator(selectors.import_issues(job, ImportIssue.Level.ERROR), ISSUES_PAGE_SIZE)
    duplicates = Paginator(
        selectors.import_issues(job, ImportIssue.Level.DUPLICATE), ISSUES_PAGE_SIZE
    )
    done = rows_done(job)
    total = job.total_rows if job.status == ImportJob.Status.APPLYING else job.row_estimate
    query = request.GET.copy()
    return {
        "job": job,
        "form": form,
        "preview_labels": preview_labels,
        "preview_rows": preview_rows,
        "error_page": errors.get_page(request.GET.get("page")),
        "duplicate_page": duplicates.get_page(request.GET.get("dup_page")),
        "stored_errors": errors.count,
        "page_query": _without(query, "page"),
        "dup_query": _without(query, "dup_page"),
        "done": done,
        "total": max(total, done),
        "percent": round(100 * done / total) if total else 0,
    }


def _without(query, param: str) -> str:
    query = query.copy()
    query.pop(param, None)
    return query.urlencode()


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_import_job_for_user(request.user, pk)
    if request.headers.get("HX-Request"):
        if not job.in_progress:
            # Done: the whole page changes (errors, summary), so load it again.
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "libraries/import_job.html#progress", _job_context(request, job))
    return render(request, "libraries/import_job.html", _job_context(request, job))


@login_required
@require_POST
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview with the chosen columns, or save them and start the check ("action" = "check")."""
    job = selectors.get_import_job_for_user(request.user, pk)
    form = MappingForm(request.POST, kind=job.kind, headers=job.headers, mapping=job.mapping)
    template = "libraries/import_job.html"
    if request.headers.get("HX-Request"):
        template += "#mapping"
    if request.POST.get("action") != "check" or not form.is_valid():
        return render(request, template, _job_context(request, job, form))
    if not services.save_mapping(job=job, mapping=form.mapping, by=request.user):
        messages.info(request, _("Impor ini sedang diproses atau sudah disimpan."))
        return redirect(job)
    services.request_check(job=job, by=request.user)
    return redirect(job)


@login_required
@require_POST
def import_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check every row again (after a failure, or when the registry changed)."""
    job = selectors.get_import_job_for_user(request.user, pk)
    services.request_check(job=job, by=request.user)
    return redirect(job)


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the checked rows; a second tap finds the job already queued or applied and changes nothing."""
    job = selectors.get_import_job_for_user(request.user, pk)
    services.request_apply(job=job, by=request.user)
    return redirect(job)


_EXAMPLES = {
    "people": [
        [
            "Siti Rahmawati",
            "P",
            "0812 3456 7890",
            "siti.rahmawati@example.id",
            "Pengelola perpustakaan desa",
            "",
            "",
        ],
    ],
    "libraries": [
        [
            "Perpustakaan Desa Contoh",
            "desa",
            "15.71",
            "",
            "15.71.01.1001",
            "Jl. Contoh No. 1",
            "0741 123456",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "Dinas Perpustakaan Kota Contoh",
            "kabkota",
            "Kota Jambi",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ],
}


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """A CSV to fill in: the header row with every column and example rows."""
    _check_may_import(request)
    if kind not in KINDS:
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    with translation.override("id"):  # the header the import reads, whatever the page's language
        writer.writerow([str(column.label) for column in columns_of(kind)])
    writer.writerows(_EXAMPLES[kind])
    # The BOM makes Excel read the file as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = "templat-orang.csv" if kind == "people" else "templat-perpustakaan.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
