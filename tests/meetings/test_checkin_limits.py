"""Self check-in limits (issue 15): names listed only once the search narrows them, a search budget per link and
address, and a guess limit per link, name and address that holds under concurrent tries.

Every test uses its own meeting (a fresh random link) and its own addresses, so the counters of one test never
meet another's, also on the shared Redis cache of CI.
"""

from __future__ import annotations

import datetime as dt
import string
import threading

import pytest
from django.urls import reverse
from django.utils import timezone

import meetings.services.attendance as attendance_services
from meetings.models import Attendance, Meeting, Participation
from meetings.selectors.attendance import SELF_CHECKIN_MAX_SHOWN
from meetings.services.attendance import (
    SELF_CHECKIN_MAX_FAILURES,
    SELF_CHECKIN_MAX_SEARCHES,
    SelfCheckInBlocked,
    SelfCheckInMismatch,
    attempt_self_check_in,
)
from tests.factories import ParticipationFactory, PersonFactory

pytestmark = pytest.mark.django_db

# 2 August 2022 (the scenario meeting's day) at 08.05 WIB.
MEETING_MORNING = dt.datetime(2022, 8, 2, 1, 5, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}
SEARCH_LIMITED = "Terlalu banyak pencarian dari jaringan ini. Coba lagi dalam 10 menit"
GUESS_LIMITED = "Terlalu banyak percobaan yang tidak cocok. Coba lagi dalam 10 menit"
WRONG = "Nama atau nomor HP tidak cocok."
# Fifteen participants whose names start with many different letters.
NAMES = [
    "Siti Rahmawati",
    "Siti Aminah",
    "Siti Nurhaliza",
    "Budi Santoso",
    "Agus Salim",
    "Dewi Lestari",
    "Eko Prasetyo",
    "Fitri Handayani",
    "Gunawan Wibisono",
    "Hasan Basri",
    "Indah Permata",
    "Joko Susilo",
    "Kartini Wulandari",
    "Lukman Hakim",
    "Maya Sari",
]


@pytest.fixture
def meeting_day(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MEETING_MORNING)
    return MEETING_MORNING


@pytest.fixture
def fifteen(scenario) -> list[Participation]:
    return [
        ParticipationFactory(
            meeting=scenario.meeting,
            person=PersonFactory(
                full_name=name, phone=f"+6281234{n:02d}1234", province=scenario.jambi
            ),
        )
        for n, name in enumerate(NAMES)
    ]


def search(client, meeting: Meeting, q: str, address: str = "198.51.100.1", **extra):
    return client.get(
        reverse("checkin:search", args=[meeting.checkin_token]),
        {"q": q},
        REMOTE_ADDR=address,
        **HTMX,
        **extra,
    )


def confirm(client, meeting: Meeting, participation: Participation, digits: str, q: str, address):
    return client.post(
        reverse("checkin:start", args=[meeting.checkin_token]),
        {"q": q, "participation": participation.pk, "digits": digits},
        REMOTE_ADDR=address,
    )


def listed_names(response) -> set[str]:
    body = response.content.decode()
    return {name for name in NAMES if name in body}


# Names shown only once the search narrows them


def test_checkin_26_single_letter_searches_list_nobody(client, scenario, fifteen, meeting_day):
    seen: set[str] = set()
    for letter in string.ascii_lowercase:
        response = search(client, scenario.meeting, f"{letter} {letter} {letter}")
        assert response.status_code == 200
        seen |= listed_names(response)

    assert seen == set()
    assert "Ketik minimal 3 huruf pertama dari salah satu kata nama Anda." in (
        response.content.decode()
    )


def test_checkin_26_three_letter_searches_do_not_list_every_name(
    client, scenario, fifteen, meeting_day
):
    seen: set[str] = set()
    for letter in string.ascii_lowercase:
        seen |= listed_names(search(client, scenario.meeting, letter * 3))

    assert seen == set()
    assert len(seen) < len(NAMES)


def test_checkin_search_common_prefix_with_too_many_matches_lists_nobody(
    client, scenario, fifteen, meeting_day
):
    for n in range(SELF_CHECKIN_MAX_SHOWN):
        ParticipationFactory(
            meeting=scenario.meeting,
            person=PersonFactory(full_name=f"Siti Peserta {n}", province=scenario.jambi),
        )

    crowded = search(client, scenario.meeting, "sit")
    narrowed = search(client, scenario.meeting, "siti rah")

    assert listed_names(crowded) == set()
    assert crowded.content.decode().count('name="participation"') == 0
    assert "Terlalu banyak nama yang cocok. Ketik nama Anda lebih lengkap" in (
        crowded.content.decode()
    )
    assert (
        '<p id="checkin-summary" hx-swap-oob="innerHTML">Terlalu banyak nama yang cocok.</p>'
        in (crowded.content.decode())
    )
    assert listed_names(narrowed) == {"Siti Rahmawati"}


def test_checkin_search_lists_up_to_five_matches(client, scenario, meeting_day):
    for n in range(SELF_CHECKIN_MAX_SHOWN):
        ParticipationFactory(
            meeting=scenario.meeting,
            person=PersonFactory(full_name=f"Ahmad Peserta {n}", province=scenario.jambi),
        )

    response = search(client, scenario.meeting, "ahmad")

    assert response.content.decode().count('name="participation"') == SELF_CHECKIN_MAX_SHOWN


def test_checkin_confirm_with_a_name_not_listed_refused(client, scenario, fifteen, meeting_day):
    # "sit" matches three Sitis and nobody else: Budi is not among them, whatever his digits.
    budi = fifteen[3]

    response = confirm(client, scenario.meeting, budi, "1234", "sit", "198.51.100.2")

    assert "Pilih nama Anda dari daftar." in response.content.decode()
    assert not Attendance.objects.exists()


