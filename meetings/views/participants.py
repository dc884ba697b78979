"""Meeting tab: participants. The list as on an attendance list, adding people by search or as new people,
changing or removing a participation, and importing a list (preview first, then all or nothing).

Reading the list needs only to see the meeting; everything else needs to be allowed to change it. People
offered or matched are always of the meeting's province, within the user's scope.
"""

from __future__ import annotations

import csv
import io
import re
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.models import Library
from libraries.phone import last_digits
from meetings.forms.participants import (
    GROUP_ROLES,
    ImportForm,
    NewPersonForm,
    ParticipantFilterForm,
    ParticipationForm,
    PersonSearchForm,
    PickPersonForm,
    group_labels,
    meeting_libraries,
    person_candidates,
    suggested_role,
)
from meetings.importing import (
    ImportFileError,
    RowCheck,
    RowStatus,
    check_rows,
    parse_text,
    parse_upload,
)
from meetings.models import Meeting, Participation
from meetings.selectors import get_meeting_for_user, participation_rows
from meetings.services.participants import (
    add_participant,
    create_person_and_participation,
    find_likely_duplicates,
    import_participants,
    remove_participation,
    update_participation,
)
from meetings.views.core import meeting_context
from plm_portal.models import User

SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 10
IMPORT_SALT = "meetings.participant-import"
IMPORT_TTL_SECONDS = 60 * 60
_NOT_DIGIT = re.compile(r"[^0-9]")


def _phone_fragment(text: str) -> str:
    """Digits typed to find a phone number: "0812-34" → "81234" (stored numbers start +62, not 0)."""
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < 4:
        return ""
    if digits.startswith("62"):
        return digits[2:]
    return digits.lstrip("0")


def _get_participation(meeting: Meeting, participation_pk: int) -> Participation:
    participation = (
        meeting.participations.select_related("person__home_library", "library")
        .filter(pk=participation_pk)
        .first()
    )
    if participation is None:
        raise Http404
    # Reuse the meeting already loaded (and authorised) instead of loading it again.
    participation.meeting = meeting
    return participation


def _participants_url(meeting: Meeting) -> str:
    return reverse("meetings:participants", args=[meeting.pk])


# --- the list -------------------------------------------------------------------------------------------


@login_required
@require_GET
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    form = ParticipantFilterForm(request.GET or None)
    rows = participation_rows(meeting)
    selected_group = ""
    filtering = False
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        selected_group = form.cleaned_data["group"]
        if query:
            filtering = True
            condition = (
                Q(person__full_name__icontains=query)
                | Q(person__position__icontains=query)
                | Q(person__institution__icontains=query)
                | Q(person__email__icontains=query)
                | Q(library__name__icontains=query)
                | Q(person__home_library__name__icontains=query)
            )
            if fragment := _phone_fragment(query):
                condition |= Q(person__phone__contains=fragment)
            rows = rows.filter(condition)
        if selected_group:
            filtering = True
            rows = rows.filter(role__in=GROUP_ROLES[selected_group])
    role_counts = dict(
        meeting.participations.order_by().values_list("role").annotate(n=Count("pk"))
    )
    by_group: dict[str, list[Participation]] = {key: [] for key in GROUP_ROLES}
    group_of_role = {role: key for key, roles in GROUP_ROLES.items() for role in roles}
    for participation in rows:
        by_group[group_of_role[participation.role]].append(participation)
    labels = group_labels()
    groups = [
        {
            "key": key,
            "label": labels[key],
            "rows": by_group[key],
            "total": sum(role_counts.get(role, 0) for role in roles),
        }
        for key, roles in GROUP_ROLES.items()
        if not selected_group or key == selected_group
    ]
    context = {
        **meeting_context(request, meeting, tab="participants"),
        "filter_form": form,
        "groups": groups,
        "filtering": filtering,
        "shown": sum(len(group["rows"]) for group in groups),
        "total": sum(role_counts.values()),
        "search_form": PersonSearchForm(auto_id="search_%s"),
    }
    template = (
        "meetings/participants.html#participant-list"
        if request.htmx
        else "meetings/participants.html"
    )
    return render(request, template, context)


# --- adding an existing person --------------------------------------------------------------------------


def _search_people(user: User, meeting: Meeting, query: str) -> tuple[list, bool]:
    condition = Q(full_name__icontains=query)
    if "@" in query:
        condition |= Q(email__icontains=query)
    if fragment := _phone_fragment(query):
        condition |= Q(phone__contains=fragment)
    people = list(
        person_candidates(user, meeting)
        .filter(condition)
        .select_related("home_library")
        .order_by("full_name", "pk")[: SEARCH_LIMIT + 1]
    )
    for person in people:
        # Enough to tell two people apart, not enough to call them.
        person.phone_tail = last_digits(person.phone)
    return people[:SEARCH_LIMIT], len(people) > SEARCH_LIMIT


