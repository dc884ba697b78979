"""What bench/pages.py measures: one user per role from the national sample, the objects each can see, and the
portal's pages built from the URL conf. Deterministic: the same sample gives the same picks.

Needs Django set up (bench/pages.py does it after loading the sample).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Count
from django.urls import reverse

from libraries.models import Library, Person
from libraries.selectors import libraries_visible_to, people_visible_to
from meetings.models import Meeting, Participation, RtlAction
from meetings.selectors import meetings_visible_to
from plm_portal.models import User
from reports.national_sample import SAMPLE_DOMAIN, TITLE_PREFIX

ROLES = ("national", "officer", "facilitator")
OFFICER_PROVINCE = "15"  # Jambi
# What the officer's and facilitator's meeting should look like: a typical PLM.
WANTED_PARTICIPANTS, WANTED_RTL = 60, 10
# Words of a library's name that every other library has too: useless to search for.
GENERIC_WORDS = {"dinas", "perpustakaan", "desa", "provinsi", "kabupaten", "kota", "sampel"}


@dataclass(frozen=True)
class Page:
    """A GET page: its URL name, the object its URL takes, a query string template, whether htmx asks."""

    name: str
    target: str = ""  # "meeting", "library", "person", "province" or "" (no argument)
    query: str = ""  # e.g. "q={surname}", formatted with RolePick.words()
    htmx: bool = False

    @property
    def label(self) -> str:
        path = reverse(self.name, args=[0] if self.target else [])
        if self.target:
            path = path.replace("/0/", f"/<{self.target}>/")
        query = self.query.replace("{", "<").replace("}", ">")
        return path + (f"?{query}" if query else "") + (" (htmx)" if self.htmx else "")


# Every page a user navigates to, in the order of the portal's menus. Inline-row forms (agenda, RTL, awards)
# are pieces of the tabs above, not pages.
PAGES: tuple[Page, ...] = (
    Page("home"),
    Page("dashboard"),
    Page("dashboard", query="year={year}&indicator=attendance"),
    Page("dashboard", query="year=semua"),
    Page("dashboard_province", "province"),
    Page("meetings:meeting_list"),
    Page("meetings:meeting_list", query="q=a"),
    Page("meetings:meeting_list", query="q={title_word}"),
    Page("meetings:meeting_list", query="year={year}&kind=plm"),
    Page("meetings:meeting_detail", "meeting"),
    Page("meetings:agenda", "meeting"),
    Page("meetings:participants", "meeting"),
    Page("meetings:attendance", "meeting"),
    Page("meetings:rtl", "meeting"),
    Page("meetings:awards", "meeting"),
    Page("reports:meeting_reports", "meeting"),
    Page("meetings:meeting_edit", "meeting"),
    Page("meetings:meeting_new"),
    Page("meetings:participants_search", "meeting", "q={surname}", htmx=True),
    Page("meetings:participants_add", "meeting"),
    Page("meetings:participants_new", "meeting"),
    Page("meetings:participants_import", "meeting"),
    Page("libraries:library_list"),
    Page("libraries:library_list", query="q={library_word}"),
    Page("libraries:library_detail", "library"),
    Page("libraries:library_edit", "library"),
    Page("libraries:library_new"),
    Page("libraries:person_list"),
    Page("libraries:person_list", query="q={surname}"),
    Page("libraries:person_detail", "person"),
    Page("libraries:person_edit", "person"),
    Page("libraries:person_new"),
    Page("programs:enrollment_list"),
    Page("programs:activity_list"),
    Page("programs:activity_new"),
    Page("programs:story_list"),
    Page("programs:story_new"),
    Page("programs:story_published"),
    Page("meetings:follow_ups_due"),
    Page("reports:award_scores"),
    Page("waves"),
    Page("reports:exports"),
    Page("libraries:library_import"),
    Page("libraries:person_import"),
    Page("users:user_list"),
    Page("users:user_invite"),
)
HEALTHZ = Page("healthz")


@dataclass
class RolePick:
    role: str
    user: User
    meeting: Meeting
    participants: int
    rtl: int
    library: Library
    person: Person

    @property
    def province(self):
        return self.meeting.province

    def words(self) -> dict[str, str]:
        """The search words of the role's pages, taken from the objects it sees."""
        return {
            "title_word": _longest_word(self.meeting.province.name),
            "library_word": _library_word(self.library.name),
            "surname": self.person.full_name.split()[-1],
            "year": str(self.meeting.year),
        }

    def url(self, page: Page) -> str:
        args = [getattr(self, page.target).pk] if page.target else []
        path = reverse(page.name, args=args)
        if not page.query:
            return path
        words = {key: quote(value) for key, value in self.words().items()}
        return f"{path}?{page.query.format(**words)}"

    def describe(self) -> str:
        words = self.words()
        return (
            f"{self.role:<11} {self.user.email}; meeting {self.meeting.pk} “{self.meeting.title}” "
            f"({self.participants} participations, {self.rtl} RTL rows); library {self.library.pk} "
            f"“{self.library.name}”; person {self.person.pk}; words: {words['title_word']!r}, "
            f"{words['library_word']!r}, {words['surname']!r}"
        )


