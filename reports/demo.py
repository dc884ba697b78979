"""Load the demo data of ``demo/plm_jambi_2022.toml``: ``manage.py load_demo`` (``make run`` runs it).

The rows are data, not code: this module only turns the file's tables into model rows. It lives in ``reports``
because the demo spans every app (libraries, programs, meetings and the users) and ``reports`` is the one app
allowed to import them all (ARCHITECTURE.md, "Layout").

``load_demo()`` is idempotent: every row has a natural key, rows already there are left exactly as they are (a
second run writes nothing), and missing rows are inserted in bulk, one INSERT per model (history dates that an
INSERT stamps with now are set by one UPDATE of the rows just inserted). The programme work (enrolments with
their history, activities with photos, impact stories) is loaded by ``reports.demo_programme``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from libraries.models import Library, Person, Province, Regency, Village
from meetings.models import (
    Attendance,
    Award,
    Meeting,
    Participation,
    RtlAction,
    RtlFollowUp,
    Session,
)
from meetings.services.follow_ups import create_follow_ups, follow_up_due
from plm_portal.models import User
from reports import demo_programme
from reports.demo_rows import DemoResult, Spec, ensure, fields

DATA_FILE = Path(__file__).resolve().parent.parent / "demo" / "plm_jambi_2022.toml"


class RegionsNotLoaded(CommandError):
    """The Kemendagri region rows the demo refers to are missing."""


@cache
def demo_data() -> dict[str, Any]:
    """The parsed data file (read once per process; it does not change while the portal runs)."""
    with DATA_FILE.open("rb") as file:
        return tomllib.load(file)


def demo_password() -> str:
    """The password every demo account gets on creation (published on purpose: `make run` prints it)."""
    return demo_data()["password"]


def account_emails() -> list[str]:
    """The demo accounts' e-mail addresses, in the file's order."""
    return [account["email"] for account in demo_data()["account"]]


def meeting_title(key: str) -> str:
    """The title of the demo meeting named ``key`` in the data file ("plm_jambi", "plm_riau", ...)."""
    (title,) = [meeting["title"] for meeting in demo_data()["meeting"] if meeting["key"] == key]
    return title


def required_region_codes() -> set[str]:
    """Every Kemendagri code (province, regency, village) the demo refers to."""
    data = demo_data()
    codes = {
        library.get(name)
        for library in data["library"]
        for name in ("province", "regency", "village")
    }
    codes |= {
        meeting[name] for meeting in data["meeting"] for name in ("province", "venue_regency")
    }
    return codes - {None}


def load_demo() -> DemoResult:
    """Insert the demo rows that are missing, in one transaction; existing rows are left as they are.

    Side effects: inserts libraries, people, programme years, enrolments with their history, three meetings
    with their agenda, participants, attendance, RTL rows with their follow-ups and awards, activities with
    their photos, impact stories, and the demo accounts (password set on creation only); stores the photos
    of the rows it inserts in the private storage (removed again when the run fails). Raises
    RegionsNotLoaded (a CommandError) when the region rows it refers to are missing; nothing is written then.
    """
    data = demo_data()
    result = DemoResult()
    try:
        with transaction.atomic():
            provinces = _check_regions()
            users = _load_users(data, result)
            libraries = _load_libraries(data["library"], result)
            demo_programme.load_programme(data, libraries, provinces, users, result)
            people = _load_people(data["person"], libraries, result)
            meetings = _load_meetings(data["meeting"], provinces, users, libraries, people, result)
            _load_rtl_and_awards(data["meeting"], meetings, provinces, users, libraries, result)
            activities = demo_programme.load_activities(data, libraries, provinces, users, result)
            demo_programme.load_stories(data, libraries, people, activities, users, result)
    except BaseException:
        # The rows rolled back; the files they named must go too.
        demo_programme.delete_files(result.files)
        raise
    return result


def _check_regions() -> dict[str, Province]:
    codes = required_region_codes()
    province_codes = {code for code in codes if "." not in code}
    regency_codes = {code for code in codes if code.count(".") == 1}
    village_codes = codes - province_codes - regency_codes
    provinces = Province.objects.in_bulk(province_codes)
    found = set(provinces)
    found |= set(Regency.objects.filter(code__in=regency_codes).values_list("code", flat=True))
    found |= set(Village.objects.filter(code__in=village_codes).values_list("code", flat=True))
    missing = sorted(codes - found)
    if missing:
        raise RegionsNotLoaded(
            _(
                "Data wilayah belum dimuat: jalankan python manage.py load_regions dulu "
                "(kode tidak ditemukan: %(codes)s)."
            )
            % {"codes": ", ".join(missing)}
        )
    return provinces


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _load_users(data: dict[str, Any], result: DemoResult) -> dict[str, User]:
    existing = {user.email: user for user in User.objects.filter(email__in=account_emails())}
    missing = []
    for account in data["account"]:
        if account["email"] in existing:
            continue
        superuser = account.get("is_superuser", False)
        user = User(
            **fields(account, codes=("province",), skip=("is_superuser",)),
            is_staff=superuser,
            is_superuser=superuser,
        )
        # Only on creation: whoever changed a demo password keeps it.
        user.set_password(data["password"])
        missing.append(user)
    if missing:
        User.objects.bulk_create(missing)
        result.created[User._meta.label] += len(missing)
    users = existing | {user.email: user for user in missing}
    _load_totp(data, users, result)
    return users


def _load_totp(data: dict[str, Any], users: dict[str, User], result: DemoResult) -> None:
    """Give the demo accounts that must use two-factor sign-in the published TOTP key, if they have none.

    National staff and admin users cannot use the portal without an authenticator app
    (plm_portal.middleware.MfaRequiredMiddleware); with the key from the data file the demo stays usable:
    ``manage.py demo_accounts`` prints it and the current code. A demo user who set up their own keeps it.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    needs = [user for user in users.values() if user.is_national or user.is_staff]
    if not needs:
        return
    have = set(
        Authenticator.objects.filter(user__in=needs, type=Authenticator.Type.TOTP).values_list(
            "user_id", flat=True
        )
    )
    rows = [
        Authenticator(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(data["totp_secret"])}
        )
        for user in needs
        if user.pk not in have
    ]
    if rows:
        Authenticator.objects.bulk_create(rows)
        result.created[Authenticator._meta.label] += len(rows)


