"""Self check-in: the public page a participant reaches through a meeting's secret link or QR code (no login).

It works only on the meeting's days (in the province's time zone). A participant finds their name (at least
3 letters, at most 10 matches, name and represented library only) and confirms with the last 4 digits of their
phone. Wrong confirmations are counted per link and address and blocked for a while after too many.

Mounted at /hadir/ through meetings.checkin_urls (namespace "checkin"): the addresses are printed in QR codes.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from meetings.forms.attendance import SelfCheckInForm, SelfCheckInSearchForm
from meetings.models import Participation
from meetings.selectors import meeting_for_checkin_token, self_checkin_matches
from meetings.services.attendance import (
    SELF_CHECKIN_FAILURE_WINDOW,
    SelfCheckInError,
    SelfCheckInMismatch,
    record_self_checkin_failure,
    self_check_in,
    self_checkin_blocked,
    self_checkin_open,
)

MAX_MATCHES = 10


def _client_address(request: HttpRequest) -> str:
    # Behind the deployment's reverse proxy every request comes from the proxy; it appends the real client
    # address as the last X-Forwarded-For entry (earlier entries are the client's own claims).
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


def _respond(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def checkin_page(request: HttpRequest, token: str) -> HttpResponse:
    meeting = meeting_for_checkin_token(token)
    context = {
        "meeting": meeting,
        "token": token,
        "is_open": self_checkin_open(meeting),
        "window_minutes": SELF_CHECKIN_FAILURE_WINDOW // 60,
    }
    if not context["is_open"]:
        return _respond(request, "meetings/checkin.html", context)
    address = _client_address(request)
    if request.method == "POST":
        if self_checkin_blocked(token=token, address=address):
            context["blocked"] = True
            return _respond(request, "meetings/checkin.html", context, status=429)
        search = SelfCheckInSearchForm(request.POST)
        matches = (
            self_checkin_matches(meeting, search.cleaned_data["q"])
            if search.is_valid()
            else Participation.objects.none()
        )
        form = SelfCheckInForm(request.POST, participations=matches)
        context.update(_results_context(search, matches, form=form))
        if form.is_valid():
            try:
                attendance, created = self_check_in(
                    meeting=meeting,
                    participation=form.cleaned_data["participation"],
                    phone_digits=form.cleaned_data["digits"],
                )
            except SelfCheckInMismatch as error:
                record_self_checkin_failure(token=token, address=address)
                context["error"] = str(error)
            except SelfCheckInError as error:
                context["error"] = str(error)
            else:
                context.update({"attendance": attendance, "created": created})
                return _respond(request, "meetings/checkin_done.html", context)
        return _respond(request, "meetings/checkin.html", context)
    search = SelfCheckInSearchForm(request.GET if "q" in request.GET else None)
    matches = self_checkin_matches(meeting, search.cleaned_data["q"]) if search.is_valid() else None
    context.update(_results_context(search, matches))
    return _respond(request, "meetings/checkin.html", context)


@never_cache
@require_GET
def checkin_search(request: HttpRequest, token: str) -> HttpResponse:
    """The matches for what the participant typed so far (an htmx partial)."""
    meeting = meeting_for_checkin_token(token)
    context = {"meeting": meeting, "token": token, "is_open": self_checkin_open(meeting)}
    if context["is_open"]:
        search = SelfCheckInSearchForm(request.GET)
        matches = (
            self_checkin_matches(meeting, search.cleaned_data["q"]) if search.is_valid() else None
        )
        context.update(_results_context(search, matches))
    return _respond(request, "meetings/checkin_results.html", context)


def _results_context(
    search: SelfCheckInSearchForm,
    matches: QuerySet[Participation] | None,
    *,
    form: SelfCheckInForm | None = None,
) -> dict:
    shown = list(matches[: MAX_MATCHES + 1]) if matches is not None else []
    return {
        "search_form": search,
        "form": form or SelfCheckInForm(),
        "q": search.cleaned_data["q"] if matches is not None else "",
        "searched": matches is not None,
        "matches": shown[:MAX_MATCHES],
        "more_matches": len(shown) > MAX_MATCHES,
    }
