"""The attendance tab: check-in at the door, undo, days, the self check-in panel, QR page and new link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from libraries.models import Person
from meetings.models import Attendance, Meeting, Participation
from meetings.services.attendance import mark_present, rotate_checkin_token, undo_attendance
from tests.factories import (
    AttendanceFactory,
    LibraryFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
)
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

# 08.32 WIB on the scenario meeting's day (2 August 2022, Jambi).
AT_DOOR = dt.datetime(2022, 8, 2, 1, 32, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}

# Who may open the check-in screen and take attendance (status), by role. Nobody who can see a meeting is
# refused attendance with today's rules, so 403 does not occur here; see the token tests for 403.
ATTEND_STATUS = {
    "national": 200,
    "officer": 200,
    "other_officer": 404,
    "facilitator": 200,
    "other_facilitator": 404,
    "anonymous": 302,
}


@pytest.fixture
def at_door(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: AT_DOOR)
    return AT_DOOR


def participant(meeting: Meeting, name: str, **fields) -> Participation:
    person = PersonFactory(full_name=name, province=meeting.province, **fields.pop("person", {}))
    return ParticipationFactory(meeting=meeting, person=person, **fields)


def attendance_url(meeting: Meeting, **query) -> str:
    url = reverse("meetings:attendance", args=[meeting.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def toggle(client, meeting: Meeting, day: str = "2022-08-02", htmx: bool = True, **fields):
    return client.post(
        reverse("meetings:attendance_toggle", args=[meeting.pk]),
        {"day": day, **fields},
        **(HTMX if htmx else {}),
    )


def attendance_rows() -> list[tuple]:
    return list(
        Attendance.objects.order_by("pk").values_list(
            "participation_id", "day", "checked_in_at", "method", "recorded_by_id"
        )
    )


# The check-in screen


def test_attendance_tab_lists_name_role_library_and_phone_end(scenario):
    library = LibraryFactory(name="Perpustakaan Desa Sukamaju", regency=scenario.kota_jambi)
    participant(
        scenario.meeting,
        "Siti Rahmawati",
        library=library,
        role=Participation.Role.VILLAGE_LIBRARY,
        person={"phone": "+6281234567890"},
    )

    response = scenario.client_for("officer").get(attendance_url(scenario.meeting))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Siti Rahmawati" in body
    assert '<span class="att-lib">Perpustakaan Desa Sukamaju</span>' in body
    assert (
        '<span class="att-meta">Perpustakaan Desa <span class="text-nowrap">· …7890</span>' in body
    )
    assert "…7890" in body
    assert "+6281234567890" not in body
    assert "Hadir <strong>0</strong> dari 1" in body


def test_attendance_tab_shows_time_in_province_zone(scenario):
    row = participant(scenario.meeting, "Budi")
    AttendanceFactory(participation=row, checked_in_at=AT_DOOR)

    response = scenario.client_for("officer").get(attendance_url(scenario.meeting))

    assert "08.32 WIB" in response.content.decode()
    assert "Hadir <strong>1</strong> dari 1" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_attendance_tab_role_matrix(scenario, role):
    participant(scenario.meeting, "Siti Rahmawati")

    response = scenario.client_for(role).get(attendance_url(scenario.meeting))

    assert response.status_code == ATTEND_STATUS[role]
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    if response.status_code != 200:
        assert "Siti Rahmawati" not in response.content.decode()


def test_attendance_tab_default_day_is_today_on_a_meeting_day(scenario, monkeypatch):
    meeting = MeetingFactory(
        province=scenario.jambi, start_date=dt.date(2022, 8, 30), end_date=dt.date(2022, 9, 1)
    )
    # 31 August 00.30 WIB is still 30 August in UTC.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2022, 8, 30, 17, 30, tzinfo=dt.UTC))

    response = scenario.client_for("officer").get(attendance_url(meeting))

    assert response.context["day"] == dt.date(2022, 8, 31)


def test_attendance_tab_default_day_is_first_day_outside_the_meeting(scenario, monkeypatch):
    meeting = MeetingFactory(
        province=scenario.jambi, start_date=dt.date(2022, 8, 30), end_date=dt.date(2022, 9, 1)
    )
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2022, 10, 1, 3, 0, tzinfo=dt.UTC))

    response = scenario.client_for("officer").get(attendance_url(meeting))

    assert response.context["day"] == dt.date(2022, 8, 30)


def test_attendance_tab_day_chosen_shows_that_days_attendance(scenario):
    meeting = MeetingFactory(
        province=scenario.jambi, start_date=dt.date(2022, 8, 30), end_date=dt.date(2022, 9, 1)
    )
    row = participant(meeting, "Budi")
    AttendanceFactory(participation=row, day=dt.date(2022, 8, 31))
    client = scenario.client_for("officer")

    second = client.get(attendance_url(meeting, day="2022-08-31"))
    third = client.get(attendance_url(meeting, day="2022-09-01"))

    assert (second.context["day"], second.context["present"]) == (dt.date(2022, 8, 31), 1)
    assert (third.context["day"], third.context["present"]) == (dt.date(2022, 9, 1), 0)
    assert 'id="id_day"' in second.content.decode()


def test_attendance_tab_day_outside_meeting_falls_back_to_default(scenario, at_door):
    response = scenario.client_for("officer").get(
        attendance_url(scenario.meeting, day="2030-01-01")
    )

    assert response.status_code == 200
    assert response.context["day"] == dt.date(2022, 8, 2)


def test_attendance_tab_without_participants_points_to_participants_tab(scenario):
    response = scenario.client_for("officer").get(attendance_url(scenario.meeting))

    assert reverse("meetings:participants", args=[scenario.meeting.pk]) in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_attendance_tab_queries_constant(scenario, django_assert_num_queries, count):
    for n in range(count):
        # Some show the represented library, others (none represented) their home library.
        row = participant(
            scenario.meeting,
            f"Peserta {n}",
            library=LibraryFactory(regency=scenario.kota_jambi) if n % 2 else None,
            person={"home_library": LibraryFactory(regency=scenario.kota_jambi, name=f"Asal {n}")},
        )
        AttendanceFactory(participation=row)
    client = scenario.client_for("officer")

    # session, user, meeting, present and total, the page's rows
    with django_assert_num_queries(5):
        response = client.get(attendance_url(scenario.meeting))

    assert len(response.context["rows"]) == count
    assert '<span class="att-lib">Asal 0</span>' in response.content.decode()


def test_attendance_tab_300_participants_same_queries_small_page(
    scenario, django_assert_num_queries
):
    library = LibraryFactory(name="Perpustakaan Desa Sukamaju", regency=scenario.kota_jambi)
    people = Person.objects.bulk_create(
        Person(
            full_name=f"Peserta Nomor {n:03d} Binti Abdullah",
            phone=f"+62813{n:08d}",
            province=scenario.jambi,
            home_library=library,
        )
        for n in range(300)
    )
    rows = Participation.objects.bulk_create(
        Participation(meeting=scenario.meeting, person=person, library=library, role="perpusdes")
        for person in people
    )
    Attendance.objects.bulk_create(
        Attendance(participation=row, day=dt.date(2022, 8, 2), checked_in_at=AT_DOOR)
        for row in rows[:150]
    )
    client = scenario.client_for("officer")

    with django_assert_num_queries(5):
        response = client.get(attendance_url(scenario.meeting))

    assert response.context["present"] == 150
    assert response.context["total"] == 300
    assert len(response.context["rows"]) == 50
    # 50 rows of about 0.5 kB and the tab around them: far under the 80 kB of every page.
    assert len(response.content) < 50_000


# Marking present and undoing


def test_attendance_toggle_marks_present_now_with_method_and_recorder(scenario, at_door):
    row = participant(scenario.meeting, "Siti Rahmawati")
    other = participant(scenario.meeting, "Budi Santoso")
    officer = scenario.users["officer"]

    response = toggle(scenario.client_for("officer"), scenario.meeting, mark=row.pk)

    assert response.status_code == 200
    assert attendance_rows() == [
        (row.pk, dt.date(2022, 8, 2), AT_DOOR, Attendance.Method.MANUAL, officer.pk)
    ]
    body = response.content.decode()
    assert "08.32 WIB" in body
    assert "Hadir <strong>1</strong> dari 2" in body
    assert 'name="undo"' in body
    # A partial: the one row and the counters, not the list.
    assert other.person.full_name not in body
    assert "<html" not in body
    assert len(response.content) < 2_000


def test_attendance_toggle_mark_twice_keeps_one_row_and_first_time(scenario, at_door, monkeypatch):
    row = participant(scenario.meeting, "Siti Rahmawati")
    client = scenario.client_for("officer")
    toggle(client, scenario.meeting, mark=row.pk)
    monkeypatch.setattr(timezone, "now", lambda: AT_DOOR + dt.timedelta(minutes=5))

    response = toggle(client, scenario.meeting, mark=row.pk)

    assert response.status_code == 200
    assert [(r[0], r[2]) for r in attendance_rows()] == [(row.pk, AT_DOOR)]
    assert "08.32 WIB" in response.content.decode()


def test_attendance_toggle_undo_removes_that_days_attendance(scenario, at_door):
    row = participant(scenario.meeting, "Siti Rahmawati")
    AttendanceFactory(participation=row)

    response = toggle(scenario.client_for("facilitator"), scenario.meeting, undo=row.pk)

    assert response.status_code == 200
    assert attendance_rows() == []
    body = response.content.decode()
    assert 'name="mark"' in body
    assert "Hadir <strong>0</strong> dari 1" in body


def test_attendance_toggle_undo_keeps_other_days(scenario):
    meeting = MeetingFactory(
        province=scenario.jambi, start_date=dt.date(2022, 8, 30), end_date=dt.date(2022, 9, 1)
    )
    row = participant(meeting, "Budi")
    AttendanceFactory(participation=row, day=dt.date(2022, 8, 30))
    AttendanceFactory(participation=row, day=dt.date(2022, 8, 31))

    toggle(scenario.client_for("officer"), meeting, day="2022-08-31", undo=row.pk)

    assert [r[1] for r in attendance_rows()] == [dt.date(2022, 8, 30)]


def test_attendance_toggle_day_outside_meeting_refused(scenario, at_door):
    row = participant(scenario.meeting, "Siti Rahmawati")

    response = toggle(
        scenario.client_for("officer"), scenario.meeting, day="2022-08-03", mark=row.pk
    )

    assert response.status_code == 400
    assert "Kehadiran hanya dapat dicatat pada hari pertemuan (2 Agustus 2022)." in (
        response.content.decode()
    )
    assert attendance_rows() == []


@pytest.mark.parametrize(
    "fields",
    [
        {"day": "kemarin", "mark": "1"},
        {"day": "2022-08-02"},
        {"day": "2022-08-02", "mark": "1", "undo": "1"},
        {"day": "2022-08-02", "mark": "satu"},
    ],
)
def test_attendance_toggle_bad_input_400_nothing_saved(scenario, fields):
    participant(scenario.meeting, "Siti Rahmawati")

    response = scenario.client_for("officer").post(
        reverse("meetings:attendance_toggle", args=[scenario.meeting.pk]), fields, **HTMX
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert attendance_rows() == []


def test_attendance_toggle_participant_of_another_meeting_404(scenario):
    other_meeting = MeetingFactory(province=scenario.jambi)
    stranger = participant(other_meeting, "Orang Lain")

    response = toggle(scenario.client_for("officer"), scenario.meeting, mark=stranger.pk)

    assert response.status_code == 404
    assert attendance_rows() == []


def test_attendance_toggle_without_htmx_redirects_back_to_the_row(scenario, at_door):
    row = participant(scenario.meeting, "Siti Rahmawati")

    response = toggle(scenario.client_for("officer"), scenario.meeting, htmx=False, mark=row.pk)

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('meetings:attendance', args=[scenario.meeting.pk])}?day=2022-08-02#p{row.pk}"
    )
    assert len(attendance_rows()) == 1


@pytest.mark.parametrize("role", ROLES)
def test_attendance_toggle_role_matrix(scenario, role, at_door):
    row = participant(scenario.meeting, "Siti Rahmawati")

    response = toggle(scenario.client_for(role), scenario.meeting, mark=row.pk)

    assert response.status_code == ATTEND_STATUS[role]
    expected = 1 if ATTEND_STATUS[role] == 200 else 0
    assert len(attendance_rows()) == expected


@pytest.mark.parametrize("role", ROLES)
def test_attendance_undo_role_matrix(scenario, role):
    row = participant(scenario.meeting, "Siti Rahmawati")
    AttendanceFactory(participation=row)

    response = toggle(scenario.client_for(role), scenario.meeting, undo=row.pk)

    assert response.status_code == ATTEND_STATUS[role]
    expected = 0 if ATTEND_STATUS[role] == 200 else 1
    assert len(attendance_rows()) == expected


def test_attendance_toggle_get_not_allowed(scenario):
    response = scenario.client_for("officer").get(
        reverse("meetings:attendance_toggle", args=[scenario.meeting.pk])
    )

    assert response.status_code == 405


# Self check-in panel, QR page, new link


def test_attendance_panel_editor_sees_link_qr_and_new_link_button(scenario):
    response = scenario.client_for("officer").get(attendance_url(scenario.meeting))

    body = response.content.decode()
    assert f"http://testserver/hadir/{scenario.meeting.checkin_token}/" in body
    assert reverse("meetings:checkin_qr", args=[scenario.meeting.pk]) in body
    assert reverse("meetings:checkin_token_rotate", args=[scenario.meeting.pk]) in body


def test_attendance_panel_facilitator_sees_link_without_new_link_button(scenario):
    response = scenario.client_for("facilitator").get(attendance_url(scenario.meeting))

    body = response.content.decode()
    assert f"/hadir/{scenario.meeting.checkin_token}/" in body
    assert reverse("meetings:checkin_token_rotate", args=[scenario.meeting.pk]) not in body


def test_checkin_qr_page_shows_qr_title_and_link(scenario):
    response = scenario.client_for("officer").get(
        reverse("meetings:checkin_qr", args=[scenario.meeting.pk])
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert '<svg viewBox="0 0 ' in body
    assert "PLM Provinsi Jambi 2022" in body
    assert f"http://testserver/hadir/{scenario.meeting.checkin_token}/" in body
    assert "<script>" not in body


@pytest.mark.parametrize("role", ROLES)
def test_checkin_qr_role_matrix(scenario, role):
    response = scenario.client_for(role).get(
        reverse("meetings:checkin_qr", args=[scenario.meeting.pk])
    )

    assert response.status_code == ATTEND_STATUS[role]
    if response.status_code != 200:
        assert scenario.meeting.checkin_token not in response.content.decode()


def test_checkin_token_rotate_gives_new_token_old_link_dead(scenario):
    old = scenario.meeting.checkin_token

    response = scenario.client_for("officer").post(
        reverse("meetings:checkin_token_rotate", args=[scenario.meeting.pk])
    )

    scenario.meeting.refresh_from_db()
    assert response.status_code == 302
    assert scenario.meeting.checkin_token != old
    assert scenario.client_for("anonymous").get(f"/hadir/{old}/").status_code == 404


def test_checkin_token_rotate_from_qr_page_returns_there(scenario):
    response = scenario.client_for("national").post(
        reverse("meetings:checkin_token_rotate", args=[scenario.meeting.pk]), {"back": "qr"}
    )

    assert response["Location"] == reverse("meetings:checkin_qr", args=[scenario.meeting.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 302),
        ("officer", 302),
        ("other_officer", 404),
        ("facilitator", 403),
        ("other_facilitator", 404),
        ("anonymous", 302),
    ],
)
def test_checkin_token_rotate_role_matrix(scenario, role, status):
    old = scenario.meeting.checkin_token

    response = scenario.client_for(role).post(
        reverse("meetings:checkin_token_rotate", args=[scenario.meeting.pk])
    )

    scenario.meeting.refresh_from_db()
    assert response.status_code == status
    changed = role in ("national", "officer")
    assert (scenario.meeting.checkin_token != old) is changed


def test_attendance_tab_day_select_shows_the_day_listed(scenario, monkeypatch):
    meeting = MeetingFactory(
        province=scenario.jambi, start_date=dt.date(2022, 8, 30), end_date=dt.date(2022, 9, 1)
    )
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2022, 8, 31, 2, 0, tzinfo=dt.UTC))

    response = scenario.client_for("officer").get(attendance_url(meeting, q="budi"))

    assert response.context["day"] == dt.date(2022, 8, 31)
    assert '<option value="2022-08-31" selected>Rabu, 31 Agustus 2022</option>' in (
        response.content.decode()
    )


# The services, with time passed explicitly


def test_mark_present_service_day_outside_meeting_refused(scenario):
    row = participant(scenario.meeting, "Siti Rahmawati")

    with pytest.raises(ValidationError):
        mark_present(
            participation=row, day=dt.date(2022, 8, 1), by=scenario.users["officer"], now=AT_DOOR
        )

    assert attendance_rows() == []


def test_mark_present_service_records_given_time_and_who(scenario):
    row = participant(scenario.meeting, "Siti Rahmawati")
    officer = scenario.users["officer"]

    _attendance, created = mark_present(
        participation=row, day=dt.date(2022, 8, 2), by=officer, now=AT_DOOR
    )

    assert created is True
    assert attendance_rows() == [
        (row.pk, dt.date(2022, 8, 2), AT_DOOR, Attendance.Method.MANUAL, officer.pk)
    ]


def test_mark_present_service_without_user_only_for_self_checkin(scenario):
    row = participant(scenario.meeting, "Siti Rahmawati")

    with pytest.raises(PermissionDenied):
        mark_present(participation=row, day=dt.date(2022, 8, 2), by=None, now=AT_DOOR)
    assert attendance_rows() == []

    mark_present(
        participation=row,
        day=dt.date(2022, 8, 2),
        by=None,
        method=Attendance.Method.SELF,
        now=AT_DOOR,
    )
    assert attendance_rows() == [
        (row.pk, dt.date(2022, 8, 2), AT_DOOR, Attendance.Method.SELF, None)
    ]


@pytest.mark.parametrize("role", ["other_officer", "other_facilitator"])
def test_attendance_services_refuse_who_may_not_take_attendance(scenario, role):
    row = participant(scenario.meeting, "Siti Rahmawati")
    AttendanceFactory(participation=row, day=dt.date(2022, 8, 2))
    before = attendance_rows()
    token = scenario.meeting.checkin_token
    user = scenario.users[role]

    with pytest.raises(PermissionDenied):
        mark_present(participation=row, day=dt.date(2022, 8, 3), by=user, now=AT_DOOR)
    with pytest.raises(PermissionDenied):
        undo_attendance(participation=row, day=dt.date(2022, 8, 2), by=user)
    with pytest.raises(PermissionDenied):
        rotate_checkin_token(meeting=scenario.meeting, by=user)

    scenario.meeting.refresh_from_db()
    assert (attendance_rows(), scenario.meeting.checkin_token) == (before, token)