@login_required
@require_GET
def participant_search(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = PersonSearchForm(request.GET or None, auto_id="search_%s")
    people, more = [], False
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if len(query) >= SEARCH_MIN_LENGTH:
            people, more = _search_people(request.user, meeting, query)
    context = {
        **meeting_context(request, meeting, tab="participants"),
        "search_form": form,
        "people": people,
        "more": more,
        "query": query,
        "searched": len(query) >= SEARCH_MIN_LENGTH,
        "min_length": SEARCH_MIN_LENGTH,
    }
    template = (
        "meetings/participants_add.html#search-results"
        if request.htmx
        else "meetings/participants_add.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    person = None
    if request.method == "POST":
        form = PickPersonForm(request.POST, meeting=meeting, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                participation = add_participant(
                    meeting=meeting,
                    person=data["person"],
                    role=data["role"],
                    library=data["library"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _added_message(participation))
                return redirect(_participants_url(meeting))
        person = form.cleaned_data.get("person")
    else:
        person_pk = request.GET.get("person", "")
        if person_pk:
            if not person_pk.isdigit():
                raise Http404
            person = (
                person_candidates(request.user, meeting)
                .select_related("home_library")
                .filter(pk=person_pk)
                .first()
            )
            if person is None:
                raise Http404
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
    template = (
        "meetings/participants_add.html#pick-form"
        if request.htmx and request.method == "GET"
        else "meetings/participants_add.html"
    )
    return render(request, template, context)


def _added_message(participation: Participation) -> str:
    return _("%(name)s ditambahkan sebagai %(role)s.") % {
        "name": participation.person.full_name,
        "role": participation.get_role_display(),
    }


# --- adding a new person ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = NewPersonForm(request.POST or None, meeting=meeting, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Computed again on every POST: a choice sent by the browser is honoured only if the server agrees.
        duplicates = find_likely_duplicates(
            province=meeting.province,
            phone=data["phone"],
            email=data["email"],
            name=data["full_name"],
            meeting=meeting,
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
                    participation = add_participant(
                        meeting=meeting,
                        person=match.person,
                        role=data["role"],
                        library=data["library"],
                        user=request.user,
                    )
                    messages.success(request, _added_message(participation))
                    return redirect(_participants_url(meeting))
            elif not duplicates or (create_anyway and not blocked):
                participation = create_person_and_participation(
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
                    user=request.user,
                )
                messages.success(request, _added_message(participation))
                return redirect(_participants_url(meeting))
        except ValidationError as error:
            form.add_error(None, error)
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
def participant_edit(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    participation = _get_participation(meeting, participation_pk)
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
                user=request.user,
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
def participant_remove(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    participation = _get_participation(meeting, participation_pk)
    if request.method == "POST":
        removed_attendance = remove_participation(participation=participation, user=request.user)
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
        "attendance_count": participation.attendances.count(),
    }
    return render(request, "meetings/participants_remove.html", context)


# --- importing a list ----------------------------------------------------------------------------------


def _import_cache_key(key: str) -> str:
    return f"meetings:participant-import:{key}"


def _store_upload(*, meeting: Meeting, user: User, name: str, data: bytes, pasted: bool) -> str:
    """Keep the raw upload on the server for the confirm step; the browser only gets a signed token."""
    key = secrets.token_urlsafe(24)
    cache.set(
        _import_cache_key(key),
        {"meeting": meeting.pk, "user": user.pk, "name": name, "data": data, "pasted": pasted},
        IMPORT_TTL_SECONDS,
    )
    return signing.dumps({"k": key, "m": meeting.pk, "u": user.pk}, salt=IMPORT_SALT)


def _load_upload(*, token: str, meeting: Meeting, user: User) -> tuple[str, dict] | None:
    try:
        payload = signing.loads(token, salt=IMPORT_SALT, max_age=IMPORT_TTL_SECONDS)
    except signing.BadSignature:
        return None
    if (
        not isinstance(payload, dict)
        or payload.get("m") != meeting.pk
        or payload.get("u") != user.pk
    ):
        return None
    stored = cache.get(_import_cache_key(str(payload.get("k"))))
    if not stored or stored["meeting"] != meeting.pk or stored["user"] != user.pk:
        return None
    return str(payload["k"]), stored


def _parse_stored(stored: dict) -> list:
    if stored["pasted"]:
        return parse_text(stored["data"].decode("utf-8"))
    return parse_upload(data=stored["data"], filename=stored["name"])


def _summary(checks: list[RowCheck]) -> dict[str, int]:
    counts = {status.value: 0 for status in RowStatus}
    for check in checks:
        counts[check.status.value] += 1
    return counts


def _import_context(
    request: HttpRequest,
    meeting: Meeting,
    *,
    form: ImportForm,
    checks: list[RowCheck] | None = None,
    token: str = "",
    source_name: str = "",
) -> dict:
    errors = [error for check in checks or [] for error in check.errors]
    summary = _summary(checks) if checks else None
    return {
        **meeting_context(request, meeting, tab="participants"),
        "form": form,
        "checks": checks,
        "summary": summary,
        "to_add": summary[RowStatus.NEW.value] + summary[RowStatus.EXISTING.value]
        if summary
        else 0,
        "row_errors": errors,
        "token": token if checks and not errors else "",
        "source_name": source_name,
        "role_choices": Participation.Role.choices,
    }


@login_required
@require_http_methods(["GET", "POST"])
def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(
            request,
            "meetings/participants_import.html",
            _import_context(request, meeting, form=form),
        )
    upload = form.cleaned_data["file"]
    text = form.cleaned_data["text"]
    try:
        if upload:
            name, data = upload.name, upload.read()
            rows = parse_upload(data=data, filename=name)
        else:
            name, data = _("daftar yang ditempel"), text.encode("utf-8")
            rows = parse_text(text)
    except ImportFileError as error:
        form.add_error("file" if upload else "text", error.message)
        return render(
            request,
            "meetings/participants_import.html",
            _import_context(request, meeting, form=form),
        )
    checks = check_rows(meeting=meeting, rows=rows)
    token = ""
    if not any(check.errors for check in checks):
        token = _store_upload(
            meeting=meeting, user=request.user, name=name, data=data, pasted=not upload
        )
    context = _import_context(
        request, meeting, form=form, checks=checks, token=token, source_name=name
    )
    return render(request, "meetings/participants_import.html", context)


@login_required
@require_POST
def participant_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    loaded = _load_upload(token=request.POST.get("token", ""), meeting=meeting, user=request.user)
    if loaded is None:
        messages.error(
            request,
            _(
                "Pratinjau impor sudah kedaluwarsa atau tidak sah. Unggah daftarnya lagi; belum ada yang disimpan."
            ),
        )
        return redirect("meetings:participant_import", pk=meeting.pk)
    key, stored = loaded
    form = ImportForm()
    try:
        rows = _parse_stored(stored)
        result = import_participants(meeting=meeting, rows=rows, user=request.user)
    except ImportFileError as error:
        # The same bytes parsed a moment ago; only a change of the rules could land here.
        messages.error(request, error.message)
        return redirect("meetings:participant_import", pk=meeting.pk)
    except (ValidationError, IntegrityError):
        # The data changed since the preview (someone added a person or a participant): show it again.
        checks = check_rows(meeting=meeting, rows=rows)
        context = _import_context(
            request, meeting, form=form, checks=checks, source_name=stored["name"]
        )
        context["changed"] = True
        return render(request, "meetings/participants_import.html", context)
    cache.delete(_import_cache_key(key))
    message = ngettext(
        "%(added)s orang ditambahkan ke pertemuan (%(created)s orang baru terdaftar).",
        "%(added)s orang ditambahkan ke pertemuan (%(created)s orang baru terdaftar).",
        result.added,
    ) % {"added": result.added, "created": result.created_people}
    if result.skipped:
        message += " " + ngettext(
            "%(count)s orang sudah terdaftar sebelumnya dan dilewati.",
            "%(count)s orang sudah terdaftar sebelumnya dan dilewati.",
            result.skipped,
        ) % {"count": result.skipped}
    messages.success(request, message)
    return redirect(_participants_url(meeting))


@login_required
@require_GET
def participant_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV to fill in: the header row and one example row."""
    meeting = get_meeting_for_user(request.user, pk, write=True)
    example_library = (
        meeting_libraries(request.user, meeting)
        .filter(kind=Library.Kind.VILLAGE)
        .values_list("name", flat=True)
        .first()
    ) or ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            _("Nama"),
            _("L/P"),
            _("No. HP"),
            _("Email"),
            _("Jabatan"),
            _("Instansi"),
            _("Peran"),
            _("Perpustakaan"),
        ]
    )
    writer.writerow(
        [
            "Siti Rahmawati",
            "P",
            "0812 3456 7890",
            "siti.rahmawati@example.id",
            _("Pengelola perpustakaan desa"),
            "",
            Participation.Role.VILLAGE_LIBRARY.label,
            example_library,
        ]
    )
    # The BOM makes Excel read the file as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-peserta.csv"'
    return response


urlpatterns = [
    path("<int:pk>/participants/", participants, name="participants"),
    path("<int:pk>/participants/search/", participant_search, name="participant_search"),
    path("<int:pk>/participants/add/", participant_add, name="participant_add"),
    path("<int:pk>/participants/new/", participant_new, name="participant_new"),
    path(
        "<int:pk>/participants/<int:participation_pk>/edit/",
        participant_edit,
        name="participant_edit",
    ),
    path(
        "<int:pk>/participants/<int:participation_pk>/remove/",
        participant_remove,
        name="participant_remove",
    ),
    path("<int:pk>/participants/import/", participant_import, name="participant_import"),
    path(
        "<int:pk>/participants/import/confirm/",
        participant_import_confirm,
        name="participant_import_confirm",
    ),
    path(
        "<int:pk>/participants/import/template.csv",
        participant_import_template,
        name="participant_import_template",
    ),
]
