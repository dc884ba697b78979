"""Meeting tab: awards (apresiasi). The province's awards for the meeting's year, by category and rank.

Everyone who can see the meeting reads them; editors add awards presented at this meeting and change or delete
those (an award presented at another meeting of the same year is changed there). With htmx the forms work in
place; without JavaScript they are plain POSTs that redirect back to the tab.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from meetings.forms.awards import AwardForm
from meetings.models import Award, Meeting
from meetings.selectors import get_meeting_for_user
from meetings.services.awards import delete_award, save_award
from meetings.views.core import meeting_context

ADD_PREFIX = "new"


@dataclass
class AwardCategory:
    value: str
    label: str
    awards: list[Award] = field(default_factory=list)


def _awards_of(meeting: Meeting) -> list[Award]:
    return list(
        Award.objects.filter(province_id=meeting.province_id, year=meeting.year)
        .select_related("library__regency")
        .order_by("category", "rank", "pk")
    )


def _categories(meeting: Meeting) -> list[AwardCategory]:
    categories = {
        value: AwardCategory(value=value, label=label) for value, label in Award.Category.choices
    }
    for award in _awards_of(meeting):
        award.editable_here = award.meeting_id in (None, meeting.pk)
        categories[award.category].awards.append(award)
    return list(categories.values())


def _get_award(meeting: Meeting, award_pk: int) -> Award:
    """An award of the meeting's province and year (else 404) that is changed from this meeting (else 403)."""
    award = (
        Award.objects.filter(pk=award_pk, province_id=meeting.province_id, year=meeting.year)
        .select_related("library")
        .first()
    )
    if award is None:
        raise Http404
    if award.meeting_id not in (None, meeting.pk):
        raise PermissionDenied
    return award


def _awards_context(
    request: HttpRequest,
    meeting: Meeting,
    *,
    add_form: AwardForm | None = None,
    edit_form: AwardForm | None = None,
    status: str = "",
    focus: tuple[int | None, str] | None = None,
) -> dict:
    return {
        **meeting_context(request, meeting, tab="awards"),
        "categories": _categories(meeting),
        "add_form": add_form,
        "edit_form": edit_form,
        "editing": edit_form.instance.pk if edit_form else None,
        "status": status,
        "focus_award": focus[0] if focus and focus[1] == "edit" else None,
        "focus_add": focus == (None, "add"),
    }


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _list_response(request: HttpRequest, context: dict) -> HttpResponse:
    response = _render(request, "meetings/awards.html#award-list", context)
    return reswap(retarget(response, "#award-list"), "outerHTML")


def _back(meeting: Meeting, award_pk: int | None = None) -> HttpResponse:
    url = reverse("meetings:awards", args=[meeting.pk])
    return redirect(f"{url}#award-{award_pk}" if award_pk else url)


def _form_response(
    request: HttpRequest, meeting: Meeting, form: AwardForm, *, partial: str, **page: AwardForm
) -> HttpResponse:
    form.with_focus()
    if request.htmx:
        context = {**meeting_context(request, meeting, tab="awards"), "form": form}
        return _render(request, f"meetings/awards.html#{partial}", context)
    return _render(request, "meetings/awards.html", _awards_context(request, meeting, **page))


@login_required
@require_GET
def awards(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    if request.htmx:
        focus = (None, "add") if request.GET.get("focus") == "add" else None
        return _render(
            request,
            "meetings/awards.html#award-list",
            _awards_context(request, meeting, focus=focus),
        )
    return _render(request, "meetings/awards.html", _awards_context(request, meeting))


@login_required
@require_http_methods(["GET", "POST"])
def award_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = AwardForm(request.POST or None, prefix=ADD_PREFIX, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            award = save_award(award=form.save(commit=False), meeting=meeting)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status = _("Penghargaan untuk “%(library)s” tersimpan.") % {"library": award.library}
            if not request.htmx:
                messages.success(request, status)
                return _back(meeting, award.pk)
            return _list_response(
                request, _awards_context(request, meeting, status=status, focus=(award.pk, "edit"))
            )
    return _form_response(request, meeting, form, partial="add-form", add_form=form)


@login_required
@require_GET
def award_item(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    """An award as shown in the list; with htmx the list comes back (editing cancelled), focus on its item."""
    meeting = get_meeting_for_user(request.user, pk)
    award = _get_award(meeting, award_pk)
    if not request.htmx:
        return _back(meeting, award.pk)
    return _list_response(request, _awards_context(request, meeting, focus=(award.pk, "edit")))


@login_required
@require_http_methods(["GET", "POST"])
def award_edit(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    award = _get_award(meeting, award_pk)
    form = AwardForm(
        request.POST or None,
        instance=award,
        prefix=f"a{award.pk}",
        meeting=meeting,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            award = save_award(award=form.save(commit=False), meeting=meeting)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status = _("Perubahan penghargaan untuk “%(library)s” tersimpan.") % {
                "library": award.library
            }
            if not request.htmx:
                messages.success(request, status)
                return _back(meeting, award.pk)
            return _list_response(
                request, _awards_context(request, meeting, status=status, focus=(award.pk, "edit"))
            )
    return _form_response(request, meeting, form, partial="edit-form", edit_form=form)


@login_required
@require_POST
def award_delete(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    award = _get_award(meeting, award_pk)
    library = award.library.name
    delete_award(award=award)
    status = _("Penghargaan untuk “%(library)s” dihapus.") % {"library": library}
    if not request.htmx:
        messages.success(request, status)
        return _back(meeting)
    return _list_response(request, _awards_context(request, meeting, status=status))


urlpatterns = [
    path("<int:pk>/awards/", awards, name="awards"),
    path("<int:pk>/awards/new/", award_add, name="awards_add"),
    path("<int:pk>/awards/<int:award_pk>/", award_item, name="awards_item"),
    path("<int:pk>/awards/<int:award_pk>/edit/", award_edit, name="awards_edit"),
    path("<int:pk>/awards/<int:award_pk>/delete/", award_delete, name="awards_delete"),
]
