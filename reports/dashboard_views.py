"""The home page: each role's dashboard (reads in reports.dashboards)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.dashboards import home_summary_for


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "summary": home_summary_for(user),
        "can_create_meeting": user.is_national or user.is_provincial_officer,
    }
    return render(request, "reports/home.html", context)
