"""Meeting tab: participants. The list as on an attendance list, adding people by search or as new people,
changing or removing a participation. Importing a list is ``participant_import``.

Reading the list needs only to see the meeting; everything else needs to be allowed to change it. People
offered or matched are always of the meeting's province, within the user's scope (meetings.selectors).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from libraries.phone import last_digits
from libraries.selectors import MIN_SEARCH_LENGTH, search_length
from meetings.forms.participants import (
    GROUP_ROLES,
    NewPersonForm,
    ParticipantFilterForm,
    ParticipationForm,
    PersonSearchForm,
    PickPersonForm,
    group_labels,
    suggested_role,
)
from meetings.models import Meeting, Participation
from meetings.selectors import (
    attendance_count,
    duplicate_matches,
    get_candidate,
    get_meeting_for_user,
    get_participation,
    participant_list,
    participation_role_counts,
    search_candidates,
)
from meetings.services.participants import (
    add_participant,
    create_person_and_participation,
    remove_participation,
    update_participation,
)
from meetings.views.core import STILL_SAVING, meeting_context
from meetings.views.kit import render_tab
from plm_portal import once

SEARCH_LIMIT = 10
# plm_portal.once's kind of the forms adding a participant, per user.
_KIND = "participation:%s"
# Rows of the participants tab per page: a PLM (60 to 80 people) fits on one or two.
PAGE_SIZE = 50


def _participants_url(meeting: Meeting) -> str:
    return reverse("meetings:participants", args=[meeting.pk])


# --- the list -------------------------------------------------------------------------------------------


@login_required
@require_GET
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    form = ParticipantFilterForm(request.GET or None)
    # Each valid filter applies on its own: a too-short search leaves the group filter working.
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    query, selected_group = cleaned.get("q", "").strip(), cleaned.get("group", "")
    rows = participant_list(
        meeting, q=query, roles=GROUP_ROLES[selected_group] if selected_group else ()
    )
    role_counts = participation_role_counts(meeting)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    paginated = page.paginator.num_pages > 1
    labels = group_labels()
    keys = list(GROUP_ROLES)
    # Each block numbers its rows from 1, across pages: a row's number is its place in the list minus the
    # rows of the blocks before it (the shown blocks' sizes: one grouped query, on a paginated list only).
    shown_per_role = (
        dict(rows.order_by().values_list("role").annotate(n=Count("pk"))) if paginated else {}
    )
    before, offsets = 0, {}
    for key, roles in GROUP_ROLES.items():
        offsets[key] = before
        before += sum(shown_per_role.get(role, 0) for role in roles)
    by_group: dict[str, list[Participation]] = {key: [] for key in GROUP_ROLES}
    for place, participation in enumerate(page.object_list, start=page.start_index()):
        key = keys[participation.group_rank]
        participation.number = place - offsets[key] if paginated else len(by_group[key]) + 1
        by_group[key].append(participation)
    groups = [
        {
            "key": key,
            "label": labels[key],
            "rows": by_group[key],
            "total": sum(role_counts.get(role, 0) for role in roles),
        }
        for key, roles in GROUP_ROLES.items()
        # A long list shows the blocks that have rows on this page; a short one every block, empty or not.
        if (not selected_group or key == selected_group) and (by_group[key] or not paginated)
    ]
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        **meeting_context(request, meeting, tab="participants"),
        "filter_form": form,
        "groups": groups,
        "page": page,
        "query": query_string.urlencode(),
        "filtering": bool(query or selected_group),
        "shown": page.paginator.count,
        "total": sum(role_counts.values()),
        "search_form": PersonSearchForm(auto_id="search_%s"),
    }
    partial = "participant-list" if request.htmx else ""
    return render_tab(request, "meetings/participants.html", context, partial=partial)


# --- adding an existing person --------------------------------------------------------------------------


@login_required
@require_GET
def participants_search(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = PersonSearchForm(request.GET or None, auto_id="search_%s")
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    searched = search_length(query) >= MIN_SEARCH_LENGTH
    people, more = [], False
    if searched:
        people, more = search_candidates(request.user, meeting, query, limit=SEARCH_LIMIT)
    for person in people:
        # Enough to tell two people apart, not enough to call them.
        person.phone_tail = last_digits(person.phone)
    context = {
        **meeting_context(request, meeting, tab="participants"),
        "search_form": form,
        "people": people,
        "more": more,
        "query": query,
        "searched": searched,
        "min_length": MIN_SEARCH_LENGTH,
    }
    partial = "search-results" if request.htmx else ""
    return render_tab(request, "meetings/participants_add.html", context, partial=partial)


@login_required
@require_http_methods(["GET", "POST"])
def participants_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    person = None
    if request.method == "POST":
        form = PickPersonForm(request.POST, meeting=meeting, user=request.user)
        if sent := once.repeated(_KIND % request.user.pk, form, model=Participation):
            messages.success(request, _added_message(sent))
            return redirect(_participants_url(meeting))
        if form.is_valid():
            data = form.cleaned_data
            try:
                participation = _once(
                    request,
                    form,
                    lambda: add_participant(
                        meeting=meeting,
                        person=data["person"],
                        role=data["role"],
                        library=data["library"],
                        by=request.user,
                    ),
                )
            except ValidationError as error:
                form.add_error(None, error)
            except once.AlreadySubmitted:
                form.add_error(None, STILL_SAVING)
            else:
                messages.success(request, _added_message(participation))
                return redirect(_participants_url(meeting))
        person = form.cleaned_data.get("person")
    else:
        person_pk = request.GET.get("person", "")
        if person_pk:
            if not person_pk.isdigit():
                raise Http404
            person = get_candidate(request.user, meeting, int(person_pk))
        form = PickPersonForm(
            meeting=meeting,
            user=request.user,
            initial={
                "person": person.pk if person else None,
                "role": suggested_role(person.home_library) if person else "",
                "library": person.home_library_id if person else None,
            },
        )
    if person is not None:
        person.phone_tail = last_digits(person.phone)
    context = {
        **meeting_context(request, meeting, tab="participants"),
        "form": form,
        "person": person,
        "search_form": PersonSearchForm(auto_id="search_%s"),
    }
    partial = "pick-form" if request.htmx and request.method == "GET" else ""
    return render_tab(request, "meetings/participants_add.html", context, partial=partial)


def _once(
    request: HttpRequest, form: PickPersonForm | NewPersonForm, write: Callable[[], Participation]
) -> Participation:
    """``write()`` once per form key: the same form sent again gets the participation the first post made."""
    key = form.cleaned_data["form_key"]
    return once.save(_KIND % request.user.pk, key, write, model=Participation)


def _added_message(participation: Participation) -> str:
    return _("%(name)s ditambahkan sebagai %(role)s.") % {
        "name": participation.person.full_name,
        "role": participation.get_role_display(),
    }


# --- adding a new person ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participants_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = NewPersonForm(request.POST or None, meeting=meeting, user=request.user)
    duplicates = []
    # Before the duplicate check, which would now find what the first post of this form made.
    if sent := once.repeated(_KIND % request.user.pk, form, model=Participation):
        messages.success(request, _added_message(sent))
        return redirect(_participants_url(meeting))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Computed again on every POST: a choice sent by the browser is honoured only if the server agrees.
        duplicates = duplicate_matches(
            meeting, phone=data["phone"], email=data["email"], name=data["full_name"]
        )
        use_existing = request.POST.get("use_existing", "")
        create_anyway = bool(request.POST.get("create_anyway"))
        blocked = any(match.blocks_create for match in duplicates)
        try:
            if use_existing:
                match = next((m for m in duplicates if str(m.person.pk) == use_existing), None)
                if match is None or match.in_meeting:
                    form.add_error(
                        None,
                        _(
                            "Orang yang dipilih tidak dapat ditambahkan. Pilih dari daftar di bawah."
                        ),
                    )
                else:
                    participation = _once(
                        request,
                        form,
                        lambda: add_participant(
                            meeting=meeting,
                            person=match.person,
                            role=data["role"],
                            library=data["library"],
                            by=request.user,
                        ),
                    )
                    messages.success(request, _added_message(participation))
                    return redirect(_participants_url(meeting))
            elif not duplicates or (create_anyway and not blocked):
                participation = _once(
                    request,
                    form,
                    lambda: create_person_and_participation(
                        meeting=meeting,
                        full_name=data["full_name"],
                        gender=data["gender"],
                        phone=data["phone"],
                        email=data["email"],
                        position=data["position"],
                        institution=data["institution"],
                        home_library=data["home_library"],
                        role=data["role"],
                        library=data["library"],
                        by=request.user,
                    ),
                )
                messages.success(request, _added_message(participation))
                return redirect(_participants_url(meeting))
        except ValidationError as error:
            form.add_error(None, error)
        except once.AlreadySubmitted:
            form.add_error(None, STILL_SAVING)
    for match in duplicates:
        match.person.phone_tail = last_digits(match.person.phone)
    context = {
        **meeting_context(request, meeting, tab="participants"),
        "form": form,
        "duplicates": duplicates,
        "blocked": any(match.blocks_create for match in duplicates),
    }
    return render(request, "meetings/participants_new.html", context)


# --- changing and removing -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participants_edit(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    participation = get_participation(meeting, participation_pk)
    form = ParticipationForm(
        request.POST or None,
        meeting=meeting,
        user=request.user,
        initial={"role": participation.role, "library": participation.library_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_participation(
                participation=participation,
                role=form.cleaned_data["role"],
                library=form.cleaned_data["library"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Data %(name)s di pertemuan ini tersimpan.")
                % {"name": participation.person.full_name},
            )
            return redirect(_participants_url(meeting))
    context = {
        **meeting_context(request, meeting, tab="participants"),
        "form": form,
        "participation": participation,
    }
    return render(request, "meetings/participants_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def participants_delete(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    """Take a person off the meeting ("Keluarkan"): a confirmation page, then the POST."""
    meeting = get_meeting_for_user(request.user, pk, write=True)
    participation = get_participation(meeting, participation_pk)
    if request.method == "POST":
        removed_attendance = remove_participation(participation=participation, by=request.user)
        message = _("%(name)s dikeluarkan dari pertemuan ini.") % {
            "name": participation.person.full_name
        }
        if removed_attendance:
            message += " " + ngettext(
                "%(count)s catatan kehadiran ikut dihapus.",
                "%(count)s catatan kehadiran ikut dihapus.",
                removed_attendance,
            ) % {"count": removed_attendance}
        messages.success(request, message)
        return redirect(_participants_url(meeting))
    context = {
        **meeting_context(request, meeting, tab="participants"),
        "participation": participation,
        "attendance_count": attendance_count(participation),
    }
    return render(request, "meetings/participants_delete.html", context)


urlpatterns = [
    path("<int:pk>/participants/", participants, name="participants"),
    path("<int:pk>/participants/search/", participants_search, name="participants_search"),
    path("<int:pk>/participants/add/", participants_add, name="participants_add"),
    path("<int:pk>/participants/new/", participants_new, name="participants_new"),
    path(
        "<int:pk>/participants/<int:participation_pk>/edit/",
        participants_edit,
        name="participants_edit",
    ),
    path(
        "<int:pk>/participants/<int:participation_pk>/delete/",
        participants_delete,
        name="participants_delete",
    ),
]
