"""Meeting tab: participants, importing a list. A file or a pasted table is previewed row by row, then the
whole list is confirmed (all or nothing). Only those who may change the meeting get here.

The upload waits between the two steps in meetings.services.participant_import; this module parses the
request, authorises, calls and responds.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.forms.participants import ImportForm
from meetings.importing.files import ImportFileError, parse_text, parse_upload
from meetings.importing.rows import RowCheck, check_rows
from meetings.models import Meeting, Participation
from meetings.selectors import example_village_library, get_meeting_for_user
from meetings.services.participant_import import (
    ImportPreview,
    discard_staged,
    import_participants,
    load_staged,
    stage_upload,
)
from meetings.views.core import meeting_context
from plm_portal.cells import neutralise

TEMPLATE = "meetings/participants_import.html"


def _import_context(
    request: HttpRequest,
    meeting: Meeting,
    *,
    form: ImportForm,
    checks: list[RowCheck] | None = None,
    token: str = "",
    source_name: str = "",
) -> dict:
    preview = ImportPreview.of(checks) if checks else None
    return {
        **meeting_context(request, meeting, tab="participants"),
        "form": form,
        "checks": checks,
        "summary": preview.summary if preview else None,
        "to_add": preview.to_add if preview else 0,
        "row_errors": preview.errors if preview else [],
        "token": token if preview and not preview.errors else "",
        "source_name": source_name,
        "role_choices": Participation.Role.choices,
    }


@login_required
@require_http_methods(["GET", "POST"])
def participants_import(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, TEMPLATE, _import_context(request, meeting, form=form))
    upload = form.cleaned_data["file"]
    text = form.cleaned_data["text"]
    try:
        if upload:
            name, data = upload.name, upload.read()
            rows = parse_upload(data=data, filename=name)
        else:
            name, data = _("daftar yang ditempel"), text.encode("utf-8")
            rows = parse_text(text)
    except ImportFileError as error:
        form.add_error("file" if upload else "text", error.message)
        return render(request, TEMPLATE, _import_context(request, meeting, form=form))
    checks = check_rows(meeting=meeting, rows=rows)
    token = ""
    if not any(check.errors for check in checks):
        token = stage_upload(
            meeting=meeting, by=request.user, name=name, data=data, pasted=not upload
        )
    context = _import_context(
        request, meeting, form=form, checks=checks, token=token, source_name=name
    )
    return render(request, TEMPLATE, context)


@login_required
@require_POST
def participants_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    staged = load_staged(token=request.POST.get("token", ""), meeting=meeting, by=request.user)
    if staged is None:
        messages.error(
            request,
            _(
                "Pratinjau impor sudah kedaluwarsa atau tidak sah. Unggah daftarnya lagi; belum ada yang disimpan."
            ),
        )
        return redirect("meetings:participants_import", pk=meeting.pk)
    try:
        rows = staged.parse()
        result = import_participants(meeting=meeting, rows=rows, by=request.user)
    except ImportFileError as error:
        # The same bytes parsed a moment ago; only a change of the rules could land here.
        messages.error(request, error.message)
        return redirect("meetings:participants_import", pk=meeting.pk)
    except (ValidationError, IntegrityError):
        # The data changed since the preview (someone added a person or a participant): show it again.
        checks = check_rows(meeting=meeting, rows=rows)
        context = _import_context(
            request, meeting, form=ImportForm(), checks=checks, source_name=staged.name
        )
        context["changed"] = True
        return render(request, TEMPLATE, context)
    discard_staged(staged)
    message = ngettext(
        "%(added)s orang ditambahkan ke pertemuan (%(created)s orang baru terdaftar).",
        "%(added)s orang ditambahkan ke pertemuan (%(created)s orang baru terdaftar).",
        result.added,
    ) % {"added": result.added, "created": result.created_people}
    if result.skipped:
        message += " " + ngettext(
            "%(count)s orang sudah terdaftar sebelumnya dan dilewati.",
            "%(count)s orang sudah terdaftar sebelumnya dan dilewati.",
            result.skipped,
        ) % {"count": result.skipped}
    messages.success(request, message)
    return redirect("meetings:participants", pk=meeting.pk)


@login_required
@require_GET
def participants_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV to fill in: the header row and one example row."""
    meeting = get_meeting_for_user(request.user, pk, write=True)
    example_library = example_village_library(request.user, meeting)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            _("Nama"),
            _("L/P"),
            _("No. HP"),
            _("Email"),
            _("Jabatan"),
            _("Instansi"),
            _("Peran"),
            _("Perpustakaan"),
        ]
    )
    # The example library is a name someone typed: a formula there must stay text in the spreadsheet.
    example_row = [
        "Siti Rahmawati",
        "P",
        "0812 3456 7890",
        "siti.rahmawati@example.id",
        _("Pengelola perpustakaan desa"),
        "",
        Participation.Role.VILLAGE_LIBRARY.label,
        example_library,
    ]
    writer.writerow([neutralise(cell) for cell in example_row])
    # The BOM makes Excel read the file as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-peserta.csv"'
    return response


urlpatterns = [
    path("<int:pk>/participants/import/", participants_import, name="participants_import"),
    path(
        "<int:pk>/participants/import/confirm/",
        participants_import_confirm,
        name="participants_import_confirm",
    ),
    path(
        "<int:pk>/participants/import/template.csv",
        participants_import_template,
        name="participants_import_template",
    ),
]