def demo_totp_secret() -> str:
    """The TOTP key of the demo accounts that need a second factor (published, like the password)."""
    return demo_data()["totp_secret"]


def _load_libraries(specs: list[Spec], result: DemoResult) -> dict[str, Library]:
    rows = [Library(**fields(spec, codes=("province", "regency", "village"))) for spec in specs]
    by_key = ensure(Library, rows, ("province_id", "name"), result)
    return {spec["key"]: by_key[(spec["province"], spec["name"])] for spec in specs}


def _load_people(
    specs: list[Spec], libraries: dict[str, Library], result: DemoResult
) -> dict[str, Person]:
    rows = [
        Person(
            **fields(spec, codes=("province",), skip=("library",)),
            home_library=libraries[spec["library"]] if "library" in spec else None,
        )
        for spec in specs
    ]
    by_key = ensure(Person, rows, ("province_id", "phone"), result)
    return {spec["key"]: by_key[(spec["province"], spec["phone"])] for spec in specs}


def _load_meetings(
    specs: list[Spec],
    provinces: dict[str, Province],
    users: dict[str, User],
    libraries: dict[str, Library],
    people: dict[str, Person],
    result: DemoResult,
) -> dict[str, Meeting]:
    nested = ("host", "organiser", "facilitators", "participants", "session", "rtl", "award")
    rows = [
        Meeting(
            **fields(spec, codes=("province", "venue_regency"), skip=nested),
            host_library=libraries[spec["host"]],
            created_by=users[spec["organiser"]],
        )
        for spec in specs
    ]
    by_key = ensure(Meeting, rows, ("province_id", "title"), result)
    meetings = {spec["key"]: by_key[(spec["province"], spec["title"])] for spec in specs}

    through = Meeting.assigned_facilitators.through
    ensure(
        through,
        (
            through(meeting_id=meetings[spec["key"]].pk, user_id=users[email].pk)
            for spec in specs
            for email in spec.get("facilitators", ())
        ),
        ("meeting_id", "user_id"),
        result,
    )
    ensure(
        Session,
        (
            Session(
                **fields(session, skip=("day", "start", "end", "led_by")),
                meeting=meetings[spec["key"]],
                order=order,
                date=spec["start_date"] + dt.timedelta(days=session["day"]),
                start_time=_time(session["start"]),
                end_time=_time(session["end"]),
                led_by=people[session["led_by"]] if "led_by" in session else None,
            )
            for spec in specs
            for order, session in enumerate(spec.get("session", ()), start=1)
        ),
        ("meeting_id", "order"),
        result,
    )
    participations = ensure(
        Participation,
        (
            Participation(
                meeting=meetings[spec["key"]],
                person=people[participant["person"]],
                role=participant["role"],
                library=libraries[participant["library"]] if "library" in participant else None,
            )
            for spec in specs
            for participant in spec["participants"]
        ),
        ("meeting_id", "person_id"),
        result,
    )
    attendances = []
    for spec in specs:
        meeting = meetings[spec["key"]]
        organiser = users[spec["organiser"]]
        zone = ZoneInfo(provinces[spec["province"]].time_zone)
        for participant in spec["participants"]:
            participation = participations[(meeting.pk, people[participant["person"]].pk)]
            self_checkin = participant.get("self_checkin", False)
            for day, checkin in zip(meeting.days, participant["checkins"], strict=True):
                if not checkin:
                    continue
                attendances.append(
                    Attendance(
                        participation=participation,
                        day=day,
                        checked_in_at=dt.datetime.combine(day, _time(checkin), tzinfo=zone),
                        method=Attendance.Method.SELF if self_checkin else Attendance.Method.MANUAL,
                        recorded_by=None if self_checkin else organiser,
                    )
                )
    ensure(Attendance, attendances, ("participation_id", "day"), result)
    return meetings


