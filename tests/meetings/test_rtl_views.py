"""The RTL tab: RTL rows per represented library, their progress, and who may change them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.models import RtlAction
from meetings.services.rtl import (
    create_rtl_action,
    delete_rtl_action,
    record_rtl_progress,
    update_rtl_action,
)
from plm_portal.choices import LineOfWork
from tests.factories import (
    LibraryFactory,
    MeetingFactory,
    ParticipationFactory,
    RegencyFactory,
    RtlActionFactory,
)
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

# Who may read the tab, and who may write in it: another province's officer and an unassigned facilitator
# don't see the meeting at all (404); the assigned facilitator sees it but may not change it (403).
READ_STATUS = {
    "national": 200,
    "officer": 200,
    "other_officer": 404,
    "facilitator": 200,
    "other_facilitator": 404,
    "anonymous": 302,
}
WRITE_STATUS = {**READ_STATUS, "facilitator": 403}


@pytest.fixture
def kota_jambi_library(scenario):
    library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    ParticipationFactory(meeting=scenario.meeting, library=library)
    return library


@pytest.fixture
def riau_library(scenario):
    return LibraryFactory(
        name="Dinas Perpustakaan Kota Pekanbaru",
        regency=RegencyFactory(province=scenario.riau, code="14.71", name="Kota Pekanbaru"),
    )


def row_data(card_library, **overrides) -> dict:
    """What a library card's add form posts (``place`` is the card, ``library`` the hidden field)."""
    data = {
        "place": str(card_library.pk),
        "library": str(card_library.pk),
        "activity": "Pelatihan konten video untuk pemuda",
        "line_of_work": LineOfWork.COMMUNITY,
        "objective": "Pemuda desa mampu membuat video promosi",
        "target_group": "Karang taruna",
        "timeline": "Oktober 2022",
        "due_date": "2022-10-31",
        "responsible": "Kepala perpustakaan",
        "indicator": "20 pemuda ikut, 10 video terbit",
    }
    data.update(overrides)
    return data


def snapshot(meeting) -> list[tuple]:
    return list(
        RtlAction.objects.filter(meeting=meeting)
        .order_by("pk")
        .values_list(
            "pk", "library_id", "activity", "status", "progress_note", "progress_date", "order"
        )
    )


def urls(meeting, action) -> dict[str, str]:
    return {
        "row": reverse("meetings:rtl_row", args=[meeting.pk, action.pk]),
        "edit": reverse("meetings:rtl_edit", args=[meeting.pk, action.pk]),
        "progress": reverse("meetings:rtl_progress", args=[meeting.pk, action.pk]),
        "delete": reverse("meetings:rtl_delete", args=[meeting.pk, action.pk]),
    }


# --- the tab --------------------------------------------------------------------------------------


def test_rtl_tab_groups_rows_per_represented_library(scenario, kota_jambi_library):
    muaro = LibraryFactory(name="Perpustakaan Umum Muaro Jambi", regency=scenario.kota_jambi)
    first = RtlActionFactory(
        meeting=scenario.meeting, library=kota_jambi_library, activity="Pojok baca", order=0
    )
    second = RtlActionFactory(
        meeting=scenario.meeting,
        library=kota_jambi_library,
        activity="Kelas menjahit",
        order=1,
        due_date=dt.date(2022, 9, 2),
        status=RtlAction.Status.DONE,
        progress_note="Sudah 3 angkatan",
        progress_date=dt.date(2022, 10, 5),
    )
    other = RtlActionFactory(meeting=scenario.meeting, library=muaro, activity="Advokasi")

    response = scenario.client_for("officer").get(
        reverse("meetings:rtl", args=[scenario.meeting.pk])
    )

    assert response.status_code == 200
    cards = {
        card.library.name: [row.action for row in card.rows] for card in response.context["cards"]
    }
    assert cards == {
        "Dinas Perpustakaan Kota Jambi": [first, second],
        "Perpustakaan Umum Muaro Jambi": [other],
    }
    html = response.content.decode()
    assert "Tenggat 2 September 2022" in html
    assert "per 5 Oktober 2022" in html
    assert "Sudah 3 angkatan" in html
    summary = response.context["summary"]
    assert summary.total == 3
    assert dict(summary.by_line)[LineOfWork.SERVICES.label] == 3
    assert [(value, count) for value, _, count in summary.by_status] == [
        ("planned", 2),
        ("in_progress", 0),
        ("done", 1),
    ]


