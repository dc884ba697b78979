"""Programme pages: impact stories (kisah inspiratif).

The editors' pages (list, new, detail, edit, the workflow buttons and the form's pickers) answer national staff
and the officer of the story's province: another province's story is 404, a facilitator 403. The published
stories are for everyone signed in, always through ``ImpactStory.public_name``. Views parse, authorise
(programs.selectors.stories), call a service (programs.services.stories) and respond.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.selectors import (
    MIN_SEARCH_LENGTH,
    library_regency_choices,
    province_choices,
    search_length,
)
from plm_portal import once
from plm_portal.access import can_write_province
from programs.forms.stories import PublishedFilterForm, StoryFilterForm, StoryForm
from programs.models import ImpactStory
from programs.photos import photo_response
from programs.selectors import stories as selectors
from programs.services.stories import (
    Transition,
    publish_story,
    save_story,
    unpublish_story,
    verify_story,
)

PAGE_SIZE = 20
# The kind of form whose double posts plm_portal.once turns into one story.
FORM_KIND = "story"
_HTML_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _html_id(value: str) -> str:
    """``value`` when it is a plain HTML id (it is echoed into the page), else ""."""
    return value if value and len(value) <= 80 and set(value) <= _HTML_ID_CHARS else ""


# --- the editors' list ----------------------------------------------------------------------------------


@login_required
@require_GET
def story_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    selectors.require_story_editor(user)
    provinces = province_choices(user)
    query = request.GET.copy()
    province = query.get("province", "")
    if province and not query.get("regency", "").startswith(f"{province}."):
        query.pop("regency", None)  # a regency of the province chosen before this one
    form = StoryFilterForm(
        query or None,
        provinces=provinces,
        regencies=library_regency_choices(user, province),
    )
    # Each valid filter applies on its own.
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    stories = selectors.story_list(
        user,
        status=data.get("status", ""),
        year=data.get("year"),
        line_of_work=data.get("line_of_work", ""),
        province=data.get("province", ""),
        regency=data.get("regency", ""),
    )
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": _page_query(request),
        "show_province": len(provinces) > 1,
    }
    template = "programs/story_list.html#results" if request.htmx else "programs/story_list.html"
    return render(request, template, context)


# --- writing a story ------------------------------------------------------------------------------------


def _save(request: HttpRequest, form: StoryForm) -> ImpactStory | None:
    """Save a valid form through the service, once per form key; what it refuses becomes form errors (typed
    input kept). A form sent again answers with the story its first post saved (plm_portal.once)."""
    key = form.cleaned_data["form_key"]
    try:
        once.claim(FORM_KIND, key)
    except once.AlreadySubmitted as sent:
        if sent.row_id is None:
            form.add_error(
                None, _("Kiriman yang sama sedang disimpan. Periksa daftar cerita sebentar lagi.")
            )
            return None
        return ImpactStory.objects.get(pk=sent.row_id)
    try:
        story = save_story(
            story=form.save(commit=False),
            by=request.user,
            photo=form.cleaned_data.get("photo"),
            remove_photo=form.cleaned_data.get("remove_photo", False),
        )
    except BaseException as error:
        once.release(FORM_KIND, key)
        if not isinstance(error, (ValidationError, IntegrityError)):
            raise
        _refused(form, error)
        return None
    once.settle(FORM_KIND, key, story.pk)
    return story


def _refused(form: StoryForm, error: ValidationError | IntegrityError) -> None:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            form.add_error(None, error)
        return
    form.add_error(
        None, _("Cerita ini baru saja diubah orang lain. Muat ulang halaman lalu coba lagi.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    selectors.require_story_editor(user)
    initial = {}
    if library := selectors.editable_library(user, request.GET.get("library")):
        initial["library"] = library.pk
    form = StoryForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        story = _save(request, form)
        if story is not None:
            messages.success(
                request, _("Cerita “%(title)s” tersimpan sebagai draf.") % {"title": story.title}
            )
            return redirect("programs:story_detail", pk=story.pk)
    return render(request, "programs/story_form.html", {"form": form, "story": None})


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.get_story_for_user(request.user, pk)
    status_before = story.status
    form = StoryForm(request.POST or None, request.FILES or None, instance=story, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form)
        if saved is not None:
            if status_before != saved.status:
                messages.warning(
                    request,
                    _(
                        "Perubahan tersimpan. Cerita kembali menjadi draf dan perlu diverifikasi lagi."
                    ),
                )
            else:
                messages.success(request, _("Perubahan tersimpan."))
            return redirect("programs:story_detail", pk=saved.pk)
    context = {"form": form, "story": story, "status_before": status_before}
    return render(request, "programs/story_form.html", context)


@login_required
@require_GET
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.get_story_for_user(request.user, pk)
    return render(
        request,
        "programs/story_detail.html",
        {"story": story, "can_publish": request.user.is_national},
    )


# --- the workflow: buttons, each a POST, each idempotent --------------------------------------------------


def _transition(request: HttpRequest, pk: int, action, done: str, already: str) -> HttpResponse:
    story = selectors.get_story_for_user(request.user, pk)
    try:
        result: Transition = action(story=story, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if result.changed:
            messages.success(request, done)
        else:
            messages.info(request, already)
    return redirect("programs:story_detail", pk=story.pk)


@login_required
@require_POST
def story_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        verify_story,
        _("Cerita terverifikasi. Staf nasional dapat menerbitkannya."),
        _("Cerita ini sudah diverifikasi."),
    )


@login_required
@require_POST
def story_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        publish_story,
        _("Cerita terbit dan dapat dibaca semua pengguna portal."),
        _("Cerita ini sudah terbit."),
    )


@login_required
@require_POST
def story_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        unpublish_story,
        _("Cerita ditarik dari terbitan dan kembali berstatus terverifikasi."),
        _("Cerita ini tidak sedang terbit."),
    )


@login_required
@require_GET
def story_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The story's photo: to its editors, or to anyone signed in once published (with consent); else 404."""
    story = selectors.get_story_photo(request.user, pk)
    # Pages add ?v=<last change> to the address, so a changed photo is fetched anew.
    return photo_response(story.photo, filename=f"cerita-{story.pk}-foto.jpg", max_age=86400)


