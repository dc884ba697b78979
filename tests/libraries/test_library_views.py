"""Library pages: list with search and filters, detail, create and edit, the place selects of the form."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from libraries.models import Library
from libraries.services import save_library
from programs.models import Enrollment
from tests.factories import (
    AwardFactory,
    DistrictFactory,
    EnrollmentFactory,
    LibraryFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    ProgrammeYearFactory,
    RegencyFactory,
    RtlActionFactory,
    VillageFactory,
    VillageLibraryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(scenario):
    """Jambi: a city library office and a village library; Riau: a city library office."""
    s = scenario
    s.district = DistrictFactory(regency=s.kota_jambi, code="15.71.01", name="Telanaipura")
    s.village = VillageFactory(district=s.district, code="15.71.01.1001", name="Telanaipura")
    s.other_village = VillageFactory(
        district=DistrictFactory(regency=s.kota_jambi, code="15.71.02", name="Jambi Selatan"),
        code="15.71.02.1001",
        name="Pakuan Baru",
    )
    s.pekanbaru = RegencyFactory(province=s.riau, code="14.71", name="Kota Pekanbaru")
    s.riau_district = DistrictFactory(regency=s.pekanbaru, code="14.71.01", name="Sukajadi")
    s.riau_village = VillageFactory(district=s.riau_district, code="14.71.01.1001", name="Kampung")
    s.library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=s.kota_jambi)
    s.village_library = VillageLibraryFactory(
        name="Perpustakaan Desa Telanaipura", village=s.village
    )
    s.riau_library = LibraryFactory(name="Dinas Perpustakaan Kota Pekanbaru", regency=s.pekanbaru)
    return s


def library_row(pk: int) -> dict:
    return Library.objects.values().get(pk=pk)


def edit_data(world, **changes) -> dict:
    data = {
        "name": "Dinas Perpustakaan Kota Jambi",
        "kind": Library.Kind.REGENCY_OFFICE,
        "province": "15",
        "regency": "15.71",
        "district": "",
        "village": "",
        "address": "Jl. Jend. Sudirman No. 1",
        "phone": "0741 123456",
        "email": "dispusip@jambikota.example.id",
        "website": "https://dispusip.jambikota.example.id",
        "head_name": "Hj. Siti Aminah",
        "head_title": "Kepala Dinas",
        "head_nip": "197001011990032001",
        "is_active": "on",
    }
    data.update(changes)
    return data


# --- list ---------------------------------------------------------------------------------------------


def test_library_list_officer_sees_own_province(world):
    response = world.client_for("officer").get(reverse("libraries:library_list"))

    assert response.status_code == 200
    names = [library.name for library in response.context["page"].object_list]
    assert names == ["Dinas Perpustakaan Kota Jambi", "Perpustakaan Desa Telanaipura"]
    body = response.content.decode()
    assert "Kota Pekanbaru" not in body


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("national", 200, {"Kota Jambi", "Telanaipura", "Pekanbaru"}),
        ("officer", 200, {"Kota Jambi", "Telanaipura"}),
        ("other_officer", 200, {"Pekanbaru"}),
        ("facilitator", 200, {"Kota Jambi", "Telanaipura"}),
        ("other_facilitator", 200, set()),
        ("anonymous", 302, set()),
    ],
)
def test_library_list_role_matrix(world, role, status, expected):
    response = world.client_for(role).get(reverse("libraries:library_list"))

    assert response.status_code == status
    body = response.content.decode()
    shown = {
        word
        for word, name in [
            ("Kota Jambi", "Dinas Perpustakaan Kota Jambi"),
            ("Telanaipura", "Perpustakaan Desa Telanaipura"),
            ("Pekanbaru", "Dinas Perpustakaan Kota Pekanbaru"),
        ]
        if name in body
    }
    assert shown == expected


def test_library_list_anonymous_redirects_to_login(world):
    response = world.client_for("anonymous").get(reverse("libraries:library_list"))

    assert response["Location"] == "/accounts/login/?next=/libraries/"


def test_library_list_search_matches_village_name(world):
    response = world.client_for("officer").get(
        reverse("libraries:library_list"), {"q": "telanaipura"}
    )

    names = [library.name for library in response.context["page"].object_list]
    assert names == ["Perpustakaan Desa Telanaipura"]


def test_library_list_search_matches_regency_name(world):
    LibraryFactory(
        name="Perpustakaan Umum Sungai Penuh",
        regency=RegencyFactory(province=world.jambi, code="15.72", name="Kota Sungai Penuh"),
    )

    response = world.client_for("officer").get(
        reverse("libraries:library_list"), {"q": "sungai penuh"}
    )

    names = [library.name for library in response.context["page"].object_list]
    assert names == ["Perpustakaan Umum Sungai Penuh"]


def test_library_list_search_never_returns_another_province(world):
    LibraryFactory(name="Perpustakaan Jambi di Riau", regency=world.pekanbaru)

    response = world.client_for("officer").get(reverse("libraries:library_list"), {"q": "Jambi"})

    body = response.content.decode()
    assert "Dinas Perpustakaan Kota Jambi" in body
    assert "Perpustakaan Jambi di Riau" not in body
    assert "Pekanbaru" not in body


def test_library_list_riau_officer_search_for_jambi_finds_nothing(world):
    response = world.client_for("other_officer").get(
        reverse("libraries:library_list"), {"q": "Jambi"}
    )

    body = response.content.decode()
    assert "Kota Jambi" not in body
    assert "Telanaipura" not in body
    assert "Belum ada perpustakaan yang cocok." in body


def test_library_list_filters_by_kind(world):
    response = world.client_for("officer").get(
        reverse("libraries:library_list"), {"kind": Library.Kind.VILLAGE}
    )

    names = [library.name for library in response.context["page"].object_list]
    assert names == ["Perpustakaan Desa Telanaipura"]


def test_library_list_filters_by_regency(world):
    muaro_jambi = RegencyFactory(province=world.jambi, code="15.05", name="Kabupaten Muaro Jambi")
    LibraryFactory(name="Dinas Perpustakaan Muaro Jambi", regency=muaro_jambi)

    response = world.client_for("officer").get(
        reverse("libraries:library_list"), {"regency": "15.05"}
    )

    names = [library.name for library in response.context["page"].object_list]
    assert names == ["Dinas Perpustakaan Muaro Jambi"]


def test_library_list_officer_regency_filter_offers_only_own_province(world):
    response = world.client_for("officer").get(reverse("libraries:library_list"))

    form = response.context["form"]
    assert [value for value, _ in form.fields["regency"].choices] == ["", "15.71"]
    assert "province" not in form.fields


def test_library_list_officer_regency_of_other_province_is_refused(world):
    response = world.client_for("officer").get(
        reverse("libraries:library_list"), {"regency": "14.71"}
    )

    assert response.status_code == 200
    assert "Dinas Perpustakaan Kota Pekanbaru" not in response.content.decode()
    assert response.context["form"].errors["regency"]


def test_library_list_national_filters_by_province(world):
    response = world.client_for("national").get(
        reverse("libraries:library_list"), {"province": "14"}
    )

    names = [library.name for library in response.context["page"].object_list]
    assert names == ["Dinas Perpustakaan Kota Pekanbaru"]


def test_library_list_paginates_by_25(world):
    LibraryFactory.create_batch(30, regency=world.kota_jambi)

    response = world.client_for("officer").get(reverse("libraries:library_list"), {"page": 2})

    page = response.context["page"]
    assert (page.number, len(page.object_list), page.paginator.count) == (2, 7, 32)
    assert "Halaman 2 dari 2" in response.content.decode()


def test_library_list_htmx_returns_results_only(world):
    response = world.client_for("officer").get(
        reverse("libraries:library_list"), {"q": "desa"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results" aria-live="polite">')
    assert "<form" not in body
    assert "Perpustakaan Desa Telanaipura" in body


def test_library_list_shows_inactive_badge(world):
    world.library.is_active = False
    world.library.save(update_fields=["is_active"])

    body = world.client_for("officer").get(reverse("libraries:library_list")).content.decode()

    assert body.count("Nonaktif") == 1


@pytest.mark.parametrize("rows", [1, 3])
def test_library_list_query_count(scenario, django_assert_num_queries, rows):
    for n in range(rows):
        VillageLibraryFactory(
            name=f"Perpustakaan Desa {n}",
            village=VillageFactory(
                district=DistrictFactory(regency=scenario.kota_jambi),
                code=f"15.71.01.100{n}",
                name=f"Desa {n}",
            ),
        )
    client = scenario.client_for("officer")

    # session, user, regency choices, count, rows
    with django_assert_num_queries(5):
        response = client.get(reverse("libraries:library_list"))

    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_library_list_national_query_count(scenario, django_assert_num_queries, rows):
    LibraryFactory.create_batch(rows, regency=scenario.kota_jambi)
    client = scenario.client_for("national")

    # session, user, province choices, count, rows (regencies only once a province is chosen)
    with django_assert_num_queries(5):
        response = client.get(reverse("libraries:library_list"))

    assert len(response.context["page"].object_list) == rows


def test_national_library_list_total_is_cached(scenario, django_assert_num_queries):
    """The whole nation's registry is counted once per generation; a filtered list counts what it shows."""
    LibraryFactory.create_batch(2, regency=scenario.kota_jambi)
    client = scenario.client_for("national")
    url = reverse("libraries:library_list")
    assert client.get(url).context["page"].paginator.count == 2
    # session, user, province choices, rows: no count
    with django_assert_num_queries(4):
        client.get(url)
    LibraryFactory(regency=scenario.kota_jambi)  # bypasses the services: the cached total stands
    assert client.get(url).context["page"].paginator.count == 2
    assert client.get(url, {"province": "15"}).context["page"].paginator.count == 3


