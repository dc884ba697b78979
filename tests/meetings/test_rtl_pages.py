"""The RTL tab at national scale: whole cards paged by count and rows, writes answered on the card's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from libraries.models import Library, Person
from meetings.models import Participation, RtlAction
from meetings.presenters import RTL_PAGE_CARDS, RTL_PAGE_ROWS, rtl_pages
from plm_portal.choices import LineOfWork
from tests.factories import LibraryFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def represent(scenario, libraries: list[Library], people: int) -> None:
    """``people`` participants, spread over ``libraries`` in turn."""
    persons = Person.objects.bulk_create(
        Person(full_name=f"Peserta {n:03d}", phone=f"+62813{n:08d}", province=scenario.jambi)
        for n in range(people)
    )
    Participation.objects.bulk_create(
        Participation(
            meeting=scenario.meeting,
            person=person,
            library=libraries[n % len(libraries)],
            role="perpusdes",
        )
        for n, person in enumerate(persons)
    )


def libraries_of(scenario, count: int) -> list[Library]:
    # Names as long as real ones; zero-padded so the board's order is the creation order.
    return [
        LibraryFactory(
            name=f"Perpustakaan Desa Sungai Gelam {n:03d} Kabupaten Muaro Jambi",
            regency=scenario.kota_jambi,
        )
        for n in range(count)
    ]


def write_rows(scenario, libraries: list[Library], per_library: int) -> None:
    RtlAction.objects.bulk_create(
        RtlAction(
            meeting=scenario.meeting,
            library=library,
            order=n,
            line_of_work=LineOfWork.COMMUNITY,
            activity="Pelatihan pemasaran daring produk UMKM bagi ibu rumah tangga desa",
            objective="Ibu rumah tangga dan pemuda desa mampu memasarkan produk olahan secara "
            "daring lewat marketplace dan media sosial",
            target_group="Ibu rumah tangga dan pemuda desa (30 orang)",
            timeline="Oktober - Desember 2022",
            due_date=dt.date(2022, 12, 31),
            responsible="Kepala Perpustakaan Desa dan Karang Taruna",
            indicator="30 peserta ikut, 10 produk terjual daring dalam tiga bulan",
            status=RtlAction.Status.IN_PROGRESS,
            progress_note="Pelatihan pertama sudah berjalan, 18 peserta hadir.",
            progress_date=dt.date(2022, 10, 20),
        )
        for library in libraries
        for n in range(per_library)
    )


def rtl_url(scenario, page: int | None = None) -> str:
    url = reverse("meetings:rtl", args=[scenario.meeting.pk])
    return f"{url}?page={page}" if page else url


# --- the cut -----------------------------------------------------------------------------------------


def test_rtl_pages_cut_at_the_card_limit_and_the_row_limit_never_inside_a_card():
    libraries = [Library(pk=n, name=f"Perpustakaan {n}") for n in range(1, 8)]
    counts = [(1, "x", "planned", 2), (2, "x", "planned", 2), (3, "y", "done", 1)]
    counts += [(4, "x", "planned", 9), (5, "x", "planned", 1), (6, "x", "done", 0)]

    pages = rtl_pages(libraries, counts, cards=3, rows=5)

    assert [[lib.pk for lib in page] for page in pages] == [[1, 2, 3], [4], [5, 6, 7]]


def test_rtl_pages_of_a_meeting_without_libraries_is_one_empty_page():
    assert rtl_pages([], []) == [[]]


# --- the tab -----------------------------------------------------------------------------------------


def test_rtl_tab_100_participants_60_libraries_every_page_small_every_card_once(scenario):
    libraries = libraries_of(scenario, 60)
    represent(scenario, libraries, 100)
    write_rows(scenario, libraries, 3)
    client = scenario.client_for("officer")

    seen, sizes, number = [], [], 1
    while True:
        response = client.get(rtl_url(scenario, number))
        cards = response.context["cards"]
        assert len(cards) <= RTL_PAGE_CARDS
        assert sum(len(card.rows) for card in cards) <= RTL_PAGE_ROWS
        seen += [card.library for card in cards]
        sizes.append(len(response.content))
        if not response.context["page"].has_next():
            break
        number += 1

    assert seen == libraries
    # Rows with every field filled at length: about 70 kB a page, under the 80 kB of every page.
    # 70 kB before the navigation gained the dashboards and exports (about 70.8 kB on PostgreSQL's longer ids).
    assert max(sizes) < 75_000
    assert response.context["summary"].total == 180


def test_rtl_tab_second_page_shows_the_next_cards_and_where_they_are(scenario):
    libraries = libraries_of(scenario, 20)
    represent(scenario, libraries, 20)

    response = scenario.client_for("officer").get(rtl_url(scenario, 2))

    assert [card.library for card in response.context["cards"]] == libraries[RTL_PAGE_CARDS:]
    body = response.content.decode()
    assert f"Perpustakaan {RTL_PAGE_CARDS + 1}\u201320 dari 20" in body
    assert "Halaman 2 dari 2" in body
    assert "?page=1#rtl-cards-range" in body


@pytest.mark.parametrize("rows", [10, 120])
def test_rtl_tab_query_count_does_not_grow_with_rows(scenario, django_assert_num_queries, rows):
    libraries = libraries_of(scenario, rows // 2)
    represent(scenario, libraries, rows)
    write_rows(scenario, libraries, 2)
    client = scenario.client_for("officer")

    # session, user, meeting, row counts, libraries, the shown cards' rows, their follow-ups
    with django_assert_num_queries(7):
        response = client.get(rtl_url(scenario))

    assert response.context["cards"]


def test_rtl_tab_rows_carry_two_links_and_no_form(scenario):
    libraries = libraries_of(scenario, 1)
    write_rows(scenario, libraries, 2)

    response = scenario.client_for("officer").get(rtl_url(scenario))

    board = response.content.decode().split('id="rtl-board"')[1].split('id="rtl-new"')[0]
    assert board.count('<tr id="rtl-row-') == 2
    assert "<form" not in board
    assert "data-confirm" not in board


def test_rtl_edit_form_carries_the_delete_button(scenario):
    libraries = libraries_of(scenario, 1)
    write_rows(scenario, libraries, 1)
    action = RtlAction.objects.get()

    response = scenario.client_for("officer").get(
        reverse("meetings:rtl_edit", args=[scenario.meeting.pk, action.pk]), **HTMX
    )

    body = response.content.decode()
    delete_url = reverse("meetings:rtl_delete", args=[scenario.meeting.pk, action.pk])
    assert f'form="rtl-delete-{action.pk}"' in body
    assert f'action="{delete_url}" id="rtl-delete-{action.pk}"' in body
    assert "csrfmiddlewaretoken" in body


# --- writes on a later page --------------------------------------------------------------------------


def test_rtl_new_row_on_a_later_page_answers_that_card(scenario):
    libraries = libraries_of(scenario, 20)
    represent(scenario, libraries, 20)
    library = libraries[-1]

    response = scenario.client_for("officer").post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        {
            "place": library.pk,
            "library": library.pk,
            "activity": "Pojok baca anak",
            "line_of_work": LineOfWork.SERVICES,
        },
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://testserver{rtl_url(scenario, 2)}",
        },
    )

    assert response["HX-Retarget"] == f"#rtl-library-{library.pk}"
    assert response.context["card"].library == library
    assert RtlAction.objects.get().library == library


def test_rtl_row_moved_to_a_card_on_another_page_answers_that_page(scenario):
    libraries = libraries_of(scenario, 20)
    represent(scenario, libraries, 20)
    write_rows(scenario, libraries[:1], 1)
    action = RtlAction.objects.get()
    target = libraries[-1]

    response = scenario.client_for("officer").post(
        reverse("meetings:rtl_edit", args=[scenario.meeting.pk, action.pk]),
        {"library": target.pk, "activity": "Pindah", "line_of_work": LineOfWork.SERVICES},
        **HTMX,
    )

    assert response["HX-Retarget"] == "#rtl-board"
    assert response["HX-Replace-Url"] == rtl_url(scenario, 2)
    assert response.context["page"].number == 2
    assert f'id="rtl-row-{action.pk}"' in response.content.decode()


def test_rtl_write_without_htmx_returns_to_the_page_of_the_card(scenario):
    libraries = libraries_of(scenario, 20)
    represent(scenario, libraries, 20)
    write_rows(scenario, libraries[-1:], 1)
    action = RtlAction.objects.get()

    response = scenario.client_for("officer").post(
        reverse("meetings:rtl_progress", args=[scenario.meeting.pk, action.pk]),
        {
            "status": RtlAction.Status.DONE,
            "progress_date": "2022-11-01",
            "progress_note": "Selesai",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{rtl_url(scenario, 2)}#rtl-row-{action.pk}"


def test_rtl_edit_without_htmx_opens_the_page_of_the_row(scenario):
    libraries = libraries_of(scenario, 20)
    represent(scenario, libraries, 20)
    write_rows(scenario, libraries[-1:], 1)
    action = RtlAction.objects.get()

    response = scenario.client_for("officer").get(
        reverse("meetings:rtl_edit", args=[scenario.meeting.pk, action.pk])
    )

    assert response.context["page"].number == 2
    assert response.context["cards"][-1].rows[0].mode == "edit"