def test_rtl_tab_shows_represented_library_without_rows(scenario, kota_jambi_library):
    response = scenario.client_for("officer").get(
        reverse("meetings:rtl", args=[scenario.meeting.pk])
    )

    assert [card.library for card in response.context["cards"]] == [kota_jambi_library]
    assert "Belum ada baris RTL untuk perpustakaan ini." in response.content.decode()


def test_rtl_tab_leaves_out_libraries_of_other_meetings(scenario, kota_jambi_library):
    other_meeting = MeetingFactory(province=scenario.jambi)
    RtlActionFactory(meeting=other_meeting, activity="Rahasia pertemuan lain")

    response = scenario.client_for("officer").get(
        reverse("meetings:rtl", args=[scenario.meeting.pk])
    )

    assert [card.library for card in response.context["cards"]] == [kota_jambi_library]
    assert "Rahasia pertemuan lain" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_rtl_tab_role_matrix(scenario, kota_jambi_library, role):
    action = RtlActionFactory(
        meeting=scenario.meeting, library=kota_jambi_library, activity="Pojok baca"
    )

    response = scenario.client_for(role).get(reverse("meetings:rtl", args=[scenario.meeting.pk]))

    assert response.status_code == READ_STATUS[role]
    if response.status_code == 200:
        html = response.content.decode()
        assert "Pojok baca" in html
        can_edit = role in ("national", "officer")
        assert ("Tambah baris RTL" in html) is can_edit
        # Deleting is in the edit form, loaded when asked for.
        assert (
            "Perkembangan" in html and urls(scenario.meeting, action)["edit"] in html
        ) is can_edit


def test_rtl_tab_facilitator_is_read_only(scenario, kota_jambi_library):
    RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)

    response = scenario.client_for("facilitator").get(
        reverse("meetings:rtl", args=[scenario.meeting.pk])
    )

    board = response.content.decode().split('id="rtl-board"')[1].split("</main>")[0]
    assert response.status_code == 200
    assert "<form" not in board
    assert "hx-post" not in board


@pytest.mark.parametrize("rows", [1, 3])
def test_rtl_tab_query_count_does_not_grow_with_rows(
    scenario, kota_jambi_library, django_assert_num_queries, rows
):
    libraries = [kota_jambi_library] + [
        LibraryFactory(regency=scenario.kota_jambi) for _ in range(rows - 1)
    ]
    for library in libraries:
        ParticipationFactory(meeting=scenario.meeting, library=library)
        RtlActionFactory(meeting=scenario.meeting, library=library)
    client = scenario.client_for("officer")
    url = reverse("meetings:rtl", args=[scenario.meeting.pk])

    # session, user, meeting, row counts, libraries, the shown cards' rows, their follow-ups: the forms are
    # loaded when asked for
    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.status_code == 200
    assert sum(len(card.rows) for card in response.context["cards"]) == rows


def test_rtl_tab_html_grows_with_rows_not_with_cards_times_form(scenario, kota_jambi_library):
    """A card carries a link to its add form, not the form; the 'other library' list is not sent either."""
    client = scenario.client_for("officer")
    url = reverse("meetings:rtl", args=[scenario.meeting.pk])
    sizes = []
    for _ in range(2):
        for _ in range(5):
            library = LibraryFactory(regency=scenario.kota_jambi)
            ParticipationFactory(meeting=scenario.meeting, library=library)
            RtlActionFactory(meeting=scenario.meeting, library=library)
        sizes.append(len(client.get(url).content))

    body = client.get(url).content.decode()
    assert 'name="activity"' not in body
    assert 'name="line_of_work"' not in body and 'name="library"' not in body
    # five more cards of one row each: a card header, a row and a link, a few KB
    assert sizes[1] - sizes[0] < 5 * 4096


def test_rtl_add_form_loads_on_request_into_the_card(scenario, kota_jambi_library):
    ParticipationFactory(meeting=scenario.meeting, library=kota_jambi_library)
    client = scenario.client_for("officer")
    url = reverse("meetings:rtl_new", args=[scenario.meeting.pk])

    partial = client.get(url, {"place": kota_jambi_library.pk}, headers={"HX-Request": "true"})
    page = client.get(url, {"place": kota_jambi_library.pk})

    body = partial.content.decode()
    assert f'id="rtl-add-{kota_jambi_library.pk}"' in body and 'name="activity"' in body
    assert "<html" not in body
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert page.context["cards"][0].add_open


