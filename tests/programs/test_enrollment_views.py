"""Enrolment pages: the year's list with its filters and counts, enrolling (also from a library's page),
changing and removing, for each of the six roles; out-of-scope rows answer 404 and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.models import Enrollment, EnrollmentChange
from tests.factories import LibraryFactory, ProgrammeYearFactory
from tests.programs.factories_enrollment import JOINED, enroll, enrollment_world
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

LIST = reverse("programs:enrollment_list")
NEW = reverse("programs:enrollment_new")


@pytest.fixture
def world(scenario):
    return enrollment_world(scenario)


def rows() -> list[tuple]:
    return list(
        Enrollment.objects.order_by("pk").values_list(
            "library__name", "programme_year__year", "partner_status", "cohort", "joined_on"
        )
    )


def new_data(world, **changes) -> dict:
    data = {
        "programme_year": world.y2022.pk,
        "library": world.village.pk,
        "partner_status": "mitra",
        "cohort": "Angkatan 2022",
        "joined_on": "2022-03-14",
        "notes": "",
    }
    data.update(changes)
    return data


def shown(response) -> list[str]:
    return [e.library.name for e in response.context["page"].object_list]


# --- list -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        # Kemendagri order of provinces (Riau 14 before Jambi 15), then name, as the library list
        ("national", 200, ["Dinas Perpustakaan Kota Pekanbaru", "Dinas Perpustakaan Kota Jambi"]),
        ("officer", 200, ["Dinas Perpustakaan Kota Jambi"]),
        ("other_officer", 200, ["Dinas Perpustakaan Kota Pekanbaru"]),
        ("facilitator", 403, None),
        ("other_facilitator", 403, None),
        ("anonymous", 302, None),
    ],
)
def test_enrollment_list_role_matrix(world, role, status, expected):
    enroll(world.office, world.y2022)
    enroll(world.riau_library, world.y2022)

    response = world.client_for(role).get(LIST)

    assert response.status_code == status
    if expected is not None:
        assert shown(response) == expected
    if role == "officer":
        body = response.content.decode()
        assert "Pekanbaru" not in body
        assert "Riau" not in body


def test_enrollment_list_anonymous_redirected_to_login(world):
    response = world.client_for("anonymous").get(LIST)

    assert response["Location"] == f"{reverse('account_login')}?next={LIST}"


def test_enrollment_list_defaults_to_latest_year_with_enrollments(world):
    ProgrammeYearFactory(year=2024)  # newer, but nobody enrolled yet
    enroll(world.office, world.y2022)
    enroll(world.village, world.y2023)

    response = world.client_for("officer").get(LIST)

    assert response.context["year"] == world.y2023
    assert shown(response) == ["Perpustakaan Desa Mendalo Darat"]


def test_enrollment_list_officer_default_year_ignores_other_province(world):
    enroll(world.office, world.y2022)
    enroll(world.riau_library, world.y2023)

    response = world.client_for("officer").get(LIST)

    assert response.context["year"] == world.y2022


def test_enrollment_list_year_filter(world):
    enroll(world.office, world.y2022)
    enroll(world.village, world.y2023)

    response = world.client_for("officer").get(LIST, {"year": "2022"})

    assert shown(response) == ["Dinas Perpustakaan Kota Jambi"]


def test_enrollment_list_counts_statuses_and_filters_one(world):
    enroll(world.office, world.y2022, partner_status="mitra")
    enroll(world.village, world.y2022, partner_status="keluar")
    enroll(LibraryFactory(name="Perpustakaan Lain", regency=world.s.kota_jambi), world.y2022)

    response = world.client_for("officer").get(LIST, {"year": "2022", "status": "keluar"})

    assert shown(response) == ["Perpustakaan Desa Mendalo Darat"]
    counts = {link["value"]: link["count"] for link in response.context["status_links"]}
    assert counts == {"": 3, "mitra": 2, "replikasi": 0, "mandiri": 0, "keluar": 1}
    assert response.context["page"].paginator.count == 1


def test_enrollment_list_officer_regency_filter(world):
    enroll(world.office, world.y2022)
    enroll(world.village, world.y2022)

    response = world.client_for("officer").get(LIST, {"year": "2022", "regency": "15.05"})

    assert shown(response) == ["Perpustakaan Desa Mendalo Darat"]
    assert "province" not in response.context["form"].fields


def test_enrollment_list_officer_other_province_regency_ignored(world):
    enroll(world.office, world.y2022)

    response = world.client_for("officer").get(LIST, {"year": "2022", "regency": "14.71"})

    assert shown(response) == ["Dinas Perpustakaan Kota Jambi"]
    assert "Pekanbaru" not in response.content.decode()


def test_enrollment_list_national_province_filter(world):
    enroll(world.office, world.y2022)
    enroll(world.riau_library, world.y2022)

    response = world.client_for("national").get(LIST, {"year": "2022", "province": "14"})

    assert shown(response) == ["Dinas Perpustakaan Kota Pekanbaru"]


def test_enrollment_list_search_by_library_name(world):
    enroll(world.office, world.y2022)
    enroll(world.village, world.y2022)

    response = world.client_for("officer").get(LIST, {"year": "2022", "q": "mendalo desa"})

    assert shown(response) == ["Perpustakaan Desa Mendalo Darat"]


def test_enrollment_list_search_too_long_is_error_other_filters_apply(world):
    enroll(world.office, world.y2022, partner_status="keluar")
    enroll(world.village, world.y2022)

    response = world.client_for("officer").get(
        LIST, {"year": "2022", "status": "keluar", "q": "x" * 101}
    )

    assert response.status_code == 200
    assert "q" in response.context["form"].errors
    assert shown(response) == ["Dinas Perpustakaan Kota Jambi"]


def test_enrollment_list_no_programme_year_says_so(world):
    from programs.models import ProgrammeYear

    ProgrammeYear.objects.all().delete()

    response = world.client_for("officer").get(LIST)

    assert response.status_code == 200
    assert "Belum ada tahun program" in response.content.decode()


def test_enrollment_list_htmx_renders_results_only(world):
    enroll(world.office, world.y2022)

    response = world.client_for("officer").get(
        LIST, {"year": "2022"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "Dinas Perpustakaan Kota Jambi" in body
    assert "<html" not in body


def test_enrollment_list_pages_by_25(world):
    for n in range(27):
        enroll(
            LibraryFactory(name=f"Perpustakaan {n:02d}", regency=world.s.kota_jambi), world.y2022
        )

    client = world.client_for("officer")
    first = client.get(LIST, {"year": "2022"})
    second = client.get(LIST, {"year": "2022", "page": "2"})

    assert len(first.context["page"].object_list) == 25
    assert shown(second) == ["Perpustakaan 25", "Perpustakaan 26"]
    assert first.context["page"].paginator.count == 27


@pytest.mark.parametrize("count", [1, 3])
def test_enrollment_list_officer_query_count(world, django_assert_num_queries, count):
    for n in range(count):
        enroll(LibraryFactory(name=f"Perpustakaan {n}", regency=world.s.kota_jambi), world.y2022)
    client = world.client_for("officer")

    # session, user, years, default year, regency choices, status counts, rows
    with django_assert_num_queries(7):
        response = client.get(LIST)

    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_enrollment_list_national_query_count(world, django_assert_num_queries, count):
    for n in range(count):
        enroll(LibraryFactory(name=f"Perpustakaan {n}", regency=world.s.kota_jambi), world.y2022)
    client = world.client_for("national")

    # session, user, years, province choices, regencies of the province, status counts, rows
    with django_assert_num_queries(7):
        response = client.get(LIST, {"year": "2022", "province": "15", "q": "perpustakaan"})

    assert len(response.context["page"].object_list) == count


# --- enrol ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "saved"),
    [
        ("national", 302, True),
        ("officer", 302, True),
        ("other_officer", 200, False),  # another province's library is not a choice
        ("facilitator", 403, False),
        ("other_facilitator", 403, False),
        ("anonymous", 302, False),
    ],
)
def test_enrollment_new_role_matrix(world, role, status, saved):
    data = new_data(world, province="15")

    response = world.client_for(role).post(NEW, data)

    assert response.status_code == status
    expected = [("Perpustakaan Desa Mendalo Darat", 2022, "mitra", "Angkatan 2022", JOINED)]
    assert rows() == (expected if saved else [])
    if role == "other_officer":
        assert "library" in response.context["form"].errors
        assert "Mendalo" not in response.content.decode()


def test_enrollment_new_officer_saves_with_first_change(world):
    response = world.client_for("officer").post(NEW, new_data(world))

    enrollment = Enrollment.objects.get()
    assert response["Location"] == f"{LIST}?year=2022"
    assert list(enrollment.changes.values_list("partner_status", "changed_by__email")) == [
        ("mitra", "jambi@example.test")
    ]


def test_enrollment_new_double_tap_one_row_no_error(world):
    client = world.client_for("officer")

    first = client.post(NEW, new_data(world))
    second = client.post(NEW, new_data(world))

    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == first["Location"]
    assert len(rows()) == 1
    assert EnrollmentChange.objects.count() == 1


def test_enrollment_new_already_enrolled_is_field_error(world):
    enroll(world.village, world.y2022, partner_status="mandiri")

    response = world.client_for("officer").post(NEW, new_data(world))

    assert response.status_code == 200
    assert response.context["form"].errors["library"] == [
        "Perpustakaan ini sudah terdaftar pada tahun program ini."
    ]
    assert response.context["form"]["cohort"].value() == "Angkatan 2022"
    assert len(rows()) == 1


def test_enrollment_new_bad_input_keeps_what_was_typed(world):
    data = new_data(world, cohort="x" * 51, joined_on="1999-01-01", notes="Catatan panjang")

    response = world.client_for("officer").post(NEW, data)

    form = response.context["form"]
    assert response.status_code == 200
    assert set(form.errors) == {"cohort", "joined_on"}
    assert form["notes"].value() == "Catatan panjang"
    assert "Periksa tahunnya" in response.content.decode()
    assert rows() == []


def test_enrollment_new_national_must_choose_province(world):
    response = world.client_for("national").post(NEW, new_data(world))

    assert response.context["form"].errors["province"] == ["Pilih provinsi perpustakaan."]
    assert rows() == []


def test_enrollment_new_national_library_of_other_province_refused(world):
    response = world.client_for("national").post(NEW, new_data(world, province="14"))

    assert "library" in response.context["form"].errors
    assert rows() == []


def test_enrollment_new_from_library_page_library_fixed(world):
    url = f"{NEW}?library={world.village.pk}"
    client = world.client_for("officer")

    page = client.get(url)
    response = client.post(url, new_data(world, library=world.office.pk))

    assert page.context["form"].fields["library"].disabled
    assert "Perpustakaan Desa Mendalo Darat" in page.content.decode()
    assert response["Location"] == (
        f"{reverse('libraries:library_detail', args=[world.village.pk])}#enrollments-heading"
    )
    assert [row[0] for row in rows()] == ["Perpustakaan Desa Mendalo Darat"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("national", 200), ("officer", 200), ("other_officer", 404), ("facilitator", 403)],
)
def test_enrollment_new_from_library_page_scope(world, role, status):
    response = world.client_for(role).get(f"{NEW}?library={world.village.pk}")

    assert response.status_code == status


def test_enrollment_new_preselects_year_from_query(world):
    response = world.client_for("officer").get(NEW, {"year": "2023"})

    assert response.context["form"]["programme_year"].value() == world.y2023.pk


def test_enrollment_new_officer_picker_lists_own_province_only(world):
    response = world.client_for("officer").get(NEW)

    body = response.content.decode()
    assert "Dinas Perpustakaan Kota Jambi" in body
    assert "Pekanbaru" not in body
    assert 'name="province"' not in body


def test_enrollment_library_options_national_gets_province_picker(world):
    response = world.client_for("national").get(
        reverse("programs:enrollment_library_options"),
        {"province": "14"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="library-field"')
    assert "Dinas Perpustakaan Kota Pekanbaru" in body
    assert "Kota Jambi" not in body


@pytest.mark.parametrize(("role", "status"), [("facilitator", 403), ("anonymous", 302)])
def test_enrollment_library_options_refused(world, role, status):
    response = world.client_for(role).get(
        reverse("programs:enrollment_library_options"), {"province": "15"}
    )

    assert response.status_code == status


def test_enrollment_library_options_officer_cannot_list_other_province(world):
    response = world.client_for("officer").get(
        reverse("programs:enrollment_library_options"), {"province": "14"}
    )

    assert "Pekanbaru" not in response.content.decode()


# --- change ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "changed"),
    [
        ("national", 302, True),
        ("officer", 302, True),
        ("other_officer", 404, False),
        ("facilitator", 403, False),
        ("other_facilitator", 403, False),
        ("anonymous", 302, False),
    ],
)
def test_enrollment_edit_role_matrix(world, role, status, changed):
    enrollment = enroll(world.village, world.y2022)
    data = {"partner_status": "keluar", "cohort": "", "joined_on": "", "notes": "", "note": "x"}

    response = world.client_for(role).post(
        reverse("programs:enrollment_edit", args=[enrollment.pk]), data
    )

    assert response.status_code == status
    assert Enrollment.objects.get().partner_status == ("keluar" if changed else "mitra")
    assert enrollment.changes.count() == (2 if changed else 1)


@pytest.mark.parametrize("role", ROLES)
def test_enrollment_edit_page_role_matrix(world, role):
    enrollment = enroll(world.village, world.y2022)
    expected = {"national": 200, "officer": 200, "other_officer": 404, "anonymous": 302}

    response = world.client_for(role).get(reverse("programs:enrollment_edit", args=[enrollment.pk]))

    assert response.status_code == expected.get(role, 403)


def test_enrollment_edit_officer_withdraws_with_note_shown_in_history(world):
    enrollment = enroll(world.village, world.y2022, by=world.users["national"])
    url = reverse("programs:enrollment_edit", args=[enrollment.pk])
    client = world.client_for("officer")
    data = {
        "partner_status": "keluar",
        "cohort": "Angkatan 2022",
        "joined_on": "2022-03-14",
        "notes": "",
        "note": "Pengelola pindah tugas",
    }

    response = client.post(f"{url}?back=library", data)
    page = client.get(url).content.decode()

    assert response["Location"] == (
        f"{reverse('libraries:library_detail', args=[world.village.pk])}#enrollments-heading"
    )
    assert list(enrollment.changes.order_by("pk").values_list("partner_status", "note")) == [
        ("mitra", ""),
        ("keluar", "Pengelola pindah tugas"),
    ]
    assert "Pengelola pindah tugas" in page
    assert "oleh Pengguna" in page  # who, by name


def test_enrollment_edit_bad_input_keeps_what_was_typed(world):
    enrollment = enroll(world.village, world.y2022)
    data = {"partner_status": "bogus", "cohort": "Angkatan 3", "notes": "", "note": "y" * 1001}

    response = world.client_for("officer").post(
        reverse("programs:enrollment_edit", args=[enrollment.pk]), data
    )

    form = response.context["form"]
    assert set(form.errors) == {"partner_status", "note"}
    assert form["cohort"].value() == "Angkatan 3"
    assert Enrollment.objects.get().cohort == ""


# --- remove ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "removed"),
    [
        ("national", 302, True),
        ("officer", 403, False),
        ("other_officer", 404, False),
        ("facilitator", 403, False),
        ("other_facilitator", 403, False),
        ("anonymous", 302, False),
    ],
)
def test_enrollment_delete_role_matrix(world, role, status, removed):
    enrollment = enroll(world.village, world.y2022)

    response = world.client_for(role).post(
        reverse("programs:enrollment_delete", args=[enrollment.pk])
    )

    assert response.status_code == status
    assert Enrollment.objects.exists() is not removed


def test_enrollment_delete_get_not_allowed(world):
    enrollment = enroll(world.village, world.y2022)

    response = world.client_for("national").get(
        reverse("programs:enrollment_delete", args=[enrollment.pk])
    )

    assert response.status_code == 405
    assert Enrollment.objects.count() == 1


def test_enrollment_edit_delete_button_national_only(world):
    enrollment = enroll(world.village, world.y2022)
    url = reverse("programs:enrollment_edit", args=[enrollment.pk])
    delete = reverse("programs:enrollment_delete", args=[enrollment.pk])

    assert delete in world.client_for("national").get(url).content.decode()
    assert delete not in world.client_for("officer").get(url).content.decode()


def test_enrollment_list_status_links_keep_default_year(world):
    enroll(world.office, world.y2023)

    response = world.client_for("officer").get(LIST)

    queries = [link["query"] for link in response.context["status_links"]]
    assert queries[0] == "year=2023&status="
    assert all("year=2023" in query for query in queries)
