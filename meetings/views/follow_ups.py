"""RTL follow-ups: recording a row's 1-, 3- or 6-month check (in the RTL tab), and the list of checks due.

The check's form is loaded into its row when asked for (htmx), like the tab's other row forms; saved, the
library's card comes back (its badges, status and completion changed). Without JavaScript the form is a page
of its own and a save returns to the tab (or to the due list it was opened from).

The due list is the work queue of those who record checks: national staff (every province, with a filter)
and provincial officers (their province). Facilitators get 403: they record nothing in the RTL, and they see
the checks of their meetings on those meetings' RTL tabs.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meetings.forms.follow_ups import FollowUpFilterForm, FollowUpForm
from meetings.models import RtlAction, RtlFollowUp
from meetings.presenters import Row, autofocus
from meetings.selectors import (
    DUE_SOON_DAYS,
    action_follow_ups,
    due_counts,
    follow_ups_due,
    get_meeting_for_user,
    get_rtl_action,
    rtl_row_number,
)
from meetings.services.follow_ups import record_follow_up
from meetings.views.core import meeting_context
from meetings.views.kit import render_tab, save_form
from meetings.views.rtl import card_update, row_response, saved_redirect

PAGE_SIZE = 20
FORM_TEMPLATE = "meetings/rtl_follow_up.html"


def _month(value: str, follow_ups: dict[int, RtlFollowUp]) -> int:
    """The month asked for, else the first check not recorded yet, else the last one."""
    if value.isdecimal() and int(value) in follow_ups:
        return int(value)
    pending = [m for m, f in follow_ups.items() if f.status == RtlFollowUp.Status.PENDING]
    return pending[0] if pending else max(follow_ups)


def _saved(
    request: HttpRequest, action: RtlAction, follow_up: RtlFollowUp, *, back_to_due: bool
) -> HttpResponse:
    meeting = action.meeting
    message = _("Tindak lanjut %(month)s “%(activity)s” tersimpan.") % {
        "month": follow_up.get_month_display(),
        "activity": action.activity,
    }
    if request.htmx:
        return card_update(request, meeting, action.library_id, status=message, focus_row=action.pk)
    if back_to_due:
        messages.success(request, message)
        return redirect("meetings:follow_ups_due")
    return saved_redirect(request, meeting, message, f"rtl-row-{action.pk}", action.library_id)


@login_required
@require_http_methods(["GET", "POST"])
def rtl_follow_up(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """GET: the form of one check of the row (``?month=``: 1, 3 or 6); POST: record it."""
    meeting = get_meeting_for_user(request.user, pk, write=True)
    action = get_rtl_action(meeting, action_pk)
    params = request.POST if request.method == "POST" else request.GET
    follow_ups = action_follow_ups(action)
    asked = params.get("month", "")
    month = _month(asked, follow_ups)
    back_to_due = params.get("back") == "due"
    # The three checks as recorded, for the form's month tabs (validating writes the typed values into one).
    recorded = [copy.copy(follow_up) for follow_up in follow_ups.values()]
    form = FollowUpForm(
        request.POST or None,
        instance=follow_ups[month],
        month=month,
        auto_id=f"rtl-fu-{action.pk}-%s",
    )
    saved = save_form(
        request,
        form,
        # The month as sent: one that is not a check is refused (the form shows why), never another month.
        lambda: record_follow_up(
            action=action,
            by=request.user,
            month=int(asked) if asked.isdecimal() else 0,
            **form.cleaned_data,
        ),
    )
    if saved is not None:
        return _saved(request, action, saved, back_to_due=back_to_due)
    autofocus(form)
    row = Row(action=action, number=rtl_row_number(action), mode="follow_up", form=form)
    form.follow_ups = recorded
    form.back = "due" if back_to_due else ""
    if request.htmx:
        return row_response(request, meeting, row)
    context = {**meeting_context(request, meeting, tab="rtl"), "row": row, "action": action}
    return render_tab(request, FORM_TEMPLATE, context)


@login_required
@require_GET
def follow_ups_due_list(request: HttpRequest) -> HttpResponse:
    """Checks not recorded that are overdue or due within two weeks, the oldest first."""
    user = request.user
    if not (user.is_national or user.is_provincial_officer):
        raise PermissionDenied
    form = FollowUpFilterForm(request.GET or None) if user.is_national else None
    province = form.cleaned_data.get("province") if form and form.is_valid() else None
    today = timezone.localdate()
    follow_ups = follow_ups_due(user, today=today, province=province)
    counts = due_counts(follow_ups, today=today)
    paginator = Paginator(follow_ups, PAGE_SIZE)
    paginator.count = counts.total  # known from the counts: no second COUNT over the same rows
    page = paginator.get_page(request.GET.get("page"))
    for follow_up in page.object_list:
        follow_up.days = (follow_up.due_date - today).days
        follow_up.days_late = -follow_up.days
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "counts": counts,
        "soon_days": DUE_SOON_DAYS,
        "query": query.urlencode(),
    }
    template = "meetings/follow_ups_due.html"
    response = render(request, f"{template}#results" if request.htmx else template, context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers the page and its results
    return response


urlpatterns = [
    path("follow-ups/", follow_ups_due_list, name="follow_ups_due"),
    path("<int:pk>/rtl/<int:action_pk>/follow-up/", rtl_follow_up, name="rtl_follow_up"),
]
