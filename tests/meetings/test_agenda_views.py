"""Agenda tab: read by everyone who sees the meeting; sessions added, changed, deleted and reordered by editors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from meetings.models import Participation, Session
from meetings.services.agenda import delete_session, move_session, save_session
from tests.factories import (
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
)
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
DAY = dt.date(2022, 8, 2)


def sessions_snapshot(meeting) -> list[dict]:
    return list(Session.objects.filter(meeting=meeting).order_by("pk").values())


def titles_in_order(meeting) -> list[str]:
    return list(
        Session.objects.filter(meeting=meeting)
        .order_by("date", "order")
        .values_list("title", flat=True)
    )


@pytest.fixture
def agenda(scenario):
    """Three sessions on the scenario meeting's one day; the second led by a Master Trainer."""
    meeting = scenario.meeting
    trainer = ParticipationFactory(
        meeting=meeting,
        role=Participation.Role.MASTER_TRAINER,
        person__full_name="Dewi Master Trainer",
    ).person
    sessions = [
        SessionFactory(
            meeting=meeting,
            order=0,
            title="Registrasi peserta",
            date=DAY,
            start_time=dt.time(8, 0),
            end_time=dt.time(8, 30),
        ),
        SessionFactory(
            meeting=meeting,
            order=1,
            title="Refleksi capaian",
            date=DAY,
            start_time=dt.time(8, 30),
            end_time=dt.time(9, 15),
            led_by=trainer,
            description="Berbagi capaian implementasi.",
        ),
        SessionFactory(
            meeting=meeting,
            order=2,
            title="Penyusunan RTL",
            date=DAY,
            start_time=dt.time(13, 0),
            end_time=dt.time(15, 0),
        ),
    ]
    scenario.trainer = trainer
    scenario.sessions = sessions
    return scenario


def url(name: str, scenario, session=None) -> str:
    args = [scenario.meeting.pk] + ([session.pk] if session is not None else [])
    return reverse(f"meetings:{name}", args=args)


# --- reading -------------------------------------------------------------------------------------------------


def test_agenda_lists_sessions_in_order_with_times_and_lead(agenda):
    response = agenda.client_for("officer").get(url("agenda", agenda))

    assert response.status_code == 200
    body = response.content.decode()
    positions = [
        body.index(t) for t in ("Registrasi peserta", "Refleksi capaian", "Penyusunan RTL")
    ]
    assert positions == sorted(positions)
    assert "<time>08.30</time>\u2013<time>09.15</time>" in body  # en dash between the times
    assert "Dewi Master Trainer" in body
    assert "Master Trainer" in body
    assert "Berbagi capaian implementasi." in body
    assert "Selasa, 2 Agustus 2022" in body


def test_agenda_multi_day_meeting_grouped_by_day(scenario):
    meeting = scenario.meeting
    meeting.end_date = DAY + dt.timedelta(days=1)
    meeting.save()
    SessionFactory(meeting=meeting, order=0, title="Hari dua pagi", date=DAY + dt.timedelta(days=1))
    SessionFactory(meeting=meeting, order=1, title="Hari satu pagi", date=DAY)

    response = scenario.client_for("officer").get(url("agenda", scenario))

    days = [(d.date, [s.title for s in d.sessions]) for d in response.context["days"]]
    assert days == [
        (DAY, ["Hari satu pagi"]),
        (DAY + dt.timedelta(days=1), ["Hari dua pagi"]),
    ]
    body = response.content.decode()
    assert body.index("Selasa, 2 Agustus 2022") < body.index("Rabu, 3 Agustus 2022")


def test_agenda_assigned_facilitator_reads_without_edit_controls(agenda):
    response = agenda.client_for("facilitator").get(url("agenda", agenda))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Refleksi capaian" in body
    assert url("agenda_new", agenda) not in body
    assert url("agenda_edit", agenda, agenda.sessions[0]) not in body
    assert url("agenda_move", agenda, agenda.sessions[0]) not in body


def test_agenda_editor_sees_controls_first_and_last_arrows_disabled(agenda):
    body = agenda.client_for("officer").get(url("agenda", agenda)).content.decode()

    assert url("agenda_new", agenda) in body
    first = body[body.index(f'id="session-{agenda.sessions[0].pk}"') :]
    first = first[: first.index("</li>")]
    assert 'value="up"' in first
    assert first.count("disabled") == 1  # up disabled, down enabled


