"""The meeting's Laporan tab: ask for a PDF, watch it being made (htmx polling), download it.

Everyone who may see the meeting (national staff, the officers of its province, its assigned facilitators) may
ask for and download its documents; anyone else gets 404 for the meeting and everything under it. Phone numbers
are printed masked unless the province's officer or national staff tick "Tampilkan nomor HP lengkap"; such a
report is not shown to (nor downloadable by) a facilitator.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meetings.models import Meeting
from meetings.selectors import get_meeting_for_user
from meetings.views.core import meeting_context
from reports.documents import NothingToPrint, document_filename
from reports.forms import ReportRequestForm
from reports.models import Report
from reports.selectors import document_slots, get_report_for_user, may_print_full_phones
from reports.services import request_report

PAGE = "reports/meeting_reports.html"


def _checked_key(form: ReportRequestForm, box: str = "attended_only") -> str:
    """The document whose ``box`` was ticked in this request, or ""."""
    if form.data.get("kind") != Report.Kind.ATTENDANCE or not form.data.get(box):
        return ""
    return f"{Report.Kind.ATTENDANCE}-{form.data.get('day', '')}"


def _page_context(request: HttpRequest, meeting: Meeting, **extra: object) -> dict:
    full_phones = may_print_full_phones(request.user, meeting)
    return {
        **meeting_context(request, meeting, tab="reports"),
        "slots": document_slots(meeting, full_phones=full_phones),
        "may_print_full_phones": full_phones,
        **extra,
    }


@login_required
@require_GET
def meeting_reports(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return render(request, PAGE, _page_context(request, meeting))


@login_required
@require_POST
def report_request(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Buat PDF": reuse or queue the report; answer with the documents (htmx) or back to the tab."""
    meeting = get_meeting_for_user(request.user, pk)
    form = ReportRequestForm(request.POST, meeting=meeting)
    error = ""
    report = None
    if form.is_valid():
        try:
            report = request_report(
                meeting=meeting,
                kind=form.cleaned_data["kind"],
                options=form.options,
                by=request.user,
            )
        except NothingToPrint as nothing:
            error = str(nothing)
    else:
        error = _("Permintaan tidak dapat diproses: %(reason)s") % {"reason": form.error_text()}
    # The attended-only box stays as it was sent when the documents are drawn again.
    kept = {
        "checked_key": _checked_key(form),
        "full_phones_key": _checked_key(form, "full_phones"),
    }
    if error:
        context = _page_context(request, meeting, error=error, **kept)
        return render(request, f"{PAGE}#documents" if request.htmx else PAGE, context, status=400)
    if request.htmx:
        return render(request, f"{PAGE}#documents", _page_context(request, meeting, **kept))
    if report.status == Report.Status.READY:
        messages.success(request, _("PDF siap diunduh."))
    elif report.status == Report.Status.PENDING and report.error_message:
        # The task queue (Redis) was unreachable: the request is kept and sent again once it is back.
        messages.warning(request, report.error_message)
    else:
        messages.info(request, _("PDF sedang dibuat. Halaman ini menampilkan statusnya."))
    return redirect(f"{reverse('reports:meeting_reports', args=[meeting.pk])}#report-{report.pk}")


@login_required
@require_GET
def report_status(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """One report's state; polled every 2 s while it waits or renders (the answer stops the polling after)."""
    meeting, report = get_report_for_user(request.user, pk, report_pk)
    return render(request, f"{PAGE}#report", {"meeting": meeting, "report": report})


@login_required
@require_POST
def report_retry(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """ "Coba lagi" on a failed report: the same document from the current data, queued again."""
    meeting, failed = get_report_for_user(request.user, pk, report_pk)
    try:
        report = request_report(
            meeting=meeting, kind=failed.kind, options=failed.options, by=request.user
        )
    except (NothingToPrint, ValueError) as error:
        if isinstance(error, NothingToPrint):
            message = str(error)
        else:
            # The options no longer fit the meeting: its dates changed since the report was asked for.
            message = _(
                "Hari daftar hadir ini bukan lagi hari pertemuan. Buat PDF dari daftar di atas."
            )
        if request.htmx:
            failed.error_message = message
            return render(request, f"{PAGE}#report", {"meeting": meeting, "report": failed})
        messages.error(request, message)
        return redirect("reports:meeting_reports", pk=meeting.pk)
    report.meeting = meeting
    if request.htmx:
        return render(request, f"{PAGE}#report", {"meeting": meeting, "report": report})
    return redirect(f"{reverse('reports:meeting_reports', args=[meeting.pk])}#report-{report.pk}")


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int, report_pk: int) -> FileResponse:
    meeting, report = get_report_for_user(request.user, pk, report_pk)
    if report.status != Report.Status.READY or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document_filename(meeting=meeting, kind=report.kind, options=report.options),
        content_type="application/pdf",
    )
    # Personal data (names, phone numbers): never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
