"""Self check-in: the public page a participant reaches through a meeting's secret link or QR code (no login).

It works only on the meeting's days (in the province's time zone). A participant finds their name (at least
3 letters of one word; names are listed only when at most 5 match, name and represented library only) and
confirms with the last 4 digits of their phone. Searches are counted per link and client address, confirmations
per link, name and address (meetings.services.attendance); past the limits the page answers 429 with a message.

Mounted at /hadir/ through meetings.checkin_urls (namespace "checkin"): the addresses are printed in QR codes.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from meetings.forms.attendance import SelfCheckInForm, SelfCheckInSearchForm
from meetings.models import Meeting, Participation
from meetings.selectors import meeting_for_checkin_token
from meetings.selectors.attendance import (
    SELF_CHECKIN_MIN_WORD_LETTERS,
    self_checkin_search_ready,
    self_checkin_shown,
)
from meetings.services.attendance import (
    SELF_CHECKIN_FAILURE_WINDOW,
    SELF_CHECKIN_SEARCH_WINDOW,
    SelfCheckInBlocked,
    SelfCheckInError,
    attempt_self_check_in,
    count_self_checkin_search,
    self_checkin_open,
)
from plm_portal.client import client_ip

TOO_MANY_REQUESTS = 429


def _respond(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _base_context(meeting: Meeting, token: str) -> dict:
    return {
        "meeting": meeting,
        "token": token,
        "is_open": self_checkin_open(meeting),
        "window_minutes": SELF_CHECKIN_FAILURE_WINDOW // 60,
        "search_window_minutes": SELF_CHECKIN_SEARCH_WINDOW // 60,
        "min_word_letters": SELF_CHECKIN_MIN_WORD_LETTERS,
    }


def _search(request: HttpRequest, meeting: Meeting, search: SelfCheckInSearchForm) -> dict:
    """What the page shows for the search box: nothing before it is filled in; a request for a longer word;
    the matches when few enough; a request for more letters when too many; a refusal when this address
    searched too often (``limited``). Only searches that can list names are counted."""
    context = {
        "search_form": search,
        "q": "",
        "searched": False,
        "matches": [],
        "too_many": False,
        "needs_word": False,
        "limited": False,
    }
    if not search.is_valid():
        return context
    q = search.cleaned_data["q"]
    context.update(q=q, searched=True)
    if not self_checkin_search_ready(q):
        context["needs_word"] = True
    elif not count_self_checkin_search(meeting=meeting, address=client_ip(request)):
        context["limited"] = True
    else:
        context["matches"], context["too_many"] = self_checkin_shown(meeting, q)
    return context


@never_cache
@require_http_methods(["GET", "POST"])
def checkin_page(request: HttpRequest, token: str) -> HttpResponse:
    meeting = meeting_for_checkin_token(token)
    context = _base_context(meeting, token)
    if not context["is_open"]:
        return _respond(request, "meetings/checkin.html", context)
    if request.method != "POST":
        context.update(
            _search(
                request, meeting, SelfCheckInSearchForm(request.GET if "q" in request.GET else None)
            )
        )
        context["form"] = SelfCheckInForm()
        status = TOO_MANY_REQUESTS if context["limited"] else 200
        return _respond(request, "meetings/checkin.html", context, status=status)
    context.update(_search(request, meeting, SelfCheckInSearchForm(request.POST)))
    if context["limited"]:
        context["form"] = SelfCheckInForm()
        return _respond(request, "meetings/checkin.html", context, status=TOO_MANY_REQUESTS)
    # Only a name the page listed for this search can be picked.
    listed = Participation.objects.filter(pk__in=[match.pk for match in context["matches"]])
    form = SelfCheckInForm(request.POST, participations=listed)
    context["form"] = form
    if form.is_valid():
        try:
            attendance, created = attempt_self_check_in(
                meeting=meeting,
                participation=form.cleaned_data["participation"],
                phone_digits=form.cleaned_data["digits"],
                address=client_ip(request),
            )
        except SelfCheckInBlocked:
            context["blocked"] = True
            return _respond(request, "meetings/checkin.html", context, status=TOO_MANY_REQUESTS)
        except SelfCheckInError as error:
            context["error"] = str(error)
        else:
            context.update({"attendance": attendance, "created": created})
            return _respond(request, "meetings/checkin_done.html", context)
    return _respond(request, "meetings/checkin.html", context)


@never_cache
@require_GET
def checkin_search(request: HttpRequest, token: str) -> HttpResponse:
    """The matches for what the participant typed so far (an htmx partial)."""
    meeting = meeting_for_checkin_token(token)
    context = _base_context(meeting, token)
    status = 200
    if context["is_open"]:
        context.update(_search(request, meeting, SelfCheckInSearchForm(request.GET)))
        context["form"] = SelfCheckInForm()
        # The page's script swaps a 429 in too (static/meetings/attendance.js), so the message shows.
        status = TOO_MANY_REQUESTS if context["limited"] else 200
    return _respond(request, "meetings/checkin_results.html", context, status=status)
