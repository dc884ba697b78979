"""A library's page at national scale: its people, meetings and RTL rows are paged, each list on its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from libraries.models import Library, Person
from meetings.models import Meeting, Participation, RtlAction
from plm_portal.choices import LineOfWork
from tests.factories import LibraryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(scenario) -> Library:
    return LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)


def detail_url(library: Library, **query: int) -> str:
    url = reverse("libraries:library_detail", args=[library.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def add_people(scenario, library: Library, count: int) -> list[Person]:
    return Person.objects.bulk_create(
        Person(
            full_name=f"Orang {n:03d}",
            phone=f"+62813{n:08d}",
            province=scenario.jambi,
            home_library=library,
        )
        for n in range(count)
    )


def add_meetings(scenario, library: Library, count: int, people: list[Person]) -> list[Meeting]:
    """``count`` meetings, one a week, the first oldest; ``library`` sends a person to each and writes an
    RTL row at each."""
    meetings = Meeting.objects.bulk_create(
        Meeting(
            kind=Meeting.Kind.PLM,
            title=f"Pertemuan {n:03d}",
            province=scenario.jambi,
            year=2022,
            wave=3,
            start_date=dt.date(2022, 1, 3) + dt.timedelta(weeks=n),
            end_date=dt.date(2022, 1, 3) + dt.timedelta(weeks=n),
            mode=Meeting.Mode.TATAP_MUKA,
        )
        for n in range(count)
    )
    Participation.objects.bulk_create(
        Participation(meeting=meeting, person=person, library=library, role="dinas_kabkota")
        for meeting, person in zip(meetings, people, strict=True)
    )
    RtlAction.objects.bulk_create(
        RtlAction(
            meeting=meeting,
            library=library,
            line_of_work=LineOfWork.SERVICES,
            activity=f"Kegiatan {n:03d}",
            objective="Meningkatkan kunjungan masyarakat ke perpustakaan desa",
            indicator="Jumlah pengunjung per bulan",
        )
        for n, meeting in enumerate(meetings)
    )
    return meetings


def test_library_detail_people_pages_by_20_with_total(scenario, library):
    add_people(scenario, library, 25)
    client = scenario.client_for("officer")

    first = client.get(detail_url(library)).content.decode()
    second = client.get(detail_url(library, people_page=2)).content.decode()

    assert "25 orang" in first
    assert [f"Orang {n:03d}" in first for n in range(25)] == [True] * 20 + [False] * 5
    assert [f"Orang {n:03d}" in second for n in range(25)] == [False] * 20 + [True] * 5
    assert "?people_page=2#people-heading" in first


def test_library_detail_meetings_and_rtl_page_newest_first_each_on_its_own(scenario, library):
    people = add_people(scenario, library, 25)
    add_meetings(scenario, library, 25, people)
    client = scenario.client_for("officer")

    response = client.get(detail_url(library, meetings_page=2))

    meetings = [row["meeting__title"] for row in response.context["meetings"]]
    rtl = [action.activity for action in response.context["rtl_actions"]]
    # The five oldest meetings on the meetings' second page; the RTL list stays on its first page.
    assert meetings == [f"Pertemuan {n:03d}" for n in (4, 3, 2, 1, 0)]
    assert rtl == [f"Kegiatan {n:03d}" for n in range(24, 4, -1)]
    body = response.content.decode()
    assert "25 pertemuan" in body
    assert "25 baris RTL" in body
    # A page link of one list keeps the other list's page.
    assert "?meetings_page=2&amp;rtl_page=2#rtl-heading" in body


def test_library_detail_out_of_range_page_shows_last_page(scenario, library):
    add_people(scenario, library, 25)

    response = scenario.client_for("officer").get(detail_url(library, people_page=99))

    assert response.status_code == 200
    assert response.context["people"].number == 2


def test_library_detail_officer_never_sees_nor_counts_another_provinces_people(scenario, library):
    add_people(scenario, library, 3)
    # Bypassing the form's check: a Riau person whose home library is in Jambi.
    Person.objects.create(
        full_name="Orang Riau", phone="+6281399999999", province=scenario.riau, home_library=library
    )

    body = scenario.client_for("officer").get(detail_url(library)).content.decode()

    assert "Orang Riau" not in body
    assert "3 orang" in body


@pytest.mark.parametrize("rows", [10, 120])
def test_library_detail_query_count_does_not_grow_with_rows(
    scenario, library, django_assert_num_queries, rows
):
    people = add_people(scenario, library, rows)
    add_meetings(scenario, library, rows, people)
    client = scenario.client_for("officer")

    # session, user, library, awards, award meetings shown, the page's counts (activities, stories, RTL
    # done), count and page of people, meetings and RTL rows, enrolments, latest activities and stories
    with django_assert_num_queries(15):
        response = client.get(detail_url(library))

    assert len(response.context["people"]) == min(rows, 20)


def test_library_detail_html_stays_small_with_120_of_each(scenario, library):
    people = add_people(scenario, library, 120)
    add_meetings(scenario, library, 120, people)

    response = scenario.client_for("national").get(detail_url(library))

    assert response.context["meetings"].paginator.count == 120
    assert len(response.content) < 80_000
