"""A double tap makes one row: every create form of the meetings carries a one-time key (plm_portal.once).

The same form posted twice in a row, or five times at once, makes one row and every post gets the same
answer; a refused form keeps its key so the corrected form is saved; every rendered form has a key of its own.
The concurrent posts run on the test database when threads can share it (PostgreSQL in CI); the embedded
SQLite default is exercised by tests/meetings/test_sqlite_writers.py in a process of its own.
"""

from __future__ import annotations

import re
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from libraries.models import Person
from meetings.models import Award, Meeting, Participation, RtlAction, Session
from plm_portal import once
from tests.factories import (
    LibraryFactory,
    ParticipationFactory,
    PersonFactory,
    RegencyFactory,
)
from tests.meetings.test_awards_views import add_data as award_data
from tests.meetings.test_awards_views import awarded, libs  # noqa: F401 - fixtures
from tests.meetings.test_meeting_views import _valid_post as meeting_data
from tests.meetings.test_rtl_views import row_data

HX = {"HTTP_HX_REQUEST": "true"}
KEY_INPUT = re.compile(r'name="(?:[\w-]+-)?form_key" value="([0-9a-f]{32})"')


def url(name: str, *args) -> str:
    return reverse(f"meetings:{name}", args=args)


def keys_in(response) -> list[str]:
    return KEY_INPUT.findall(response.content.decode())


def twice(client: Client, path: str, data: dict, capture, **extra) -> tuple:
    """The same form posted twice in a row (the first one's row settled when it commits)."""
    with capture(execute=True):
        first = client.post(path, data, **extra)
    second = client.post(path, data, **extra)
    return first, second


@pytest.fixture
def card_library(scenario):
    library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    ParticipationFactory(meeting=scenario.meeting, library=library)
    return library


# --- in a row -------------------------------------------------------------------------------------------


def test_new_meeting_posted_twice_makes_one_and_same_redirect(
    scenario, django_capture_on_commit_callbacks
):
    client = scenario.client_for("officer")
    key = keys_in(client.get(url("meeting_new")))[0]
    data = meeting_data(form_key=key)

    first, second = twice(client, url("meeting_new"), data, django_capture_on_commit_callbacks)

    meeting = Meeting.objects.get(title="PLM Provinsi Jambi 2023")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == url("meeting_detail", meeting.pk)


def test_new_meeting_without_key_still_saves(scenario):
    """An old page (before the key) or a client without it is served as before."""
    response = scenario.client_for("officer").post(url("meeting_new"), meeting_data())

    assert response.status_code == 302
    assert Meeting.objects.filter(title="PLM Provinsi Jambi 2023").count() == 1


def test_agenda_session_posted_twice_makes_one_same_answer(
    scenario, django_capture_on_commit_callbacks
):
    client = scenario.client_for("officer")
    key = keys_in(client.get(url("agenda_new", scenario.meeting.pk), **HX))[0]
    data = {
        "new-title": "Berbagi pengalaman",
        "new-date": scenario.meeting.start_date.isoformat(),
        "new-start_time": "10:00",
        "new-end_time": "11:00",
        "new-form_key": key,
    }

    first, second = twice(
        client,
        url("agenda_new", scenario.meeting.pk),
        data,
        django_capture_on_commit_callbacks,
        **HX,
    )

    assert Session.objects.filter(meeting=scenario.meeting).count() == 1
    assert first.status_code == second.status_code == 200
    assert first["HX-Retarget"] == second["HX-Retarget"] == "#agenda-list"
    # The next, empty add form has a key of its own.
    assert keys_in(first) and key not in keys_in(first)


def test_agenda_session_without_htmx_twice_same_redirect(
    scenario, django_capture_on_commit_callbacks
):
    client = scenario.client_for("officer")
    data = {
        "new-title": "Berbagi pengalaman",
        "new-date": scenario.meeting.start_date.isoformat(),
        "new-start_time": "10:00",
        "new-end_time": "11:00",
        "new-form_key": uuid.uuid4().hex,
    }

    first, second = twice(
        client, url("agenda_new", scenario.meeting.pk), data, django_capture_on_commit_callbacks
    )

    session = Session.objects.get(meeting=scenario.meeting)
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"#session-{session.pk}")