def test_agenda_empty_shows_message(scenario):
    response = scenario.client_for("officer").get(url("agenda", scenario))

    assert "Belum ada sesi di agenda pertemuan ini." in response.content.decode()


def test_agenda_lead_from_another_province_not_named_to_officer(scenario):
    outsider = PersonFactory(province=scenario.riau, full_name="Orang Riau")
    ParticipationFactory(
        meeting=scenario.meeting, person=outsider, role=Participation.Role.RESOURCE_PERSON
    )
    SessionFactory(meeting=scenario.meeting, title="Sesi narasumber", date=DAY, led_by=outsider)

    officer_body = scenario.client_for("officer").get(url("agenda", scenario)).content.decode()
    national_body = scenario.client_for("national").get(url("agenda", scenario)).content.decode()

    assert "Orang Riau" not in officer_body
    assert "Orang Riau" in national_body


def test_agenda_htmx_get_returns_list_partial_only(agenda):
    response = agenda.client_for("officer").get(url("agenda", agenda), **HX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="agenda-list">')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 200),
        ("other_facilitator", 404),
        ("anonymous", 302),
    ],
)
def test_agenda_page_role_matrix(agenda, role, status):
    response = agenda.client_for(role).get(url("agenda", agenda))

    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("rows", [1, 3])
def test_agenda_page_query_count_constant(scenario, django_assert_num_queries, rows):
    trainer = ParticipationFactory(
        meeting=scenario.meeting, role=Participation.Role.MASTER_TRAINER
    ).person
    for i in range(rows):
        SessionFactory(meeting=scenario.meeting, order=i, date=DAY, led_by=trainer)
    client = scenario.client_for("officer")

    # session, user, meeting, sessions (with lead name, role and visibility)
    with django_assert_num_queries(4):
        response = client.get(url("agenda", scenario))

    assert len(response.context["days"][0].sessions) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_agenda_list_partial_query_count_constant(scenario, django_assert_num_queries, rows):
    for i in range(rows):
        SessionFactory(meeting=scenario.meeting, order=i, date=DAY)
    client = scenario.client_for("facilitator")

    # session, user, meeting, assigned-facilitator check, sessions
    with django_assert_num_queries(5):
        response = client.get(url("agenda", scenario), **HX)

    assert response.content.decode().count('class="list-group-item agenda-item"') == rows


# --- adding --------------------------------------------------------------------------------------------------


def add_data(**overrides) -> dict:
    data = {
        "new-title": "Berbagi pengalaman antarperpustakaan",
        "new-date": "2022-08-02",
        "new-start_time": "10:00",
        "new-end_time": "11:30",
        "new-led_by": "",
        "new-description": "Tiap kabupaten bercerita.",
    }
    data.update({f"new-{k}": v for k, v in overrides.items()})
    return data


