from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from plm_portal.selectors import home_summary_for


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "summary": home_summary_for(user),
        "can_create_meeting": user.is_national or user.is_provincial_officer,
    }
    return render(request, "home.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for load balancers and docker compose."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers and the admin ask for /favicon.ico; answer with the portal's icon instead of a 404.
    return HttpResponsePermanentRedirect(static("plm_portal/favicon.svg"))


def not_found(request: HttpRequest) -> HttpResponse:
    raise Http404
