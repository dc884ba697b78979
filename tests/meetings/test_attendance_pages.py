"""The attendance tab at national scale: 50 rows a page, the search and "not yet present" asked of the server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from libraries.models import Person
from meetings.models import Attendance, Meeting, Participation
from tests.factories import LibraryFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2022, 8, 2)
AT_DOOR = dt.datetime(2022, 8, 2, 1, 32, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


def fill(scenario, count: int, *, present: int = 0) -> list[Participation]:
    """``count`` participants named in list order ("Peserta 000" first); the first ``present`` are present."""
    library = LibraryFactory(name="Perpustakaan Desa Sukamaju", regency=scenario.kota_jambi)
    people = Person.objects.bulk_create(
        Person(
            full_name=f"Peserta {n:03d}",
            phone=f"+62813{n:04d}{7000 + n:04d}",
            province=scenario.jambi,
            home_library=library,
        )
        for n in range(count)
    )
    rows = Participation.objects.bulk_create(
        Participation(meeting=scenario.meeting, person=person, library=library, role="perpusdes")
        for person in people
    )
    Attendance.objects.bulk_create(
        Attendance(participation=row, day=DAY, checked_in_at=AT_DOOR) for row in rows[:present]
    )
    return rows


def attendance_url(meeting: Meeting, **query) -> str:
    url = reverse("meetings:attendance", args=[meeting.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def names(response) -> list[str]:
    return [row.person.full_name for row in response.context["rows"]]


def test_attendance_tab_pages_by_50_and_the_last_page_shows_the_rest(scenario):
    fill(scenario, 120)
    client = scenario.client_for("officer")

    pages = [names(client.get(attendance_url(scenario.meeting, page=n))) for n in (1, 2, 3)]

    assert [len(page) for page in pages] == [50, 50, 20]
    assert [name for page in pages for name in page] == [f"Peserta {n:03d}" for n in range(120)]


def test_attendance_tab_counter_counts_the_whole_meeting_on_every_page(scenario):
    fill(scenario, 120, present=70)

    response = scenario.client_for("officer").get(attendance_url(scenario.meeting, page=3))

    assert "Hadir <strong>70</strong> dari 120" in response.content.decode()
    assert "Halaman 3 dari 3" in response.content.decode()


@pytest.mark.parametrize("count", [10, 120])
def test_attendance_tab_query_count_does_not_grow_with_rows(
    scenario, django_assert_num_queries, count
):
    fill(scenario, count, present=count // 2)
    client = scenario.client_for("officer")

    # session, user, meeting, present and total, the page's rows
    with django_assert_num_queries(5):
        response = client.get(attendance_url(scenario.meeting))

    assert len(response.context["rows"]) == min(count, 50)


def test_attendance_tab_html_stays_small_with_120_participants(scenario):
    fill(scenario, 120, present=60)

    response = scenario.client_for("officer").get(attendance_url(scenario.meeting))

    assert len(response.content) < 50_000


def test_attendance_search_finds_someone_on_a_later_page(scenario):
    fill(scenario, 120)

    response = scenario.client_for("officer").get(attendance_url(scenario.meeting, q="peserta 117"))

    assert names(response) == ["Peserta 117"]
    assert "· 1 cocok" in response.content.decode()


def test_attendance_search_by_htmx_answers_the_list_and_the_match_count(scenario):
    fill(scenario, 120)

    response = scenario.client_for("officer").get(
        attendance_url(scenario.meeting, q="peserta 11"), **HTMX
    )

    body = response.content.decode()
    assert names(response) == ["Peserta 011", *(f"Peserta {n}" for n in range(110, 120))]
    assert body.lstrip().startswith('<div id="att-results">')
    assert "<html" not in body
    assert '<span id="att-matches" hx-swap-oob="innerHTML">· 11 cocok</span>' in body
    assert "HX-Request" in response["Vary"]


def test_attendance_search_four_digits_match_the_end_of_the_phone(scenario):
    # Phones are +62813 0nnn 7nnn: "7005" ends one number; "0005" is inside one, not at its end.
    fill(scenario, 12)
    client = scenario.client_for("officer")

    end = client.get(attendance_url(scenario.meeting, q="7005"))
    inside = client.get(attendance_url(scenario.meeting, q="0005"))

    assert names(end) == ["Peserta 005"]
    assert names(inside) == []


def test_attendance_search_too_short_leaves_the_list_whole(scenario):
    fill(scenario, 60)

    response = scenario.client_for("officer").get(attendance_url(scenario.meeting, q="pe"))

    assert len(response.context["rows"]) == 50
    assert response.context["filtering"] is False
    assert "Halaman 1 dari 2" in response.content.decode()


def test_attendance_absent_lists_only_who_is_not_present_that_day(scenario):
    fill(scenario, 60, present=45)

    response = scenario.client_for("officer").get(attendance_url(scenario.meeting, absent=1))

    assert names(response) == [f"Peserta {n:03d}" for n in range(45, 60)]
    assert "Hadir <strong>45</strong> dari 60" in response.content.decode()


def test_attendance_page_links_keep_day_and_search(scenario):
    fill(scenario, 120)

    body = (
        scenario.client_for("officer")
        .get(attendance_url(scenario.meeting, q="peserta", page=2))
        .content.decode()
    )

    assert "?day=2022-08-02&amp;q=peserta&amp;page=3" in body
    assert (
        '<input type="hidden" name="back" value="day=2022-08-02&amp;q=peserta&amp;page=2">' in body
    )


def test_attendance_toggle_without_htmx_returns_to_the_page_it_came_from(scenario, monkeypatch):
    rows = fill(scenario, 120)
    monkeypatch.setattr("django.utils.timezone.now", lambda: AT_DOOR)
    row = rows[117]

    response = scenario.client_for("officer").post(
        reverse("meetings:attendance_toggle", args=[scenario.meeting.pk]),
        {"day": "2022-08-02", "mark": row.pk, "back": "q=peserta&page=3&next=//evil.test"},
    )

    assert response.status_code == 302
    assert response["Location"] == (
        f"{attendance_url(scenario.meeting)}?day=2022-08-02&q=peserta&page=3#p{row.pk}"
    )
    assert Attendance.objects.filter(participation=row, day=DAY).exists()


def test_attendance_tab_other_officer_sees_nothing(scenario):
    fill(scenario, 3)

    response = scenario.client_for("other_officer").get(
        attendance_url(scenario.meeting, q="peserta")
    )

    assert response.status_code == 404
