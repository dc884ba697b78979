"""Libraries and people of the user's scope. (Being built: replace the placeholder views.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def library_list(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")
