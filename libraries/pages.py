"""What a library's page and a person's page show: their whole story in the programme, read through the user's
scope.

`libraries` must not import `meetings` or `programs` (ARCHITECTURE.md): their rows are reached through reverse
relations (``library.rtl_actions``, ``library.activities``, ``library.impact_stories``, ``library.enrollments``)
and the meetings a user may see are expressed as a Q over the relation. Stored choice values are written as
literals here for the same reason ("done", "published").
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from libraries.models import Library, Person
from libraries.selectors import libraries_visible_to, people_visible_to
from plm_portal.access import meeting_filter
from plm_portal.models import User

# The latest rows of the programme's lists shown on a library's page; the lists themselves have every row.
LATEST = 5


def _programme_reader(user: User, library: Library) -> bool:
    """Who reads a library's programme work (activities, unpublished stories): national staff and the officers
    of its province. Facilitators work on their meetings only."""
    return bool(
        user.is_national or (user.is_provincial_officer and user.province_id == library.province_id)
    )


def library_page(user: User, library: Library, *, can_edit: bool) -> dict[str, Any]:
    """What a library's page shows, each read narrowed to what ``user`` may see.

    ``can_edit`` (national staff, the officers of the library's province) also reads the library's programme
    work: its activities and its stories in every status. Others (facilitators) see its published stories.
    """
    visible = meeting_filter(user, "meeting")
    awards = list(library.awards.select_related("meeting").order_by("-year", "category", "rank"))
    shown_meetings = set(
        library.awards.filter(meeting__isnull=False)
        .filter(visible)
        .values_list("meeting_id", flat=True)
    )
    for award in awards:
        award.meeting_visible = award.meeting_id in shown_meetings
    rtl = library.rtl_actions.filter(visible)
    stories = library.impact_stories.select_related("person").order_by("-date", "-pk")
    if not can_edit:
        stories = stories.filter(status="published")
    figures = _figures(library, rtl, stories)
    # The people, meetings and RTL rows grow with the programme: the view pages each list, so each is
    # ordered to the last column (a row never shows on two pages).
    return {
        "people": people_visible_to(user).filter(home_library=library).order_by("full_name", "pk"),
        "meetings": library.participations.filter(visible)
        .values("meeting_id", "meeting__title", "meeting__start_date", "meeting__end_date")
        .annotate(participants=Count("pk"))
        .order_by("-meeting__start_date", "meeting__title", "meeting_id"),
        "rtl_actions": rtl.select_related("meeting").order_by(
            "-meeting__start_date", "meeting_id", "order", "pk"
        ),
        "rtl_completion": figures["rtl"],
        "awards": awards,
        "enrollments": library_enrollments(library),
        "activities": list(
            library.activities.order_by("-date", "-pk").annotate(photo_count=Count("photos"))[
                :LATEST
            ]
        )
        if can_edit
        else [],
        "activity_count": figures["activities"],
        "stories": list(stories[:LATEST]),
        "story_count": figures["stories"],
        "story_editor": can_edit,
    }


def _figures(library: Library, rtl: QuerySet, stories: QuerySet) -> dict[str, Any]:
    """The page's counts in one query: activities, stories shown, RTL rows done and in all."""

    def count(rows: QuerySet):
        return Coalesce(
            Subquery(
                rows.order_by()
                .annotate(one=Value(1))
                .values("one")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )

    row = (
        Library.objects.filter(pk=library.pk)
        .annotate(
            n_activities=count(library.activities.all()),
            n_stories=count(stories),
            n_rtl=count(rtl),
            n_rtl_done=count(rtl.filter(status="done")),
        )
        .values("n_activities", "n_stories", "n_rtl", "n_rtl_done")
        .get()
    )
    completion = None
    if row["n_rtl"]:
        completion = {
            "done": row["n_rtl_done"],
            "total": row["n_rtl"],
            "percent": round(100 * row["n_rtl_done"] / row["n_rtl"]),
        }
    return {"activities": row["n_activities"], "stories": row["n_stories"], "rtl": completion}


def library_enrollments(library: Library, shown: int = 3) -> QuerySet:
    """The library's enrolments, newest year first, each with ``change_count`` and ``recent_changes`` (the
    newest ``shown``, with who made them): two queries however many years."""
    enrollments = library.enrollments.all()
    recent = enrollments.model.changes.rel.related_model.objects.select_related("changed_by")
    recent = recent.order_by("-changed_at", "-pk")[:shown]
    return (
        enrollments.select_related("programme_year")
        .annotate(change_count=Count("changes"))
        .prefetch_related(Prefetch("changes", recent, to_attr="recent_changes"))
        .order_by("-programme_year__year")
    )


def person_page(user: User, person: Person, *, can_edit: bool) -> dict[str, Any]:
    """What a person's page shows: their visible meetings, their stories, whether their library is visible."""
    stories = person.impact_stories.select_related("library").order_by("-date")
    if not can_edit:
        # Drafts may lack the person's consent: only the province's editors see them. Beyond the editors a
        # story is tied to this person only when they agreed to be named (an anonymous one stays anonymous).
        stories = stories.filter(status="published", consent_given=True, anonymous=False)
    return {
        "participations": person.participations.filter(meeting_filter(user, "meeting"))
        .select_related("meeting", "library")
        .annotate(days_present=Count("attendances"))
        .order_by("-meeting__start_date", "meeting__title"),
        "stories": stories,
        "home_library_visible": bool(
            person.home_library_id
            and libraries_visible_to(user).filter(pk=person.home_library_id).exists()
        ),
    }