def test_rtl_add_form_is_refused_to_who_cannot_edit(scenario, kota_jambi_library):
    url = reverse("meetings:rtl_new", args=[scenario.meeting.pk])

    response = scenario.client_for("facilitator").get(url, {"place": "new"})

    assert response.status_code in (403, 404)


# --- adding rows ----------------------------------------------------------------------------------


def test_rtl_new_creates_row_last_in_its_library(scenario, kota_jambi_library):
    RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library, order=4)
    client = scenario.client_for("officer")

    response = client.post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        row_data(kota_jambi_library),
        **HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#rtl-library-{kota_jambi_library.pk}"
    action = RtlAction.objects.get(activity="Pelatihan konten video untuk pemuda")
    assert (action.meeting, action.library, action.order) == (
        scenario.meeting,
        kota_jambi_library,
        5,
    )
    assert (action.line_of_work, action.due_date, action.status) == (
        LineOfWork.COMMUNITY,
        dt.date(2022, 10, 31),
        RtlAction.Status.PLANNED,
    )
    html = response.content.decode()
    assert (
        'id="rtl-summary" class="mb-4" aria-labelledby="rtl-summary-title" hx-swap-oob="true"'
        in html
    )
    assert "Baris RTL untuk Dinas Perpustakaan Kota Jambi tersimpan." in html


def test_rtl_new_without_htmx_redirects_to_tab(scenario, kota_jambi_library):
    response = scenario.client_for("national").post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]), row_data(kota_jambi_library)
    )

    action = RtlAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("meetings:rtl", args=[scenario.meeting.pk]) + f"#rtl-row-{action.pk}"
    )


def test_rtl_new_rows_are_shown_in_order_added(scenario, kota_jambi_library):
    client = scenario.client_for("officer")
    url = reverse("meetings:rtl_new", args=[scenario.meeting.pk])
    for activity in ("Satu", "Dua", "Tiga"):
        client.post(url, row_data(kota_jambi_library, activity=activity), **HTMX)

    response = client.get(reverse("meetings:rtl", args=[scenario.meeting.pk]))

    card = response.context["cards"][0]
    assert [(row.number, row.action.activity) for row in card.rows] == [
        (1, "Satu"),
        (2, "Dua"),
        (3, "Tiga"),
    ]


def test_rtl_new_for_library_not_represented_adds_its_card(scenario):
    library = LibraryFactory(name="Perpustakaan Desa Mendalo", regency=scenario.kota_jambi)

    response = scenario.client_for("officer").post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        row_data(library, place="new"),
        **HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#rtl-board"
    assert RtlAction.objects.get().library == library
    assert f'id="rtl-library-{library.pk}"' in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_rtl_new_role_matrix(scenario, kota_jambi_library, role):
    response = scenario.client_for(role).post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        row_data(kota_jambi_library),
        **HTMX,
    )

    if role in ("national", "officer"):
        assert response.status_code == 200
        assert RtlAction.objects.count() == 1
    else:
        assert response.status_code == WRITE_STATUS[role]
        assert RtlAction.objects.count() == 0


def test_rtl_new_missing_activity_shows_error_and_keeps_input(scenario, kota_jambi_library):
    response = scenario.client_for("officer").post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        row_data(kota_jambi_library, activity="  ", target_group="Ibu-ibu PKK"),
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert f'id="rtl-add-{kota_jambi_library.pk}"' in html
    assert "Bidang ini tidak boleh kosong." in html
    assert 'value="Ibu-ibu PKK"' in html
    assert "Pemuda desa mampu membuat video promosi" in html
    assert RtlAction.objects.count() == 0


def test_rtl_new_missing_activity_without_htmx_shows_page_with_form_open(
    scenario, kota_jambi_library
):
    response = scenario.client_for("officer").post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        row_data(kota_jambi_library, activity=""),
    )

    assert response.status_code == 200
    card = response.context["cards"][0]
    assert card.add_open is True
    assert card.add_form.errors["activity"] == ["Bidang ini tidak boleh kosong."]
    assert RtlAction.objects.count() == 0