# Search budget per link and address


def test_checkin_search_rate_limited_with_page_and_message(client, scenario, fifteen, meeting_day):
    for _ in range(SELF_CHECKIN_MAX_SEARCHES):
        assert search(client, scenario.meeting, "budi", "198.51.100.3").status_code == 200

    partial = search(client, scenario.meeting, "budi", "198.51.100.3")
    page = client.get(
        reverse("checkin:start", args=[scenario.meeting.checkin_token]),
        {"q": "budi"},
        REMOTE_ADDR="198.51.100.3",
    )
    post = confirm(client, scenario.meeting, fifteen[3], "1234", "budi", "198.51.100.3")
    elsewhere = search(client, scenario.meeting, "budi", "198.51.100.4")

    assert (partial.status_code, page.status_code, post.status_code) == (429, 429, 429)
    for refused in (partial, page, post):
        assert SEARCH_LIMITED in refused.content.decode()
        assert "Budi Santoso" not in refused.content.decode()
    assert "<html" in page.content.decode()  # the whole page, not a bare error
    assert not Attendance.objects.exists()
    assert elsewhere.status_code == 200
    assert listed_names(elsewhere) == {"Budi Santoso"}


def test_checkin_searches_too_short_to_list_names_not_counted(
    client, scenario, fifteen, meeting_day
):
    for _ in range(SELF_CHECKIN_MAX_SEARCHES + 5):
        search(client, scenario.meeting, "b u d", "198.51.100.5")

    response = search(client, scenario.meeting, "budi", "198.51.100.5")

    assert response.status_code == 200
    assert listed_names(response) == {"Budi Santoso"}


def test_checkin_search_limit_is_per_link(client, scenario, fifteen, meeting_day):
    for _ in range(SELF_CHECKIN_MAX_SEARCHES + 1):
        search(client, scenario.meeting, "budi", "198.51.100.6")
    Meeting.objects.filter(pk=scenario.meeting.pk).update(checkin_token="a-new-link-for-this-test")
    scenario.meeting.refresh_from_db()

    response = search(client, scenario.meeting, "budi", "198.51.100.6")

    assert response.status_code == 200


# Guess limit per link, participant and address


def test_checkin_guess_limit_blocks_only_that_name_from_that_address(
    client, scenario, fifteen, meeting_day
):
    siti, budi = fifteen[0], fifteen[3]
    for _ in range(SELF_CHECKIN_MAX_FAILURES):
        wrong = confirm(client, scenario.meeting, siti, "0000", "siti rah", "198.51.100.7")
        assert WRONG in wrong.content.decode()

    blocked = confirm(client, scenario.meeting, siti, "1234", "siti rah", "198.51.100.7")
    # Another participant behind the same venue address still checks in.
    neighbour = confirm(client, scenario.meeting, budi, "1234", "budi", "198.51.100.7")
    # And Siti herself from her own phone's address.
    own_phone = confirm(client, scenario.meeting, siti, "1234", "siti rah", "198.51.100.8")

    assert blocked.status_code == 429
    assert GUESS_LIMITED in blocked.content.decode()
    assert (neighbour.status_code, own_phone.status_code) == (200, 200)
    assert set(Attendance.objects.values_list("participation_id", flat=True)) == {
        siti.pk,
        budi.pk,
    }


def test_checkin_twenty_sequential_wrong_guesses_compare_at_most_the_limit(
    client, scenario, fifteen, meeting_day
):
    siti = fifteen[0]

    statuses = [
        confirm(client, scenario.meeting, siti, "0000", "siti rah", "198.51.100.9").status_code
        for _ in range(20)
    ]

    assert statuses == [200] * SELF_CHECKIN_MAX_FAILURES + [429] * (20 - SELF_CHECKIN_MAX_FAILURES)


def test_checkin_right_digits_do_not_use_up_the_limit(client, scenario, fifteen, meeting_day):
    siti = fifteen[0]
    for _ in range(SELF_CHECKIN_MAX_FAILURES - 1):
        confirm(client, scenario.meeting, siti, "0000", "siti rah", "198.51.100.10")
    for _ in range(3):  # a double tap, a reload
        assert confirm(
            client, scenario.meeting, siti, "1234", "siti rah", "198.51.100.10"
        ).status_code == (200)

    last_wrong = confirm(client, scenario.meeting, siti, "0000", "siti rah", "198.51.100.10")

    assert last_wrong.status_code == 200
    assert WRONG in last_wrong.content.decode()


def test_checkin_twenty_concurrent_wrong_guesses_compare_at_most_the_limit(
    scenario, fifteen, meeting_day, monkeypatch
):
    siti = fifteen[0]
    meeting = scenario.meeting
    compared = []
    real_check_in = attendance_services.self_check_in

    def counting_check_in(**kwargs):
        compared.append(1)
        threading.Event().wait(0.02)  # widen the window a get-then-set counter would lose
        return real_check_in(**kwargs)

    monkeypatch.setattr(attendance_services, "self_check_in", counting_check_in)
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def guess() -> None:
        start.wait()
        try:
            attempt_self_check_in(
                meeting=meeting, participation=siti, phone_digits="0000", address="198.51.100.11"
            )
        except SelfCheckInMismatch:
            outcomes.append("wrong")
        except SelfCheckInBlocked:
            outcomes.append("blocked")

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(compared) == SELF_CHECKIN_MAX_FAILURES
    assert sorted(outcomes) == ["blocked"] * 15 + ["wrong"] * 5
    assert not Attendance.objects.exists()
