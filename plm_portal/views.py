"""The config package's own pages: health check, favicon, and the closed allauth e-mail page."""

from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
