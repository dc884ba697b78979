"""Meeting tab: awards (apresiasi). The province's awards for the meeting's year, by category and rank.

Everyone who can see the meeting reads them; editors add awards presented at this meeting and change or delete
those (an award presented at another meeting of the same year is changed there). With htmx the forms work in
place; without JavaScript they are plain POSTs that redirect back to the tab.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.forms.awards import AwardForm
from meetings.models import Award, Meeting
from meetings.presenters import award_categories
from meetings.selectors import get_award, get_meeting_for_user, meeting_awards
from meetings.services.awards import delete_award, save_award
from meetings.views.kit import Focus, InlineItems

ADD_PREFIX = "new"


def _categories(request: HttpRequest, meeting: Meeting, focus: Focus | None) -> dict[str, Any]:
    focus_pk = focus[0] if focus and focus[1] == "edit" else None
    return {"categories": award_categories(meeting, meeting_awards(meeting), focus_pk=focus_pk)}


# Province and year are shown in the form for information only (disabled): focus starts at the category.
AWARDS = InlineItems(
    tab="awards", prefix="award", item="award", items=_categories, focus_skip=("province", "year")
)


@login_required
@require_GET
def awards(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return AWARDS.show(request, meeting)


def _form(request: HttpRequest, meeting: Meeting, award: Award | None = None) -> AwardForm:
    """The add form, or an award's edit form; each has its own prefix so both can be open on one page."""
    prefix = f"a{award.pk}" if award else ADD_PREFIX
    return AwardForm(
        request.POST or None, instance=award, prefix=prefix, meeting=meeting, user=request.user
    )


def _submit(request: HttpRequest, meeting: Meeting, form: AwardForm, message: str) -> HttpResponse:
    return AWARDS.submit(
        request,
        meeting,
        form,
        write=lambda: save_award(award=form.save(commit=False), meeting=meeting, by=request.user),
        status=lambda award: message % {"library": award.library},
    )


@login_required
@require_http_methods(["GET", "POST"])
def awards_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = _form(request, meeting)
    return _submit(request, meeting, form, _("Penghargaan untuk “%(library)s” tersimpan."))


@login_required
@require_GET
def awards_row(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    """An award as shown in the list; with htmx the list comes back (editing cancelled), focus on its item."""
    meeting = get_meeting_for_user(request.user, pk)
    return AWARDS.shown(request, meeting, get_award(meeting, award_pk).pk)


@login_required
@require_http_methods(["GET", "POST"])
def awards_edit(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = _form(request, meeting, get_award(meeting, award_pk))
    message = _("Perubahan penghargaan untuk “%(library)s” tersimpan.")
    return _submit(request, meeting, form, message)


@login_required
@require_POST
def awards_delete(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, write=True)
    award = get_award(meeting, award_pk)
    library = award.library.name
    delete_award(award=award, by=request.user)
    return AWARDS.saved(
        request, meeting, _("Penghargaan untuk “%(library)s” dihapus.") % {"library": library}
    )


urlpatterns = [
    path("<int:pk>/awards/", awards, name="awards"),
    path("<int:pk>/awards/new/", awards_new, name="awards_new"),
    path("<int:pk>/awards/<int:award_pk>/", awards_row, name="awards_row"),
    path("<int:pk>/awards/<int:award_pk>/edit/", awards_edit, name="awards_edit"),
    path("<int:pk>/awards/<int:award_pk>/delete/", awards_delete, name="awards_delete"),
]
