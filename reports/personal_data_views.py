"""A person's data rights (UU PDP No. 27/2022), for national staff only: see what is held, export it (JSON or a
readable PDF), erase the person. Anyone else gets 404 (the pages do not exist for them); not signed in: the
sign-in page.

Exports are POSTs (a link prefetched by a browser must not record an export) answered with the file itself; the
PDF is rendered synchronously in the request (one person: a few pages). Each export is audited (a history entry on
the person and a log line); see reports.personal_data. Erasure asks to type the person's name or "HAPUS" first;
see reports.erasure.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.models import Person
from libraries.selectors import get_person_for_user
from plm_portal.history import request_address
from reports.erasure import erase_person, is_erased
from reports.personal_data import (
    personal_data,
    personal_data_json,
    personal_data_pdf,
    record_export,
)

CONFIRM_WORD = "HAPUS"


class ErasureConfirmForm(forms.Form):
    confirmation = forms.CharField(
        label=gettext_lazy("Ketik nama lengkap orang ini atau HAPUS"), max_length=200
    )

    def __init__(self, *args, person: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirmation(self) -> str:
        typed = " ".join(self.cleaned_data["confirmation"].split())
        accepted = {CONFIRM_WORD.casefold(), " ".join(self.person.full_name.split()).casefold()}
        if typed.casefold() not in accepted:
            raise forms.ValidationError(
                _("Ketik nama lengkap orang ini persis, atau kata HAPUS, untuk melanjutkan.")
            )
        return typed


def _person_for_national(request: HttpRequest, pk: int) -> Person:
    if not request.user.is_national:
        raise Http404
    return get_person_for_user(request.user, pk)


def _filename(person: Person, extension: str) -> str:
    # The id only: a download's name never carries a person's name.
    return f"data-pribadi-orang-{person.pk}-{timezone.localdate():%Y%m%d}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def personal_data_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_national(request, pk)
    data = personal_data(person)
    context = {
        "person": person,
        "data": data,
        "attendance_days": sum(len(row["attendance"]) for row in data["participations"]),
        "erased": is_erased(person),
    }
    return render(request, "reports/personal_data.html", context)


@login_required
@require_POST
def personal_data_json_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_national(request, pk)
    content = personal_data_json(personal_data(person))
    record_export(person, by=request.user, file_format="json", ip_address=request_address(request))
    return _download(content, "application/json; charset=utf-8", _filename(person, "json"))


@login_required
@require_POST
def personal_data_pdf_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_national(request, pk)
    content = personal_data_pdf(personal_data(person), time_zone=person.province.time_zone)
    record_export(person, by=request.user, file_format="pdf", ip_address=request_address(request))
    return _download(content, "application/pdf", _filename(person, "pdf"))


@login_required
@require_http_methods(["GET", "POST"])
def personal_data_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_national(request, pk)
    form = ErasureConfirmForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        result = erase_person(person_id=person.pk, by=request.user)
        if result.already_erased:
            messages.info(request, _("Data pribadi orang ini sudah dihapus sebelumnya."))
        else:
            messages.success(
                request,
                _(
                    "Data pribadi dihapus. %(participations)s keikutsertaan dan %(attendance)s hari "
                    "kehadiran tetap dihitung; %(reports)s PDF pertemuan ditarik dan akan dibuat ulang "
                    "tanpa nama ini."
                )
                % {
                    "participations": result.participations,
                    "attendance": result.attendance,
                    "reports": result.reports_withdrawn,
                },
            )
        return redirect("libraries:person_detail", pk=person.pk)
    context = {"person": person, "form": form, "erased": is_erased(person)}
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/personal_data_erase.html", context, status=status)