def test_rtl_row_posted_twice_makes_one(scenario, card_library, django_capture_on_commit_callbacks):
    client = scenario.client_for("officer")
    loaded = client.get(url("rtl_new", scenario.meeting.pk), {"place": card_library.pk}, **HX)
    data = row_data(card_library, form_key=keys_in(loaded)[0])

    first, second = twice(
        client, url("rtl_new", scenario.meeting.pk), data, django_capture_on_commit_callbacks
    )

    action = RtlAction.objects.get(meeting=scenario.meeting)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert f"rtl-row-{action.pk}" in first["Location"]


def test_rtl_row_edit_still_saves(scenario, card_library):
    """The edit form carries the key too; the services get the plan without it."""
    client = scenario.client_for("officer")
    client.post(url("rtl_new", scenario.meeting.pk), row_data(card_library))
    action = RtlAction.objects.get(meeting=scenario.meeting)
    data = row_data(card_library, activity="Kelas menulis", form_key=uuid.uuid4().hex)
    data.pop("place")

    response = client.post(url("rtl_edit", scenario.meeting.pk, action.pk), data)

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.activity == "Kelas menulis"


def test_award_posted_twice_makes_one(awarded, django_capture_on_commit_callbacks):  # noqa: F811
    client = awarded.client_for("officer")
    before = Award.objects.count()
    data = award_data(awarded, form_key=uuid.uuid4().hex)

    first, second = twice(
        client,
        url("awards_new", awarded.meeting.pk),
        data,
        django_capture_on_commit_callbacks,
        **HX,
    )

    assert Award.objects.count() == before + 1
    assert first.status_code == second.status_code == 200
    assert first["HX-Retarget"] == second["HX-Retarget"]


def test_new_participant_without_phone_or_email_twice_makes_one_person(
    scenario, django_capture_on_commit_callbacks
):
    client = scenario.client_for("officer")
    key = keys_in(client.get(url("participants_new", scenario.meeting.pk)))[0]
    data = {
        "full_name": "Sri Wahyuni",
        "gender": "P",
        "phone": "",
        "email": "",
        "position": "Pustakawan",
        "role": Participation.Role.VILLAGE_LIBRARY,
        "form_key": key,
    }

    first, second = twice(
        client,
        url("participants_new", scenario.meeting.pk),
        data,
        django_capture_on_commit_callbacks,
    )

    assert Person.objects.filter(full_name="Sri Wahyuni").count() == 1
    assert scenario.meeting.participations.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_existing_person_added_twice_same_answer(scenario, django_capture_on_commit_callbacks):
    person = PersonFactory(province=scenario.jambi, full_name="Budi Santoso")
    client = scenario.client_for("officer")
    data = {
        "person": person.pk,
        "role": Participation.Role.VILLAGE_LIBRARY,
        "form_key": uuid.uuid4().hex,
    }

    first, second = twice(
        client,
        url("participants_add", scenario.meeting.pk),
        data,
        django_capture_on_commit_callbacks,
    )

    assert scenario.meeting.participations.filter(person=person).count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


# --- keys -----------------------------------------------------------------------------------------------


def test_every_rendered_form_has_a_fresh_key(scenario, card_library):
    person = PersonFactory(province=scenario.jambi, full_name="Budi Santoso")
    client = scenario.client_for("officer")
    pages = [
        client.get(url("meeting_new")),
        client.get(url("meeting_new")),
        client.get(url("agenda_new", scenario.meeting.pk), **HX),
        client.get(url("rtl_new", scenario.meeting.pk), {"place": card_library.pk}, **HX),
        client.get(url("participants_new", scenario.meeting.pk)),
        client.get(url("participants_add", scenario.meeting.pk), {"person": person.pk}),
        client.get(reverse("libraries:library_new")),
        client.get(reverse("libraries:person_new")),
    ]
    keys = [keys_in(page) for page in pages]

    assert all(len(found) == 1 for found in keys), keys
    flat = [found[0] for found in keys]
    assert len(set(flat)) == len(flat)


def test_refused_form_keeps_its_key_and_the_corrected_one_saves(scenario):
    client = scenario.client_for("officer")
    key = uuid.uuid4().hex

    refused = client.post(url("meeting_new"), meeting_data(title="", form_key=key))
    saved = client.post(url("meeting_new"), meeting_data(form_key=key))

    assert refused.status_code == 200
    assert keys_in(refused) == [key]
    assert saved.status_code == 302
    assert Meeting.objects.filter(title="PLM Provinsi Jambi 2023").count() == 1


