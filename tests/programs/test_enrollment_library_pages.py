"""Enrolment on the library pages: the library's page shows each year's status with its newest changes (who,
when) and links to enrol or change for those who may; the library list filters by programme year and status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import EnrollmentChange
from tests.factories import LibraryFactory, ProgrammeYearFactory
from tests.programs.factories_enrollment import EnrollmentChangeFactory, enroll, enrollment_world

pytestmark = pytest.mark.django_db

LIBRARIES = reverse("libraries:library_list")


@pytest.fixture
def world(scenario):
    return enrollment_world(scenario)


def detail(world, role, library=None):
    library = library or world.village
    return world.client_for(role).get(reverse("libraries:library_detail", args=[library.pk]))


def add_changes(enrollment, statuses, by=None) -> None:
    """Changes after the first, an hour apart, in the order given."""
    start = timezone.now()
    for n, status in enumerate(statuses, start=1):
        change = EnrollmentChangeFactory(
            enrollment=enrollment, partner_status=status, changed_by=by, note=f"Catatan {n}"
        )
        EnrollmentChange.objects.filter(pk=change.pk).update(
            changed_at=start + dt.timedelta(hours=n)
        )


# --- the library's page ---------------------------------------------------------------------------------


def test_library_detail_enrollment_history_newest_first_with_total(world):
    enrollment = enroll(world.village, world.y2022, by=world.users["national"])
    add_changes(enrollment, ["mandiri", "replikasi", "mitra", "keluar"], by=world.users["officer"])

    response = detail(world, "officer")

    shown = response.context["enrollments"][0].recent_changes
    assert [change.note for change in shown] == ["Catatan 4", "Catatan 3", "Catatan 2"]
    body = response.content.decode()
    assert "3 perubahan terbaru dari 5" in body
    assert "oleh Pengguna" in body
    assert "Catatan 1" not in body


def test_library_detail_enrollment_each_year_with_status(world):
    enroll(world.village, world.y2022, partner_status="mitra", cohort="Angkatan 1")
    enroll(world.village, world.y2023, partner_status="keluar")

    response = detail(world, "facilitator")

    years = [(e.programme_year.year, e.partner_status) for e in response.context["enrollments"]]
    assert years == [(2023, "keluar"), (2022, "mitra")]
    body = response.content.decode()
    assert "Mengundurkan diri" in body
    assert "Angkatan 1" in body


@pytest.mark.parametrize(
    ("role", "links"), [("national", True), ("officer", True), ("facilitator", False)]
)
def test_library_detail_enrollment_links_for_writers_only(world, role, links):
    enrollment = enroll(world.village, world.y2022)

    body = detail(world, role).content.decode()

    new = f"{reverse('programs:enrollment_new')}?library={world.village.pk}"
    edit = f"{reverse('programs:enrollment_edit', args=[enrollment.pk])}?back=library"
    assert (new in body, edit in body) == (links, links)


def test_library_detail_other_province_not_found(world):
    enroll(world.village, world.y2022)

    assert detail(world, "other_officer").status_code == 404


@pytest.mark.parametrize("years", [1, 3])
def test_library_detail_enrollment_queries_constant(world, django_assert_num_queries, years):
    for n in range(years):
        enrollment = enroll(world.village, ProgrammeYearFactory(year=2020 + n))
        add_changes(enrollment, ["keluar", "mitra", "mandiri", "keluar"])
    client = world.client_for("officer")
    url = reverse("libraries:library_detail", args=[world.village.pk])

    # session, user, library, awards, award meetings, the page's counts, people/meetings/RTL (count and page
    # each: the empty lists are counted only), enrolments, their newest changes, latest activities and stories
    with django_assert_num_queries(13):
        response = client.get(url)

    assert len(response.context["enrollments"]) == years


# --- the library list's filters --------------------------------------------------------------------------


def names(response) -> list[str]:
    return [library.name for library in response.context["page"].object_list]


def test_library_list_filter_by_year(world):
    enroll(world.village, world.y2022)
    enroll(world.office, world.y2023)

    response = world.client_for("officer").get(LIBRARIES, {"year": "2022"})

    assert names(response) == ["Perpustakaan Desa Mendalo Darat"]


def test_library_list_filter_by_status_any_year_listed_once(world):
    enroll(world.village, world.y2022, partner_status="keluar")
    enroll(world.village, world.y2023, partner_status="keluar")
    enroll(world.office, world.y2022, partner_status="mitra")

    response = world.client_for("officer").get(LIBRARIES, {"status": "keluar"})

    assert names(response) == ["Perpustakaan Desa Mendalo Darat"]
    assert response.context["page"].paginator.count == 1


def test_library_list_filter_year_and_status_of_same_enrollment(world):
    enroll(world.village, world.y2022, partner_status="mitra")
    enroll(world.village, world.y2023, partner_status="keluar")

    client = world.client_for("officer")
    none = client.get(LIBRARIES, {"year": "2022", "status": "keluar"})
    one = client.get(LIBRARIES, {"year": "2023", "status": "keluar"})

    assert names(none) == []
    assert names(one) == ["Perpustakaan Desa Mendalo Darat"]


def test_library_list_enrollment_filter_keeps_scope(world):
    enroll(world.village, world.y2022)
    enroll(world.riau_library, world.y2022)

    response = world.client_for("officer").get(LIBRARIES, {"year": "2022"})

    assert names(response) == ["Perpustakaan Desa Mendalo Darat"]
    assert "Pekanbaru" not in response.content.decode()


def test_library_list_enrollment_filter_bad_year_is_error(world):
    response = world.client_for("officer").get(LIBRARIES, {"year": "1990"})

    assert response.status_code == 200
    assert "year" in response.context["form"].errors


def test_library_list_enrollment_filters_offered(world):
    form = world.client_for("officer").get(LIBRARIES).context["form"]

    years = [value for value, _label in form.fields["year"].choices]
    assert years[0] == ""
    assert years[-1] == "2018"
    assert str(timezone.localdate().year) in years
    assert [value for value, _label in form.fields["status"].choices] == [
        "",
        "mitra",
        "replikasi",
        "mandiri",
        "keluar",
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_library_list_enrollment_filter_query_count(world, django_assert_num_queries, count):
    for n in range(count):
        enroll(LibraryFactory(name=f"Perpustakaan {n}", regency=world.s.kota_jambi), world.y2022)
    client = world.client_for("officer")

    # session, user, regency choices, count, rows: the filters' choices cost nothing
    with django_assert_num_queries(5):
        response = client.get(LIBRARIES, {"year": "2022", "status": "mitra"})

    assert len(response.context["page"].object_list) == count