# --- the form's pickers (htmx) ----------------------------------------------------------------------------


@login_required
@require_GET
def story_people_options(request: HttpRequest) -> HttpResponse:
    """The people picker's <option>s: the chosen person and those of the library's province matching ``q``."""
    user = request.user
    selectors.require_story_editor(user)
    library = selectors.editable_library(user, request.GET.get("library"))
    province_id = (
        library.province_id if library else (None if user.is_national else user.province_id)
    )
    field = request.GET.get("field", "person")
    chosen = request.GET.get(field, "")
    people = selectors.story_people(user, province_id)
    selected = list(people.filter(pk=chosen)) if chosen.isdigit() else []
    query = request.GET.get("q", "").strip()[:100]
    searched = search_length(query) >= MIN_SEARCH_LENGTH
    matches, more = [], False
    if searched and province_id:
        matches, more = selectors.find_story_people(user, province_id, query)
    context = {
        "selected": selected,
        "matches": [person for person in matches if person not in selected],
        "searched": searched,
        "more": more,
        "query": query,
        "province_known": bool(province_id),
        "min_length": MIN_SEARCH_LENGTH,
        "status_id": _html_id(request.GET.get("status", "")),
    }
    return render(request, "programs/story_people_options.html", context)


@login_required
@require_GET
def story_activity_options(request: HttpRequest) -> HttpResponse:
    """The activity select's <option>s for the library chosen in the story form."""
    user = request.user
    selectors.require_story_editor(user)
    library = selectors.editable_library(user, request.GET.get("library"))
    activities = selectors.story_activities(library.pk if library else None)
    rows = list(activities[: selectors.ACTIVITIES_SHOWN])
    chosen = request.GET.get("activity", "")
    selected = int(chosen) if chosen.isdigit() else None
    if selected and selected not in {row.pk for row in rows}:
        rows += list(activities.filter(pk=selected))
    context = {"activities": rows, "selected": selected, "library": library}
    return render(request, "programs/story_activity_options.html", context)


@login_required
@require_GET
def story_scope_fields(request: HttpRequest) -> HttpResponse:
    """The library, activity and person fields of the story form for the province chosen (national staff)."""
    user = request.user
    selectors.require_story_editor(user)
    form = StoryForm(user=user, initial={"province": request.GET.get("province", "")})
    return render(request, "programs/story_form.html#scope-fields", {"form": form})


# --- published: for everyone signed in ----------------------------------------------------------------------


@login_required
@require_GET
def story_published(request: HttpRequest) -> HttpResponse:
    form = PublishedFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    stories = selectors.published_stories(
        year=data.get("year"), line_of_work=data.get("line_of_work", "")
    )
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _page_query(request)}
    template = (
        "programs/story_published.html#results" if request.htmx else "programs/story_published.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def story_published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.get_published_story(pk)
    context = {
        "story": story,
        "is_editor": can_write_province(request.user, story.library.province_id),
    }
    return render(request, "programs/story_published_detail.html", context)


urlpatterns: list[URLPattern] = [
    path("stories/", story_list, name="story_list"),
    path("stories/new/", story_new, name="story_new"),
    path("stories/published/", story_published, name="story_published"),
    path("stories/published/<int:pk>/", story_published_detail, name="story_published_detail"),
    path("stories/people-options/", story_people_options, name="story_people_options"),
    path("stories/activity-options/", story_activity_options, name="story_activity_options"),
    path("stories/scope-fields/", story_scope_fields, name="story_scope_fields"),
    path("stories/<int:pk>/", story_detail, name="story_detail"),
    path("stories/<int:pk>/edit/", story_edit, name="story_edit"),
    path("stories/<int:pk>/verify/", story_verify, name="story_verify"),
    path("stories/<int:pk>/publish/", story_publish, name="story_publish"),
    path("stories/<int:pk>/unpublish/", story_unpublish, name="story_unpublish"),
    path("stories/<int:pk>/photo/", story_photo, name="story_photo"),
]