def test_add_session_htmx_appends_and_keeps_form_open(agenda):
    client = agenda.client_for("officer")

    response = client.post(url("agenda_new", agenda), add_data(led_by=str(agenda.trainer.pk)), **HX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#agenda-list"
    session = Session.objects.get(title="Berbagi pengalaman antarperpustakaan")
    assert (session.meeting, session.date, session.start_time, session.end_time) == (
        agenda.meeting,
        DAY,
        dt.time(10),
        dt.time(11, 30),
    )
    assert session.led_by == agenda.trainer
    # placed by its start time: after 08.30 and before 13.00
    assert titles_in_order(agenda.meeting) == [
        "Registrasi peserta",
        "Refleksi capaian",
        "Berbagi pengalaman antarperpustakaan",
        "Penyusunan RTL",
    ]
    assert sorted(Session.objects.values_list("order", flat=True)) == [0, 1, 2, 3]
    body = response.content.decode()
    assert (
        'hx-swap-oob="innerHTML">Sesi “Berbagi pengalaman antarperpustakaan” ditambahkan.' in body
    )
    # the next form starts when this session ended
    assert 'name="new-start_time" value="11:30"' in body


def test_add_session_without_javascript_redirects_back(agenda):
    client = agenda.client_for("national")

    response = client.post(url("agenda_new", agenda), add_data())

    session = Session.objects.get(title="Berbagi pengalaman antarperpustakaan")
    assert response.status_code == 302
    assert response["Location"] == f"{url('agenda', agenda)}#session-{session.pk}"
    page = client.get(response["Location"])
    assert "Sesi “Berbagi pengalaman antarperpustakaan” ditambahkan." in page.content.decode()


def test_add_form_htmx_defaults_to_first_day(scenario):
    meeting = scenario.meeting
    meeting.end_date = DAY + dt.timedelta(days=2)
    meeting.save()

    response = scenario.client_for("officer").get(url("agenda_new", scenario), **HX)

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="agenda-add"')
    assert '<option value="2022-08-02" selected>Selasa, 2 Agustus 2022</option>' in body
    assert '<option value="2022-08-04">Kamis, 4 Agustus 2022</option>' in body


def test_add_form_without_javascript_is_a_full_page(agenda):
    response = agenda.client_for("officer").get(url("agenda_new", agenda))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert 'name="new-title"' in body
    assert "Refleksi capaian" in body


def test_add_session_lead_choices_facilitators_first_and_own_meeting_only(agenda):
    ParticipationFactory(meeting=agenda.meeting, person__full_name="Ahmad Peserta")
    elsewhere = ParticipationFactory(
        meeting=MeetingFactory(province=agenda.jambi), person__full_name="Bukan Peserta"
    )

    response = agenda.client_for("officer").get(url("agenda_new", agenda), **HX)

    labels = [label for _, label in response.context["form"].fields["led_by"].choices]
    assert labels == [
        "—",
        "Dewi Master Trainer (Master Trainer)",
        "Ahmad Peserta (Dinas Perpustakaan Kabupaten/Kota)",
    ]
    assert elsewhere.person.full_name not in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_time": "11:00", "end_time": "10:00"},
            "end_time",
            "Jam selesai harus setelah jam mulai.",
        ),
        (
            {"start_time": "10:00", "end_time": "10:00"},
            "end_time",
            "Jam selesai harus setelah jam mulai.",
        ),
        (
            {"start_time": "", "end_time": "10:00"},
            "start_time",
            "Isi jam mulai bila jam selesai diisi.",
        ),
        ({"title": ""}, "title", "Isi judul sesi."),
        ({"date": "2022-08-05"}, "date", "Pilih salah satu hari pertemuan."),
        ({"date": "bukan-tanggal"}, "date", None),
        ({"start_time": "25:99"}, "start_time", None),
        ({"led_by": "999999"}, "led_by", None),
    ],
)
def test_add_session_bad_input_shows_error_keeps_input_saves_nothing(
    agenda, overrides, field, message
):
    before = sessions_snapshot(agenda.meeting)
    client = agenda.client_for("officer")

    response = client.post(url("agenda_new", agenda), add_data(**overrides), **HX)

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert form.errors[field] == [message]
    body = response.content.decode()
    assert f'id="id_new-{field}_error"' in body
    assert 'value="Berbagi pengalaman antarperpustakaan"' in body or overrides.get("title") == ""
    assert sessions_snapshot(agenda.meeting) == before


