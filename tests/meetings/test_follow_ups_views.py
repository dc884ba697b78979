"""RTL follow-ups, the pages: a row's check recorded from the RTL tab, the tab's badges and completion, and the
list of checks due; who may see and do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import RtlAction, RtlFollowUp
from meetings.services.follow_ups import record_follow_up
from tests.factories import LibraryFactory, MeetingFactory, RegencyFactory
from tests.meetings.factories_followups import follow_up, rtl_row
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
Status = RtlFollowUp.Status

# The form: like every RTL write (the assigned facilitator sees the meeting, may not change it).
FORM_STATUS = {
    "national": 200,
    "officer": 200,
    "other_officer": 404,
    "facilitator": 403,
    "other_facilitator": 404,
    "anonymous": 302,
}
# The due list: those who record checks; the Riau officer gets their own (empty here) list.
DUE_STATUS = {
    "national": 200,
    "officer": 200,
    "other_officer": 200,
    "facilitator": 403,
    "other_facilitator": 403,
    "anonymous": 302,
}


@pytest.fixture
def action(scenario):
    library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    return rtl_row(meeting=scenario.meeting, library=library, activity="Pojok literasi digital")


def form_url(meeting, action) -> str:
    return reverse("meetings:rtl_follow_up", args=[meeting.pk, action.pk])


def tab_url(meeting) -> str:
    return reverse("meetings:rtl", args=[meeting.pk])


DUE_URL = "/meetings/follow-ups/"


def snapshot(action) -> list[tuple]:
    return list(
        RtlFollowUp.objects.filter(rtl_action=action)
        .order_by("month")
        .values_list("month", "status", "note", "evidence_url", "recorded_by", "recorded_at")
    ) + list(RtlAction.objects.filter(pk=action.pk).values_list("status", "progress_note"))


def check_data(**overrides) -> dict[str, str]:
    data = {"month": "1", "status": Status.DONE, "note": "Pojok dibuka", "evidence_url": ""}
    data.update(overrides)
    return data


def test_due_url_is_named():
    assert reverse("meetings:follow_ups_due") == DUE_URL


# --- the form: who ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("htmx", [False, True])
def test_follow_up_form_get_by_role(scenario, action, role, htmx):
    response = scenario.client_for(role).get(
        form_url(scenario.meeting, action), **(HTMX if htmx else {})
    )

    assert response.status_code == FORM_STATUS[role]
    if response.status_code == 200:
        assert 'name="status"' in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_follow_up_post_by_role_records_only_for_who_may(scenario, action, role):
    before = snapshot(action)

    response = scenario.client_for(role).post(form_url(scenario.meeting, action), check_data())

    expected = FORM_STATUS[role]
    assert response.status_code == (302 if expected == 200 else expected)
    if expected == 200:
        assert follow_up(action, 1).status == Status.DONE
        assert follow_up(action, 1).recorded_by == scenario.users[role]
    else:
        assert snapshot(action) == before


def test_follow_up_of_another_meeting_is_404(scenario, action):
    other = MeetingFactory(province=scenario.jambi)

    response = scenario.client_for("officer").post(form_url(other, action), check_data())

    assert response.status_code == 404
    assert follow_up(action, 1).status == Status.PENDING


def test_riau_officer_gets_404_on_a_jambi_follow_up_form_and_post(scenario, action):
    client = scenario.client_for("other_officer")
    before = snapshot(action)

    got = client.get(form_url(scenario.meeting, action), {"month": "3"}, **HTMX)
    sent = client.post(form_url(scenario.meeting, action), check_data(month="3"), **HTMX)

    assert (got.status_code, sent.status_code) == (404, 404)
    assert "Pojok literasi digital" not in got.content.decode() + sent.content.decode()
    assert snapshot(action) == before


# --- the form: what ----------------------------------------------------------------------------------------


def test_follow_up_form_opens_on_the_first_check_not_recorded(scenario, action):
    record_follow_up(action=action, by=scenario.users["officer"], month=1, status=Status.DONE)

    response = scenario.client_for("officer").get(form_url(scenario.meeting, action), **HTMX)

    body = response.content.decode()
    assert response.context["row"].form.month == 3
    assert 'name="month" value="3"' in body
    assert f'id="rtl-row-{action.pk}"' in body
    assert "1 bulan · Terlaksana" in body


def test_follow_up_form_of_a_recorded_month_shows_what_was_recorded(scenario, action):
    record_follow_up(
        action=action,
        by=scenario.users["officer"],
        month=3,
        status=Status.PARTIAL,
        note="Dua kelas",
    )

    response = scenario.client_for("officer").get(
        form_url(scenario.meeting, action), {"month": "3"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert '<option value="sebagian" selected>' in body
    assert "Dua kelas" in body
    assert "Terakhir dicatat" in body


def test_follow_up_htmx_post_answers_the_card_with_the_new_badge(scenario, action):
    response = scenario.client_for("officer").post(
        form_url(scenario.meeting, action), check_data(), **HTMX
    )

    body = response.content.decode()
    assert response["HX-Retarget"] == f"#rtl-library-{action.library_id}"
    assert "1 bulan: Terlaksana" in body
    assert "Tindak lanjut 1 bulan “Pojok literasi digital” tersimpan." in body
    assert "Penyelesaian: 1 dari 1 baris selesai (100%)" in body
    assert RtlAction.objects.get(pk=action.pk).status == RtlAction.Status.DONE


def test_follow_up_post_without_htmx_returns_to_the_row(scenario, action):
    response = scenario.client_for("officer").post(form_url(scenario.meeting, action), check_data())

    assert response["Location"] == f"{tab_url(scenario.meeting)}#rtl-row-{action.pk}"


def test_follow_up_post_from_the_due_list_returns_there(scenario, action):
    response = scenario.client_for("officer").post(
        form_url(scenario.meeting, action), check_data(back="due")
    )

    assert response["Location"] == DUE_URL


def test_follow_up_post_twice_records_once(scenario, action):
    client = scenario.client_for("officer")
    client.post(form_url(scenario.meeting, action), check_data(), **HTMX)
    first = follow_up(action, 1).recorded_at

    response = client.post(form_url(scenario.meeting, action), check_data(), **HTMX)

    assert response.status_code == 200
    assert follow_up(action, 1).recorded_at == first
    assert RtlFollowUp.objects.filter(rtl_action=action).count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (check_data(status=""), "Pilih hasil tindak lanjut."),
        (check_data(status=Status.PENDING), "Pilih salah satu hasil."),
        (check_data(evidence_url="bukan tautan"), "Masukkan alamat tautan yang lengkap"),
        (check_data(evidence_url="javascript:alert(1)"), "Masukkan alamat tautan yang lengkap"),
        (check_data(note="x" * 2001), "2000"),
        (check_data(month="2"), "Pilih tindak lanjut 1, 3 atau 6 bulan."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_follow_up_bad_input_keeps_what_was_typed(scenario, action, data, message, htmx):
    data = {**data, "note": data["note"] if len(data["note"]) > 100 else "Catatan yang diketik"}
    before = snapshot(action)

    response = scenario.client_for("officer").post(
        form_url(scenario.meeting, action), data, **(HTMX if htmx else {})
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert data["note"][:100] in body
    assert snapshot(action) == before


# --- the RTL tab -----------------------------------------------------------------------------------------


def test_rtl_tab_shows_each_rows_checks_and_marks_late_ones_in_words(scenario, action):
    record_follow_up(action=action, by=scenario.users["officer"], month=1, status=Status.PARTIAL)

    body = scenario.client_for("officer").get(tab_url(scenario.meeting)).content.decode()

    assert "1 bulan: Sebagian terlaksana" in body
    # The meeting (2 August 2022) is long past: the 3- and 6-month checks are late.
    assert "3 bulan: " in body
    assert "3 bulan: terlambat (jatuh tempo 2 November 2022)" in body
    assert "6 bulan: terlambat (jatuh tempo 2 Februari 2023)" in body
    assert '<li class="fu-late">' in body


def test_rtl_tab_check_not_due_yet_is_not_late(scenario):
    meeting = scenario.meeting
    meeting.start_date = meeting.end_date = timezone.localdate() - dt.timedelta(days=10)
    meeting.save()
    rtl_row(meeting=meeting, library=LibraryFactory(regency=scenario.kota_jambi))

    body = scenario.client_for("officer").get(tab_url(meeting)).content.decode()

    assert "terlambat" not in body
    assert body.count("jatuh tempo ") == 3


def test_rtl_tab_completion_in_summary_and_card(scenario, action):
    rtl_row(meeting=scenario.meeting, library=action.library, activity="Kelas komputer")
    record_follow_up(action=action, by=scenario.users["officer"], month=1, status=Status.DONE)

    response = scenario.client_for("officer").get(tab_url(scenario.meeting))

    body = response.content.decode()
    assert "Penyelesaian: 1 dari 2 baris selesai (50%)" in body
    assert "2 baris · 1 selesai (50%)" in body


@pytest.mark.parametrize(("role", "shown"), [("officer", True), ("facilitator", False)])
def test_rtl_tab_record_link_only_for_who_may_record(scenario, action, role, shown):
    body = scenario.client_for(role).get(tab_url(scenario.meeting)).content.decode()

    assert ("Catat tindak lanjut" in body) is shown
    assert "1 bulan: " in body


def test_rtl_tab_cancel_of_the_check_form_shows_the_row_with_its_badges(scenario, action):
    response = scenario.client_for("officer").get(
        reverse("meetings:rtl_row", args=[scenario.meeting.pk, action.pk]), **HTMX
    )

    assert "6 bulan: " in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_rtl_tab_with_follow_ups_query_count_constant(scenario, django_assert_num_queries, rows):
    for _ in range(rows):
        rtl_row(meeting=scenario.meeting, library=LibraryFactory(regency=scenario.kota_jambi))
    client = scenario.client_for("officer")

    # session, user, meeting, row counts, libraries, the shown cards' rows, their follow-ups
    with django_assert_num_queries(7):
        response = client.get(tab_url(scenario.meeting))

    assert sum(len(card.rows) for card in response.context["cards"]) == rows


def test_rtl_tab_library_link_opens_the_page_of_its_card(scenario):
    libraries = [
        LibraryFactory(name=f"Perpustakaan {n:02d}", regency=scenario.kota_jambi) for n in range(20)
    ]
    for library in libraries:
        rtl_row(meeting=scenario.meeting, library=library)

    response = scenario.client_for("officer").get(
        tab_url(scenario.meeting), {"library": libraries[-1].pk}
    )

    assert response.context["page"].number == 2
    assert libraries[-1] in [card.library for card in response.context["cards"]]


def test_rtl_tab_page_with_every_check_stays_small(scenario):
    regency = scenario.kota_jambi
    for n in range(15):
        library = LibraryFactory(
            name=f"Perpustakaan Desa Sungai Gelam {n:03d} Kabupaten Muaro Jambi", regency=regency
        )
        for _ in range(2):
            rtl_row(
                meeting=scenario.meeting,
                library=library,
                activity="Pelatihan pemasaran daring produk UMKM bagi ibu rumah tangga desa",
                objective="Ibu rumah tangga dan pemuda desa mampu memasarkan produk olahan secara "
                "daring lewat marketplace dan media sosial",
                target_group="Ibu rumah tangga dan pemuda desa (30 orang)",
                timeline="Oktober - Desember 2022",
                responsible="Kepala Perpustakaan Desa dan Karang Taruna",
                indicator="30 peserta ikut, 10 produk terjual daring dalam tiga bulan",
            )

    response = scenario.client_for("officer").get(tab_url(scenario.meeting))

    # A full page (25 rows), every field at length and three late checks a row: under 80 kB.
    assert sum(len(card.rows) for card in response.context["cards"]) == 24
    assert len(response.content) < 80_000


# --- the due list ----------------------------------------------------------------------------------------


@pytest.fixture
def riau_action(scenario):
    pekanbaru = RegencyFactory(province=scenario.riau, code="14.71", name="Kota Pekanbaru")
    meeting = MeetingFactory(province=scenario.riau, title="PLM Provinsi Riau 2022")
    return rtl_row(
        meeting=meeting,
        library=LibraryFactory(name="Dinas Perpustakaan Kota Pekanbaru", regency=pekanbaru),
        activity="Gerai baca pasar",
    )


@pytest.mark.parametrize("role", ROLES)
def test_due_list_by_role(scenario, action, role):
    response = scenario.client_for(role).get(DUE_URL)

    assert response.status_code == DUE_STATUS[role]


def test_due_list_jambi_rows_absent_for_the_riau_officer(scenario, action, riau_action):
    response = scenario.client_for("other_officer").get(DUE_URL)

    body = response.content.decode()
    assert "Gerai baca pasar" in body
    assert "Pojok literasi digital" not in body
    assert "Jambi" not in body
    assert response.context["counts"].total == 3


def test_due_list_officer_sees_their_province_oldest_first(scenario, action, riau_action):
    record_follow_up(action=action, by=scenario.users["officer"], month=1, status=Status.DONE)

    response = scenario.client_for("officer").get(DUE_URL)

    items = list(response.context["page"].object_list)
    assert [(f.rtl_action, f.month) for f in items] == [(action, 3), (action, 6)]
    body = response.content.decode()
    assert "Gerai baca pasar" not in body
    assert "Riau" not in body
    assert f"{tab_url(scenario.meeting)}?library={action.library_id}#rtl-row-{action.pk}" in body
    assert f"{form_url(scenario.meeting, action)}?month=3&amp;back=due" in body


def test_due_list_counts_overdue_and_due_soon(scenario):
    today = timezone.localdate()
    meeting = scenario.meeting
    meeting.start_date = meeting.end_date = today - dt.timedelta(days=40)
    meeting.save()
    soon = MeetingFactory(
        province=scenario.jambi,
        start_date=today - dt.timedelta(days=20),
        end_date=today - dt.timedelta(days=20),
    )
    library = LibraryFactory(regency=scenario.kota_jambi)
    rtl_row(meeting=meeting, library=library, activity="Lewat")
    rtl_row(meeting=soon, library=library, activity="Sebentar lagi")

    response = scenario.client_for("officer").get(DUE_URL)

    # 40 days ago + 1 month: overdue; 20 days ago + 1 month: due in about ten days; 3 and 6 months: later.
    counts = response.context["counts"]
    assert (counts.overdue, counts.soon) == (1, 1)
    body = response.content.decode()
    assert "1 terlambat" in body
    assert "1 jatuh tempo dalam 14 hari" in body
    assert "Jatuh tempo dalam" in body


def test_due_list_leaves_out_recorded_checks(scenario, action):
    for month in (1, 3, 6):
        record_follow_up(
            action=action, by=scenario.users["officer"], month=month, status=Status.NOT_DONE
        )

    response = scenario.client_for("officer").get(DUE_URL)

    assert response.context["counts"].total == 0
    assert "Tidak ada tindak lanjut" in response.content.decode()


def test_due_list_national_filters_by_province(scenario, action, riau_action):
    client = scenario.client_for("national")

    everything = client.get(DUE_URL)
    riau = client.get(DUE_URL, {"province": scenario.riau.pk})

    assert everything.context["counts"].total == 6
    assert "PLM Provinsi Riau 2022 · Riau" in everything.content.decode()
    assert {f.rtl_action for f in riau.context["page"].object_list} == {riau_action}


def test_due_list_national_unknown_province_is_an_error_not_everything(scenario, action):
    response = scenario.client_for("national").get(DUE_URL, {"province": "99"})

    assert response.status_code == 200
    assert "Pilih salah satu provinsi." in response.content.decode()


def test_due_list_htmx_answers_the_results_only(scenario, action):
    response = scenario.client_for("national").get(DUE_URL, {"province": scenario.jambi.pk}, **HTMX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "Pojok literasi digital" in body


def test_due_list_pages_of_twenty(scenario):
    library = LibraryFactory(regency=scenario.kota_jambi)
    for n in range(8):
        rtl_row(meeting=scenario.meeting, library=library, activity=f"Kegiatan {n}")

    client = scenario.client_for("officer")
    first = client.get(DUE_URL)
    second = client.get(DUE_URL, {"page": 2})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 4
    assert "Halaman 2 dari 2" in second.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(("role", "queries"), [("officer", 4), ("national", 5)])
def test_due_list_query_count_constant(scenario, django_assert_num_queries, rows, role, queries):
    library = LibraryFactory(regency=scenario.kota_jambi)
    for _ in range(rows):
        rtl_row(meeting=MeetingFactory(province=scenario.jambi), library=library)
    client = scenario.client_for(role)

    # session, user, the counts, the page's checks with their rows, libraries, meetings and provinces (and
    # the province filter's choices for national staff)
    with django_assert_num_queries(queries):
        response = client.get(DUE_URL)

    assert len(response.context["page"].object_list) == 3 * rows
