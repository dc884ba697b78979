"""The access walk: every URL pattern, every role, an object of the officer's own and of another province.

The patterns come from the URL resolver (recursively, with namespaces); ``tests/access_walk_cases.py`` says for
each name how to fill its arguments and who may use it. A name missing there fails ``test_every_url_is_listed``.
For every pattern, role, side (own / other province) and method (GET, POST with an empty body) the walk asserts:

- no 5xx and no exception, ever;
- a refused combination answers 403 or 404 (anonymous: a redirect to the sign-in page; a method the view does
  not take: 405) — a 200 there is a failure (a form shown to whom it is not for);
- an allowed combination answers neither 403 nor 404 (unless the table says the object may have no file);
- nothing changed: a fingerprint of every table (rows, hashed) is the same after the request as before, except
  after an allowed POST of a bodiless action (delete, publish, ...); every request runs in a transaction that is
  rolled back, so each case starts from the same world;
- no personal data crossed its scope: a text answer never carries the name of a person the role may not see.

The GET walk runs twice, in production settings (DEBUG off, the test default) and with DEBUG on; the POST walk
in production settings. The number of cases is printed at the end of the run (tests/conftest.py).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_walk_cases import SIGNED_IN, case_for, excluded
from tests.roles import ROLES

# The marker makes pytest-django create the test database; the world itself is built once per module.
pytestmark = pytest.mark.django_db

# Filled as the walk runs; tests/conftest.py prints it in the terminal summary.
WALK_COUNTS: Counter = Counter()

# Tables whose rows may change without anything being changed: sessions (a sign-in page may cycle its key).
UNWATCHED_TABLES = {"django_session", "django_migrations"}
SIDES = ("own", "other")


def url_patterns() -> list[tuple[str, URLPattern, str]]:
    """(name, pattern, route) of every pattern; the name is namespaced, or ``route:<route>`` when it has none."""
    found = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                if pattern.name:
                    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                else:
                    name = f"route:{route}"
                found.append((name, pattern, route))

    walk(get_resolver().url_patterns, "", None)
    return found


def walked_names() -> list[str]:
    names = []
    for name, _pattern, _route in url_patterns():
        if not excluded(name) and name not in names:
            names.append(name)
    return names


# --- the world ------------------------------------------------------------------------------------------


def _province_side(label: str, code: str, name: str, users: dict, officer, facilitator):
    import datetime as dt

    from django.utils import timezone

    from libraries.importing.models import ImportJob
    from programs.models import ActivityPhoto, ImpactStory
    from reports.models import Export, Report
    from tests import factories as f

    province = f.ProvinceFactory(code=code, name=name)
    regency = f.RegencyFactory(province=province, code=f"{code}.71", name=f"Kota {name}")
    library = f.LibraryFactory(regency=regency, name=f"Dinas Perpustakaan Kota {name}")
    meeting = f.MeetingFactory(province=province, venue_regency=regency, title=f"PLM {name}")
    meeting.assigned_facilitators.add(facilitator)
    person = f.PersonFactory(
        province=province, full_name=f"Rahasia {label} Peserta", phone=f"+6281{code}0000001"
    )
    outsider = f.PersonFactory(
        province=province, full_name=f"Rahasia {label} Warga", phone=f"+6281{code}0000002"
    )
    participation = f.ParticipationFactory(meeting=meeting, person=person, library=library)
    f.AttendanceFactory(participation=participation)
    session = f.SessionFactory(meeting=meeting)
    rtl = f.RtlActionFactory(meeting=meeting, library=library)
    award = f.AwardFactory(province=province, library=library)
    enrollment = f.EnrollmentFactory(library=library)
    activity = f.ActivityFactory(library=library)
    photo = ActivityPhoto.objects.create(
        activity=activity, image=f"activities/none-{code}.jpg", width=1, height=1
    )
    story = f.ImpactStoryFactory(
        library=library,
        person=outsider,
        anonymous=True,
        consent_given=True,
        consent_date=dt.date(2022, 10, 1),
        consent_method=ImpactStory.ConsentMethod.WRITTEN,
        status=ImpactStory.Status.PUBLISHED,
        created_by=officer,
        verified_by=officer,
        verified_at=timezone.now(),
        published_by=users["national"],
        published_at=timezone.now(),
    )
    # Ready, with a file name the storage does not hold: the download answers 404 to whom may see it.
    report = f.ReportFactory(
        meeting=meeting, status=Report.Status.READY, file=f"reports/none-{code}.pdf"
    )
    export = Export.objects.create(
        requested_by=officer,
        dataset=Export.Dataset.PEOPLE,
        fingerprint=f"{int(code):064x}",
        status=Export.Status.READY,
        rows_done=1,
        rows_total=1,
        file=f"exports/none-{code}.xlsx",
    )
    import_job = ImportJob.objects.create(
        kind=ImportJob.Kind.PEOPLE,
        province=province,
        created_by=officer,
        file=f"imports/none-{code}.csv",
        original_name="orang.csv",
    )
    return SimpleNamespace(
        province=province,
        regency=regency,
        library=library,
        meeting=meeting,
        person=person,
        outsider=outsider,
        participation=participation,
        session=session,
        rtl=rtl,
        award=award,
        enrollment=enrollment,
        activity=activity,
        photo=photo,
        story=story,
        report=report,
        export=export,
        import_job=import_job,
        user=officer,
    )


def build_world() -> SimpleNamespace:
    from libraries.models import Person
    from libraries.selectors import people_visible_to
    from tests import factories as f

    users = {
        # A superuser, so that the Django admin's model lists open to national staff as in production.
        "national": f.NationalUserFactory(
            email="nasional@example.test", full_name="Staf Nasional", is_superuser=True
        ),
        "officer": f.UserFactory(
            email="jambi@example.test", full_name="Petugas Jambi", province=f.ProvinceFactory()
        ),
        "other_officer": f.UserFactory(
            email="riau@example.test",
            full_name="Petugas Riau",
            province=f.ProvinceFactory(code="14", name="Riau"),
        ),
        "facilitator": f.FacilitatorUserFactory(
            email="fasilitator@example.test", full_name="Fasilitator Jambi"
        ),
        "other_facilitator": f.FacilitatorUserFactory(
            email="lain@example.test", full_name="Fasilitator Riau"
        ),
        "anonymous": None,
    }
    own = _province_side("Jambi", "15", "Jambi", users, users["officer"], users["facilitator"])
    other = _province_side(
        "Riau", "14", "Riau", users, users["other_officer"], users["other_facilitator"]
    )
    cookies = {}
    for role, user in users.items():
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    everyone = set(Person.objects.values_list("full_name", flat=True))
    hidden = {"anonymous": everyone}
    for role in SIGNED_IN:
        seen = set(people_visible_to(users[role]).values_list("full_name", flat=True))
        hidden[role] = everyone - seen
    world = SimpleNamespace(users=users, own=own, other=other, cookies=cookies, hidden=hidden)
    world.side = lambda side: own if side in ("own", "none") else other
    return world


def fingerprint() -> dict[str, str]:
    """A hash of every row of every watched table: any insert, update or delete changes it."""
    prints = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in UNWATCHED_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            prints[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return prints


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole module, built in a transaction rolled back at the end (other modules never
    see it); each case runs in a nested transaction rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
            built.baseline = fingerprint()
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def walk_db(world, db):
    return world


# --- one case -------------------------------------------------------------------------------------------


def _client(world, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.cookies[role]
    return client


def _body_text(response) -> str:
    if getattr(response, "streaming", False):
        if "text" not in response.get("Content-Type", ""):
            return ""
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    if "text" not in response.get("Content-Type", "") and "json" not in response.get(
        "Content-Type", ""
    ):
        return ""
    return response.content.decode("utf-8", "replace")


def run_case(world, name: str, case, role: str, side: str, method: str, query: str) -> str | None:
    """Send one request; the failure's description, or None when everything held."""
    kwargs = case.kwargs(world, side)
    url = (
        reverse(name.removeprefix("route:"), kwargs=kwargs)
        if not name.startswith("route:")
        else ("/" + name.removeprefix("route:"))
    )
    url += query
    label = f"{method} {url} [{name}] as {role} ({side} province object)"
    allowed = case.policy(role, side if side != "none" else "own", query)
    accepted = method in case.methods
    with transaction.atomic():
        try:
            client = _client(world, role)
            response = client.get(url) if method == "GET" else client.post(url, {})
            status = response.status_code
            text = _body_text(response) if status == 200 else ""
        except Exception as error:
            transaction.set_rollback(True)
            return f"{label}: raised {type(error).__name__}: {error}"[:600]
        changed = sorted(
            table for table, value in fingerprint().items() if world.baseline.get(table) != value
        )
        transaction.set_rollback(True)
    location = response.get("Location", "")
    if status >= 500:
        return f"{label}: answered {status} (5xx)"
    may_change = allowed and accepted and method == "POST" and case.acts
    if changed and not may_change:
        return f"{label}: answered {status} and changed rows in {changed}"
    leaked = sorted(person for person in world.hidden[role] if person in text)
    if leaked:
        return f"{label}: answered {status} showing people outside the role's scope: {leaked}"
    to_login = status == 302 and "login" in location
    if not allowed:
        if role == "anonymous" and to_login:
            return None
        if case.denied_redirect_ok and to_login:
            return None
        if status in (403, 404, 405):
            return None
        return f"{label}: refused combination answered {status} {location}".rstrip()
    if not accepted:
        if status == 405 or (role == "anonymous" and to_login):
            return None
        return f"{label}: method not taken by the view answered {status}, expected 405"
    if status == 403 or (status == 404 and not case.may_404):
        return f"{label}: allowed combination answered {status}"
    return None


