"""People pages: list with search (phone in any format), detail, create and edit; personal data stays in scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from libraries.forms import PersonForm
from libraries.models import Person
from libraries.services import save_person
from libraries.views import _save_with_form
from tests.factories import (
    AttendanceFactory,
    ImpactStoryFactory,
    LibraryFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    RegencyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(scenario):
    """Jambi: Rina (participant of the scenario meeting) and Budi; Riau: Sari."""
    s = scenario
    s.library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=s.kota_jambi)
    s.pekanbaru = RegencyFactory(province=s.riau, code="14.71", name="Kota Pekanbaru")
    s.riau_library = LibraryFactory(name="Dinas Perpustakaan Kota Pekanbaru", regency=s.pekanbaru)
    s.rina = PersonFactory(
        province=s.jambi,
        full_name="Rina Marlina",
        gender="P",
        phone="+6281234567890",
        email="rina@example.id",
        position="Pustakawan",
        home_library=s.library,
    )
    s.budi = PersonFactory(
        province=s.jambi,
        full_name="Budi Santoso",
        gender="L",
        phone="+6285311112222",
        email="budi@example.id",
        position="Kepala Desa",
        institution="Pemerintah Desa Mendalo Darat",
    )
    s.sari = PersonFactory(
        province=s.riau,
        full_name="Sari Riau",
        phone="+6281399998888",
        email="sari@example.id",
        position="Pustakawan",
        home_library=s.riau_library,
    )
    s.participation = ParticipationFactory(meeting=s.meeting, person=s.rina, library=s.library)
    return s


def person_row(pk: int) -> dict:
    return Person.objects.values().get(pk=pk)


def person_data(**changes) -> dict:
    data = {
        "full_name": "Siti Aminah",
        "gender": "P",
        "phone": "0812-7777-6666",
        "email": "siti@example.id",
        "position": "Pengelola perpustakaan desa",
        "institution": "",
        "province": "15",
        "home_library": "",
    }
    data.update(changes)
    return data


def names(response) -> list[str]:
    return [person.full_name for person in response.context["page"].object_list]


# --- list ---------------------------------------------------------------------------------------------


def test_person_list_officer_sees_own_province(world):
    response = world.client_for("officer").get(reverse("libraries:person_list"))

    assert response.status_code == 200
    assert names(response) == ["Budi Santoso", "Rina Marlina"]
    body = response.content.decode()
    assert "+6281234567890" in body
    assert "Dinas Perpustakaan Kota Jambi" in body
    assert "Sari Riau" not in body


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("national", 200, {"Rina Marlina", "Budi Santoso", "Sari Riau"}),
        ("officer", 200, {"Rina Marlina", "Budi Santoso"}),
        ("other_officer", 200, {"Sari Riau"}),
        ("facilitator", 403, set()),
        ("other_facilitator", 403, set()),
        ("anonymous", 302, set()),
    ],
)
def test_person_list_role_matrix(world, role, status, expected):
    response = world.client_for(role).get(reverse("libraries:person_list"))

    assert response.status_code == status
    body = response.content.decode()
    assert {name for name in ("Rina Marlina", "Budi Santoso", "Sari Riau") if name in body} == (
        expected
    )


def test_person_list_nav_link_hidden_for_facilitator(world):
    body = world.client_for("facilitator").get(reverse("libraries:library_list")).content.decode()

    assert f'href="{reverse("libraries:person_list")}"' not in body


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "62812 3456 7890",
        "(0812) 34567890",
        "0062 812 3456 7890",
    ],
)
def test_person_list_search_phone_in_any_format(world, typed):
    response = world.client_for("officer").get(reverse("libraries:person_list"), {"q": typed})

    assert names(response) == ["Rina Marlina"]


@pytest.mark.parametrize("typed", ["7890", "3456 78", "0812 345", "812345"])
def test_person_list_search_partial_phone_digits(world, typed):
    response = world.client_for("officer").get(reverse("libraries:person_list"), {"q": typed})

    assert names(response) == ["Rina Marlina"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("rina", ["Rina Marlina"]),
        ("BUDI@example", ["Budi Santoso"]),
        ("kepala desa", ["Budi Santoso"]),
        ("mendalo", ["Budi Santoso"]),
        ("kota jambi", ["Rina Marlina"]),
        ("pustakawan", ["Rina Marlina"]),
    ],
)
def test_person_list_search_name_email_position_institution_library(world, typed, expected):
    response = world.client_for("officer").get(reverse("libraries:person_list"), {"q": typed})

    assert names(response) == expected


@pytest.mark.parametrize("typed", ["Sari", "0813-9999-8888", "8888", "sari@example", "Pekanbaru"])
def test_person_list_search_never_returns_another_province(world, typed):
    response = world.client_for("officer").get(reverse("libraries:person_list"), {"q": typed})

    body = response.content.decode()
    assert "Sari Riau" not in body
    assert "+6281399998888" not in body
    assert "Belum ada orang yang cocok." in body
    assert "0 orang" in body


def test_person_list_national_filters_by_province(world):
    response = world.client_for("national").get(
        reverse("libraries:person_list"), {"province": "14"}
    )

    assert names(response) == ["Sari Riau"]


def test_person_list_htmx_returns_results_only(world):
    response = world.client_for("officer").get(
        reverse("libraries:person_list"), {"q": "budi"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results" aria-live="polite">')
    assert "<form" not in body
    assert "Budi Santoso" in body
    assert "Rina Marlina" not in body


def test_person_list_paginates_by_25(world):
    PersonFactory.create_batch(30, province=world.jambi)

    response = world.client_for("officer").get(reverse("libraries:person_list"), {"page": 2})

    page = response.context["page"]
    assert (page.number, len(page.object_list), page.paginator.count) == (2, 7, 32)


@pytest.mark.parametrize("rows", [1, 3])
def test_person_list_query_count(scenario, django_assert_num_queries, rows):
    library = LibraryFactory(regency=scenario.kota_jambi)
    PersonFactory.create_batch(rows, province=scenario.jambi, home_library=library)
    client = scenario.client_for("officer")

    # session, user, count, rows, their home libraries
    with django_assert_num_queries(5):
        response = client.get(reverse("libraries:person_list"))

    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_person_list_national_query_count(scenario, django_assert_num_queries, rows):
    PersonFactory.create_batch(rows, province=scenario.jambi)
    client = scenario.client_for("national")

    # session, user, province choices, count, rows
    with django_assert_num_queries(5):
        response = client.get(reverse("libraries:person_list"))

    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_person_list_partial_query_count(scenario, django_assert_num_queries, rows):
    PersonFactory.create_batch(rows, province=scenario.jambi)
    client = scenario.client_for("officer")

    with django_assert_num_queries(4):
        response = client.get(
            reverse("libraries:person_list"), {"q": "0812"}, headers={"HX-Request": "true"}
        )

    assert len(response.context["page"].object_list) == rows


# --- detail -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 200),
        ("other_facilitator", 404),
        ("anonymous", 302),
    ],
)
def test_person_detail_role_matrix(world, role, status):
    response = world.client_for(role).get(reverse("libraries:person_detail", args=[world.rina.pk]))

    assert response.status_code == status


def test_person_detail_facilitator_cannot_see_person_outside_their_meetings(world):
    response = world.client_for("facilitator").get(
        reverse("libraries:person_detail", args=[world.budi.pk])
    )

    assert response.status_code == 404


def test_person_detail_shows_data_participations_and_stories(world):
    AttendanceFactory(participation=world.participation)
    ImpactStoryFactory(library=world.library, person=world.rina, title="Usaha kerupuk berkembang")

    response = world.client_for("officer").get(
        reverse("libraries:person_detail", args=[world.rina.pk])
    )

    body = response.content.decode()
    assert "+6281234567890" in body
    assert "rina@example.id" in body
    assert "Perempuan" in body
    assert "PLM Provinsi Jambi 2022" in body
    assert "2 Agustus 2022" in body
    assert "Dinas Perpustakaan Kabupaten/Kota" in body
    assert ">Hadir<" in body
    assert "Usaha kerupuk berkembang" in body
    assert reverse("libraries:library_detail", args=[world.library.pk]) in body
    assert reverse("libraries:person_edit", args=[world.rina.pk]) in body


def test_person_detail_absent_participant_is_shown_as_absent(world):
    response = world.client_for("officer").get(
        reverse("libraries:person_detail", args=[world.rina.pk])
    )

    assert "Tidak hadir" in response.content.decode()


def test_person_detail_facilitator_sees_masked_contact_and_assigned_meetings_only(world):
    other_meeting = MeetingFactory(province=world.jambi, title="Bimtek Jambi lain")
    ParticipationFactory(meeting=other_meeting, person=world.rina)
    ImpactStoryFactory(library=world.library, person=world.rina, title="Cerita draf")

    response = world.client_for("facilitator").get(
        reverse("libraries:person_detail", args=[world.rina.pk])
    )

    body = response.content.decode()
    assert "…7890" in body
    assert "+6281234567890" not in body
    assert "rina@example.id" not in body
    assert "PLM Provinsi Jambi 2022" in body
    assert "Bimtek Jambi lain" not in body
    assert "Cerita draf" not in body
    assert reverse("libraries:person_edit", args=[world.rina.pk]) not in body


def test_person_detail_beyond_editors_never_ties_an_anonymous_story_to_the_person(world):
    published = {
        "library": world.library,
        "person": world.rina,
        "status": "published",
        "consent_given": True,
        "consent_date": dt.date(2022, 10, 1),
        "consent_method": "tertulis",
    }
    ImpactStoryFactory(**published, title="Cerita tanpa nama", anonymous=True)
    ImpactStoryFactory(**published, title="Cerita bernama", anonymous=False)

    facilitator = world.client_for("facilitator").get(
        reverse("libraries:person_detail", args=[world.rina.pk])
    )
    officer = world.client_for("officer").get(
        reverse("libraries:person_detail", args=[world.rina.pk])
    )

    assert "Cerita bernama" in facilitator.content.decode()
    assert "Cerita tanpa nama" not in facilitator.content.decode()
    assert "Cerita tanpa nama" in officer.content.decode()  # the province's editors


# --- create -------------------------------------------------------------------------------------------


def test_person_create_officer_saves_normalised_phone(world):
    data = person_data(home_library=str(world.library.pk))

    response = world.client_for("officer").post(reverse("libraries:person_new"), data)

    person = Person.objects.get(full_name="Siti Aminah")
    assert response.status_code == 302
    assert response["Location"] == reverse("libraries:person_detail", args=[person.pk])
    assert (person.phone, person.province_id, person.home_library_id) == (
        "+6281277776666",
        "15",
        world.library.pk,
    )


def test_person_create_national_saves_in_chosen_province(world):
    data = person_data(province="14", home_library=str(world.riau_library.pk))

    response = world.client_for("national").post(reverse("libraries:person_new"), data)

    assert response.status_code == 302
    assert Person.objects.get(full_name="Siti Aminah").province_id == "14"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 200),
        ("facilitator", 403),
        ("other_facilitator", 403),
        ("anonymous", 302),
    ],
)
def test_person_create_page_role_matrix(world, role, status):
    response = world.client_for(role).get(reverse("libraries:person_new"))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status", "created"),
    [
        ("national", 302, 1),
        ("officer", 302, 1),
        ("other_officer", 302, 1),
        ("facilitator", 403, 0),
        ("other_facilitator", 403, 0),
        ("anonymous", 302, 0),
    ],
)
def test_person_create_post_role_matrix(world, role, status, created):
    before = Person.objects.count()

    response = world.client_for(role).post(reverse("libraries:person_new"), person_data())

    assert response.status_code == status
    assert Person.objects.count() - before == created
    if role == "other_officer":
        # The Riau officer's new person is in Riau whatever province was posted.
        assert Person.objects.get(full_name="Siti Aminah").province_id == "14"


def test_person_create_invalid_phone_is_a_field_error_and_keeps_input(world):
    before = Person.objects.count()
    data = person_data(phone="12345")

    response = world.client_for("officer").post(reverse("libraries:person_new"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == ["Nomor HP tidak valid: 12345"]
    body = response.content.decode()
    assert 'value="12345"' in body
    assert 'value="Siti Aminah"' in body
    assert Person.objects.count() == before


def test_person_create_duplicate_phone_names_and_links_existing_person(world):
    before = Person.objects.count()
    data = person_data(phone="0812 3456 7890")

    response = world.client_for("officer").post(reverse("libraries:person_new"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "Nomor HP ini sudah terdaftar di provinsi ini, atas nama Rina Marlina."
    ]
    body = response.content.decode()
    assert reverse("libraries:person_detail", args=[world.rina.pk]) in body
    assert 'value="0812 3456 7890"' in body
    assert Person.objects.count() == before


def test_person_create_duplicate_email_ignores_case(world):
    before = Person.objects.count()
    data = person_data(email="RINA@Example.ID")

    response = world.client_for("officer").post(reverse("libraries:person_new"), data)

    assert response.context["form"].errors["email"] == [
        "Email ini sudah terdaftar di provinsi ini, atas nama Rina Marlina."
    ]
    assert Person.objects.count() == before


def test_person_create_phone_registered_in_another_province_is_allowed(world):
    data = person_data(phone="0813-9999-8888")

    response = world.client_for("officer").post(reverse("libraries:person_new"), data)

    assert response.status_code == 302
    assert Person.objects.filter(phone="+6281399998888").count() == 2


def test_person_create_riau_officer_duplicate_error_never_names_jambi_person(world):
    # The Riau officer types a Jambi number: Riau has no such person, so it saves in Riau and says nothing
    # about Jambi.
    data = person_data(phone="0812 3456 7890", email="rina@example.id")

    response = world.client_for("other_officer").post(reverse("libraries:person_new"), data)

    assert response.status_code == 302
    assert "Rina" not in response.content.decode()
    assert Person.objects.get(full_name="Siti Aminah").province_id == "14"


def test_person_create_home_library_of_another_province_posted_by_hand_is_refused(world):
    before = Person.objects.count()
    data = person_data(home_library=str(world.riau_library.pk))

    response = world.client_for("officer").post(reverse("libraries:person_new"), data)

    assert response.context["form"].errors["home_library"] == [
        "Pilih perpustakaan di provinsi orang ini."
    ]
    assert Person.objects.count() == before


def test_person_create_national_home_library_must_match_province(world):
    before = Person.objects.count()
    data = person_data(province="15", home_library=str(world.riau_library.pk))

    response = world.client_for("national").post(reverse("libraries:person_new"), data)

    assert response.context["form"].errors["home_library"] == [
        "Pilih perpustakaan di provinsi orang ini."
    ]
    assert Person.objects.count() == before


def test_person_create_missing_name_is_refused(world):
    before = Person.objects.count()

    response = world.client_for("officer").post(
        reverse("libraries:person_new"), person_data(full_name="")
    )

    assert "full_name" in response.context["form"].errors
    assert "Bidang ini tidak boleh kosong." in response.content.decode()
    assert Person.objects.count() == before


def test_person_create_officer_home_library_choices_are_own_province(world):
    response = world.client_for("officer").get(reverse("libraries:person_new"))

    field = response.context["form"].fields["home_library"]
    assert [library.name for library in field.queryset] == ["Dinas Perpustakaan Kota Jambi"]
    assert field.widget.attrs.get("disabled") is None
    assert response.context["form"].fields["province"].disabled


# --- edit ---------------------------------------------------------------------------------------------


def test_person_edit_officer_saves_changes(world):
    data = person_data(
        full_name="Rina Marlina, S.IP.", phone="0812 3456 7890", email="rina@example.id"
    )

    response = world.client_for("officer").post(
        reverse("libraries:person_edit", args=[world.rina.pk]), data
    )

    assert response.status_code == 302
    world.rina.refresh_from_db()
    assert (world.rina.full_name, world.rina.phone) == ("Rina Marlina, S.IP.", "+6281234567890")


def test_person_edit_duplicate_phone_of_other_person_is_refused(world):
    before = person_row(world.budi.pk)

    response = world.client_for("officer").post(
        reverse("libraries:person_edit", args=[world.budi.pk]),
        person_data(full_name="Budi Santoso", phone="+62 812-3456-7890"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "Nomor HP ini sudah terdaftar di provinsi ini, atas nama Rina Marlina."
    ]
    assert person_row(world.budi.pk) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 403),
        ("other_facilitator", 404),
        ("anonymous", 302),
    ],
)
def test_person_edit_page_role_matrix(world, role, status):
    response = world.client_for(role).get(reverse("libraries:person_edit", args=[world.rina.pk]))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status", "changed"),
    [
        ("national", 302, True),
        ("officer", 302, True),
        ("other_officer", 404, False),
        ("facilitator", 403, False),
        ("other_facilitator", 404, False),
        ("anonymous", 302, False),
    ],
)
def test_person_edit_post_role_matrix(world, role, status, changed):
    before = person_row(world.rina.pk)

    response = world.client_for(role).post(
        reverse("libraries:person_edit", args=[world.rina.pk]),
        person_data(full_name="Diubah", phone="0812 3456 7890", email="rina@example.id"),
    )

    assert response.status_code == status
    after = person_row(world.rina.pk)
    assert (after != before) is changed
    if not changed:
        assert after == before


# --- home library select (htmx) -----------------------------------------------------------------------


def test_person_library_options_national_follows_province(world):
    response = world.client_for("national").get(
        reverse("libraries:person_library_options"), {"province": "14"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="home-library"')
    assert "Dinas Perpustakaan Kota Pekanbaru" in body
    assert "Dinas Perpustakaan Kota Jambi" not in body


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 200),
        ("facilitator", 403),
        ("other_facilitator", 403),
        ("anonymous", 302),
    ],
)
def test_person_library_options_role_matrix(world, role, status):
    response = world.client_for(role).get(
        reverse("libraries:person_library_options"), {"province": "15"}
    )

    assert response.status_code == status
    if role == "other_officer":
        body = response.content.decode()
        assert "Dinas Perpustakaan Kota Jambi" not in body
        assert "Dinas Perpustakaan Kota Pekanbaru" in body


# --- service ------------------------------------------------------------------------------------------


def test_save_person_refuses_officer_of_another_province(world):
    person = Person(full_name="Orang Jambi", province=world.jambi)

    with pytest.raises(PermissionDenied):
        save_person(person=person, by=world.users["other_officer"])

    assert not Person.objects.filter(full_name="Orang Jambi").exists()


def test_save_person_refuses_duplicate_phone(world):
    person = Person(full_name="Kembaran", province=world.jambi, phone="+6281234567890")

    with pytest.raises(ValidationError):
        save_person(person=person, by=world.users["officer"])

    assert not Person.objects.filter(full_name="Kembaran").exists()


def test_person_saved_by_someone_else_in_between_becomes_a_form_error(world):
    # Two officers register the same number at once: the form was valid, then the other row arrived.
    form = PersonForm(data=person_data(phone="0812 5555 4444"), user=world.users["officer"])
    assert form.is_valid()

    def save_after_the_other_officer(**kwargs):
        PersonFactory(province=world.jambi, full_name="Lebih dulu", phone="+6281255554444")
        return save_person(**kwargs)

    saved = _save_with_form(
        form, save_after_the_other_officer, person=form.save(commit=False), by=form.user
    )

    assert saved is None
    assert form.non_field_errors() == ["Nomor HP ini sudah terdaftar di provinsi ini."]
    assert not Person.objects.filter(full_name="Siti Aminah").exists()


def test_person_list_national_total_is_cached_until_a_person_is_saved(
    scenario, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from libraries.services import save_person
    from tests.factories import PersonFactory

    PersonFactory(province=scenario.riau)
    client = scenario.client_for("national")
    url = reverse("libraries:person_list")
    before = client.get(url).context["page"].paginator.count
    assert before >= 1

    # session, user, province choices, the page: the total comes from the cache
    with django_assert_num_queries(4):
        client.get(url)
    PersonFactory(province=scenario.jambi)  # not through a service: the cached total stands
    assert client.get(url).context["page"].paginator.count == before
    with django_capture_on_commit_callbacks(execute=True):
        save_person(
            person=PersonFactory.build(province=scenario.jambi), by=scenario.users["officer"]
        )
    assert client.get(url).context["page"].paginator.count == before + 2
