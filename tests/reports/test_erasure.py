"""Erasing a person (UU PDP): anonymised everywhere, history included, counts kept, their PDFs withdrawn,
audited, idempotent; through the confirmation page for national staff."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from libraries.models import Person
from meetings.models import Attendance, Participation, RtlAction
from programs.models import ImpactStory
from reports.erasure import ERASURE_REASON, NAME_REMOVED, erase_person, erased_name
from reports.models import Report
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    ReportFactory,
)
from tests.reports.test_personal_data import BUDI_PHONE, SITI_PHONE, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(scenario):
    return build_world(scenario)


def ready_report(meeting, kind=Report.Kind.ATTENDANCE) -> Report:
    report = ReportFactory(meeting=meeting, kind=kind)
    name = default_storage.save(
        f"reports/{meeting.pk}/{report.pk}-dokumen.pdf", ContentFile(b"%PDF")
    )
    Report.objects.filter(pk=report.pk).update(status=Report.Status.READY, file=name)
    report.refresh_from_db()
    return report


def erase(scenario, person, capture):
    with capture(execute=True):
        return erase_person(person_id=person.pk, by=scenario.users["national"])


def test_erase_anonymises_the_person_and_their_history(
    scenario, world, django_capture_on_commit_callbacks
):
    siti = world["siti"]
    siti.position = "Kepala Desa"
    siti.save()  # a second version in the history

    erase(scenario, siti, django_capture_on_commit_callbacks)

    siti.refresh_from_db()
    assert (siti.full_name, siti.phone, siti.email, siti.position, siti.institution) == (
        erased_name(siti.pk),
        "",
        "",
        "",
        "",
    )
    assert siti.home_library_id is None
    assert (siti.gender, siti.province_id) == ("P", "15")  # what the counts read
    versions = list(
        Person.history.filter(id=siti.pk)
        .order_by("history_id")
        .values_list("full_name", "phone", "email", "position", "institution", "home_library_id")
    )
    assert versions == [(erased_name(siti.pk), "", "", "", "", None)] * 3
    latest = Person.history.filter(id=siti.pk).order_by("-history_id").first()
    assert (latest.history_change_reason, latest.history_user_id) == (
        ERASURE_REASON,
        scenario.users["national"].pk,
    )


def test_erase_keeps_participations_and_attendance(
    scenario, world, django_capture_on_commit_callbacks
):
    siti = world["siti"]

    result = erase(scenario, siti, django_capture_on_commit_callbacks)

    assert (result.participations, result.attendance) == (2, 1)
    assert Participation.objects.filter(person=siti).count() == 2
    assert Attendance.objects.filter(participation__person=siti).count() == 1
    assert scenario.meeting.participations.count() == 2
    assert set(Participation.objects.filter(person=siti).values_list("notes", flat=True)) == {""}
    assert set(Participation.history.filter(person_id=siti.pk).values_list("notes", flat=True)) == {
        ""
    }


def test_erase_anonymises_and_unpublishes_their_stories(
    scenario, world, django_capture_on_commit_callbacks
):
    story = world["story"]
    story.photo.save("foto.jpg", ContentFile(b"\xff\xd8foto"))
    photo = story.photo.name
    storage = story.photo.storage

    result = erase(scenario, world["siti"], django_capture_on_commit_callbacks)

    story.refresh_from_db()
    assert result.stories == 1
    assert (story.person_id, story.anonymous, story.alias, story.photo.name) == (None, True, "", "")
    assert (story.consent_given, story.consent_date, story.consent_method) == (False, None, "")
    assert (story.status, story.published_at) == (ImpactStory.Status.VERIFIED, None)
    assert story.title == f"{NAME_REMOVED} membuka taman baca"
    assert "Siti" not in story.story
    assert storage.exists(photo) is False
    history = list(
        ImpactStory.history.filter(id=story.pk).values_list("person_id", "alias", "photo", "title")
    )
    assert {row[:3] for row in history} == {(None, "", "")}
    assert all("Siti" not in row[3] for row in history)
    assert story.public_name == "Narasumber (tanpa nama)"


def test_erase_blanks_rtl_rows_naming_them(scenario, world, django_capture_on_commit_callbacks):
    result = erase(scenario, world["siti"], django_capture_on_commit_callbacks)

    assert result.rtl_rows == 1
    assert RtlAction.objects.get(pk=world["rtl"].pk).responsible == ""
    assert RtlAction.objects.get(pk=world["budi_rtl"].pk).responsible == "Budi Santoso"
    assert set(
        RtlAction.history.filter(id=world["rtl"].pk).values_list("responsible", flat=True)
    ) == {""}


def test_erase_withdraws_pdfs_of_their_meetings(
    scenario, world, django_capture_on_commit_callbacks
):
    attendance = ready_report(scenario.meeting)
    certificates = ready_report(world["other_meeting"], kind=Report.Kind.CERTIFICATES)
    elsewhere = ready_report(MeetingFactory(province=scenario.jambi))

    result = erase(scenario, world["siti"], django_capture_on_commit_callbacks)

    assert result.reports_withdrawn == 2
    assert set(Report.objects.values_list("pk", flat=True)) == {elsewhere.pk}
    assert [
        default_storage.exists(report.file.name) for report in (attendance, certificates, elsewhere)
    ] == [False, False, True]


def test_erase_leaves_other_people_untouched(scenario, world, django_capture_on_commit_callbacks):
    budi = world["budi"]
    history_before = list(Person.history.filter(id=budi.pk).values())

    erase(scenario, world["siti"], django_capture_on_commit_callbacks)

    budi.refresh_from_db()
    assert (budi.full_name, budi.phone, budi.email) == (
        "Budi Santoso",
        BUDI_PHONE,
        "budi@example.test",
    )
    assert Participation.objects.get(pk=world["budi_at"].pk).notes == "Catatan Budi"
    assert list(Person.history.filter(id=budi.pk).values()) == history_before


def test_erase_twice_changes_nothing_the_second_time(
    scenario, world, django_capture_on_commit_callbacks
):
    siti = world["siti"]
    erase(scenario, siti, django_capture_on_commit_callbacks)
    ready_report(scenario.meeting)  # rendered again after the erasure: no name in it
    history = Person.history.filter(id=siti.pk).count()

    second = erase(scenario, siti, django_capture_on_commit_callbacks)

    assert second.already_erased is True
    assert Person.history.filter(id=siti.pk).count() == history
    assert Report.objects.filter(meeting=scenario.meeting).count() == 1


def test_erase_logs_who_and_which_person_without_personal_data(
    scenario, world, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.INFO, logger="reports.personal_data"):
        erase(scenario, world["siti"], django_capture_on_commit_callbacks)

    line = json.loads(caplog.records[-1].getMessage())
    assert (line["event"], line["person_id"], line["by_user_id"]) == (
        "personal_data_erase",
        world["siti"].pk,
        scenario.users["national"].pk,
    )
    assert SITI_PHONE not in caplog.text and "Siti" not in caplog.text


def _erase_queries(scenario, meetings: int) -> int:
    person = PersonFactory(province=scenario.jambi)
    for _ in range(meetings):
        meeting = MeetingFactory(province=scenario.jambi)
        AttendanceFactory(participation=ParticipationFactory(meeting=meeting, person=person))
        ready_report(meeting)
    with CaptureQueriesContext(connection) as queries:
        erase_person(person_id=person.pk, by=scenario.users["national"])
    return len(queries)


def test_erase_queries_do_not_grow_with_meetings(scenario):
    assert _erase_queries(scenario, 1) == _erase_queries(scenario, 4)


# --- the confirmation page -------------------------------------------------------------------------------


def erase_url(person) -> str:
    return reverse("reports:personal_data_erase", args=[person.pk])


def test_erase_page_asks_for_confirmation(scenario, world):
    response = scenario.client_for("national").get(erase_url(world["siti"]))

    assert response.status_code == 200
    assert b'name="confirmation"' in response.content


def test_erase_refuses_a_wrong_confirmation(scenario, world):
    response = scenario.client_for("national").post(
        erase_url(world["siti"]), {"confirmation": "Siti"}
    )

    assert response.status_code == 400
    assert Person.objects.get(pk=world["siti"].pk).full_name == "Siti Aminah"


@pytest.mark.parametrize("typed", ["HAPUS", "hapus", "  siti   AMINAH "])
def test_erase_with_name_or_hapus_erases_and_returns_to_person(scenario, world, typed):
    siti = world["siti"]

    response = scenario.client_for("national").post(erase_url(siti), {"confirmation": typed})

    assert response.status_code == 302
    assert response["Location"] == reverse("libraries:person_detail", args=[siti.pk])
    assert Person.objects.get(pk=siti.pk).full_name == erased_name(siti.pk)
    latest = Person.history.filter(id=siti.pk).order_by("-history_id").first()
    assert latest.history_change_reason == ERASURE_REASON


def test_name_is_removed_from_story_text_as_a_whole_word_only():
    from reports.erasure import _without_name

    text = "Ani manis; ANI senang, kata ani."

    assert _without_name(text, "Ani") == (
        f"{NAME_REMOVED} manis; {NAME_REMOVED} senang, kata {NAME_REMOVED}."
    )
    assert _without_name("Animasi dan tanaman", "Ani") == "Animasi dan tanaman"