def test_refused_by_the_service_gives_the_key_back(scenario, card_library):
    """A ValidationError raised while saving (not by the form) releases the key."""
    client = scenario.client_for("officer")
    key = uuid.uuid4().hex
    other = LibraryFactory(
        name="Perpustakaan Riau",
        regency=RegencyFactory(province=scenario.riau, code="14.71", name="Kota Pekanbaru"),
    )
    client.post(
        url("rtl_new", scenario.meeting.pk),
        row_data(card_library, place="new", library=str(other.pk), form_key=key),
    )
    response = client.post(
        url("rtl_new", scenario.meeting.pk), row_data(card_library, form_key=key)
    )

    assert response.status_code == 302
    assert RtlAction.objects.filter(meeting=scenario.meeting).count() == 1


def test_a_post_still_saving_is_said_so(scenario, monkeypatch):
    monkeypatch.setattr(once, "WAIT_SECONDS", 0.1)
    client = scenario.client_for("officer")
    key = uuid.uuid4().hex
    once.claim(f"meeting:{scenario.users['officer'].pk}", key)  # the first tap, not yet committed

    response = client.post(url("meeting_new"), meeting_data(form_key=key))

    assert response.status_code == 200
    assert "Kiriman yang sama sedang disimpan." in response.content.decode()
    assert not Meeting.objects.filter(title="PLM Provinsi Jambi 2023").exists()


# --- at the same time -----------------------------------------------------------------------------------


def at_once(clients: list[Client], path: str, data: dict, **extra) -> list:
    """Every client posts ``data`` to ``path`` at the same moment; the responses (or errors)."""
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def tap(index: int, client: Client) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=30)
            results[index] = client.post(path, data, **extra)
        except Exception as error:  # reported by the caller's assertions
            results[index] = error
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=tap, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def shared_db(transactional_db) -> None:
    """Threads need a database they share as separate connections: not the in-memory SQLite test database
    (tests/meetings/test_sqlite_writers.py runs the embedded SQLite default; CI runs these on PostgreSQL)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the in-memory SQLite test database is not shared by threads")


def officer_clients(scenario, count: int = 5) -> list[Client]:
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(scenario.users["officer"])
        clients.append(client)
    return clients


def test_new_meeting_five_at_once_makes_one(shared_db, scenario):
    data = meeting_data(form_key=uuid.uuid4().hex)

    results = at_once(officer_clients(scenario), url("meeting_new"), data)

    meeting = Meeting.objects.get(title="PLM Provinsi Jambi 2023")
    assert [getattr(r, "status_code", r) for r in results] == [302] * 5
    assert {r["Location"] for r in results} == {url("meeting_detail", meeting.pk)}


def test_new_participant_without_contact_five_at_once_makes_one_person(shared_db, scenario):
    data = {
        "full_name": "Sri Wahyuni",
        "gender": "P",
        "role": Participation.Role.VILLAGE_LIBRARY,
        "form_key": uuid.uuid4().hex,
    }

    results = at_once(officer_clients(scenario), url("participants_new", scenario.meeting.pk), data)

    assert [getattr(r, "status_code", r) for r in results] == [302] * 5
    assert Person.objects.filter(full_name="Sri Wahyuni").count() == 1
    assert scenario.meeting.participations.count() == 1


def test_agenda_and_rtl_five_at_once_make_one_each(shared_db, scenario, card_library):
    clients = officer_clients(scenario)
    session = {
        "new-title": "Berbagi pengalaman",
        "new-date": scenario.meeting.start_date.isoformat(),
        "new-start_time": "10:00",
        "new-end_time": "11:00",
        "new-form_key": uuid.uuid4().hex,
    }
    rtl = row_data(card_library, form_key=uuid.uuid4().hex)

    sessions = at_once(clients, url("agenda_new", scenario.meeting.pk), session, **HX)
    rows = at_once(clients, url("rtl_new", scenario.meeting.pk), rtl)

    assert [getattr(r, "status_code", r) for r in sessions] == [200] * 5
    assert [getattr(r, "status_code", r) for r in rows] == [302] * 5
    assert Session.objects.filter(meeting=scenario.meeting).count() == 1
    assert RtlAction.objects.filter(meeting=scenario.meeting).count() == 1
    assert len({r["Location"] for r in rows}) == 1
