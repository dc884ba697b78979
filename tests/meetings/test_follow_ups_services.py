"""RTL follow-ups, the writes: three per row from the start, due dates that follow the meeting, and recording a
check (idempotent, moving the row's status)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from meetings.models import RtlAction, RtlFollowUp
from meetings.selectors import Completion, rtl_completion
from meetings.services.follow_ups import create_follow_ups, record_follow_up
from meetings.services.meeting import save_meeting
from meetings.services.rtl import create_rtl_action
from plm_portal.choices import LineOfWork
from tests.factories import LibraryFactory, MeetingFactory, RtlActionFactory
from tests.meetings.factories_followups import follow_up, rtl_row

pytestmark = pytest.mark.django_db

Status = RtlFollowUp.Status


def due_dates(action) -> dict[int, dt.date]:
    return dict(action.follow_ups.values_list("month", "due_date"))


@pytest.fixture
def action(scenario):
    library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    return rtl_row(meeting=scenario.meeting, library=library, activity="Pojok literasi digital")


def record(action, by, month=1, status=Status.DONE, note="", evidence_url=""):
    return record_follow_up(
        action=action, by=by, month=month, status=status, note=note, evidence_url=evidence_url
    )


# --- creation ------------------------------------------------------------------------------------------


def test_create_rtl_action_makes_three_follow_ups_due_1_3_6_months_after_the_meeting(scenario):
    scenario.meeting.end_date = dt.date(2022, 8, 31)
    scenario.meeting.save()
    library = LibraryFactory(regency=scenario.kota_jambi)

    action = create_rtl_action(
        meeting=scenario.meeting,
        by=scenario.users["officer"],
        library=library,
        line_of_work=LineOfWork.SERVICES,
        activity="Pojok baca",
    )

    # 31 August + 1 month is the last day of September; + 6 months the last of February.
    assert due_dates(action) == {
        1: dt.date(2022, 9, 30),
        3: dt.date(2022, 11, 30),
        6: dt.date(2023, 2, 28),
    }
    assert set(action.follow_ups.values_list("status", flat=True)) == {Status.PENDING}


def test_create_rtl_action_refused_makes_no_follow_up(scenario):
    with pytest.raises(PermissionDenied):
        create_rtl_action(
            meeting=scenario.meeting,
            by=scenario.users["facilitator"],
            library=LibraryFactory(regency=scenario.kota_jambi),
            line_of_work=LineOfWork.SERVICES,
            activity="Pojok baca",
        )

    assert RtlFollowUp.objects.count() == 0


def test_create_follow_ups_twice_adds_nothing_the_second_time(scenario):
    action = RtlActionFactory(meeting=scenario.meeting)

    first = create_follow_ups(actions=[action])
    second = create_follow_ups(actions=[action])

    assert (first, second) == (3, 0)
    assert action.follow_ups.count() == 3


def test_create_follow_ups_from_progress_records_the_first_check(scenario):
    done = RtlActionFactory(
        meeting=scenario.meeting,
        status=RtlAction.Status.DONE,
        progress_note="Sudah berjalan",
        progress_date=dt.date(2022, 9, 20),
    )
    planned = RtlActionFactory(meeting=scenario.meeting)

    create_follow_ups(actions=[done, planned], from_progress=True)

    first = follow_up(done, 1)
    assert (first.status, first.note) == (Status.DONE, "Sudah berjalan")
    assert first.recorded_at.date() == dt.date(2022, 9, 20)
    assert follow_up(done, 3).status == Status.PENDING
    assert set(planned.follow_ups.values_list("status", flat=True)) == {Status.PENDING}


# --- the meeting's end date ----------------------------------------------------------------------------


def test_save_meeting_new_end_date_moves_pending_follow_ups_only(scenario, action):
    record(action, scenario.users["officer"], month=1)
    meeting = scenario.meeting
    meeting.end_date = dt.date(2022, 8, 4)

    save_meeting(meeting=meeting, by=scenario.users["officer"])

    assert due_dates(action) == {
        1: dt.date(2022, 9, 2),  # recorded: stays when it was due
        3: dt.date(2022, 11, 4),
        6: dt.date(2023, 2, 4),
    }


def test_save_meeting_refused_moves_no_due_date(scenario, action):
    meeting = scenario.meeting
    meeting.end_date = dt.date(2022, 8, 4)

    with pytest.raises(PermissionDenied):
        save_meeting(meeting=meeting, by=scenario.users["other_officer"])

    assert due_dates(action)[3] == dt.date(2022, 11, 2)


def test_save_meeting_other_meetings_follow_ups_untouched(scenario, action):
    other = rtl_row(meeting=MeetingFactory(province=scenario.jambi))
    meeting = scenario.meeting
    meeting.end_date = dt.date(2022, 8, 4)

    save_meeting(meeting=meeting, by=scenario.users["national"])

    assert due_dates(other)[1] == dt.date(2022, 9, 2)


# --- recording a check ---------------------------------------------------------------------------------


def test_record_follow_up_sets_what_was_found_who_and_when(scenario, action):
    officer = scenario.users["officer"]

    saved = record(
        action,
        officer,
        status=Status.PARTIAL,
        note="Baru 2 komputer",
        evidence_url="https://x.id/1",
    )

    saved.refresh_from_db()
    assert (saved.status, saved.note, saved.evidence_url) == (
        Status.PARTIAL,
        "Baru 2 komputer",
        "https://x.id/1",
    )
    assert saved.recorded_by == officer
    assert saved.recorded_at is not None


def test_record_follow_up_sent_twice_changes_nothing_more(scenario, action):
    officer = scenario.users["officer"]
    record(action, officer, note="Sudah")
    first = follow_up(action, 1)
    row = RtlAction.objects.get(pk=action.pk)

    record(action, scenario.users["national"], note="Sudah")

    again = follow_up(action, 1)
    assert (again.recorded_by, again.recorded_at) == (officer, first.recorded_at)
    assert RtlAction.objects.get(pk=action.pk).updated_at == row.updated_at


def test_record_follow_up_done_makes_the_row_done_with_its_note(scenario, action):
    record(action, scenario.users["officer"], status=Status.DONE, note="Pojok dibuka")

    row = RtlAction.objects.get(pk=action.pk)
    assert row.status == RtlAction.Status.DONE
    assert row.progress_note == "Pojok dibuka"
    assert row.progress_date is not None


def test_record_follow_up_partial_makes_the_row_in_progress(scenario, action):
    record(action, scenario.users["officer"], status=Status.PARTIAL)

    assert RtlAction.objects.get(pk=action.pk).status == RtlAction.Status.IN_PROGRESS


def test_record_follow_up_not_done_keeps_the_row_status_and_note_without_a_new_one(scenario):
    action = rtl_row(
        meeting=scenario.meeting, status=RtlAction.Status.IN_PROGRESS, progress_note="Mulai"
    )

    record(action, scenario.users["officer"], status=Status.NOT_DONE)

    row = RtlAction.objects.get(pk=action.pk)
    assert (row.status, row.progress_note) == (RtlAction.Status.IN_PROGRESS, "Mulai")


def test_record_follow_up_of_an_earlier_month_does_not_override_the_later_check(scenario, action):
    officer = scenario.users["officer"]
    record(action, officer, month=3, status=Status.DONE, note="Tuntas")

    record(action, officer, month=1, status=Status.PARTIAL, note="Baru mulai")

    row = RtlAction.objects.get(pk=action.pk)
    assert (row.status, row.progress_note) == (RtlAction.Status.DONE, "Tuntas")
    assert follow_up(action, 1).status == Status.PARTIAL


def test_record_follow_up_corrected_later_moves_the_row_again(scenario, action):
    officer = scenario.users["officer"]
    record(action, officer, status=Status.DONE)

    record(action, officer, status=Status.PARTIAL)

    assert RtlAction.objects.get(pk=action.pk).status == RtlAction.Status.IN_PROGRESS


def test_record_follow_up_of_a_row_without_follow_ups_makes_them(scenario):
    action = RtlActionFactory(meeting=scenario.meeting)

    record(action, scenario.users["officer"], month=3)

    assert sorted(action.follow_ups.values_list("month", "status")) == [
        (1, Status.PENDING),
        (3, Status.DONE),
        (6, Status.PENDING),
    ]


@pytest.mark.parametrize("role", ["facilitator", "other_officer", "other_facilitator"])
def test_record_follow_up_refused_to_who_may_not_change_the_meeting(scenario, action, role):
    with pytest.raises(PermissionDenied):
        record(action, scenario.users[role])

    assert follow_up(action, 1).status == Status.PENDING
    assert RtlAction.objects.get(pk=action.pk).status == RtlAction.Status.PLANNED


@pytest.mark.parametrize(("month", "status"), [(2, Status.DONE), (1, Status.PENDING), (1, "lain")])
def test_record_follow_up_refuses_other_months_and_results(scenario, action, month, status):
    with pytest.raises(ValidationError):
        record(action, scenario.users["officer"], month=month, status=status)

    assert set(action.follow_ups.values_list("status", flat=True)) == {Status.PENDING}


def test_record_follow_up_refuses_a_bad_evidence_link(scenario, action):
    with pytest.raises(ValidationError):
        record(action, scenario.users["officer"], evidence_url="javascript:alert(1)")

    assert follow_up(action, 1).status == Status.PENDING


def test_record_follow_up_before_the_meeting_is_refused(scenario, action):
    meeting = scenario.meeting
    meeting.start_date = meeting.end_date = dt.date.today() + dt.timedelta(days=30)
    meeting.save()

    with pytest.raises(ValidationError):
        record(action, scenario.users["officer"])

    assert follow_up(action, 1).status == Status.PENDING


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs it)"
)
def test_record_follow_up_two_officers_at_once_record_it_once(scenario, action):
    users = [scenario.users["officer"], scenario.users["national"]]
    barrier, errors = threading.Barrier(2), []

    def send(user):
        try:
            barrier.wait()
            record(action, user, note="Sama")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=send, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert action.follow_ups.count() == 3
    assert follow_up(action, 1).recorded_by in users


# --- completion --------------------------------------------------------------------------------------


def test_rtl_completion_counts_done_rows_per_library_over_meetings(scenario):
    library = LibraryFactory(regency=scenario.kota_jambi)
    other = LibraryFactory(regency=scenario.kota_jambi)
    later = MeetingFactory(province=scenario.jambi)
    RtlActionFactory(meeting=scenario.meeting, library=library, status=RtlAction.Status.DONE)
    RtlActionFactory(meeting=later, library=library, status=RtlAction.Status.IN_PROGRESS)
    RtlActionFactory(meeting=later, library=library, status=RtlAction.Status.DONE)
    RtlActionFactory(meeting=later, library=other)

    completion = rtl_completion([library.pk, other.pk])

    assert completion == {library.pk: Completion(2, 3), other.pk: Completion(0, 1)}
    assert completion[library.pk].percent == 67


def test_rtl_completion_for_a_user_counts_only_meetings_they_see(scenario):
    library = LibraryFactory(regency=scenario.kota_jambi)
    unassigned = MeetingFactory(province=scenario.jambi)
    RtlActionFactory(meeting=scenario.meeting, library=library, status=RtlAction.Status.DONE)
    RtlActionFactory(meeting=unassigned, library=library)

    completion = rtl_completion([library.pk], user=scenario.users["facilitator"])

    assert completion == {library.pk: Completion(1, 1)}


# --- the demo ----------------------------------------------------------------------------------------


def test_demo_rtl_rows_have_their_follow_ups_the_first_telling_their_progress():
    from reports import demo
    from tests.demo_regions import create_demo_regions

    create_demo_regions()
    demo.load_demo()

    actions = list(RtlAction.objects.prefetch_related("follow_ups"))
    assert actions
    assert all(len(action.follow_ups.all()) == 3 for action in actions)
    for action in actions:
        first = min(action.follow_ups.all(), key=lambda f: f.month)
        if action.status == RtlAction.Status.DONE and action.progress_date:
            assert (first.status, first.note) == (Status.DONE, action.progress_note)
        elif action.status == RtlAction.Status.PLANNED:
            assert first.status == Status.PENDING
    # The Jambi officer has checks to record (the browser test closes one).
    assert RtlFollowUp.objects.filter(
        rtl_action__meeting__province_id="15", month=1, status=Status.PENDING
    ).exists()