def _longest_word(text: str) -> str:
    words = re.findall(r"[A-Za-z]{3,}", text)
    return max(words, key=len) if words else text[:3]


def _library_word(name: str) -> str:
    name = name.split("(")[0]
    words = [w for w in re.findall(r"[A-Za-z]{3,}", name) if w.lower() not in GENERIC_WORDS]
    return max(words, key=len) if words else "Perpustakaan"


def _sample_meetings():
    return Meeting.objects.filter(title__startswith=TITLE_PREFIX)


def _counts(model, field: str, meeting_ids: list[int]) -> dict[int, int]:
    rows = (
        model.objects.filter(**{f"{field}__in": meeting_ids})
        .order_by()
        .values_list(field)
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def _pick_meeting(user: User, *, biggest: bool) -> tuple[Meeting, int, int]:
    """The biggest visible PLM, or the visible meeting closest to a typical one (60 people, 10 RTL rows)."""
    candidates = meetings_visible_to(user) & _sample_meetings()
    if biggest and candidates.filter(kind=Meeting.Kind.PLM).exists():
        candidates = candidates.filter(kind=Meeting.Kind.PLM)
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise LookupError(f"{user.email} sees no sample meeting")
    people = _counts(Participation, "meeting", ids)
    rtl = _counts(RtlAction, "meeting", ids)
    if biggest:
        # The biggest PLM that has RTL rows, so its RTL tab is not empty (any PLM when none has).
        best = min(ids, key=lambda pk: (not rtl.get(pk), -people.get(pk, 0), pk))
    else:
        best = min(
            ids,
            key=lambda pk: (
                abs(people.get(pk, 0) - WANTED_PARTICIPANTS) / WANTED_PARTICIPANTS
                + abs(rtl.get(pk, 0) - WANTED_RTL) / WANTED_RTL,
                pk,
            ),
        )
    meeting = Meeting.objects.select_related("province").get(pk=best)
    return meeting, people.get(best, 0), rtl.get(best, 0)


def _pick_library(user: User, meeting: Meeting) -> Library:
    """The visible library of the meeting's province that most participations name (the busiest page)."""
    library = (
        libraries_visible_to(user)
        .filter(province_id=meeting.province_id)
        .annotate(n=Count("participations"))
        .order_by("-n", "pk")
        .first()
    )
    if library is None:
        raise LookupError(f"{user.email} sees no library in province {meeting.province_id}")
    return library


def _pick_person(user: User, meeting: Meeting) -> Person:
    """The meeting's participant with the most participations (the longest person page)."""
    ids = Participation.objects.filter(meeting=meeting).values("person_id")
    person = (
        Person.objects.filter(pk__in=ids)
        .annotate(n=Count("participations"))
        .order_by("-n", "pk")
        .first()
    )
    if person is None or not people_visible_to(user).filter(pk=person.pk).exists():
        raise LookupError(f"{user.email} sees no participant of meeting {meeting.pk}")
    return person


def _sample_users(role: str):
    return User.objects.filter(role=role, is_active=True, email__endswith=f"@{SAMPLE_DOMAIN}")


def _pick_users() -> dict[str, User]:
    national = _sample_users(User.Role.NATIONAL).order_by("email").first()
    # Jambi's officer, or the officer of the province with the most sample meetings.
    provinces = dict(
        _sample_meetings().order_by().values_list("province_id").annotate(n=Count("pk"))
    )
    officers = _sample_users(User.Role.PROVINCIAL).filter(province_id__in=provinces)
    officer = officers.filter(province_id=OFFICER_PROVINCE).first() or min(
        officers, key=lambda u: (-provinces[u.province_id], u.province_id), default=None
    )
    facilitator = (
        _sample_users(User.Role.FACILITATOR)
        .annotate(n=Count("assigned_meetings"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    users = {"national": national, "officer": officer, "facilitator": facilitator}
    missing = [role for role, user in users.items() if user is None]
    if missing:
        raise LookupError(f"the sample has no {', '.join(missing)} user")
    return users


def pick_roles() -> list[RolePick]:
    picks = []
    for role, user in _pick_users().items():
        meeting, participants, rtl = _pick_meeting(user, biggest=role == "national")
        picks.append(
            RolePick(
                role=role,
                user=user,
                meeting=meeting,
                participants=participants,
                rtl=rtl,
                library=_pick_library(user, meeting),
                person=_pick_person(user, meeting),
            )
        )
    return picks