@pytest.mark.parametrize("rows", [1, 3])
def test_library_list_partial_query_count(scenario, django_assert_num_queries, rows):
    LibraryFactory.create_batch(rows, regency=scenario.kota_jambi)
    client = scenario.client_for("officer")

    # session, user, regency choices, regencies and villages named like the word (once each), count, rows
    with django_assert_num_queries(7):
        response = client.get(
            reverse("libraries:library_list"), {"q": "Perpustakaan"}, headers={"HX-Request": "true"}
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
def test_library_detail_role_matrix(world, role, status):
    response = world.client_for(role).get(
        reverse("libraries:library_detail", args=[world.library.pk])
    )

    assert response.status_code == status


def test_library_detail_shows_place_with_codes(world):
    response = world.client_for("officer").get(
        reverse("libraries:library_detail", args=[world.village_library.pk])
    )

    body = response.content.decode()
    assert 'Kota Jambi <span class="text-body-secondary">(15.71)</span>' in body
    assert 'Telanaipura <span class="text-body-secondary">(15.71.01)</span>' in body
    assert 'Kelurahan Telanaipura <span class="text-body-secondary">(15.71.01.1001)</span>' in body
    assert 'Jambi <span class="text-body-secondary">(15)</span>' in body


def test_library_detail_shows_people_meetings_rtl_awards_and_enrollments(world):
    library = world.library
    person = PersonFactory(province=world.jambi, full_name="Rina Marlina", home_library=library)
    ParticipationFactory(meeting=world.meeting, person=person, library=library)
    RtlActionFactory(meeting=world.meeting, library=library, activity="Kelas literasi digital")
    AwardFactory(
        province=world.jambi,
        library=library,
        meeting=world.meeting,
        citation="Inovasi layanan keliling",
    )
    EnrollmentFactory(programme_year=ProgrammeYearFactory(year=2022), library=library)

    response = world.client_for("officer").get(
        reverse("libraries:library_detail", args=[library.pk])
    )

    body = response.content.decode()
    assert "Rina Marlina" in body
    assert "PLM Provinsi Jambi 2022" in body
    assert "1 wakil" in body
    assert "Kelas literasi digital" in body
    assert "Inovasi layanan keliling" in body
    assert "Perpustakaan kabupaten/kota terbaik 2022" in body
    assert "Mitra program" in body
    assert Enrollment.objects.filter(library=library).count() == 1


def test_library_detail_facilitator_sees_only_assigned_meetings_and_their_people(world):
    library = world.library
    other_meeting = MeetingFactory(province=world.jambi, title="Bimtek Jambi lain")
    assigned = PersonFactory(province=world.jambi, full_name="Dewi Assigned", home_library=library)
    unassigned = PersonFactory(province=world.jambi, full_name="Budi Lain", home_library=library)
    ParticipationFactory(meeting=world.meeting, person=assigned, library=library)
    ParticipationFactory(meeting=other_meeting, person=unassigned, library=library)
    RtlActionFactory(meeting=world.meeting, library=library, activity="RTL terlihat")
    RtlActionFactory(meeting=other_meeting, library=library, activity="RTL tersembunyi")

    response = world.client_for("facilitator").get(
        reverse("libraries:library_detail", args=[library.pk])
    )

    body = response.content.decode()
    assert "Dewi Assigned" in body
    assert "PLM Provinsi Jambi 2022" in body
    assert "RTL terlihat" in body
    assert "Budi Lain" not in body
    assert "Bimtek Jambi lain" not in body
    assert "RTL tersembunyi" not in body
    assert reverse("libraries:library_edit", args=[library.pk]) not in body


def test_library_detail_officer_sees_edit_link(world):
    response = world.client_for("officer").get(
        reverse("libraries:library_detail", args=[world.library.pk])
    )

    assert reverse("libraries:library_edit", args=[world.library.pk]) in response.content.decode()


# --- create -------------------------------------------------------------------------------------------


def test_library_create_officer_saves_village_library(world):
    data = edit_data(
        world,
        name="Perpustakaan Desa Pakuan Baru",
        kind=Library.Kind.VILLAGE,
        district="15.71.02",
        village="15.71.02.1001",
    )

    response = world.client_for("officer").post(reverse("libraries:library_new"), data)

    library = Library.objects.get(name="Perpustakaan Desa Pakuan Baru")
    assert response.status_code == 302
    assert response["Location"] == reverse("libraries:library_detail", args=[library.pk])
    assert (library.province_id, library.regency_id, library.village_id) == (
        "15",
        "15.71",
        "15.71.02.1001",
    )
    assert library.head_nip == "197001011990032001"


def test_library_create_officer_province_is_fixed_even_if_posted(world):
    data = edit_data(
        world, name="Perpustakaan Provinsi Baru", kind=Library.Kind.OTHER, province="14", regency=""
    )

    world.client_for("officer").post(reverse("libraries:library_new"), data)

    assert Library.objects.get(name="Perpustakaan Provinsi Baru").province_id == "15"


def test_library_create_national_saves_in_chosen_province(world):
    data = edit_data(
        world,
        name="Dinas Perpustakaan Kota Pekanbaru Dua",
        province="14",
        regency="14.71",
    )

    response = world.client_for("national").post(reverse("libraries:library_new"), data)

    assert response.status_code == 302
    assert Library.objects.get(name="Dinas Perpustakaan Kota Pekanbaru Dua").province_id == "14"


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
def test_library_create_page_role_matrix(world, role, status):
    response = world.client_for(role).get(reverse("libraries:library_new"))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status", "created"),
    [
        ("national", 302, 1),
        ("officer", 302, 1),
        ("other_officer", 200, 0),
        ("facilitator", 403, 0),
        ("other_facilitator", 403, 0),
        ("anonymous", 302, 0),
    ],
)
def test_library_create_post_role_matrix(world, role, status, created):
    before = Library.objects.count()
    data = edit_data(world, name="Perpustakaan Baru Jambi")

    response = world.client_for(role).post(reverse("libraries:library_new"), data)

    assert response.status_code == status
    assert Library.objects.count() - before == created
    assert Library.objects.filter(name="Perpustakaan Baru Jambi", province_id="14").count() == 0


