"""The home page (each role's dashboard, reads in reports.dashboards) and the wave overview (reports.waves)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from meetings.models import Meeting
from plm_portal.forms import PortalForm
from reports.dashboards import home_summary_for
from reports.waves import wave_overview, years_with_meetings


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "summary": home_summary_for(user),
        "can_create_meeting": user.is_national or user.is_provincial_officer,
    }
    return render(request, "reports/home.html", context)


class WaveFilterForm(PortalForm):
    year = forms.TypedChoiceField(label=_("Tahun program"), coerce=int, required=False)
    kind = forms.ChoiceField(label=_("Jenis pertemuan"), required=False)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["kind"].choices = [
            (Meeting.Kind.PLM, Meeting.Kind.PLM.label),
            (Meeting.Kind.BIMTEK, Meeting.Kind.BIMTEK.label),
        ]
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""


@login_required
@require_GET
def waves(request: HttpRequest) -> HttpResponse:
    """The programme year's waves and, in each, the provinces and their dates (national staff)."""
    if not request.user.is_national:
        raise PermissionDenied
    years = years_with_meetings()
    form = WaveFilterForm(request.GET or None, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or (years[0] if years else None)
    kind = data.get("kind") or Meeting.Kind.PLM
    if not form.is_bound:
        form = WaveFilterForm(initial={"year": year, "kind": kind}, years=years)
    overview = wave_overview(year, kind) if year else None
    return render(request, "reports/waves.html", {"form": form, "overview": overview})
