"""Meetings, sessions, participants, attendance and awards: constraints hold in the database itself."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings.models import Attendance, Award, Meeting, Participation, Session
from tests.constraints import constraint_messages, refused_by
from tests.factories import (
    AttendanceFactory,
    AwardFactory,
    LibraryFactory,
    MeetingFactory,
    ParticipationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def new_meeting(province, **fields) -> Meeting:
    """An unsaved, otherwise valid meeting: the keyword arguments make it wrong."""
    values = {
        "title": "PLM Provinsi Jambi",
        "province": province,
        "year": 2022,
        "wave": 3,
        "start_date": dt.date(2022, 8, 2),
        "end_date": dt.date(2022, 8, 2),
    } | fields
    return Meeting(**values)


# Meeting


def test_meeting_valid_row_saves(kota_jambi):
    meeting = new_meeting(kota_jambi.province, venue_regency=kota_jambi, wave=None)
    meeting.save()

    meeting.full_clean()
    assert Meeting.objects.get(pk=meeting.pk).venue_regency_id == "15.71"


def test_meeting_days_of_three_day_meeting():
    meeting = MeetingFactory(start_date=dt.date(2022, 8, 30), end_date=dt.date(2022, 9, 1))

    assert meeting.days == [dt.date(2022, 8, 30), dt.date(2022, 8, 31), dt.date(2022, 9, 1)]


def test_meeting_days_of_one_day_meeting():
    meeting = MeetingFactory(start_date=dt.date(2022, 8, 2))

    assert meeting.days == [dt.date(2022, 8, 2)]


def test_meeting_checkin_tokens_differ():
    first, second = MeetingFactory(), MeetingFactory()

    assert first.checkin_token != second.checkin_token
    assert len(first.checkin_token) >= 32


def test_meeting_checkin_token_twice_refused_by_database():
    meeting = MeetingFactory()

    with refused_by("meetings_meeting_checkin_token_key", "meetings_meeting.checkin_token"):
        MeetingFactory(province=meeting.province, checkin_token=meeting.checkin_token)


def test_meeting_get_absolute_url_points_to_portal_page():
    meeting = MeetingFactory()

    assert meeting.get_absolute_url() == f"/meetings/{meeting.pk}/"


def test_meeting_ends_before_start_refused_by_database(jambi):
    with refused_by("meeting_ends_on_or_after_start"):
        Meeting.objects.bulk_create(
            [new_meeting(jambi, start_date=dt.date(2022, 8, 2), end_date=dt.date(2022, 8, 1))]
        )


def test_meeting_ends_before_start_says_why(jambi):
    meeting = new_meeting(jambi, start_date=dt.date(2022, 8, 2), end_date=dt.date(2022, 8, 1))

    assert constraint_messages(meeting) == ["Tanggal selesai tidak boleh sebelum tanggal mulai."]


@pytest.mark.parametrize("year", [2018, 2100])
def test_meeting_year_at_range_edges_saves(jambi, year):
    Meeting.objects.bulk_create([new_meeting(jambi, year=year)])

    assert Meeting.objects.filter(year=year).exists()


@pytest.mark.parametrize("year", [2017, 2101])
def test_meeting_year_out_of_range_refused_by_database(jambi, year):
    with refused_by("meeting_year_in_range"):
        Meeting.objects.bulk_create([new_meeting(jambi, year=year)])


@pytest.mark.parametrize("wave", [None, 1, 20])
def test_meeting_wave_in_range_saves(jambi, wave):
    Meeting.objects.bulk_create([new_meeting(jambi, wave=wave)])

    assert Meeting.objects.get().wave == wave


@pytest.mark.parametrize("wave", [0, 21])
def test_meeting_wave_out_of_range_refused_by_database(jambi, wave):
    with refused_by("meeting_wave_in_range"):
        Meeting.objects.bulk_create([new_meeting(jambi, wave=wave)])


def test_meeting_wave_out_of_range_says_why(jambi):
    meeting = new_meeting(jambi, wave=21)

    assert constraint_messages(meeting) == ["Gelombang antara 1 dan 20."]


def test_meeting_venue_in_other_province_refused_by_database(riau, kota_jambi):
    with refused_by("meeting_venue_within_province"):
        Meeting.objects.bulk_create([new_meeting(riau, venue_regency=kota_jambi)])


def test_meeting_venue_in_other_province_says_why(riau, kota_jambi):
    meeting = new_meeting(riau, venue_regency=kota_jambi)

    assert constraint_messages(meeting) == ["Tempat harus berada di provinsi pertemuan."]


# Session


@pytest.mark.parametrize(
    ("start_time", "end_time"),
    [
        (dt.time(9, 0), dt.time(10, 30)),
        (dt.time(9, 0), None),
        (None, dt.time(10, 30)),
        (None, None),
    ],
)
def test_session_times_in_order_or_open_save(start_time, end_time):
    session = Session.objects.create(
        meeting=MeetingFactory(), title="Pembukaan", start_time=start_time, end_time=end_time
    )

    session.full_clean()
    assert Session.objects.get(pk=session.pk).end_time == end_time


@pytest.mark.parametrize("end_time", [dt.time(9, 0), dt.time(8, 59)])
def test_session_ends_at_or_before_start_refused_by_database(end_time):
    meeting = MeetingFactory()

    with refused_by("session_ends_after_start"):
        Session.objects.create(
            meeting=meeting, title="Pembukaan", start_time=dt.time(9, 0), end_time=end_time
        )


def test_session_ends_at_start_says_why():
    session = SessionFactory.build(
        meeting=MeetingFactory(), start_time=dt.time(9, 0), end_time=dt.time(9, 0)
    )

    assert constraint_messages(session) == ["Jam selesai harus setelah jam mulai."]


# Participation


def test_participation_valid_row_saves():
    participation = ParticipationFactory(
        person__full_name="Siti Aminah", role=Participation.Role.VILLAGE_LIBRARY
    )

    participation.full_clean()
    assert str(participation) == "Siti Aminah — Perpustakaan Desa"


def test_participation_same_person_twice_refused_by_database():
    participation = ParticipationFactory()

    with refused_by(
        "participation_unique_person_per_meeting",
        "meetings_participation.meeting_id",
        "meetings_participation.person_id",
    ):
        Participation.objects.create(
            meeting=participation.meeting,
            person=participation.person,
            role=Participation.Role.COMMITTEE,
        )


def test_participation_same_person_twice_says_why():
    participation = ParticipationFactory()
    duplicate = Participation(
        meeting=participation.meeting,
        person=participation.person,
        role=Participation.Role.COMMITTEE,
    )

    assert constraint_messages(duplicate) == ["Orang ini sudah terdaftar di pertemuan ini."]


def test_participation_same_person_in_other_meeting_saves():
    participation = ParticipationFactory()

    ParticipationFactory(person=participation.person)

    assert participation.person.participations.count() == 2


# Attendance


def test_attendance_each_day_of_meeting_saves():
    meeting = MeetingFactory(start_date=dt.date(2022, 8, 30), end_date=dt.date(2022, 9, 1))
    participation = ParticipationFactory(meeting=meeting)

    for day in meeting.days:
        AttendanceFactory(participation=participation, day=day)

    assert list(participation.attendances.values_list("day", flat=True)) == meeting.days


def test_attendance_twice_a_day_refused_by_database():
    attendance = AttendanceFactory()

    with refused_by(
        "attendance_once_per_day",
        "meetings_attendance.participation_id",
        "meetings_attendance.day",
    ):
        Attendance.objects.create(
            participation=attendance.participation,
            day=attendance.day,
            checked_in_at=attendance.checked_in_at + dt.timedelta(hours=1),
        )


def test_attendance_twice_a_day_says_why():
    attendance = AttendanceFactory()
    duplicate = Attendance(
        participation=attendance.participation,
        day=attendance.day,
        checked_in_at=attendance.checked_in_at + dt.timedelta(hours=1),
    )

    assert constraint_messages(duplicate) == ["Kehadiran hari ini sudah tercatat."]


# Award


def test_award_valid_row_saves():
    award = AwardFactory(library__name="Dinas Perpustakaan Kota Jambi")

    award.full_clean()
    assert (
        str(award) == "Perpustakaan kabupaten/kota terbaik 2022 #1: Dinas Perpustakaan Kota Jambi"
    )


def test_award_ranks_of_one_category_save(jambi):
    AwardFactory(province=jambi, rank=1)
    AwardFactory(province=jambi, rank=2)
    AwardFactory(province=jambi, rank=10)

    assert list(Award.objects.values_list("rank", flat=True)) == [1, 2, 10]


def test_award_rank_taken_refused_by_database():
    award = AwardFactory(rank=1)

    with refused_by(
        "award_unique_rank",
        "meetings_award.province_id",
        "meetings_award.year",
        "meetings_award.category",
        "meetings_award.rank",
    ):
        Award.objects.create(
            province=award.province,
            year=award.year,
            category=award.category,
            rank=1,
            library=LibraryFactory(regency=award.library.regency),
        )


def test_award_rank_taken_says_why():
    award = AwardFactory(rank=1)
    duplicate = Award(
        province=award.province,
        year=award.year,
        category=award.category,
        rank=1,
        library=LibraryFactory(regency=award.library.regency),
    )

    assert constraint_messages(duplicate) == [
        "Peringkat ini sudah diberikan untuk kategori dan tahun ini."
    ]


def test_award_same_rank_in_other_year_saves():
    award = AwardFactory(rank=1)

    AwardFactory(province=award.province, year=2023, rank=1, library=award.library)

    assert award.library.awards.count() == 2


def test_award_library_twice_in_category_refused_by_database():
    award = AwardFactory(rank=1)

    with refused_by(
        "award_library_once_per_category",
        "meetings_award.province_id",
        "meetings_award.year",
        "meetings_award.category",
        "meetings_award.library_id",
    ):
        Award.objects.create(
            province=award.province,
            year=award.year,
            category=award.category,
            rank=2,
            library=award.library,
        )


def test_award_library_twice_in_category_says_why():
    award = AwardFactory(rank=1)
    duplicate = Award(
        province=award.province,
        year=award.year,
        category=award.category,
        rank=2,
        library=award.library,
    )

    assert constraint_messages(duplicate) == [
        "Perpustakaan ini sudah menerima penghargaan kategori ini."
    ]


def test_award_library_in_other_category_saves():
    award = AwardFactory(category=Award.Category.BEST_REGENCY_LIBRARY)

    AwardFactory(
        province=award.province, category=Award.Category.BEST_VILLAGE_LIBRARY, library=award.library
    )

    assert award.library.awards.count() == 2


@pytest.mark.parametrize("rank", [0, 11])
def test_award_rank_out_of_range_refused_by_database(rank):
    library = LibraryFactory()

    with refused_by("award_rank_in_range"):
        Award.objects.create(
            province=library.province,
            year=2022,
            category=Award.Category.BEST_REGENCY_LIBRARY,
            rank=rank,
            library=library,
        )


def test_award_rank_out_of_range_says_why():
    library = LibraryFactory()
    award = Award(
        province=library.province,
        year=2022,
        category=Award.Category.BEST_REGENCY_LIBRARY,
        rank=11,
        library=library,
    )

    assert constraint_messages(award) == ["Peringkat antara 1 dan 10."]