def test_library_create_village_library_without_village_is_refused(world):
    before = Library.objects.count()
    data = edit_data(world, name="Perpustakaan Desa Tanpa Desa", kind=Library.Kind.VILLAGE)

    response = world.client_for("officer").post(reverse("libraries:library_new"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["village"] == [
        "Pilih desa/kelurahan untuk perpustakaan desa."
    ]
    body = response.content.decode()
    assert "Pilih desa/kelurahan untuk perpustakaan desa." in body
    assert 'value="Perpustakaan Desa Tanpa Desa"' in body
    assert Library.objects.count() == before


def test_library_create_regency_of_another_province_posted_by_hand_is_refused(world):
    before = Library.objects.count()
    data = edit_data(world, name="Perpustakaan Selundupan", regency="14.71")

    response = world.client_for("officer").post(reverse("libraries:library_new"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["regency"] == [
        "Pilih kabupaten/kota di provinsi perpustakaan."
    ]
    assert 'value="Perpustakaan Selundupan"' in response.content.decode()
    assert Library.objects.count() == before


def test_library_create_village_of_another_district_posted_by_hand_is_refused(world):
    before = Library.objects.count()
    data = edit_data(
        world,
        name="Perpustakaan Desa Salah",
        kind=Library.Kind.VILLAGE,
        district="15.71.01",
        village="14.71.01.1001",
    )

    response = world.client_for("officer").post(reverse("libraries:library_new"), data)

    assert response.context["form"].errors["village"] == [
        "Pilih desa/kelurahan di kecamatan yang dipilih."
    ]
    assert Library.objects.count() == before


def test_library_create_regency_office_without_regency_is_refused(world):
    before = Library.objects.count()
    data = edit_data(world, name="Dinas Tanpa Kabupaten", regency="")

    response = world.client_for("officer").post(reverse("libraries:library_new"), data)

    assert response.context["form"].errors["regency"] == ["Pilih kabupaten/kota perpustakaan ini."]
    assert Library.objects.count() == before


def test_library_create_duplicate_name_in_province_is_a_field_error(world):
    before = Library.objects.count()
    data = edit_data(world, name="dinas perpustakaan KOTA JAMBI")

    response = world.client_for("officer").post(reverse("libraries:library_new"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["name"] == ["Perpustakaan dengan nama ini sudah ada di provinsi ini."]
    assert form.non_field_errors() == []
    assert Library.objects.count() == before


def test_library_create_same_name_in_another_province_is_allowed(world):
    data = edit_data(world, name="Dinas Perpustakaan Kota Pekanbaru", regency="15.71")

    response = world.client_for("officer").post(reverse("libraries:library_new"), data)

    assert response.status_code == 302
    assert Library.objects.filter(name="Dinas Perpustakaan Kota Pekanbaru").count() == 2


def test_library_create_invalid_email_and_website_keep_input(world):
    data = edit_data(world, name="Perpustakaan Baru", email="bukan-email", website="bukan situs")

    response = world.client_for("officer").post(reverse("libraries:library_new"), data)

    form = response.context["form"]
    assert set(form.errors) == {"email", "website"}
    body = response.content.decode()
    assert 'value="bukan-email"' in body
    assert "is-invalid" in body
    assert not Library.objects.filter(name="Perpustakaan Baru").exists()


def test_library_create_form_has_no_logo_field(world):
    response = world.client_for("national").get(reverse("libraries:library_new"))

    assert "logo" not in response.context["form"].fields
    assert 'name="logo"' not in response.content.decode()


def test_library_create_officer_province_field_is_disabled(world):
    response = world.client_for("officer").get(reverse("libraries:library_new"))

    field = response.context["form"].fields["province"]
    assert field.disabled
    assert [str(province) for province in field.queryset] == ["Jambi"]


# --- edit ---------------------------------------------------------------------------------------------


def test_library_edit_officer_saves_changes(world):
    data = edit_data(world, address="Jl. Baru No. 2", head_name="Drs. Ahmad", is_active="")

    response = world.client_for("officer").post(
        reverse("libraries:library_edit", args=[world.library.pk]), data
    )

    assert response.status_code == 302
    world.library.refresh_from_db()
    assert (world.library.address, world.library.head_name, world.library.is_active) == (
        "Jl. Baru No. 2",
        "Drs. Ahmad",
        False,
    )


def test_library_edit_page_preselects_district_of_village(world):
    response = world.client_for("officer").get(
        reverse("libraries:library_edit", args=[world.village_library.pk])
    )

    form = response.context["form"]
    assert form["district"].value() == "15.71.01"
    assert [village.pk for village in form.fields["village"].queryset] == ["15.71.01.1001"]


def test_library_edit_keeping_own_name_is_not_a_duplicate(world):
    response = world.client_for("officer").post(
        reverse("libraries:library_edit", args=[world.library.pk]), edit_data(world)
    )

    assert response.status_code == 302


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
def test_library_edit_page_role_matrix(world, role, status):
    response = world.client_for(role).get(
        reverse("libraries:library_edit", args=[world.library.pk])
    )

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
def test_library_edit_post_role_matrix(world, role, status, changed):
    before = library_row(world.library.pk)

    response = world.client_for(role).post(
        reverse("libraries:library_edit", args=[world.library.pk]),
        edit_data(world, head_name="Diubah oleh penyusup"),
    )

    assert response.status_code == status
    after = library_row(world.library.pk)
    assert (after != before) is changed
    if not changed:
        assert after == before


def test_library_edit_other_province_officer_gets_404_for_riau_library_from_jambi(world):
    before = library_row(world.riau_library.pk)

    response = world.client_for("officer").post(
        reverse("libraries:library_edit", args=[world.riau_library.pk]),
        edit_data(world, name="Diambil alih", province="14", regency="14.71"),
    )

    assert response.status_code == 404
    assert library_row(world.riau_library.pk) == before


# --- place selects (htmx) -----------------------------------------------------------------------------


def test_library_place_options_lists_districts_of_regency_and_villages_of_district(world):
    response = world.client_for("officer").get(
        reverse("libraries:library_place_options"), {"regency": "15.71", "district": "15.71.02"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="place-fields"')
    assert '<option value="15.71.02" selected>Jambi Selatan</option>' in body
    assert "Pakuan Baru" in body
    assert "Kelurahan Telanaipura" not in body


def test_library_place_options_officer_cannot_list_another_province(world):
    response = world.client_for("officer").get(
        reverse("libraries:library_place_options"),
        {"province": "14", "regency": "14.71", "district": "14.71.01"},
    )

    body = response.content.decode()
    assert "Pekanbaru" not in body
    assert "Sukajadi" not in body
    assert "Kampung" not in body
    assert "Kota Jambi" in body


def test_library_place_options_national_follows_chosen_province(world):
    response = world.client_for("national").get(
        reverse("libraries:library_place_options"), {"province": "14"}
    )

    body = response.content.decode()
    assert "Kota Pekanbaru" in body
    assert "Kota Jambi" not in body


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
def test_library_place_options_role_matrix(world, role, status):
    response = world.client_for(role).get(
        reverse("libraries:library_place_options"), {"regency": "15.71"}
    )

    assert response.status_code == status
    if role == "other_officer":
        assert "Telanaipura" not in response.content.decode()


# --- service ------------------------------------------------------------------------------------------


def test_save_library_refuses_officer_of_another_province(world):
    library = Library(name="Perpustakaan Jambi", kind=Library.Kind.OTHER, province=world.jambi)

    with pytest.raises(PermissionDenied):
        save_library(library=library, by=world.users["other_officer"])

    assert not Library.objects.filter(name="Perpustakaan Jambi").exists()


def test_save_library_refuses_village_library_without_village(world):
    library = Library(
        name="Perpustakaan Desa Kosong",
        kind=Library.Kind.VILLAGE,
        province=world.jambi,
        regency=world.kota_jambi,
    )

    with pytest.raises(ValidationError) as error:
        save_library(library=library, by=world.users["officer"])

    assert error.value.messages == ["Perpustakaan desa wajib memiliki desa/kelurahan."]
    assert not Library.objects.filter(name="Perpustakaan Desa Kosong").exists()


def test_library_list_national_regency_filter_waits_for_a_province(world):
    client = world.client_for("national")

    form = client.get(reverse("libraries:library_list")).context["form"]
    assert form.fields["regency"].disabled
    assert [value for value, _ in form.fields["regency"].choices] == [""]

    form = client.get(reverse("libraries:library_list"), {"province": "15"}).context["form"]
    assert not form.fields["regency"].disabled
    assert [value for value, _ in form.fields["regency"].choices] == ["", "15.71"]


def test_library_list_province_change_swaps_in_its_regencies_and_drops_the_old_one(world):
    response = world.client_for("national").get(
        reverse("libraries:library_list"),
        {"province": "14", "regency": "15.71"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert [lib.name for lib in response.context["page"].object_list] == [
        "Dinas Perpustakaan Kota Pekanbaru"
    ]
    assert 'id="regency-filter"' in body and 'hx-swap-oob="true"' in body
    assert 'value="14.71"' in body and 'value="15.71"' not in body


def test_library_list_search_finds_libraries_by_their_village_or_regency_name(world):
    client = world.client_for("national")

    by_village = client.get(reverse("libraries:library_list"), {"q": "telanai"})
    by_regency = client.get(reverse("libraries:library_list"), {"q": "pekanbaru"})

    assert [lib.name for lib in by_village.context["page"].object_list] == [
        "Perpustakaan Desa Telanaipura"
    ]
    assert "Dinas Perpustakaan Kota Pekanbaru" in [
        lib.name for lib in by_regency.context["page"].object_list
    ]