def test_rtl_new_library_of_other_province_is_refused(scenario, kota_jambi_library, riau_library):
    response = scenario.client_for("officer").post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        row_data(kota_jambi_library, library=str(riau_library.pk)),
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Pilih perpustakaan di provinsi Jambi." in html
    assert 'value="Pelatihan konten video untuk pemuda"' in html
    assert RtlAction.objects.count() == 0


def test_rtl_new_library_of_other_province_refused_for_national_staff(scenario, riau_library):
    response = scenario.client_for("national").post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        row_data(riau_library, place="new"),
        **HTMX,
    )

    assert response.status_code == 200
    assert "Pilih perpustakaan di provinsi Jambi." in response.content.decode()
    assert RtlAction.objects.count() == 0


def test_rtl_new_other_library_form_lists_only_meeting_province(
    scenario, kota_jambi_library, riau_library
):
    response = scenario.client_for("national").get(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        {"place": "new"},
        headers={"HX-Request": "true"},
    )

    choices = list(response.context["new_form"].fields["library"].queryset)
    assert choices == [kota_jambi_library]


@pytest.mark.parametrize(
    ("due_date", "message"),
    [
        ("2022-08-01", "Tenggat tidak boleh sebelum tanggal mulai pertemuan (2 Agustus 2022)."),
        ("2022-02-30", "Masukkan tanggal yang valid."),
        ("besok", "Masukkan tanggal yang valid."),
    ],
)
def test_rtl_new_bad_due_date_is_refused(scenario, kota_jambi_library, due_date, message):
    response = scenario.client_for("officer").post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        row_data(kota_jambi_library, due_date=due_date),
        **HTMX,
    )

    html = response.content.decode()
    assert message in html
    assert f'value="{due_date}"' in html
    assert RtlAction.objects.count() == 0


def test_rtl_new_junk_place_and_line_of_work_never_fail(scenario, kota_jambi_library):
    response = scenario.client_for("officer").post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        row_data(kota_jambi_library, place="²", line_of_work="sihir", library="x"),
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="rtl-new"' in html
    assert "Pilih salah satu lini kerja." in html
    assert RtlAction.objects.count() == 0


# --- editing and deleting -------------------------------------------------------------------------


def test_rtl_edit_get_opens_form_in_row(scenario, kota_jambi_library):
    action = RtlActionFactory(
        meeting=scenario.meeting, library=kota_jambi_library, activity="Pojok baca"
    )

    response = scenario.client_for("officer").get(urls(scenario.meeting, action)["edit"], **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="rtl-row-{action.pk}" class="rtl-open">')
    assert 'value="Pojok baca"' in html
    assert "Ubah baris 1" in html


def test_rtl_edit_get_without_htmx_shows_page_with_row_open(scenario, kota_jambi_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)

    response = scenario.client_for("officer").get(urls(scenario.meeting, action)["edit"])

    assert response.status_code == 200
    assert response.context["cards"][0].rows[0].mode == "edit"


def test_rtl_edit_saves_changes(scenario, kota_jambi_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)

    response = scenario.client_for("officer").post(
        urls(scenario.meeting, action)["edit"],
        row_data(kota_jambi_library, activity="Kelas literasi digital", due_date=""),
        **HTMX,
    )

    action.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#rtl-library-{kota_jambi_library.pk}"
    assert (action.activity, action.due_date, action.responsible) == (
        "Kelas literasi digital",
        None,
        "Kepala perpustakaan",
    )
    assert "Kelas literasi digital" in response.content.decode()


def test_rtl_edit_moving_row_to_other_library_puts_it_last(scenario, kota_jambi_library):
    other = LibraryFactory(regency=scenario.kota_jambi)
    RtlActionFactory(meeting=scenario.meeting, library=other, order=7)
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library, order=0)

    response = scenario.client_for("officer").post(
        urls(scenario.meeting, action)["edit"], row_data(other), **HTMX
    )

    action.refresh_from_db()
    assert response["HX-Retarget"] == "#rtl-board"
    assert (action.library, action.order) == (other, 8)