def _load_rtl_and_awards(
    specs: list[Spec],
    meetings: dict[str, Meeting],
    provinces: dict[str, Province],
    users: dict[str, User],
    libraries: dict[str, Library],
    result: DemoResult,
) -> None:
    rows = [
        RtlAction(
            **fields(rtl, skip=("library", "follow_ups")),
            meeting=meetings[spec["key"]],
            library=libraries[rtl["library"]],
            order=order,
        )
        for spec in specs
        for order, rtl in enumerate(spec.get("rtl", ()), start=1)
    ]
    saved = ensure(RtlAction, rows, ("meeting_id", "library_id", "activity"), result)
    # The checks the file tells (later ones, recorded by the organiser), then each row's missing checks at 1,
    # 3 and 6 months; the first tells the row's progress news, if it has any.
    checks = []
    for spec in specs:
        meeting = meetings[spec["key"]]
        zone = ZoneInfo(provinces[spec["province"]].time_zone)
        for rtl in spec.get("rtl", ()):
            action = saved[(meeting.pk, libraries[rtl["library"]].pk, rtl["activity"])]
            checks += [
                RtlFollowUp(
                    **fields(check, skip=("recorded_on",)),
                    rtl_action=action,
                    due_date=follow_up_due(meeting, check["month"]),
                    recorded_by=users[spec["organiser"]],
                    recorded_at=dt.datetime.combine(check["recorded_on"], dt.time(12), zone),
                )
                for check in rtl.get("follow_ups", ())
            ]
    ensure(RtlFollowUp, checks, ("rtl_action_id", "month"), result)
    if added := create_follow_ups(actions=saved.values(), from_progress=True):
        result.created["meetings.RtlFollowUp"] += added
    ensure(
        Award,
        (
            Award(
                **fields(award, skip=("library",)),
                province_id=meetings[spec["key"]].province_id,
                year=meetings[spec["key"]].year,
                library=libraries[award["library"]],
                meeting=meetings[spec["key"]],
            )
            for spec in specs
            for award in spec.get("award", ())
        ),
        ("province_id", "year", "category", "rank"),
        result,
    )
