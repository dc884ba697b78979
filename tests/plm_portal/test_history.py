"""Audit history: who changed what, when and from where, recorded by portal views, imports and the admin, and
shown on the "Riwayat" pages to national staff only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from libraries.models import ImportJob, Library, Person
from meetings.models import Participation
from plm_portal.models import User
from tests.factories import (
    AttendanceFactory,
    LibraryFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
)
from tests.libraries.registry_import_helpers import (
    apply,
    check,
    csv_bytes,
    person_row,
    uploaded_job,
)
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


@pytest.fixture
def world(scenario):
    s = scenario
    s.library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=s.kota_jambi)
    s.rina = PersonFactory(
        province=s.jambi,
        full_name="Rina Marlina",
        phone="+6281234567890",
        email="rina@example.id",
        position="Pustakawan",
        home_library=s.library,
    )
    return s


def person_data(person: Person, **changes) -> dict:
    data = {
        "full_name": person.full_name,
        "gender": person.gender,
        "phone": person.phone,
        "email": person.email,
        "position": person.position,
        "institution": person.institution,
        "province": person.province_id,
        "home_library": person.home_library_id or "",
    }
    data.update(changes)
    return data


# --- recording ----------------------------------------------------------------------------------------


def test_history_person_edit_through_portal_records_user_fields_and_address(world):
    client = world.client_for("officer")

    response = client.post(
        reverse("libraries:person_edit", args=[world.rina.pk]),
        person_data(world.rina, position="Kepala Perpustakaan"),
        REMOTE_ADDR=ADDRESS,
    )

    assert response.status_code == 302
    latest = world.rina.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == world.users["officer"]
    assert latest.ip_address == ADDRESS
    delta = latest.diff_against(latest.prev_record)
    changed = {change.field: (change.old, change.new) for change in delta.changes}
    assert changed["position"] == ("Pustakawan", "Kepala Perpustakaan")


def test_history_user_sign_in_alone_records_nothing_and_password_is_not_kept(world):
    user = world.users["officer"]
    before = user.history.count()

    Client().post(
        reverse("account_login"), {"login": user.email, "password": "wrong-password"}
    )  # a failed try changes nothing
    user.last_login = None
    user.save(update_fields=["last_login"])

    assert user.history.count() == before
    field_names = {field.name for field in User.history.model._meta.get_fields()}
    assert "password" not in field_names
    assert "last_login" not in field_names


def test_history_meeting_checkin_token_is_not_kept(world):
    field_names = {field.name for field in world.meeting.history.model._meta.get_fields()}

    assert "checkin_token" not in field_names


def test_history_registry_import_records_every_row_with_the_importing_user(
    world, django_capture_on_commit_callbacks
):
    rows = [person_row(n) for n in range(1, 8)]
    client = world.client_for("officer")
    job = uploaded_job(client, "people", "orang.csv", csv_bytes(rows))
    check(client, job, django_capture_on_commit_callbacks)
    before = Person.history.count()

    apply(client, job, django_capture_on_commit_callbacks)

    assert job.status == ImportJob.Status.APPLIED
    made = Person.history.filter(history_id__gt=0).order_by("-history_id")[: len(rows)]
    assert Person.history.count() - before == len(rows)
    assert {(h.history_type, h.history_user_id) for h in made} == {("+", world.users["officer"].pk)}
    assert {h.history_change_reason for h in made} == {f"Impor registri #{job.pk}"}
    assert {h.full_name for h in made} == {f"Orang Impor {n}" for n in range(1, 8)}


def test_history_registry_import_update_records_the_change(
    world, django_capture_on_commit_callbacks
):
    PersonFactory(province=world.jambi, full_name="Lama", phone="+6281270000001", position="")
    client = world.client_for("officer")
    job = uploaded_job(client, "people", "orang.csv", csv_bytes([person_row(1)]))
    check(client, job, django_capture_on_commit_callbacks)

    apply(client, job, django_capture_on_commit_callbacks)

    person = Person.objects.get(phone="+6281270000001")
    latest = person.history.first()
    assert (latest.history_type, latest.history_user_id) == ("~", world.users["officer"].pk)
    assert latest.full_name == person.full_name


def test_history_agenda_reorder_is_recorded(world):
    from meetings.services.agenda import move_session

    first = SessionFactory(meeting=world.meeting, order=0, title="Pembukaan")
    second = SessionFactory(meeting=world.meeting, order=1, title="Diskusi")

    move_session(session=second, direction="up", by=world.users["officer"])

    assert [(h.history_type, h.order) for h in first.history.all()[:1]] == [("~", 1)]
    assert [(h.history_type, h.order) for h in second.history.all()[:1]] == [("~", 0)]


# --- admin ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "factory_attr"),
    [
        ("libraries_person", "rina"),
        ("libraries_library", "library"),
        ("meetings_meeting", "meeting"),
    ],
)
def test_history_admin_history_page_loads(world, admin_client, name, factory_attr):
    obj = getattr(world, factory_attr)

    response = admin_client.get(reverse(f"admin:{name}_history", args=[obj.pk]))

    assert response.status_code == 200


# --- Riwayat pages -------------------------------------------------------------------------------------


def history_urls(world) -> list[str]:
    return [
        reverse("meetings:meeting_history", args=[world.meeting.pk]),
        reverse("libraries:library_history", args=[world.library.pk]),
        reverse("libraries:person_history", args=[world.rina.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_history_pages_national_only(world, role):
    statuses = {world.client_for(role).get(url).status_code for url in history_urls(world)}

    expected = {"national": {200}, "anonymous": {302}}.get(role, {404})
    assert statuses == expected


def test_history_person_page_shows_who_what_and_address(world):
    world.client_for("officer").post(
        reverse("libraries:person_edit", args=[world.rina.pk]),
        person_data(world.rina, phone="0812 9999 0000"),
        REMOTE_ADDR=ADDRESS,
    )

    response = world.client_for("national").get(
        reverse("libraries:person_history", args=[world.rina.pk])
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "jambi@example.test" in body
    assert ADDRESS in body
    assert "+6281234567890" in body and "+6281299990000" in body  # old → new, national staff only


def test_history_links_shown_to_national_staff_only(world):
    urls = history_urls(world)
    pages = [
        reverse("meetings:meeting_detail", args=[world.meeting.pk]),
        reverse("libraries:library_detail", args=[world.library.pk]),
        reverse("libraries:person_detail", args=[world.rina.pk]),
    ]

    national = [world.client_for("national").get(page).content.decode() for page in pages]
    officer = [world.client_for("officer").get(page).content.decode() for page in pages]

    assert [url in body for url, body in zip(urls, national, strict=True)] == [True] * 3
    assert [url in body for url, body in zip(urls, officer, strict=True)] == [False] * 3


def _meeting_rows(world, count: int) -> None:
    for n in range(count):
        person = PersonFactory(province=world.jambi, full_name=f"Peserta {n}", phone="")
        participation = ParticipationFactory(meeting=world.meeting, person=person)
        AttendanceFactory(participation=participation, day=world.meeting.start_date)
        SessionFactory(meeting=world.meeting, title=f"Sesi {n}")
        participation.notes = "diubah"
        participation.save()


@pytest.mark.parametrize("count", [1, 3])
def test_history_meeting_page_query_count_is_bounded(world, count, django_assert_num_queries):
    _meeting_rows(world, count)
    client = world.client_for("national")
    url = reverse("meetings:meeting_history", args=[world.meeting.pk])

    with django_assert_num_queries(11):  # session, user, meeting, count, page, rows, names
        response = client.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Peserta 0" in body  # participants and attendance named by their person
    assert "Sesi 0" in body


def test_history_meeting_page_paginates_newest_first(world):
    _meeting_rows(
        world, 15
    )  # the meeting's row, then 4 rows each: participation (+, ~), attendance, session
    client = world.client_for("national")
    url = reverse("meetings:meeting_history", args=[world.meeting.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    entries = first.context["entries"]
    assert len(entries) == 50
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    assert first.context["page"].paginator.count == 1 + 15 * 4
    assert len(second.context["entries"]) == 11
    participation_change = next(e for e in entries if e.action == "diubah")
    assert [(c.old, c.new) for c in participation_change.changes] == [("—", "diubah")]


def test_history_participant_import_records_people_and_participations(world):
    from meetings.importing.files import parse_text
    from meetings.services.participant_import import import_participants

    text = "No;Nama;Peran\n1;Ani Impor;Panitia\n"

    import_participants(meeting=world.meeting, rows=parse_text(text), by=world.users["officer"])

    participation = Participation.objects.get(meeting=world.meeting, person__full_name="Ani Impor")
    assert participation.history.first().history_user == world.users["officer"]
    assert participation.person.history.first().history_change_reason == "Impor daftar peserta"


def test_history_library_delete_keeps_a_row(world):
    library = LibraryFactory(name="Perpustakaan Sementara", regency=world.kota_jambi)
    pk = library.pk

    library.delete()

    assert Library.history.filter(id=pk).first().history_type == "-"


def test_history_records_the_forwarded_client_behind_a_trusted_proxy(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    world.client_for("officer").post(
        reverse("libraries:person_edit", args=[world.rina.pk]),
        person_data(world.rina, position="Pengelola"),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"198.51.100.1, {ADDRESS}",
    )

    assert world.rina.history.first().ip_address == ADDRESS