def test_rtl_edit_library_of_other_province_is_refused(scenario, kota_jambi_library, riau_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    before = snapshot(scenario.meeting)

    response = scenario.client_for("officer").post(
        urls(scenario.meeting, action)["edit"], row_data(riau_library), **HTMX
    )

    assert response.status_code == 200
    assert "Pilih perpustakaan di provinsi Jambi." in response.content.decode()
    assert snapshot(scenario.meeting) == before


def test_rtl_edit_missing_activity_keeps_input(scenario, kota_jambi_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    before = snapshot(scenario.meeting)

    response = scenario.client_for("officer").post(
        urls(scenario.meeting, action)["edit"],
        row_data(kota_jambi_library, activity="", indicator="Jumlah pengunjung naik"),
        **HTMX,
    )

    html = response.content.decode()
    assert "Bidang ini tidak boleh kosong." in html
    assert "Jumlah pengunjung naik" in html
    assert snapshot(scenario.meeting) == before


@pytest.mark.parametrize("role", ROLES)
def test_rtl_edit_role_matrix(scenario, kota_jambi_library, role):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    before = snapshot(scenario.meeting)
    client = scenario.client_for(role)

    get = client.get(urls(scenario.meeting, action)["edit"], **HTMX)
    post = client.post(
        urls(scenario.meeting, action)["edit"],
        row_data(kota_jambi_library, activity="Diubah"),
        **HTMX,
    )

    if role in ("national", "officer"):
        assert (get.status_code, post.status_code) == (200, 200)
        assert RtlAction.objects.get().activity == "Diubah"
    else:
        assert (get.status_code, post.status_code) == (WRITE_STATUS[role], WRITE_STATUS[role])
        assert snapshot(scenario.meeting) == before


def test_rtl_edit_row_of_another_meeting_is_not_found(scenario, kota_jambi_library):
    other_meeting = MeetingFactory(province=scenario.jambi)
    action = RtlActionFactory(meeting=other_meeting, library=kota_jambi_library)
    before = snapshot(other_meeting)
    url = reverse("meetings:rtl_edit", args=[scenario.meeting.pk, action.pk])

    response = scenario.client_for("officer").post(url, row_data(kota_jambi_library), **HTMX)

    assert response.status_code == 404
    assert snapshot(other_meeting) == before


@pytest.mark.parametrize("role", ROLES)
def test_rtl_row_role_matrix(scenario, kota_jambi_library, role):
    action = RtlActionFactory(
        meeting=scenario.meeting, library=kota_jambi_library, activity="Pojok baca"
    )

    response = scenario.client_for(role).get(urls(scenario.meeting, action)["row"], **HTMX)

    assert response.status_code == READ_STATUS[role]
    if response.status_code == 200:
        assert "Pojok baca" in response.content.decode()


def test_rtl_row_without_htmx_redirects_to_row(scenario, kota_jambi_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)

    response = scenario.client_for("officer").get(urls(scenario.meeting, action)["row"])

    assert response.status_code == 302
    assert response["Location"].endswith(f"/rtl/#rtl-row-{action.pk}")


def test_rtl_delete_removes_row_and_renumbers(scenario, kota_jambi_library):
    first = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library, order=0)
    second = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library, order=1)

    response = scenario.client_for("officer").post(urls(scenario.meeting, first)["delete"], **HTMX)

    assert response.status_code == 200
    assert list(RtlAction.objects.all()) == [second]
    assert response.context["card"].rows[0].number == 1


def test_rtl_delete_last_row_of_unrepresented_library_returns_board(scenario):
    library = LibraryFactory(regency=scenario.kota_jambi)
    action = RtlActionFactory(meeting=scenario.meeting, library=library)

    response = scenario.client_for("officer").post(urls(scenario.meeting, action)["delete"], **HTMX)

    assert response["HX-Retarget"] == "#rtl-board"
    assert f'id="rtl-library-{library.pk}"' not in response.content.decode()
    assert RtlAction.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_rtl_delete_role_matrix(scenario, kota_jambi_library, role):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    before = snapshot(scenario.meeting)

    response = scenario.client_for(role).post(urls(scenario.meeting, action)["delete"], **HTMX)

    if role in ("national", "officer"):
        assert response.status_code == 200
        assert RtlAction.objects.count() == 0
    else:
        assert response.status_code == WRITE_STATUS[role]
        assert snapshot(scenario.meeting) == before