def test_add_session_bad_input_without_javascript_renders_page_with_errors(agenda):
    before = sessions_snapshot(agenda.meeting)

    response = agenda.client_for("officer").post(
        url("agenda_new", agenda), add_data(start_time="11:00", end_time="10:00")
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert "Jam selesai harus setelah jam mulai." in body
    assert 'value="Berbagi pengalaman antarperpustakaan"' in body
    assert sessions_snapshot(agenda.meeting) == before


def test_add_session_lead_from_another_meeting_refused(agenda):
    stranger = ParticipationFactory(meeting=MeetingFactory(province=agenda.jambi)).person
    before = sessions_snapshot(agenda.meeting)

    response = agenda.client_for("officer").post(
        url("agenda_new", agenda), add_data(led_by=str(stranger.pk)), **HX
    )

    assert "led_by" in response.context["form"].errors
    assert sessions_snapshot(agenda.meeting) == before


def test_add_session_lead_of_another_province_refused_for_officer(scenario):
    outsider = PersonFactory(province=scenario.riau)
    ParticipationFactory(meeting=scenario.meeting, person=outsider)

    response = scenario.client_for("officer").post(
        url("agenda_new", scenario), add_data(led_by=str(outsider.pk)), **HX
    )

    assert "led_by" in response.context["form"].errors
    assert not Session.objects.exists()


# --- editing -------------------------------------------------------------------------------------------------


def edit_data(session, **overrides) -> dict:
    prefix = f"s{session.pk}"
    data = {
        "title": session.title,
        "date": session.date.isoformat(),
        "start_time": session.start_time.strftime("%H:%M") if session.start_time else "",
        "end_time": session.end_time.strftime("%H:%M") if session.end_time else "",
        "led_by": str(session.led_by_id or ""),
        "description": session.description,
    }
    data.update(overrides)
    return {f"{prefix}-{k}": v for k, v in data.items()}


def test_edit_form_htmx_swaps_row_with_prefilled_form(agenda):
    session = agenda.sessions[1]

    response = agenda.client_for("officer").get(url("agenda_edit", agenda, session), **HX)

    body = response.content.decode()
    assert body.lstrip().startswith(
        f'<li class="list-group-item agenda-item agenda-editing" id="session-{session.pk}"'
    )
    assert f'name="s{session.pk}-title" value="Refleksi capaian"' in body
    assert f'<option value="{agenda.trainer.pk}" selected>' in body


def test_edit_without_javascript_renders_page_with_row_as_form(agenda):
    session = agenda.sessions[1]

    response = agenda.client_for("officer").get(url("agenda_edit", agenda, session))

    body = response.content.decode()
    assert "<html" in body
    assert f'name="s{session.pk}-title"' in body
    assert "Penyusunan RTL" in body


def test_edit_session_htmx_saves_and_returns_list(agenda):
    session = agenda.sessions[1]

    response = agenda.client_for("officer").post(
        url("agenda_edit", agenda, session),
        edit_data(session, title="Refleksi capaian implementasi", led_by=""),
        **HX,
    )

    session.refresh_from_db()
    assert (session.title, session.led_by, session.order) == (
        "Refleksi capaian implementasi",
        None,
        1,
    )
    assert response["HX-Retarget"] == "#agenda-list"
    body = response.content.decode()
    assert "Perubahan sesi “Refleksi capaian implementasi” tersimpan." in body
    assert "autofocus" in body


def test_edit_session_new_start_time_moves_it_on_its_day(agenda):
    session = agenda.sessions[0]

    agenda.client_for("officer").post(
        url("agenda_edit", agenda, session),
        edit_data(session, start_time="14:00", end_time="15:00"),
    )

    assert titles_in_order(agenda.meeting) == [
        "Refleksi capaian",
        "Penyusunan RTL",
        "Registrasi peserta",
    ]
    assert sorted(Session.objects.values_list("order", flat=True)) == [0, 1, 2]


def test_edit_session_bad_input_keeps_input_saves_nothing(agenda):
    session = agenda.sessions[1]
    before = sessions_snapshot(agenda.meeting)

    response = agenda.client_for("officer").post(
        url("agenda_edit", agenda, session),
        edit_data(session, title="Judul baru", start_time="10:00", end_time="09:00"),
        **HX,
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Jam selesai harus setelah jam mulai." in body
    assert f'name="s{session.pk}-title" value="Judul baru"' in body
    assert sessions_snapshot(agenda.meeting) == before


def test_edit_session_dated_outside_shortened_meeting_must_be_moved(agenda):
    session = SessionFactory(
        meeting=agenda.meeting, title="Hari yang hilang", date=DAY + dt.timedelta(days=1)
    )
    before = sessions_snapshot(agenda.meeting)

    response = agenda.client_for("officer").post(
        url("agenda_edit", agenda, session), edit_data(session), **HX
    )

    assert response.context["form"].errors["date"] == ["Pilih salah satu hari pertemuan."]
    assert (
        '<option value="2022-08-03" selected>Rabu, 3 Agustus 2022</option>'
        in response.content.decode()
    )
    assert sessions_snapshot(agenda.meeting) == before


def test_edit_session_of_another_meeting_is_not_found(agenda):
    other = SessionFactory(meeting=MeetingFactory(province=agenda.jambi), title="Lain", date=DAY)
    before = sessions_snapshot(other.meeting)

    response = agenda.client_for("officer").post(
        url("agenda_edit", agenda, other), edit_data(other, title="Dibajak")
    )

    assert response.status_code == 404
    assert sessions_snapshot(other.meeting) == before


def test_cancel_edit_htmx_returns_list_focused_on_row(agenda):
    session = agenda.sessions[1]

    response = agenda.client_for("officer").get(url("agenda_row", agenda, session), **HX)

    body = response.content.decode()
    assert response["HX-Retarget"] == "#agenda-list"
    row = body[body.index(f'id="session-{session.pk}"') :]
    row = row[: row.index("</li>")]
    assert "autofocus" in row


def test_cancel_edit_without_javascript_redirects(agenda):
    session = agenda.sessions[1]

    response = agenda.client_for("officer").get(url("agenda_row", agenda, session))

    assert response.status_code == 302
    assert response["Location"] == f"{url('agenda', agenda)}#session-{session.pk}"


# --- deleting and reordering ---------------------------------------------------------------------------------


def test_delete_session_renumbers_the_rest(agenda):
    response = agenda.client_for("officer").post(
        url("agenda_delete", agenda, agenda.sessions[0]), **HX
    )

    assert response.status_code == 200
    assert list(Session.objects.order_by("order").values_list("title", "order")) == [
        ("Refleksi capaian", 0),
        ("Penyusunan RTL", 1),
    ]
    assert "Sesi “Registrasi peserta” dihapus." in response.content.decode()


def test_delete_session_without_javascript_redirects(agenda):
    response = agenda.client_for("officer").post(url("agenda_delete", agenda, agenda.sessions[2]))

    assert response.status_code == 302
    assert response["Location"] == url("agenda", agenda)
    assert Session.objects.count() == 2


def test_move_session_up_htmx_swaps_list_and_keeps_focus(agenda):
    session = agenda.sessions[2]

    response = agenda.client_for("officer").post(
        url("agenda_move", agenda, session), {"direction": "up"}, **HX
    )

    assert titles_in_order(agenda.meeting) == [
        "Registrasi peserta",
        "Penyusunan RTL",
        "Refleksi capaian",
    ]
    body = response.content.decode()
    assert response["HX-Retarget"] == "#agenda-list"
    assert "Sesi “Penyusunan RTL” dipindah ke atas." in body
    row = body[body.index(f'id="session-{session.pk}"') :]
    row = row[: row.index("</li>")]
    up = row[row.index('value="up"') : row.index('value="down"')]
    assert "autofocus" in up


def test_move_session_down_without_javascript_redirects(agenda):
    session = agenda.sessions[0]

    response = agenda.client_for("national").post(
        url("agenda_move", agenda, session), {"direction": "down"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{url('agenda', agenda)}#session-{session.pk}"
    assert titles_in_order(agenda.meeting) == [
        "Refleksi capaian",
        "Registrasi peserta",
        "Penyusunan RTL",
    ]


def test_move_first_session_up_changes_nothing(agenda):
    before = titles_in_order(agenda.meeting)

    response = agenda.client_for("officer").post(
        url("agenda_move", agenda, agenda.sessions[0]), {"direction": "up"}, **HX
    )

    assert titles_in_order(agenda.meeting) == before
    assert "sudah di ujung harinya" in response.content.decode()


@pytest.mark.parametrize("direction", ["", "sideways", "UP"])
def test_move_session_bad_direction_changes_nothing(agenda, direction):
    before = sessions_snapshot(agenda.meeting)

    response = agenda.client_for("officer").post(
        url("agenda_move", agenda, agenda.sessions[1]), {"direction": direction}
    )

    assert response.status_code == 302
    assert sessions_snapshot(agenda.meeting) == before


def test_move_session_renumbers_gapped_orders(scenario):
    a = SessionFactory(meeting=scenario.meeting, order=5, title="A", date=DAY)
    b = SessionFactory(meeting=scenario.meeting, order=9, title="B", date=DAY)
    c = SessionFactory(meeting=scenario.meeting, order=30, title="C", date=DAY)

    moved = move_session(session=c, direction="up", by=scenario.users["officer"])

    assert moved is True
    assert [(s.pk, s.order) for s in Session.objects.order_by("order")] == [
        (a.pk, 0),
        (c.pk, 1),
        (b.pk, 2),
    ]


def test_move_session_does_not_cross_days(scenario):
    meeting = scenario.meeting
    meeting.end_date = DAY + dt.timedelta(days=1)
    meeting.save()
    SessionFactory(meeting=meeting, order=0, title="Hari satu", date=DAY)
    second_day = SessionFactory(
        meeting=meeting, order=1, title="Hari dua", date=DAY + dt.timedelta(days=1)
    )

    moved = move_session(session=second_day, direction="up", by=scenario.users["officer"])

    assert moved is False
    assert titles_in_order(meeting) == ["Hari satu", "Hari dua"]


def test_save_session_new_goes_last_on_its_day_without_time(agenda):
    session = Session(meeting=agenda.meeting, title="Penutupan", date=DAY)

    save_session(session=session, by=agenda.users["officer"])

    assert titles_in_order(agenda.meeting)[-1] == "Penutupan"
    assert sorted(Session.objects.values_list("order", flat=True)) == [0, 1, 2, 3]


@pytest.mark.parametrize("role", ["other_officer", "facilitator", "other_facilitator"])
def test_agenda_services_refuse_user_who_may_not_change_the_meeting(agenda, role):
    before = sessions_snapshot(agenda.meeting)
    user = agenda.users[role]

    with pytest.raises(PermissionDenied):
        save_session(session=Session(meeting=agenda.meeting, title="Penutupan", date=DAY), by=user)
    with pytest.raises(PermissionDenied):
        move_session(session=agenda.sessions[1], direction="up", by=user)
    with pytest.raises(PermissionDenied):
        delete_session(session=agenda.sessions[1], by=user)

    assert sessions_snapshot(agenda.meeting) == before


# --- who may change the agenda -------------------------------------------------------------------------------

WRITE_STATUS = {
    "national": 302,
    "officer": 302,
    "other_officer": 404,
    "facilitator": 403,
    "other_facilitator": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_add_session_role_matrix(agenda, role):
    before = sessions_snapshot(agenda.meeting)

    response = agenda.client_for(role).post(url("agenda_new", agenda), add_data())

    assert response.status_code == WRITE_STATUS[role]
    if role in ("national", "officer"):
        assert Session.objects.filter(title="Berbagi pengalaman antarperpustakaan").count() == 1
    else:
        assert sessions_snapshot(agenda.meeting) == before


@pytest.mark.parametrize("role", ROLES)
def test_edit_session_role_matrix(agenda, role):
    session = agenda.sessions[0]
    before = sessions_snapshot(agenda.meeting)

    response = agenda.client_for(role).post(
        url("agenda_edit", agenda, session), edit_data(session, title="Diubah")
    )

    assert response.status_code == WRITE_STATUS[role]
    session.refresh_from_db()
    if role in ("national", "officer"):
        assert session.title == "Diubah"
    else:
        assert sessions_snapshot(agenda.meeting) == before


@pytest.mark.parametrize("role", ROLES)
def test_delete_session_role_matrix(agenda, role):
    before = sessions_snapshot(agenda.meeting)

    response = agenda.client_for(role).post(url("agenda_delete", agenda, agenda.sessions[0]))

    assert response.status_code == WRITE_STATUS[role]
    if role in ("national", "officer"):
        assert Session.objects.count() == 2
    else:
        assert sessions_snapshot(agenda.meeting) == before


@pytest.mark.parametrize("role", ROLES)
def test_move_session_role_matrix(agenda, role):
    before = sessions_snapshot(agenda.meeting)

    response = agenda.client_for(role).post(
        url("agenda_move", agenda, agenda.sessions[0]), {"direction": "down"}
    )

    assert response.status_code == WRITE_STATUS[role]
    if role in ("national", "officer"):
        assert titles_in_order(agenda.meeting)[0] == "Refleksi capaian"
    else:
        assert sessions_snapshot(agenda.meeting) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 403),
        ("other_facilitator", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("view", ["agenda_new", "agenda_edit"])
def test_session_forms_role_matrix(agenda, role, status, view):
    session = agenda.sessions[0] if view == "agenda_edit" else None

    response = agenda.client_for(role).get(url(view, agenda, session), **HX)

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 200),
        ("other_facilitator", 404),
        ("anonymous", 302),
    ],
)
def test_agenda_row_role_matrix(agenda, role, status):
    response = agenda.client_for(role).get(url("agenda_row", agenda, agenda.sessions[0]), **HX)

    assert response.status_code == status


def test_write_views_refuse_get(agenda):
    client = agenda.client_for("officer")

    responses = [
        client.get(url("agenda_delete", agenda, agenda.sessions[0])),
        client.get(url("agenda_move", agenda, agenda.sessions[0])),
    ]

    assert [r.status_code for r in responses] == [405, 405]
    assert Session.objects.count() == 3
