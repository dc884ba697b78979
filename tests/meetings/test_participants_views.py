"""The participants tab: the list, adding people by search or as new people, changing and removing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from libraries.models import Library, Person
from libraries.selectors import MIN_SEARCH_LENGTH
from meetings.models import Attendance, Participation
from meetings.services.participants import (
    add_participant,
    remove_participation,
    update_participation,
)
from tests.factories import (
    AttendanceFactory,
    LibraryFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    RegencyFactory,
)
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

Role = Participation.Role

# Reading the list: whoever sees the meeting. Changing it: national staff and the province's officer.
READ_STATUS = {
    "national": 200,
    "officer": 200,
    "other_officer": 404,
    "facilitator": 200,
    "other_facilitator": 404,
    "anonymous": 302,
}
WRITE_GET_STATUS = READ_STATUS | {"facilitator": 403}
WRITE_POST_STATUS = WRITE_GET_STATUS | {"national": 302, "officer": 302}
ALLOWED = {"national", "officer"}


@pytest.fixture
def place(scenario):
    """Libraries of Jambi and Riau, and people of both provinces."""

    class Place:
        pass

    p = Place()
    p.kota_library = LibraryFactory(
        regency=scenario.kota_jambi, name="Dinas Perpustakaan Kota Jambi"
    )
    p.other_jambi_library = LibraryFactory(
        regency=RegencyFactory(province=scenario.jambi, code="15.05", name="Muaro Jambi"),
        name="Dinas Perpustakaan Kabupaten Muaro Jambi",
    )
    riau_regency = RegencyFactory(province=scenario.riau, code="14.71", name="Kota Pekanbaru")
    p.riau_library = LibraryFactory(regency=riau_regency, name="Dinas Perpustakaan Kota Pekanbaru")
    p.siti = PersonFactory(
        province=scenario.jambi,
        full_name="Siti Rahmawati",
        phone="+6281234561111",
        email="siti@example.id",
        position="Pustakawan",
        home_library=p.kota_library,
    )
    p.budi = PersonFactory(
        province=scenario.jambi, full_name="Budi Santoso", phone="+6281234562222"
    )
    # Same first name in another province: must never show up for a Jambi meeting.
    p.riau_siti = PersonFactory(
        province=scenario.riau,
        full_name="Siti Riau Nurhaliza",
        phone="+6281299998888",
        email="siti.riau@example.id",
        home_library=p.riau_library,
    )
    return p


def state() -> tuple:
    """Everything a refused write must leave as it was."""
    return (
        list(
            Participation.objects.order_by("pk").values_list(
                "pk", "meeting_id", "person_id", "role", "library_id"
            )
        ),
        list(Person.objects.order_by("pk").values_list("pk", "full_name", "phone", "email")),
        Attendance.objects.count(),
    )


def url(name: str, meeting, *args) -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


# --- the list ---------------------------------------------------------------------------------------------


def test_participants_list_groups_people_as_on_attendance_list(scenario, place):
    meeting = scenario.meeting
    siti = ParticipationFactory(
        meeting=meeting, person=place.siti, role=Role.REGENCY_OFFICE, library=place.kota_library
    )
    ParticipationFactory(
        meeting=meeting, person__full_name="Master Trainer Andi", role=Role.MASTER_TRAINER
    )
    ParticipationFactory(meeting=meeting, person__full_name="Panitia Rina", role=Role.COMMITTEE)
    AttendanceFactory(participation=siti)

    response = scenario.client_for("officer").get(url("participants", meeting))

    assert response.status_code == 200
    groups = {
        g["key"]: ([p.person.full_name for p in g["rows"]], g["total"])
        for g in response.context["groups"]
    }
    assert groups == {
        "peserta": (["Siti Rahmawati"], 1),
        "fasilitator": (["Master Trainer Andi"], 1),
        "panitia": (["Panitia Rina"], 1),
    }
    body = response.content.decode()
    assert "+6281234561111" in body
    assert "Dinas Perpustakaan Kota Jambi" in body
    assert "Pustakawan" in body


@pytest.mark.parametrize("role", ROLES)
def test_participants_list_role_matrix(scenario, place, role):
    ParticipationFactory(meeting=scenario.meeting, person=place.siti)

    response = scenario.client_for(role).get(url("participants", scenario.meeting))

    assert response.status_code == READ_STATUS[role]
    if response.status_code == 200:
        assert "Siti Rahmawati" in response.content.decode()
        # Only those who may change the meeting get the buttons that change it.
        assert ("Impor daftar" in response.content.decode()) == (role in ALLOWED)


@pytest.mark.parametrize("rows", [1, 3])
def test_participants_list_query_count_does_not_grow_with_rows(
    scenario, django_assert_num_queries, rows
):
    for _ in range(rows):
        participation = ParticipationFactory(
            meeting=scenario.meeting,
            library=LibraryFactory(regency=scenario.kota_jambi),
            person__home_library=LibraryFactory(regency=scenario.kota_jambi),
        )
        AttendanceFactory(participation=participation)
    client = scenario.client_for("officer")

    # session, user, meeting, counts per role, count of the list, the page's participations
    with django_assert_num_queries(6):
        response = client.get(url("participants", scenario.meeting))

    assert response.status_code == 200
    assert response.content.decode().count('class="cell-name"') == rows


def test_participants_list_is_paginated_block_by_block_numbering_on(scenario):
    from meetings.views.participants import PAGE_SIZE
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(province=scenario.jambi)
    for n in range(PAGE_SIZE + 5):  # 4 committee, PAGE_SIZE + 1 participants
        ParticipationFactory(
            meeting=meeting,
            role=Participation.Role.COMMITTEE if n < 4 else Participation.Role.VILLAGE_LIBRARY,
            person__full_name=f"Orang {n:03d}",
        )
    client = scenario.client_for("officer")

    first = client.get(url("participants", meeting))
    second = client.get(url("participants", meeting), {"page": 2})

    assert [g["key"] for g in first.context["groups"]] == ["peserta"]
    assert len(first.context["groups"][0]["rows"]) == PAGE_SIZE
    assert first.context["groups"][0]["total"] == PAGE_SIZE + 1
    assert 'aria-label="Halaman daftar peserta"' in first.content.decode()
    # page 2: the last participant, numbered on from page 1, then the committee from 1
    groups = {g["key"]: g["rows"] for g in second.context["groups"]}
    assert [p.number for p in groups["peserta"]] == [PAGE_SIZE + 1]
    assert [p.number for p in groups["panitia"]] == [1, 2, 3, 4]
    assert [p.person.full_name for p in groups["panitia"]] == [f"Orang {n:03d}" for n in range(4)]


def test_participants_list_filters_by_text_and_group_as_htmx_partial(scenario, place):
    ParticipationFactory(meeting=scenario.meeting, person=place.siti, role=Role.VILLAGE_LIBRARY)
    ParticipationFactory(meeting=scenario.meeting, person=place.budi, role=Role.COMMITTEE)
    client = scenario.client_for("officer")

    by_name = client.get(
        url("participants", scenario.meeting), {"q": "siti"}, HTTP_HX_REQUEST="true"
    )
    by_group = client.get(url("participants", scenario.meeting), {"group": "panitia"})
    by_phone = client.get(url("participants", scenario.meeting), {"q": "0812-3456-2222"})

    body = by_name.content.decode()
    assert "<html" not in body
    assert "Siti Rahmawati" in body and "Budi Santoso" not in body
    assert [g["key"] for g in by_group.context["groups"]] == ["panitia"]
    assert "Budi Santoso" in by_group.content.decode()
    assert "Siti Rahmawati" not in by_group.content.decode().split('id="participant-list"')[1]
    assert [p.person.full_name for g in by_phone.context["groups"] for p in g["rows"]] == [
        "Budi Santoso"
    ]


def test_participants_list_unknown_group_is_ignored_not_an_error(scenario, place):
    ParticipationFactory(meeting=scenario.meeting, person=place.siti)

    response = scenario.client_for("officer").get(
        url("participants", scenario.meeting), {"group": "<script>"}
    )

    assert response.status_code == 200
    assert len(response.context["groups"]) == 3


# --- search -----------------------------------------------------------------------------------------------


def test_search_finds_province_people_with_last_phone_digits_only(scenario, place):
    response = scenario.client_for("officer").get(
        url("participants_search", scenario.meeting), {"q": "siti"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Siti Rahmawati" in body
    assert "…1111" in body
    assert "+6281234561111" not in body and "81234561111" not in body
    assert "siti@example.id" not in body
    assert "Pustakawan" in body and "Dinas Perpustakaan Kota Jambi" in body


@pytest.mark.parametrize("role", ["national", "officer"])
def test_search_never_returns_another_provinces_people(scenario, place, role):
    client = scenario.client_for(role)

    responses = [
        client.get(url("participants_search", scenario.meeting), {"q": q}, HTTP_HX_REQUEST="true")
        for q in ("siti", "Siti R", "8888", "@example.id")
    ]

    for response in responses:
        body = response.content.decode()
        assert response.status_code == 200
        assert "Nurhaliza" not in body
        assert "Riau" not in body
        assert {p.province_id for p in response.context["people"]} <= {scenario.jambi.pk}
    assert [p.full_name for p in responses[1].context["people"]] == ["Siti Rahmawati"]


def test_search_excludes_people_already_in_meeting(scenario, place):
    ParticipationFactory(meeting=scenario.meeting, person=place.siti)

    response = scenario.client_for("officer").get(
        url("participants_search", scenario.meeting), {"q": "siti"}, HTTP_HX_REQUEST="true"
    )

    assert response.context["people"] == []
    assert "Siti Rahmawati" not in response.content.decode()


def test_search_by_last_four_phone_digits(scenario, place):
    response = scenario.client_for("officer").get(
        url("participants_search", scenario.meeting), {"q": "2222"}
    )

    assert [p.full_name for p in response.context["people"]] == ["Budi Santoso"]
    assert "<html" in response.content.decode()  # without htmx: a whole page


def test_search_short_query_returns_nothing(scenario, place):
    response = scenario.client_for("officer").get(
        url("participants_search", scenario.meeting), {"q": "s"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response.context["people"] == []


def test_search_two_letters_returns_nothing_as_everywhere_people_are_searched(scenario, place):
    response = scenario.client_for("officer").get(
        url("participants_search", scenario.meeting), {"q": "si"}, HTTP_HX_REQUEST="true"
    )

    assert (response.context["people"], response.context["searched"]) == ([], False)
    assert response.context["min_length"] == MIN_SEARCH_LENGTH == 3


def test_participants_list_and_search_vary_on_htmx(scenario, place):
    client = scenario.client_for("officer")

    responses = [
        client.get(url("participants", scenario.meeting)),
        client.get(url("participants_search", scenario.meeting), {"q": "siti"}),
    ]

    assert [r.headers["Vary"].count("HX-Request") for r in responses] == [1, 1]


@pytest.mark.parametrize("role", ROLES)
def test_search_role_matrix(scenario, place, role):
    response = scenario.client_for(role).get(
        url("participants_search", scenario.meeting), {"q": "siti"}
    )

    assert response.status_code == WRITE_GET_STATUS[role]
    assert ("Siti Rahmawati" in response.content.decode()) == (role in ALLOWED)


@pytest.mark.parametrize("rows", [1, 3])
def test_search_query_count_does_not_grow_with_results(scenario, django_assert_num_queries, rows):
    for n in range(rows):
        PersonFactory(
            province=scenario.jambi,
            full_name=f"Ani {n}",
            home_library=LibraryFactory(regency=scenario.kota_jambi),
        )
    client = scenario.client_for("officer")

    # session, user, meeting, libraries named "ani" (one per word), people
    with django_assert_num_queries(5):
        response = client.get(
            url("participants_search", scenario.meeting), {"q": "ani"}, HTTP_HX_REQUEST="true"
        )

    assert len(response.context["people"]) == rows


# --- adding an existing person ---------------------------------------------------------------------------


def test_add_pick_form_preselects_role_and_library_from_home_library(scenario, place):
    response = scenario.client_for("officer").get(
        url("participants_add", scenario.meeting), {"person": place.siti.pk}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["role"].value(), form["library"].value()) == (
        Role.REGENCY_OFFICE,
        place.kota_library.pk,
    )
    assert "<html" not in response.content.decode()


def test_add_pick_form_for_another_provinces_person_is_not_found(scenario, place):
    response = scenario.client_for("national").get(
        url("participants_add", scenario.meeting), {"person": place.riau_siti.pk}
    )

    assert response.status_code == 404


def test_add_existing_person_creates_participation(scenario, place):
    response = scenario.client_for("officer").post(
        url("participants_add", scenario.meeting),
        {"person": place.siti.pk, "role": Role.VILLAGE_LIBRARY, "library": place.kota_library.pk},
    )

    assert response.status_code == 302
    assert response["Location"] == url("participants", scenario.meeting)
    assert list(scenario.meeting.participations.values_list("person_id", "role", "library_id")) == [
        (place.siti.pk, Role.VILLAGE_LIBRARY, place.kota_library.pk)
    ]


@pytest.mark.parametrize("role", ROLES)
def test_add_existing_person_role_matrix(scenario, place, role):
    before = state()

    response = scenario.client_for(role).post(
        url("participants_add", scenario.meeting), {"person": place.siti.pk, "role": Role.IMPACT}
    )

    assert response.status_code == WRITE_POST_STATUS[role]
    if role in ALLOWED:
        assert scenario.meeting.participations.get().person == place.siti
    else:
        assert state() == before


@pytest.mark.parametrize(
    "case", ["other_province_person", "already_in_meeting", "other_province_library", "no_role"]
)
def test_add_existing_person_bad_input_saves_nothing(scenario, place, case):
    ParticipationFactory(meeting=scenario.meeting, person=place.budi)
    data = {"person": place.siti.pk, "role": Role.IMPACT, "library": place.kota_library.pk}
    if case == "other_province_person":
        data["person"] = place.riau_siti.pk
    elif case == "already_in_meeting":
        data["person"] = place.budi.pk
    elif case == "other_province_library":
        data["library"] = place.riau_library.pk
    else:
        data["role"] = ""
    before = state()

    response = scenario.client_for("national").post(url("participants_add", scenario.meeting), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="alert alert-danger"' in response.content.decode() or "invalid-feedback" in (
        response.content.decode()
    )
    assert "Nurhaliza" not in response.content.decode()
    assert state() == before


# --- adding a new person ---------------------------------------------------------------------------------


def new_person_data(**changes) -> dict:
    return {
        "full_name": "Dewi  Lestari ",
        "gender": "P",
        "phone": "0812-7777-6666",
        "email": "dewi@example.id",
        "position": "Pengelola perpustakaan desa",
        "institution": "",
        "home_library": "",
        "role": Role.VILLAGE_LIBRARY,
        "library": "",
    } | changes


def test_new_person_is_created_with_normalised_phone_and_added(scenario, place):
    response = scenario.client_for("officer").post(
        url("participants_new", scenario.meeting),
        new_person_data(library=place.kota_library.pk),
    )

    assert response.status_code == 302
    person = Person.objects.get(email="dewi@example.id")
    assert (person.full_name, person.phone, person.province, person.home_library) == (
        "Dewi Lestari",
        "+6281277776666",
        scenario.jambi,
        place.kota_library,
    )
    assert list(scenario.meeting.participations.values_list("person_id", "role", "library_id")) == [
        (person.pk, Role.VILLAGE_LIBRARY, place.kota_library.pk)
    ]


@pytest.mark.parametrize("role", ROLES)
def test_new_person_role_matrix(scenario, place, role):
    before = state()

    response = scenario.client_for(role).post(
        url("participants_new", scenario.meeting), new_person_data()
    )

    assert response.status_code == WRITE_POST_STATUS[role]
    if role in ALLOWED:
        assert Person.objects.filter(email="dewi@example.id", province=scenario.jambi).exists()
    else:
        assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_new_person_form_role_matrix(scenario, role):
    response = scenario.client_for(role).get(url("participants_new", scenario.meeting))

    assert response.status_code == WRITE_GET_STATUS[role]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "Nomor HP tidak valid"),
        ({"email": "bukan-email"}, "email", "email"),
        ({"full_name": ""}, "full_name", "tidak boleh kosong"),
        ({"role": "raja"}, "role", "Pilih"),
    ],
)
def test_new_person_bad_input_shows_error_keeps_input_saves_nothing(
    scenario, place, changes, field, message
):
    before = state()

    response = scenario.client_for("officer").post(
        url("participants_new", scenario.meeting), new_person_data(**changes)
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert message.lower() in " ".join(form.errors[field]).lower()
    body = response.content.decode()
    assert 'value="dewi@example.id"' in body or field == "email"
    assert "Pengelola perpustakaan desa" in body
    assert state() == before


def test_new_person_same_phone_warns_and_cannot_be_created_anyway(scenario, place):
    client = scenario.client_for("officer")
    data = new_person_data(phone="0812 3456 1111", email="lain@example.id")
    before = state()

    warned = client.post(url("participants_new", scenario.meeting), data)
    forced = client.post(url("participants_new", scenario.meeting), data | {"create_anyway": "1"})

    body = warned.content.decode()
    assert warned.status_code == 200
    assert "Siti Rahmawati" in body and "nomor HP sama" in body
    assert 'name="create_anyway"' not in body
    assert f'name="use_existing" value="{place.siti.pk}"' in body
    assert forced.status_code == 200
    assert state() == before


def test_new_person_same_email_any_case_warns(scenario, place):
    response = scenario.client_for("officer").post(
        url("participants_new", scenario.meeting),
        new_person_data(phone="", email="SITI@Example.ID"),
    )

    assert [m.person for m in response.context["duplicates"]] == [place.siti]
    assert response.context["duplicates"][0].same_email


def test_new_person_use_existing_adds_existing_person_without_creating(scenario, place):
    data = new_person_data(phone="081234561111", library=place.kota_library.pk)
    people_before = Person.objects.count()

    response = scenario.client_for("officer").post(
        url("participants_new", scenario.meeting), data | {"use_existing": str(place.siti.pk)}
    )

    assert response.status_code == 302
    assert Person.objects.count() == people_before
    assert list(scenario.meeting.participations.values_list("person_id", "role")) == [
        (place.siti.pk, Role.VILLAGE_LIBRARY)
    ]


def test_new_person_use_existing_refuses_a_person_who_is_not_a_match(scenario, place):
    before = state()

    response = scenario.client_for("national").post(
        url("participants_new", scenario.meeting),
        new_person_data() | {"use_existing": str(place.riau_siti.pk)},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Nurhaliza" not in response.content.decode()
    assert state() == before


def test_new_person_same_name_only_can_be_created_anyway(scenario, place):
    client = scenario.client_for("officer")
    data = new_person_data(full_name="siti rahmawati")

    warned = client.post(url("participants_new", scenario.meeting), data)
    created = client.post(url("participants_new", scenario.meeting), data | {"create_anyway": "1"})

    assert 'name="create_anyway"' in warned.content.decode()
    assert created.status_code == 302
    assert (
        Person.objects.filter(province=scenario.jambi, full_name__iexact="siti rahmawati").count()
        == 2
    )


def test_new_person_duplicate_in_other_province_is_no_match(scenario, place):
    response = scenario.client_for("national").post(
        url("participants_new", scenario.meeting),
        new_person_data(phone="081299998888", email="siti.riau@example.id"),
    )

    assert response.status_code == 302
    assert Person.objects.filter(phone="+6281299998888").count() == 2


def test_new_person_library_of_other_province_is_refused(scenario, place):
    before = state()

    response = scenario.client_for("national").post(
        url("participants_new", scenario.meeting),
        new_person_data(library=place.riau_library.pk, home_library=place.riau_library.pk),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"library", "home_library"}
    assert state() == before


# --- changing and removing --------------------------------------------------------------------------------


def test_edit_participation_changes_role_and_library(scenario, place):
    participation = ParticipationFactory(meeting=scenario.meeting, person=place.siti)

    response = scenario.client_for("officer").post(
        url("participants_edit", scenario.meeting, participation.pk),
        {"role": Role.RESOURCE_PERSON, "library": place.other_jambi_library.pk},
    )

    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.role, participation.library) == (
        Role.RESOURCE_PERSON,
        place.other_jambi_library,
    )


@pytest.mark.parametrize("role", ROLES)
def test_edit_participation_role_matrix(scenario, place, role):
    participation = ParticipationFactory(
        meeting=scenario.meeting, person=place.siti, role=Role.IMPACT
    )
    before = state()

    page = scenario.client_for(role).get(
        url("participants_edit", scenario.meeting, participation.pk)
    )
    response = scenario.client_for(role).post(
        url("participants_edit", scenario.meeting, participation.pk), {"role": Role.COMMITTEE}
    )

    assert page.status_code == WRITE_GET_STATUS[role]
    assert response.status_code == WRITE_POST_STATUS[role]
    participation.refresh_from_db()
    if role in ALLOWED:
        assert participation.role == Role.COMMITTEE
    else:
        assert state() == before


def test_edit_participation_bad_input_keeps_row(scenario, place):
    participation = ParticipationFactory(
        meeting=scenario.meeting, person=place.siti, role=Role.IMPACT
    )
    before = state()

    response = scenario.client_for("officer").post(
        url("participants_edit", scenario.meeting, participation.pk),
        {"role": "raja", "library": place.riau_library.pk},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"role", "library"}
    assert state() == before


def test_edit_participation_of_another_meeting_is_not_found(scenario, place):
    riau_meeting = MeetingFactory(province=scenario.riau)
    riau_participation = ParticipationFactory(meeting=riau_meeting, person=place.riau_siti)
    before = state()

    response = scenario.client_for("national").post(
        url("participants_edit", scenario.meeting, riau_participation.pk), {"role": Role.COMMITTEE}
    )

    assert response.status_code == 404
    assert state() == before


def test_remove_confirmation_warns_about_attendance(scenario, place):
    participation = ParticipationFactory(meeting=scenario.meeting, person=place.siti)
    AttendanceFactory(participation=participation)

    response = scenario.client_for("officer").get(
        url("participants_delete", scenario.meeting, participation.pk)
    )

    assert response.status_code == 200
    assert "Catatan kehadirannya ikut dihapus" in response.content.decode()


def test_remove_participation_deletes_it_and_its_attendance_keeps_person(scenario, place):
    participation = ParticipationFactory(meeting=scenario.meeting, person=place.siti)
    AttendanceFactory(participation=participation)

    response = scenario.client_for("officer").post(
        url("participants_delete", scenario.meeting, participation.pk)
    )

    assert response.status_code == 302
    assert not Participation.objects.filter(pk=participation.pk).exists()
    assert Attendance.objects.count() == 0
    assert Person.objects.filter(pk=place.siti.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_remove_participation_role_matrix(scenario, place, role):
    participation = ParticipationFactory(meeting=scenario.meeting, person=place.siti)
    before = state()

    page = scenario.client_for(role).get(
        url("participants_delete", scenario.meeting, participation.pk)
    )
    response = scenario.client_for(role).post(
        url("participants_delete", scenario.meeting, participation.pk)
    )

    assert page.status_code == WRITE_GET_STATUS[role]
    assert response.status_code == WRITE_POST_STATUS[role]
    assert Participation.objects.filter(pk=participation.pk).exists() == (role not in ALLOWED)
    if role not in ALLOWED:
        assert state() == before


def test_library_choices_are_only_the_meetings_province(scenario, place):
    response = scenario.client_for("national").get(url("participants_new", scenario.meeting))

    libraries = set(response.context["form"].fields["library"].queryset)
    assert libraries == set(Library.objects.filter(province=scenario.jambi))
    assert "Pekanbaru" not in response.content.decode()


@pytest.mark.parametrize("role", ["other_officer", "facilitator"])
def test_participant_services_refuse_who_may_not_change_the_meeting(scenario, place, role):
    participation = ParticipationFactory(meeting=scenario.meeting, person=place.siti)
    user = scenario.users[role]
    before = state()

    for write in (
        lambda: add_participant(
            meeting=scenario.meeting, person=place.budi, role=Role.COMMITTEE, library=None, by=user
        ),
        lambda: update_participation(
            participation=participation, role=Role.COMMITTEE, library=None, by=user
        ),
        lambda: remove_participation(participation=participation, by=user),
    ):
        with pytest.raises(PermissionDenied):
            write()

    assert state() == before
