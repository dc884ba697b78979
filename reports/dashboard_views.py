"""The home page (each role's summary, reads in reports.dashboards), the national and provincial dashboards
(figures in reports.dashboard_figures, drawn by reports.dashboard_pages) and the wave overview (reports.waves)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from libraries.models import Province
from meetings.models import Meeting
from plm_portal.forms import PortalForm
from reports.dashboard_figures import figures_for, latest_year, years_with_data
from reports.dashboard_pages import DEFAULT_INDICATOR, INDICATOR_LABELS, dashboard_context
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


ALL_YEARS = "semua"


class DashboardFilterForm(PortalForm):
    """The year (default: the latest with data; or every year) and the indicator the map is shaded by."""

    year = forms.ChoiceField(label=_("Tahun program"), required=False)
    indicator = forms.ChoiceField(label=_("Warnai menurut"), required=False)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), str(y)) for y in years] + [
            (ALL_YEARS, _("Semua tahun"))
        ]
        self.fields["indicator"].choices = list(INDICATOR_LABELS.items())
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""


def _dashboard(request: HttpRequest, province: Province | None) -> HttpResponse:
    """Aggregates without personal data: every signed-in role may see every dashboard. A bad parameter
    (a year without data, junk) falls back to the default rather than failing."""
    years = years_with_data()
    form = DashboardFilterForm(request.GET or None, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    chosen = data.get("year") or (str(latest) if (latest := latest_year()) else ALL_YEARS)
    year = None if chosen == ALL_YEARS else int(chosen)
    indicator_key = data.get("indicator") or DEFAULT_INDICATOR
    # Shown as resolved: the default year selected when none (or junk) was asked for.
    form = DashboardFilterForm(initial={"year": chosen, "indicator": indicator_key}, years=years)
    figures = figures_for(year=year, province=province)
    context = dashboard_context(figures, indicator_key=indicator_key, province=province)
    context.update(form=form, province=province, year=year, years=years)
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The national dashboard: the programme per province, on a tile map and in tables."""
    return _dashboard(request, None)


@login_required
@require_GET
def dashboard_province(request: HttpRequest, code: str) -> HttpResponse:
    """A province's dashboard: the programme per regency/city."""
    return _dashboard(request, get_object_or_404(Province, code=code))