def test_rtl_delete_by_get_is_not_allowed(scenario, kota_jambi_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)

    response = scenario.client_for("officer").get(urls(scenario.meeting, action)["delete"])

    assert response.status_code == 405
    assert RtlAction.objects.count() == 1


# --- progress -------------------------------------------------------------------------------------


def test_rtl_progress_form_defaults_to_today_in_meeting_province(scenario, kota_jambi_library):
    action = RtlActionFactory(
        meeting=scenario.meeting, library=kota_jambi_library, progress_date=dt.date(2022, 9, 1)
    )
    today = timezone.localdate(timezone=dt.timezone(dt.timedelta(hours=7)))

    response = scenario.client_for("officer").get(
        urls(scenario.meeting, action)["progress"], **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{today.isoformat()}"' in html
    assert 'min="2022-08-02"' in html


def test_rtl_progress_records_status_note_and_date(scenario, kota_jambi_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)

    response = scenario.client_for("officer").post(
        urls(scenario.meeting, action)["progress"],
        {
            "status": "in_progress",
            "progress_note": "Dua kelas sudah jalan",
            "progress_date": "2022-09-15",
        },
        **HTMX,
    )

    action.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#rtl-library-{kota_jambi_library.pk}"
    assert (action.status, action.progress_note, action.progress_date) == (
        RtlAction.Status.IN_PROGRESS,
        "Dua kelas sudah jalan",
        dt.date(2022, 9, 15),
    )
    html = response.content.decode()
    assert "per 15 September 2022" in html
    assert "Dua kelas sudah jalan" in html


def test_rtl_progress_empty_date_means_today(scenario, kota_jambi_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    today = timezone.localdate(timezone=dt.timezone(dt.timedelta(hours=7)))

    scenario.client_for("officer").post(
        urls(scenario.meeting, action)["progress"],
        {"status": "done", "progress_note": "", "progress_date": ""},
        **HTMX,
    )

    action.refresh_from_db()
    assert (action.status, action.progress_date) == (RtlAction.Status.DONE, today)


@pytest.mark.parametrize(
    ("progress_date", "message"),
    [
        (
            "2022-08-01",
            "Tanggal perkembangan tidak boleh sebelum tanggal mulai pertemuan (2 Agustus 2022).",
        ),
        ("2099-01-01", "Tanggal perkembangan tidak boleh di masa depan"),
        ("31/31/2022", "Masukkan tanggal yang valid."),
    ],
)
def test_rtl_progress_bad_date_is_refused(scenario, kota_jambi_library, progress_date, message):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    before = snapshot(scenario.meeting)

    response = scenario.client_for("officer").post(
        urls(scenario.meeting, action)["progress"],
        {"status": "done", "progress_note": "Selesai semua", "progress_date": progress_date},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Selesai semua" in html
    assert snapshot(scenario.meeting) == before


def test_rtl_progress_unknown_status_is_refused(scenario, kota_jambi_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    before = snapshot(scenario.meeting)

    response = scenario.client_for("officer").post(
        urls(scenario.meeting, action)["progress"],
        {"status": "batal", "progress_note": "", "progress_date": "2022-09-01"},
        **HTMX,
    )

    assert response.status_code == 200
    assert "Pilih salah satu status." in response.content.decode()
    assert snapshot(scenario.meeting) == before


@pytest.mark.parametrize("role", ROLES)
def test_rtl_progress_role_matrix(scenario, kota_jambi_library, role):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    before = snapshot(scenario.meeting)
    client = scenario.client_for(role)

    get = client.get(urls(scenario.meeting, action)["progress"], **HTMX)
    post = client.post(
        urls(scenario.meeting, action)["progress"],
        {"status": "done", "progress_note": "Tuntas", "progress_date": "2022-09-01"},
        **HTMX,
    )

    if role in ("national", "officer"):
        assert (get.status_code, post.status_code) == (200, 200)
        assert RtlAction.objects.get().status == RtlAction.Status.DONE
    else:
        assert (get.status_code, post.status_code) == (WRITE_STATUS[role], WRITE_STATUS[role])
        assert snapshot(scenario.meeting) == before


@pytest.mark.parametrize(
    ("time_zone", "expected"),
    [("Asia/Jakarta", "2022-09-30"), ("Asia/Jayapura", "2022-10-01")],
)
def test_rtl_progress_date_defaults_to_today_where_the_meeting_is(
    scenario, kota_jambi_library, monkeypatch, time_zone, expected
):
    # 16:30 UTC: still 30 September in WIB (UTC+7), already 1 October in WIT (UTC+9).
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2022, 9, 30, 16, 30, tzinfo=dt.UTC))
    scenario.jambi.time_zone = time_zone
    scenario.jambi.save()
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)

    response = scenario.client_for("officer").get(
        urls(scenario.meeting, action)["progress"], **HTMX
    )

    assert f'value="{expected}"' in response.content.decode()


def test_rtl_progress_bad_date_without_htmx_shows_page_with_row_open(scenario, kota_jambi_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    before = snapshot(scenario.meeting)

    response = scenario.client_for("officer").post(
        urls(scenario.meeting, action)["progress"],
        {"status": "done", "progress_note": "Tuntas", "progress_date": "2022-01-01"},
    )

    row = response.context["cards"][0].rows[0]
    assert response.status_code == 200
    assert (row.mode, row.form.data["progress_note"]) == ("progress", "Tuntas")
    assert "progress_date" in row.form.errors
    assert snapshot(scenario.meeting) == before


def test_rtl_new_other_library_without_htmx_keeps_input_on_error(scenario, riau_library):
    response = scenario.client_for("national").post(
        reverse("meetings:rtl_new", args=[scenario.meeting.pk]),
        row_data(riau_library, place="new"),
    )

    assert response.status_code == 200
    assert response.context["new_open"] is True
    assert response.context["new_form"].errors["library"] == [
        "Pilih perpustakaan di provinsi Jambi."
    ]
    assert RtlAction.objects.count() == 0


# --- services guard the same rules whoever calls them ---------------------------------------------


def test_create_rtl_action_refuses_library_of_other_province(scenario, riau_library):
    with pytest.raises(ValidationError) as error:
        create_rtl_action(
            meeting=scenario.meeting,
            by=scenario.users["national"],
            library=riau_library,
            line_of_work=LineOfWork.ADVOCACY,
            activity="Audiensi dengan bupati",
        )

    assert error.value.message_dict == {"library": ["Pilih perpustakaan di provinsi Jambi."]}
    assert RtlAction.objects.count() == 0


def test_record_rtl_progress_refuses_date_before_meeting(scenario, kota_jambi_library):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    before = snapshot(scenario.meeting)

    with pytest.raises(ValidationError):
        record_rtl_progress(
            action=action,
            by=scenario.users["officer"],
            status=RtlAction.Status.DONE,
            progress_note="",
            progress_date=dt.date(2022, 8, 1),
        )

    assert snapshot(scenario.meeting) == before


@pytest.mark.parametrize("role", ["other_officer", "facilitator", "other_facilitator"])
def test_create_rtl_action_refuses_user_who_may_not_change_the_meeting(
    scenario, kota_jambi_library, role
):
    with pytest.raises(PermissionDenied):
        create_rtl_action(
            meeting=scenario.meeting,
            by=scenario.users[role],
            library=kota_jambi_library,
            line_of_work=LineOfWork.ADVOCACY,
            activity="Audiensi dengan bupati",
        )

    assert RtlAction.objects.count() == 0


@pytest.mark.parametrize("role", ["other_officer", "facilitator", "other_facilitator"])
def test_rtl_row_services_refuse_user_who_may_not_change_the_meeting(
    scenario, kota_jambi_library, role
):
    action = RtlActionFactory(meeting=scenario.meeting, library=kota_jambi_library)
    before = snapshot(scenario.meeting)
    user = scenario.users[role]

    with pytest.raises(PermissionDenied):
        update_rtl_action(
            action=action,
            by=user,
            library=kota_jambi_library,
            line_of_work=LineOfWork.ADVOCACY,
            activity="Diubah",
        )
    with pytest.raises(PermissionDenied):
        record_rtl_progress(
            action=action,
            by=user,
            status=RtlAction.Status.DONE,
            progress_note="Tuntas",
            progress_date=dt.date(2022, 9, 1),
        )
    with pytest.raises(PermissionDenied):
        delete_rtl_action(action=action, by=user)

    assert snapshot(scenario.meeting) == before
