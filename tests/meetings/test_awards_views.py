"""Awards tab: the province's best regency/city and village libraries of the meeting's year."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from libraries.models import Library
from meetings.models import Award
from meetings.services.awards import delete_award, save_award
from tests.factories import (
    AwardFactory,
    DistrictFactory,
    LibraryFactory,
    MeetingFactory,
    RegencyFactory,
    VillageFactory,
    VillageLibraryFactory,
)
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def awards_snapshot() -> list[dict]:
    return list(Award.objects.order_by("pk").values())


def url(name: str, scenario, award=None) -> str:
    args = [scenario.meeting.pk] + ([award.pk] if award is not None else [])
    return reverse(f"meetings:{name}", args=args)


@pytest.fixture
def libs(scenario):
    """Jambi: two regency offices and a village library; Riau: a regency office."""
    muaro = RegencyFactory(province=scenario.jambi, code="15.05", name="Kabupaten Muaro Jambi")
    village = VillageFactory(
        district=DistrictFactory(regency=muaro, code="15.05.01", name="Jambi Luar Kota"),
        code="15.05.01.2001",
        name="Sungai Duren",
    )
    riau_regency = RegencyFactory(province=scenario.riau, code="14.71", name="Kota Pekanbaru")
    scenario.kota_office = LibraryFactory(
        name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi
    )
    scenario.muaro_office = LibraryFactory(
        name="Dinas Perpustakaan Kabupaten Muaro Jambi", regency=muaro
    )
    scenario.village_library = VillageLibraryFactory(
        name="Perpustakaan Desa Sungai Duren", village=village
    )
    scenario.riau_office = LibraryFactory(
        name="Dinas Perpustakaan Kota Pekanbaru", regency=riau_regency
    )
    scenario.provincial_office = LibraryFactory(
        name="Dinas Perpustakaan Provinsi Jambi",
        kind=Library.Kind.PROVINCIAL_OFFICE,
        regency=None,
        province=scenario.jambi,
    )
    return scenario


@pytest.fixture
def awarded(libs):
    """Awards of Jambi 2022 presented at the scenario meeting, plus some that must not show."""
    meeting = libs.meeting
    libs.award = AwardFactory(
        province=libs.jambi,
        library=libs.kota_office,
        rank=1,
        citation="Layanan informasi paling berkembang.",
        meeting=meeting,
    )
    libs.village_award = AwardFactory(
        province=libs.jambi,
        category=Award.Category.BEST_VILLAGE_LIBRARY,
        library=libs.village_library,
        rank=1,
        meeting=meeting,
    )
    AwardFactory(province=libs.jambi, year=2021, library=libs.muaro_office, rank=1)
    AwardFactory(province=libs.riau, library=libs.riau_office, rank=1)
    return libs


def add_data(libs, **overrides) -> dict:
    data = {
        "category": Award.Category.BEST_REGENCY_LIBRARY,
        "rank": "2",
        "library": str(libs.muaro_office.pk),
        "citation": "Advokasi yang berhasil.",
    }
    data.update(overrides)
    return {f"new-{k}": v for k, v in data.items()}


def edit_data(award, **overrides) -> dict:
    data = {
        "category": award.category,
        "rank": str(award.rank),
        "library": str(award.library_id),
        "citation": award.citation,
    }
    data.update(overrides)
    return {f"a{award.pk}-{k}": v for k, v in data.items()}


# --- reading -------------------------------------------------------------------------------------------------


def test_awards_lists_province_year_awards_by_category(awarded):
    response = awarded.client_for("officer").get(url("awards", awarded))

    assert response.status_code == 200
    categories = [
        (c.value, [(a.rank, a.library.name) for a in c.awards])
        for c in response.context["categories"]
    ]
    assert categories == [
        ("kabkota", [(1, "Dinas Perpustakaan Kota Jambi")]),
        ("desa", [(1, "Perpustakaan Desa Sungai Duren")]),
    ]
    body = response.content.decode()
    assert "Layanan informasi paling berkembang." in body
    assert "Diserahkan di pertemuan ini" in body
    assert "Peringkat 1" in body
    assert "Kota Pekanbaru" not in body
    assert "Muaro Jambi" in body  # the village library's regency, not the 2021 award
    assert "Dinas Perpustakaan Kabupaten Muaro Jambi" not in body


def test_awards_presented_elsewhere_read_only_here(awarded):
    other_meeting = MeetingFactory(province=awarded.jambi, title="Bimtek Jambi")
    award = AwardFactory(
        province=awarded.jambi, library=awarded.muaro_office, rank=2, meeting=other_meeting
    )

    body = awarded.client_for("officer").get(url("awards", awarded)).content.decode()

    assert "Diserahkan di pertemuan lain" in body
    assert url("awards_edit", awarded, award) not in body
    assert url("awards_edit", awarded, awarded.award) in body


def test_awards_empty_categories_say_so(scenario):
    body = scenario.client_for("facilitator").get(url("awards", scenario)).content.decode()

    assert body.count("Belum ada penghargaan di kategori ini.") == 2
    assert url("awards_new", scenario) not in body


def test_awards_facilitator_reads_without_controls(awarded):
    body = awarded.client_for("facilitator").get(url("awards", awarded)).content.decode()

    assert "Dinas Perpustakaan Kota Jambi" in body
    assert url("awards_edit", awarded, awarded.award) not in body
    assert url("awards_delete", awarded, awarded.award) not in body


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
def test_awards_page_role_matrix(awarded, role, status):
    response = awarded.client_for(role).get(url("awards", awarded))

    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("rows", [1, 3])
def test_awards_page_query_count_constant(libs, django_assert_num_queries, rows):
    offices = [libs.kota_office, libs.muaro_office] + [
        LibraryFactory(regency=libs.kota_jambi) for _ in range(rows)
    ]
    for rank in range(1, rows + 1):
        AwardFactory(
            province=libs.jambi, library=offices[rank - 1], rank=rank, meeting=libs.meeting
        )
    client = libs.client_for("officer")

    # session, user, meeting, awards (with library and regency)
    with django_assert_num_queries(4):
        response = client.get(url("awards", libs))

    assert len(response.context["categories"][0].awards) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_awards_list_partial_query_count_constant(libs, django_assert_num_queries, rows):
    for rank in range(1, rows + 1):
        AwardFactory(
            province=libs.jambi, library=LibraryFactory(regency=libs.kota_jambi), rank=rank
        )
    client = libs.client_for("facilitator")

    # session, user, meeting, assigned-facilitator check, awards
    with django_assert_num_queries(5):
        response = client.get(url("awards", libs), **HX)

    assert response.content.decode().count('<li class="list-group-item" id="award-') == rows


# --- adding --------------------------------------------------------------------------------------------------


def test_add_award_htmx_records_meeting_province_and_year(awarded):
    response = awarded.client_for("officer").post(
        url("awards_new", awarded), add_data(awarded), **HX
    )

    award = Award.objects.get(library=awarded.muaro_office, year=2022)
    assert (award.province, award.year, award.category, award.rank, award.meeting) == (
        awarded.jambi,
        2022,
        Award.Category.BEST_REGENCY_LIBRARY,
        2,
        awarded.meeting,
    )
    assert award.citation == "Advokasi yang berhasil."
    assert response["HX-Retarget"] == "#award-list"
    assert (
        "Penghargaan untuk “Dinas Perpustakaan Kabupaten Muaro Jambi” tersimpan."
        in response.content.decode()
    )


def test_add_award_without_javascript_redirects_back(awarded):
    client = awarded.client_for("national")

    response = client.post(url("awards_new", awarded), add_data(awarded))

    award = Award.objects.get(library=awarded.muaro_office, year=2022)
    assert response.status_code == 302
    assert response["Location"] == f"{url('awards', awarded)}#award-{award.pk}"


def test_add_award_ignores_posted_province_and_year(awarded):
    data = add_data(awarded)
    data.update({"new-province": awarded.riau.pk, "new-year": "2030"})

    awarded.client_for("officer").post(url("awards_new", awarded), data)

    award = Award.objects.get(meeting=awarded.meeting, rank=2)
    assert (award.province_id, award.year, award.library) == (
        awarded.jambi.pk,
        2022,
        awarded.muaro_office,
    )


def test_add_award_form_groups_own_province_regency_and_village_libraries(libs):
    response = libs.client_for("officer").get(url("awards_new", libs), **HX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="award-add"')
    assert '<optgroup label="Dinas Perpustakaan Kabupaten/Kota">' in body
    assert '<optgroup label="Perpustakaan Desa/Kelurahan">' in body
    assert "Perpustakaan Desa Sungai Duren — Kabupaten Muaro Jambi" in body
    assert 'data-kind="desa"' in body
    assert "Kota Pekanbaru" not in body
    assert "Dinas Perpustakaan Provinsi Jambi" not in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"library": "village"},
            "library",
            "Penghargaan perpustakaan kabupaten/kota terbaik hanya untuk Dinas Perpustakaan "
            "Kabupaten/Kota. Pilih perpustakaan jenis itu.",
        ),
        (
            {"category": "desa"},
            "library",
            "Penghargaan perpustakaan desa terbaik hanya untuk perpustakaan desa/kelurahan. "
            "Pilih perpustakaan jenis itu.",
        ),
        ({"rank": "1"}, "rank", "Peringkat 1 kategori ini sudah diberikan tahun 2022."),
        (
            {"library": "kota"},
            "library",
            "Perpustakaan ini sudah menerima penghargaan kategori ini tahun 2022.",
        ),
        (
            {"library": "riau"},
            "library",
            "Pilih perpustakaan dari daftar: hanya perpustakaan di provinsi pertemuan ini.",
        ),
        (
            {"library": "provincial"},
            "library",
            "Pilih perpustakaan dari daftar: hanya perpustakaan di provinsi pertemuan ini.",
        ),
        ({"rank": "0"}, "rank", None),
        ({"rank": "11"}, "rank", None),
        ({"rank": "dua"}, "rank", None),
        ({"category": "terbaik"}, "category", None),
        ({"library": ""}, "library", None),
    ],
)
def test_add_award_bad_input_shows_field_error_keeps_input_saves_nothing(
    awarded, overrides, field, message
):
    libraries = {
        "village": awarded.village_library,
        "kota": awarded.kota_office,
        "riau": awarded.riau_office,
        "provincial": awarded.provincial_office,
    }
    if overrides.get("library") in libraries:
        overrides["library"] = str(libraries[overrides["library"]].pk)
    before = awards_snapshot()

    response = awarded.client_for("officer").post(
        url("awards_new", awarded), add_data(awarded, **overrides), **HX
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert form.errors[field] == [message]
    body = response.content.decode()
    assert f'id="id_new-{field}_error"' in body
    assert "Advokasi yang berhasil." in body  # the citation typed is kept
    assert awards_snapshot() == before


def test_add_award_bad_input_without_javascript_renders_page(awarded):
    before = awards_snapshot()

    response = awarded.client_for("officer").post(
        url("awards_new", awarded), add_data(awarded, rank="1")
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert "Peringkat 1 kategori ini sudah diberikan tahun 2022." in body
    assert awards_snapshot() == before


# --- editing and deleting ------------------------------------------------------------------------------------


def test_edit_form_htmx_swaps_item_with_prefilled_form(awarded):
    response = awarded.client_for("officer").get(url("awards_edit", awarded, awarded.award), **HX)

    body = response.content.decode()
    assert body.lstrip().startswith(
        f'<li class="list-group-item award-editing" id="award-{awarded.award.pk}"'
    )
    assert f'<option value="{awarded.kota_office.pk}" selected data-kind="kabkota">' in body


def test_edit_award_htmx_saves(awarded):
    award = awarded.award

    response = awarded.client_for("officer").post(
        url("awards_edit", awarded, award),
        edit_data(award, rank="3", citation="Kutipan baru."),
        **HX,
    )

    award.refresh_from_db()
    assert (award.rank, award.citation, award.meeting) == (3, "Kutipan baru.", awarded.meeting)
    assert response["HX-Retarget"] == "#award-list"


def test_edit_award_keeping_its_own_rank_is_no_clash(awarded):
    award = awarded.award

    response = awarded.client_for("officer").post(
        url("awards_edit", awarded, award), edit_data(award, citation="Sama peringkat.")
    )

    assert response.status_code == 302
    award.refresh_from_db()
    assert award.citation == "Sama peringkat."


def test_edit_award_rank_clash_is_field_error(awarded):
    second = AwardFactory(
        province=awarded.jambi, library=awarded.muaro_office, rank=2, meeting=awarded.meeting
    )
    before = awards_snapshot()

    response = awarded.client_for("officer").post(
        url("awards_edit", awarded, second), edit_data(second, rank="1"), **HX
    )

    assert response.context["form"].errors["rank"] == [
        "Peringkat 1 kategori ini sudah diberikan tahun 2022."
    ]
    assert awards_snapshot() == before


def test_edit_award_presented_at_another_meeting_forbidden(awarded):
    award = AwardFactory(
        province=awarded.jambi,
        library=awarded.muaro_office,
        rank=2,
        meeting=MeetingFactory(province=awarded.jambi),
    )
    before = awards_snapshot()

    response = awarded.client_for("officer").post(
        url("awards_edit", awarded, award), edit_data(award, rank="5")
    )

    assert response.status_code == 403
    assert awards_snapshot() == before


def test_edit_award_of_another_year_not_found(awarded):
    award = Award.objects.get(year=2021)
    before = awards_snapshot()

    response = awarded.client_for("officer").post(
        url("awards_edit", awarded, award), edit_data(award, rank="5")
    )

    assert response.status_code == 404
    assert awards_snapshot() == before


def test_delete_award_htmx(awarded):
    response = awarded.client_for("officer").post(
        url("awards_delete", awarded, awarded.award), **HX
    )

    assert response.status_code == 200
    assert not Award.objects.filter(pk=awarded.award.pk).exists()
    assert "Penghargaan untuk “Dinas Perpustakaan Kota Jambi” dihapus." in response.content.decode()


def test_delete_award_without_javascript_redirects(awarded):
    response = awarded.client_for("officer").post(url("awards_delete", awarded, awarded.award))

    assert response.status_code == 302
    assert response["Location"] == url("awards", awarded)
    assert not Award.objects.filter(pk=awarded.award.pk).exists()


def test_cancel_edit_htmx_returns_list_focused_on_item(awarded):
    response = awarded.client_for("officer").get(url("awards_row", awarded, awarded.award), **HX)

    body = response.content.decode()
    item = body[body.index(f'id="award-{awarded.award.pk}"') :]
    item = item[: item.index("</li>")]
    assert "autofocus" in item


@pytest.mark.parametrize("role", ["other_officer", "facilitator", "other_facilitator"])
def test_award_services_refuse_user_who_may_not_change_the_meeting(awarded, role):
    before = awards_snapshot()
    user = awarded.users[role]
    new = Award(category=Award.Category.BEST_REGENCY_LIBRARY, rank=2, library=awarded.muaro_office)

    with pytest.raises(PermissionDenied):
        save_award(award=new, meeting=awarded.meeting, by=user)
    with pytest.raises(PermissionDenied):
        delete_award(award=awarded.award, by=user)

    assert awards_snapshot() == before


# --- who may change awards -----------------------------------------------------------------------------------

WRITE_STATUS = {
    "national": 302,
    "officer": 302,
    "other_officer": 404,
    "facilitator": 403,
    "other_facilitator": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_add_award_role_matrix(awarded, role):
    before = awards_snapshot()

    response = awarded.client_for(role).post(url("awards_new", awarded), add_data(awarded))

    assert response.status_code == WRITE_STATUS[role]
    if role in ("national", "officer"):
        assert Award.objects.filter(library=awarded.muaro_office, year=2022).count() == 1
    else:
        assert awards_snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_edit_award_role_matrix(awarded, role):
    award = awarded.award
    before = awards_snapshot()

    response = awarded.client_for(role).post(
        url("awards_edit", awarded, award), edit_data(award, rank="4")
    )

    assert response.status_code == WRITE_STATUS[role]
    award.refresh_from_db()
    if role in ("national", "officer"):
        assert award.rank == 4
    else:
        assert awards_snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_delete_award_role_matrix(awarded, role):
    before = awards_snapshot()

    response = awarded.client_for(role).post(url("awards_delete", awarded, awarded.award))

    assert response.status_code == WRITE_STATUS[role]
    if role in ("national", "officer"):
        assert not Award.objects.filter(pk=awarded.award.pk).exists()
    else:
        assert awards_snapshot() == before


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
@pytest.mark.parametrize("view", ["awards_new", "awards_edit"])
def test_award_forms_role_matrix(awarded, role, status, view):
    award = awarded.award if view == "awards_edit" else None

    response = awarded.client_for(role).get(url(view, awarded, award), **HX)

    assert response.status_code == status


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
def test_awards_row_role_matrix(awarded, role, status):
    response = awarded.client_for(role).get(url("awards_row", awarded, awarded.award), **HX)

    assert response.status_code == status


def test_delete_award_refuses_get(awarded):
    response = awarded.client_for("officer").get(url("awards_delete", awarded, awarded.award))

    assert response.status_code == 405
    assert Award.objects.filter(pk=awarded.award.pk).exists()
