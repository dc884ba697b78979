"""Self check-in: a participant opens the meeting's secret link on their own phone (no account) and marks
themselves present; the officer shows the link's QR code to the room."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

import meetings.services.attendance as attendance_services
from meetings.models import Attendance, Meeting
from tests.e2e.conftest import PHONE, page_width
from tests.factories import MeetingFactory, ParticipationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WRONG_DIGITS = "Nama atau nomor HP tidak cocok"


def jakarta_today() -> dt.date:
    return timezone.localdate(timezone=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def meeting_today(jambi_world):
    """A PLM of Jambi happening today (WIB) with three participants, two of them called Siti."""
    world = jambi_world
    meeting = MeetingFactory(
        title="PLM Provinsi Jambi",
        province=world.province,
        venue_regency=world.regencies["15.71"],
        year=jakarta_today().year,
        start_date=jakarta_today(),
        status=Meeting.Status.ONGOING,
    )
    siti = ParticipationFactory(
        meeting=meeting,
        person__full_name="Siti Rahmawati",
        person__phone="+6281234567890",
        library=world.libraries.mendalo_darat,
    )
    ParticipationFactory(
        meeting=meeting,
        person__full_name="Siti Aminah",
        person__phone="+6281355501234",
        library=world.libraries.sungai_duren,
    )
    ParticipationFactory(
        meeting=meeting, person=world.people.hasan, library=world.libraries.kota_jambi
    )
    return meeting, siti


def test_participant_checks_in_with_the_last_digits_of_their_phone(
    page: Page, live_server, outside_requests, meeting_today
):
    meeting, siti = meeting_today
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/hadir/{meeting.checkin_token}/")
    expect(page.get_by_role("heading", name="PLM Provinsi Jambi")).to_be_visible()
    # Nobody is listed before a name is typed.
    expect(page.get_by_role("radio")).to_have_count(0)
    page.get_by_label("Nama Anda").fill("siti")
    expect(page.get_by_role("radio")).to_have_count(2)
    page.get_by_label("Nama Anda").fill("siti rahma")
    expect(page.get_by_role("radio")).to_have_count(1)
    page.get_by_role("radio", name="Siti Rahmawati").check()
    # Only names and libraries are shown: no one's phone number.
    expect(page.locator("main")).not_to_contain_text("+62")
    expect(page.locator("main")).not_to_contain_text("7890")
    assert page_width(page) <= PHONE["width"]

    # Wrong digits: the generic message, nothing recorded.
    page.get_by_label("4 digit terakhir nomor HP Anda").fill("0000")
    page.get_by_role("button", name="Saya hadir").click()
    expect(page.get_by_role("alert")).to_contain_text(WRONG_DIGITS)
    assert not Attendance.objects.filter(participation=siti).exists()

    # The right ones: her name is still picked, she only corrects the digits.
    expect(page.get_by_role("radio", name="Siti Rahmawati")).to_be_checked()
    page.get_by_label("4 digit terakhir nomor HP Anda").fill("7890")
    page.get_by_role("button", name="Saya hadir").click()
    expect(page.get_by_text("Terima kasih, Siti Rahmawati.")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("tercatat pukul")
    assert page_width(page) <= PHONE["width"]

    attendance = Attendance.objects.get(participation=siti)
    assert attendance.day == jakarta_today()
    assert attendance.method == Attendance.Method.SELF
    assert attendance.recorded_by is None
    assert Attendance.objects.filter(participation__meeting=meeting).count() == 1
    assert outside_requests == []


def test_wrong_digits_for_another_participant_record_nothing(
    page: Page, live_server, meeting_today
):
    meeting, _siti = meeting_today

    page.goto(f"{live_server.url}/hadir/{meeting.checkin_token}/")
    page.get_by_label("Nama Anda").fill("Aminah")
    page.get_by_role("radio", name="Siti Aminah").check()
    # Siti Rahmawati's digits do not check in Siti Aminah.
    page.get_by_label("4 digit terakhir nomor HP Anda").fill("7890")
    page.get_by_role("button", name="Saya hadir").click()

    expect(page.get_by_role("alert")).to_contain_text(WRONG_DIGITS)
    expect(page.get_by_text("Terima kasih")).to_have_count(0)
    assert not Attendance.objects.filter(participation__meeting=meeting).exists()


def test_link_is_closed_on_other_days(page: Page, live_server, jambi_world):
    meeting = MeetingFactory(
        province=jambi_world.province,
        start_date=jakarta_today() + dt.timedelta(days=7),
        year=jakarta_today().year,
    )
    ParticipationFactory(meeting=meeting, person=jambi_world.people.hasan)

    page.goto(f"{live_server.url}/hadir/{meeting.checkin_token}/")

    expect(page.get_by_role("status")).to_contain_text("hanya dibuka pada hari pertemuan")
    expect(page.get_by_label("Nama Anda")).to_have_count(0)


def test_unknown_link_is_not_found(page: Page, live_server, jambi_world):
    response = page.goto(f"{live_server.url}/hadir/bukan-token-yang-benar/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()


def test_officer_shows_the_qr_code_for_the_room(
    page: Page, live_server, outside_requests, sign_in, meeting_today
):
    meeting, _siti = meeting_today
    sign_in(page, "jambi@example.test")

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/attendance/")
    panel = page.locator("#self-checkin")
    if not panel.get_by_role("link", name="Tampilkan kode QR").is_visible():
        panel.locator("summary").click()
    link = f"{live_server.url}/hadir/{meeting.checkin_token}/"
    expect(panel.get_by_label("Tautan check-in mandiri")).to_have_value(link)
    panel.get_by_role("link", name="Tampilkan kode QR").click()

    qr = page.get_by_role("img", name="Kode QR tautan check-in mandiri")
    expect(qr).to_be_visible()
    expect(qr.locator("svg, img")).to_have_count(1)
    box = qr.locator("svg, img").bounding_box()
    assert box["width"] >= 200 and box["height"] >= 200, "too small to scan across a room"
    expect(page.get_by_text(link)).to_be_visible()
    assert outside_requests == []


def test_self_checkin_shows_on_the_officers_list(
    page: Page, browser, live_server, sign_in, meeting_today
):
    meeting, _siti = meeting_today
    participant = browser.new_context(viewport=PHONE)
    try:
        phone = participant.new_page()
        phone.goto(f"{live_server.url}/hadir/{meeting.checkin_token}/")
        phone.get_by_label("Nama Anda").fill("Rahmawati")
        phone.get_by_role("radio", name="Siti Rahmawati").check()
        phone.get_by_label("4 digit terakhir nomor HP Anda").fill("7890")
        phone.get_by_role("button", name="Saya hadir").click()
        expect(phone.get_by_text("Terima kasih, Siti Rahmawati.")).to_be_visible()
    finally:
        participant.close()

    sign_in(page, "jambi@example.test")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/attendance/")
    row = page.locator("#att-list li.att-row").filter(has_text="Siti Rahmawati")
    expect(row).to_contain_text("(mandiri)")
    expect(row.get_by_role("button", name="Urungkan")).to_be_visible()
    expect(page.locator("#att-count")).to_have_text("Hadir 1 dari 3")


def test_search_over_the_limit_shows_the_message(
    page: Page, live_server, monkeypatch, meeting_today
):
    meeting, _siti = meeting_today
    # The live server runs in this process: a budget of one search keeps the test short. The refusal is a
    # 429, which htmx would not swap in without the page's script.
    monkeypatch.setattr(attendance_services, "SELF_CHECKIN_MAX_SEARCHES", 1)

    page.goto(f"{live_server.url}/hadir/{meeting.checkin_token}/")
    page.get_by_label("Nama Anda").fill("siti")
    expect(page.get_by_role("radio")).to_have_count(2)
    page.get_by_label("Nama Anda").fill("siti rahma")

    expect(page.get_by_role("alert")).to_contain_text("Terlalu banyak pencarian dari jaringan ini")
    expect(page.get_by_role("radio")).to_have_count(0)
