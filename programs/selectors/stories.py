"""Reads for impact stories (kisah inspiratif), always through the user's scope.

Two audiences. The *editors* of a story are national staff and the officer of the story's province: they see
every status, the real person and the consent record. Everyone else signed in sees *published* stories only,
and only as ``ImpactStory.public_name`` tells them (a name only with consent and not anonymous); the
published selectors below never offer anything else.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from libraries.models import Library, Person
from libraries.selectors import libraries_visible_to, people_visible_to, search_people
from plm_portal.access import can_write_province
from plm_portal.models import User
from programs.models import Activity, ImpactStory

# What the people picker puts in its select at most: more is a longer list than anyone reads on a phone.
PEOPLE_LIMIT = 20
# The activities a story's select offers (the library's most recent); any of the library's is still valid.
ACTIVITIES_SHOWN = 100

_EDITOR_RELATIONS = (
    "library__province",
    "library__regency",
    "person",
    "activity",
    "created_by",
    "verified_by",
    "published_by",
    "consent_recorded_by",
)


def is_story_editor(user: User) -> bool:
    """Whether ``user`` edits stories at all: national staff, or a provincial officer with a province."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_national or (user.is_provincial_officer and user.province_id))
    )


def require_story_editor(user: User) -> None:
    """PermissionDenied for anyone who edits no stories (facilitators, officers without a province)."""
    if not is_story_editor(user):
        raise PermissionDenied


def stories_visible_to(user: User) -> QuerySet[ImpactStory]:
    """The stories ``user`` edits, in every status: all for national staff, their province's for an officer."""
    stories = ImpactStory.objects.all()
    if not is_story_editor(user):
        return stories.none()
    if user.is_national:
        return stories
    return stories.filter(library__province_id=user.province_id)


def get_story_for_user(user: User, pk: int) -> ImpactStory:
    """A story its editor may see and change: 403 for a non-editor role, 404 outside the user's province."""
    require_story_editor(user)
    story = stories_visible_to(user).select_related(*_EDITOR_RELATIONS).filter(pk=pk).first()
    if story is None:
        raise Http404
    return story


def story_list(
    user: User,
    *,
    status: str = "",
    year: int | None = None,
    line_of_work: str = "",
    province: str = "",
    regency: str = "",
) -> QuerySet[ImpactStory]:
    """The editor's list: the stories of their scope matching the filters, newest first."""
    stories = stories_visible_to(user).select_related(
        "library__province", "library__regency", "person"
    )
    if status:
        stories = stories.filter(status=status)
    if year:
        stories = stories.filter(date__year=year)
    if line_of_work:
        stories = stories.filter(line_of_work=line_of_work)
    if province:
        stories = stories.filter(library__province_id=province)
    if regency:
        stories = stories.filter(library__regency_id=regency)
    return stories.order_by("-date", "pk")  # the impactstory_*_date indexes' order


# --- published: what leaves the editors' hands -----------------------------------------------------------


def published_stories(*, year: int | None = None, line_of_work: str = "") -> QuerySet[ImpactStory]:
    """Published stories (consent given: the database refuses others), for every signed-in user."""
    stories = ImpactStory.objects.filter(
        status=ImpactStory.Status.PUBLISHED, consent_given=True
    ).select_related("library__province", "person")
    if year:
        stories = stories.filter(date__year=year)
    if line_of_work:
        stories = stories.filter(line_of_work=line_of_work)
    return stories.order_by("-date", "pk")  # the impactstory_*_date indexes' order


def get_published_story(pk: int) -> ImpactStory:
    story = published_stories().select_related("activity").filter(pk=pk).first()
    if story is None:
        raise Http404
    return story


def get_story_photo(user: User, pk: int) -> ImpactStory:
    """A story whose photo ``user`` may see: any of their editing scope, else a published one with consent.

    404 otherwise, and when the story has no photo: a photo's address tells nothing about a story out of scope.
    """
    if not (user.is_authenticated and user.is_active):
        raise Http404
    story = stories_visible_to(user).filter(pk=pk).first()
    if story is None:
        story = published_stories().filter(pk=pk).first()
    if story is None or not story.photo:
        raise Http404
    return story


# --- choices of the story form ---------------------------------------------------------------------------


def story_libraries(user: User, province_id: str | None) -> QuerySet[Library]:
    """The libraries a story of ``province_id`` may belong to (none outside the user's writing scope)."""
    if not province_id or not can_write_province(user, province_id):
        return Library.objects.none()
    return libraries_visible_to(user).filter(province_id=province_id).order_by("name")


def story_people(user: User, province_id: str | None) -> QuerySet[Person]:
    """The people a story of ``province_id`` may be about: that province's, within the user's scope."""
    if not province_id or not can_write_province(user, province_id):
        return Person.objects.none()
    return people_visible_to(user).filter(province_id=province_id).order_by("full_name", "pk")


def find_story_people(
    user: User, province_id: str | None, query: str, *, limit: int = PEOPLE_LIMIT
) -> tuple[list[Person], bool]:
    """Up to ``limit`` people of the province matching ``query`` (the one people search), and whether more do."""
    found = list(
        search_people(story_people(user, province_id), query).select_related("home_library")[
            : limit + 1
        ]
    )
    return found[:limit], len(found) > limit


def story_activities(library_id: int | str | None) -> QuerySet[Activity]:
    """The activities a story of ``library_id`` may name: that library's, most recent first."""
    if not library_id:
        return Activity.objects.none()
    return Activity.objects.filter(library_id=library_id).order_by("-date", "pk")


def editable_library(user: User, pk: str | None) -> Library | None:
    """The library ``pk`` when ``user`` may write stories for it (the pickers' province), else None."""
    if not pk or not str(pk).isdigit():
        return None
    library = libraries_visible_to(user).filter(pk=int(pk)).first()
    if library is None or not can_write_province(user, library.province_id):
        return None
    return library
