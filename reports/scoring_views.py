"""The award score sheet page (Lembar penilaian penghargaan): a province's candidates for a programme year.

National staff choose any province; a provincial officer sees their own; facilitators and others get 403 (the
sheet ranks libraries a province is about to judge). Read-only: the jury records its decision on the awards tab
of a meeting of that province and year, where choosing another library than the sheet's asks for a reason.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from libraries.models import Province
from libraries.selectors import province_choices
from meetings.models import Award, Meeting
from meetings.selectors import meetings_visible_to
from plm_portal.forms import PortalForm
from programs.models import ProgrammeYear
from reports.scoring import CATEGORY_KIND, score_sheet


class ScoreSheetForm(PortalForm):
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    year = forms.TypedChoiceField(label=_("Tahun program"), coerce=int, required=False)

    def __init__(self, *args, provinces: list[tuple[str, str]], years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if provinces:
            self.fields["province"].choices = provinces
        else:
            del self.fields["province"]
        self.fields["year"].choices = [(year, year) for year in years]
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""


def _years() -> list[int]:
    years = set(ProgrammeYear.objects.values_list("year", flat=True))
    years |= set(Meeting.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


@login_required
@require_GET
def award_scores(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_national or (user.is_provincial_officer and user.province_id)):
        raise PermissionDenied
    provinces = province_choices(user)
    years = _years()
    form = ScoreSheetForm(request.GET or None, provinces=provinces, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    # Without a choice: the province and year of the latest meeting the user sees (a sheet with work to rank).
    latest = (
        meetings_visible_to(user)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(start_date__lte=timezone.localdate())
        .order_by("-start_date", "-pk")
        .values("province_id", "year")
        .first()
        or {}
    )
    province_id = user.province_id if user.is_provincial_officer else data.get("province")
    province_id = province_id or latest.get("province_id") or (provinces[0][0] if provinces else "")
    year = data.get("year") or latest.get("year") or (years[0] if years else None)
    if not form.is_bound:
        form = ScoreSheetForm(
            initial={"province": province_id, "year": year}, provinces=provinces, years=years
        )
    province = Province.objects.filter(pk=province_id).first()
    sheets, awards, meetings = [], {}, []
    if province and year:
        sheets = [
            (Award.Category(category), score_sheet(province.pk, year, category))
            for category in CATEGORY_KIND
        ]
        awards = {
            (award.category, award.library_id): award
            for award in Award.objects.filter(province=province, year=year)
        }
        for category, sheet in sheets:
            for row in sheet.rows:
                row.award = awards.get((category, row.pk))
        meetings = list(
            meetings_visible_to(user)
            .filter(province=province, year=year, kind=Meeting.Kind.PLM)
            .order_by("start_date", "pk")[:3]
        )
    context = {
        "form": form,
        "province": province,
        "year": year,
        "sheets": sheets,
        "meetings": meetings,
    }
    return render(request, "reports/award_scores.html", context)
