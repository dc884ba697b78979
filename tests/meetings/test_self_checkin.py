"""Self check-in: the public page behind a meeting's secret link (no login)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting, Participation
from meetings.services.attendance import (
    SELF_CHECKIN_MAX_FAILURES,
    SelfCheckInClosed,
    SelfCheckInMismatch,
    self_check_in,
)
from tests.factories import LibraryFactory, MeetingFactory, ParticipationFactory, PersonFactory
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

# 2 August 2022 (the scenario meeting's day) at 08.05 WIB.
MEETING_MORNING = dt.datetime(2022, 8, 2, 1, 5, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}
GENERIC_ERROR = "Nama atau nomor HP tidak cocok. Periksa kembali, atau minta bantuan panitia."


@pytest.fixture(autouse=True)
def empty_cache():
    # Failure counts live in the cache; each test starts without any.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def meeting_day(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MEETING_MORNING)
    return MEETING_MORNING


@pytest.fixture
def siti(scenario) -> Participation:
    library = LibraryFactory(name="Perpustakaan Desa Sukamaju", regency=scenario.kota_jambi)
    person = PersonFactory(
        full_name="Siti Rahmawati",
        phone="+6281234567890",
        email="siti@example.test",
        position="Kepala Perpustakaan",
        institution="Pemerintah Desa Sukamaju Barat",
        province=scenario.jambi,
    )
    return ParticipationFactory(
        meeting=scenario.meeting,
        person=person,
        library=library,
        role=Participation.Role.VILLAGE_LIBRARY,
    )


def page_url(meeting: Meeting) -> str:
    return reverse("checkin:start", args=[meeting.checkin_token])


def search_url(meeting: Meeting) -> str:
    return reverse("checkin:search", args=[meeting.checkin_token])


def confirm(
    client, meeting: Meeting, participation: Participation, digits: str, q: str = "siti", **extra
):
    return client.post(
        page_url(meeting), {"q": q, "participation": participation.pk, "digits": digits}, **extra
    )


def attendances() -> list[tuple]:
    return list(
        Attendance.objects.values_list(
            "participation_id", "day", "checked_in_at", "method", "recorded_by_id"
        )
    )


# The page


def test_checkin_page_on_meeting_day_shows_title_date_and_search(client, scenario, meeting_day):
    response = client.get(page_url(scenario.meeting))

    assert response.status_code == 200
    body = response.content.decode()
    assert "PLM Provinsi Jambi 2022" in body
    assert "Selasa, 2 Agustus 2022" in body
    assert 'name="q"' in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2022, 8, 1, 16, 59, tzinfo=dt.UTC),  # 1 August 23.59 WIB
        dt.datetime(2022, 8, 2, 17, 0, tzinfo=dt.UTC),  # 3 August 00.00 WIB
    ],
)
def test_checkin_page_outside_meeting_days_friendly_message_no_form(
    client, scenario, siti, monkeypatch, moment
):
    monkeypatch.setattr(timezone, "now", lambda: moment)

    page = client.get(page_url(scenario.meeting))
    search = client.get(search_url(scenario.meeting), {"q": "siti"}, **HTMX)
    post = confirm(client, scenario.meeting, siti, "7890")

    assert page.status_code == 200
    assert "hanya dibuka pada hari pertemuan" in page.content.decode()
    assert 'name="q"' not in page.content.decode()
    assert "Siti" not in search.content.decode()
    assert "Siti" not in post.content.decode()
    assert attendances() == []


def test_checkin_page_opens_at_local_midnight(client, scenario, monkeypatch):
    # 00.30 WIB on 2 August is still 1 August in UTC.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2022, 8, 1, 17, 30, tzinfo=dt.UTC))

    response = client.get(page_url(scenario.meeting))

    assert 'name="q"' in response.content.decode()


def test_checkin_page_cancelled_meeting_closed(client, scenario, meeting_day):
    Meeting.objects.filter(pk=scenario.meeting.pk).update(status=Meeting.Status.CANCELLED)

    response = client.get(page_url(scenario.meeting))

    assert "Pertemuan ini dibatalkan." in response.content.decode()
    assert 'name="q"' not in response.content.decode()


@pytest.mark.parametrize("url_name", ["checkin:start", "checkin:search"])
def test_checkin_unknown_token_404(client, scenario, meeting_day, url_name):
    response = client.get(reverse(url_name, args=["tidak-ada-token-seperti-ini"]), {"q": "siti"})

    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_checkin_page_role_matrix_public_and_nothing_changed(scenario, siti, meeting_day, role):
    response = scenario.client_for(role).get(page_url(scenario.meeting))

    assert response.status_code == 200
    assert attendances() == []


# Searching


def test_checkin_search_finds_name_and_library_only(client, scenario, siti, meeting_day):
    ParticipationFactory(
        meeting=scenario.meeting,
        person=PersonFactory(
            full_name="Budi Santoso", phone="+6285311112222", province=scenario.jambi
        ),
    )

    response = client.get(search_url(scenario.meeting), {"q": "siti"}, **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Siti Rahmawati" in body
    assert "Perpustakaan Desa Sukamaju" in body
    assert '<p id="checkin-summary" hx-swap-oob="innerHTML">1 nama cocok.</p>' in body
    for secret in (
        "+6281234567890",
        "81234567890",
        "7890",
        "siti@example.test",
        "Kepala Perpustakaan",
        "Pemerintah Desa",
        "Budi",
        "+6285311112222",
        "<html",
    ):
        assert secret not in body


def test_checkin_search_matches_start_of_any_name_word(client, scenario, siti, meeting_day):
    response = client.get(search_url(scenario.meeting), {"q": "rahma"}, **HTMX)

    assert "Siti Rahmawati" in response.content.decode()


def test_checkin_search_middle_of_word_not_matched(client, scenario, siti, meeting_day):
    response = client.get(search_url(scenario.meeting), {"q": "ahmaw"}, **HTMX)

    assert "Siti Rahmawati" not in response.content.decode()


@pytest.mark.parametrize("q", ["", "si", " s i ", "12345", "%%%"])
def test_checkin_search_fewer_than_three_letters_returns_nobody(
    client, scenario, siti, meeting_day, q
):
    response = client.get(search_url(scenario.meeting), {"q": q}, **HTMX)

    assert response.status_code == 200
    assert "Siti" not in response.content.decode()
    assert 'name="participation"' not in response.content.decode()


def test_checkin_search_more_than_five_matches_lists_nobody(client, scenario, meeting_day):
    # Changed with issue 15: it listed the first 10 of them; now too many matches list nobody.
    for n in range(15):
        ParticipationFactory(
            meeting=scenario.meeting,
            person=PersonFactory(full_name=f"Ahmad Peserta {n:02d}", province=scenario.jambi),
        )

    response = client.get(search_url(scenario.meeting), {"q": "ahmad"}, **HTMX)

    body = response.content.decode()
    assert body.count('name="participation"') == 0
    assert "Ahmad Peserta" not in body
    assert "Terlalu banyak nama yang cocok. Ketik nama Anda lebih lengkap" in body


def test_checkin_search_other_meetings_participants_not_found(client, scenario, meeting_day):
    other = MeetingFactory(province=scenario.jambi, start_date=dt.date(2022, 8, 2))
    ParticipationFactory(
        meeting=other, person=PersonFactory(full_name="Siti Lain", province=scenario.jambi)
    )

    response = client.get(search_url(scenario.meeting), {"q": "siti"}, **HTMX)

    assert "Siti Lain" not in response.content.decode()
    assert "Nama tidak ditemukan" in response.content.decode()


def test_checkin_page_search_without_javascript_lists_matches(client, scenario, siti, meeting_day):
    response = client.get(page_url(scenario.meeting), {"q": "Siti"})

    body = response.content.decode()
    assert "Siti Rahmawati" in body
    assert 'name="digits"' in body
    assert "+6281234567890" not in body


# Confirming


def test_checkin_correct_digits_marks_present_self(client, scenario, siti, meeting_day):
    response = confirm(client, scenario.meeting, siti, "7890")

    assert response.status_code == 200
    assert attendances() == [
        (siti.pk, dt.date(2022, 8, 2), MEETING_MORNING, Attendance.Method.SELF, None)
    ]
    body = response.content.decode()
    assert "Terima kasih, Siti Rahmawati." in body
    assert "tercatat pukul 08.05 WIB" in body


def test_checkin_twice_keeps_first_time(client, scenario, siti, meeting_day, monkeypatch):
    confirm(client, scenario.meeting, siti, "7890")
    monkeypatch.setattr(timezone, "now", lambda: MEETING_MORNING + dt.timedelta(hours=1))

    response = confirm(client, scenario.meeting, siti, "7890")

    assert [a[2] for a in attendances()] == [MEETING_MORNING]
    assert "sudah tercatat sebelumnya, pukul 08.05 WIB" in response.content.decode()


def test_checkin_wrong_digits_generic_error_input_kept_nothing_saved(
    client, scenario, siti, meeting_day
):
    response = confirm(client, scenario.meeting, siti, "7891")

    assert response.status_code == 200
    body = response.content.decode()
    assert GENERIC_ERROR in body
    assert f'value="{siti.pk}" checked' in body
    assert 'value="7891"' in body
    assert attendances() == []


def test_checkin_name_not_among_matches_refused(client, scenario, siti, meeting_day):
    ParticipationFactory(
        meeting=scenario.meeting,
        person=PersonFactory(full_name="Budi Santoso", province=scenario.jambi),
    )

    response = confirm(client, scenario.meeting, siti, "7890", q="budi")

    assert "Pilih nama Anda dari daftar." in response.content.decode()
    assert "Siti" not in response.content.decode()
    assert attendances() == []


def test_checkin_participant_of_other_meeting_refused(client, scenario, meeting_day):
    other = MeetingFactory(province=scenario.jambi, start_date=dt.date(2022, 8, 2))
    stranger = ParticipationFactory(
        meeting=other,
        person=PersonFactory(
            full_name="Siti Lain", phone="+6281299998888", province=scenario.jambi
        ),
    )

    response = confirm(client, scenario.meeting, stranger, "8888")

    assert "Siti Lain" not in response.content.decode()
    assert attendances() == []


@pytest.mark.parametrize("digits", ["", "789", "78901", "abcd", "7 89"])
def test_checkin_badly_formed_digits_field_error(client, scenario, siti, meeting_day, digits):
    response = confirm(client, scenario.meeting, siti, digits)

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert attendances() == []


def test_checkin_without_phone_asks_committee(client, scenario, meeting_day):
    no_phone = ParticipationFactory(
        meeting=scenario.meeting,
        person=PersonFactory(full_name="Sitompul Tanpa HP", phone="", province=scenario.jambi),
    )

    response = confirm(client, scenario.meeting, no_phone, "0000", q="sitompul")

    assert "Silakan minta panitia mencatat kehadiran Anda." in response.content.decode()
    assert attendances() == []


def test_checkin_rate_limited_after_max_failures(client, scenario, siti, meeting_day):
    for _ in range(SELF_CHECKIN_MAX_FAILURES):
        assert GENERIC_ERROR in confirm(client, scenario.meeting, siti, "0000").content.decode()

    blocked = confirm(client, scenario.meeting, siti, "7890")

    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan yang tidak cocok. Coba lagi dalam 10 menit" in (
        blocked.content.decode()
    )
    assert attendances() == []


def test_checkin_rate_limit_is_per_address(client, scenario, siti, meeting_day):
    for _ in range(SELF_CHECKIN_MAX_FAILURES):
        confirm(client, scenario.meeting, siti, "0000", REMOTE_ADDR="10.0.0.1")

    response = confirm(client, scenario.meeting, siti, "7890", REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 200
    assert len(attendances()) == 1


def test_checkin_rate_limit_ends_after_window(client, scenario, siti, meeting_day):
    for _ in range(SELF_CHECKIN_MAX_FAILURES):
        confirm(client, scenario.meeting, siti, "0000")
    cache.clear()  # what the cache does when the 10-minute window expires

    response = confirm(client, scenario.meeting, siti, "7890")

    assert response.status_code == 200
    assert len(attendances()) == 1


# The service, with time passed explicitly


def test_self_check_in_service_outside_days_refused(scenario, siti):
    with pytest.raises(SelfCheckInClosed):
        self_check_in(
            meeting=scenario.meeting,
            participation=siti,
            phone_digits="7890",
            now=dt.datetime(2022, 8, 3, 2, 0, tzinfo=dt.UTC),
        )

    assert attendances() == []


def test_self_check_in_service_wrong_digits_refused(scenario, siti):
    with pytest.raises(SelfCheckInMismatch):
        self_check_in(
            meeting=scenario.meeting, participation=siti, phone_digits="1234", now=MEETING_MORNING
        )

    assert attendances() == []


def test_checkin_rate_limit_counts_the_forwarded_address_behind_a_proxy(
    client, scenario, siti, meeting_day, settings
):
    # Changed with issue 15: the proxy header is read per PLM_TRUSTED_PROXY_COUNT (plm_portal.client), no
    # longer whenever SECURE_PROXY_SSL_HEADER is set.
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(SELF_CHECKIN_MAX_FAILURES):
        confirm(client, scenario.meeting, siti, "0000", HTTP_X_FORWARDED_FOR="203.0.113.7")

    same = confirm(client, scenario.meeting, siti, "7890", HTTP_X_FORWARDED_FOR="203.0.113.7")
    other = confirm(client, scenario.meeting, siti, "7890", HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert (same.status_code, other.status_code) == (429, 200)
    assert len(attendances()) == 1