def walk_name(world, name: str, methods: tuple[str, ...], mode: str) -> list[str]:
    case = case_for(name)
    assert case is not None, (
        f"new URL {name!r}: list it in the access walk (tests/access_walk_cases.py)"
    )
    sides = SIDES if case.with_sides else ("none",)
    failures = []
    for role in ROLES:
        for side in sides:
            for method in methods:
                for query in case.queries_for(world, side):
                    WALK_COUNTS[mode] += 1
                    failure = run_case(world, name, case, role, side, method, query)
                    if failure:
                        failures.append(failure)
    return failures


# --- the tests ------------------------------------------------------------------------------------------

NAMES = walked_names()


def test_every_url_is_listed():
    """A URL the walk does not know fails the run until it is listed (with its arguments and its policy)."""
    missing = [name for name in NAMES if case_for(name) is None]
    assert not missing, (
        "new URL(s): list them in the access walk (tests/access_walk_cases.py CASES): "
        + ", ".join(missing)
    )


@pytest.mark.parametrize("name", NAMES)
def test_walk_production(walk_db, name, settings):
    """DEBUG off (production settings): GET and an empty POST for every role and side."""
    settings.DEBUG = False
    failures = walk_name(walk_db, name, ("GET", "POST"), "production (DEBUG off), GET+POST")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", NAMES)
def test_walk_debug(walk_db, name, settings):
    """DEBUG on: the GET walk again (debug pages must not open what production keeps closed)."""
    settings.DEBUG = True
    failures = walk_name(walk_db, name, ("GET",), "DEBUG on, GET")
    assert not failures, "\n".join(failures)


def test_story_detail_when_its_publisher_account_is_gone(walk_db):
    """Found by the walk: the editor's page of a published story answers 500 when ``published_by`` is empty
    (the column is SET_NULL: deleting the national account that published it). Same for ``verified_by``."""
    from programs.models import ImpactStory

    story = walk_db.own.story
    ImpactStory.objects.filter(pk=story.pk).update(published_by=None, verified_by=None)
    client = _client(walk_db, "officer")
    url = reverse("programs:story_detail", kwargs={"pk": story.pk})
    try:
        status = client.get(url).status_code
    except Exception as error:
        status = f"500 ({type(error).__name__}: {error})"
    assert status == 200, (
        f"GET {url} as the province's officer, story published/verified by a deleted account: {status} "
        "(templates/programs/story_detail.html: `...|default:story.published_by.email` on None)"
    )
