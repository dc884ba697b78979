"""Meeting tab: follow_up. (Being built: replace the placeholder view below.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from meetings.selectors import get_meeting_for_user
from meetings.views.core import meeting_context


@login_required
def tab(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return render(
        request, "meetings/_layout.html", meeting_context(request, meeting, tab="follow_up")
    )


urlpatterns = [path("<int:pk>/rtl/", tab, name="rtl")]
