"""National staff manage portal users and invite them. (Being built: replace the placeholder view.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


app_name = "users"
urlpatterns = [path("", user_list, name="list")]
