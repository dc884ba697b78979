"""The world of the export tests: a Jambi and a Riau meeting with people, attendance, RTL, libraries,
activities and stories, and helpers to read a CSV response or an XLSX file back.

Import the fixtures into a test module: ``from tests.reports.export_fixtures import export_world_fixture, private_exports_fixture``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from meetings.models import Participation, RtlFollowUp
from meetings.services.follow_ups import create_follow_ups
from programs.models import ImpactStory
from reports.models import Export
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    ImpactStoryFactory,
    LibraryFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    RegencyFactory,
    RtlActionFactory,
    VillageLibraryFactory,
)


def csv_rows(response) -> list[list[str]]:
    """A streamed CSV response as rows (the BOM checked and removed)."""
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def column(rows: list[list], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


@pytest.fixture(name="private_exports")
def private_exports_fixture(tmp_path, monkeypatch):
    """The exports' private storage in this test's own folder."""
    storage = Export._meta.get_field("file").storage
    folder = tmp_path / "private"
    folder.mkdir()
    monkeypatch.setattr(storage, "_location", str(folder))
    monkeypatch.setitem(storage.__dict__, "base_location", str(folder))
    monkeypatch.setitem(storage.__dict__, "location", str(folder))
    return folder


@pytest.fixture(name="export_world")
def export_world_fixture(scenario, private_exports):
    """Jambi (the scenario's meeting, two days) and Riau (another meeting), each with people and data."""
    s = scenario
    s.pekanbaru = RegencyFactory(province=s.riau, code="14.71", name="Kota Pekanbaru")
    s.meeting.end_date = s.meeting.start_date + dt.timedelta(days=1)
    s.meeting.save(update_fields=["end_date"])
    s.jambi_library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=s.kota_jambi)
    s.riau_library = LibraryFactory(name="Dinas Perpustakaan Kota Pekanbaru", regency=s.pekanbaru)
    s.siti = ParticipationFactory(
        meeting=s.meeting,
        person=PersonFactory(
            full_name="Siti Aminah",
            gender="P",
            phone="+6281234567890",
            email="siti@example.test",
            position="Pustakawan",
            province=s.jambi,
        ),
        library=s.jambi_library,
        role=Participation.Role.REGENCY_OFFICE,
    )
    s.trainer = ParticipationFactory(
        meeting=s.meeting,
        person=PersonFactory(full_name="Budi Pelatih", gender="L", province=s.jambi),
        role=Participation.Role.MASTER_TRAINER,
    )
    AttendanceFactory(
        participation=s.siti,
        day=s.meeting.start_date,
        checked_in_at=dt.datetime(2022, 8, 2, 1, 30, tzinfo=dt.UTC),  # 08.30 WIB
    )
    s.riau_meeting = MeetingFactory(
        province=s.riau, venue_regency=s.pekanbaru, title="PLM Provinsi Riau 2022"
    )
    s.riau_person = ParticipationFactory(
        meeting=s.riau_meeting,
        person=PersonFactory(full_name="Rahmat Riau", province=s.riau),
        library=s.riau_library,
    )
    s.rtl = RtlActionFactory(meeting=s.meeting, library=s.jambi_library, activity="Pojok baca")
    s.riau_rtl = RtlActionFactory(
        meeting=s.riau_meeting, library=s.riau_library, activity="Kelas menjahit"
    )
    create_follow_ups(actions=[s.rtl, s.riau_rtl])
    RtlFollowUp.objects.filter(rtl_action=s.rtl, month=1).update(
        status=RtlFollowUp.Status.DONE, note="Sudah berjalan"
    )
    s.activity = ActivityFactory(
        library=s.jambi_library,
        title="Pelatihan anyaman",
        beneficiaries_female=12,
        beneficiaries_male=8,
        beneficiaries_disabled=2,
    )
    s.riau_activity = ActivityFactory(library=s.riau_library, title="Kelas komputer Riau")
    s.village_library = VillageLibraryFactory(
        name="Perpustakaan Desa Maju",
        village__district__regency=s.kota_jambi,
        village__district__code="15.71.01",
        village__code="15.71.01.1001",
    )
    s.named_story = ImpactStoryFactory(
        library=s.jambi_library,
        title="Usaha rotan",
        person=s.siti.person,
        anonymous=False,
        consent_given=True,
        consent_date=dt.date(2022, 10, 1),
        consent_method=ImpactStory.ConsentMethod.WRITTEN,
    )
    s.hidden_story = ImpactStoryFactory(
        library=s.jambi_library,
        title="Tanpa persetujuan",
        person=s.trainer.person,
        anonymous=False,
        alias="Bapak B., 40 tahun",
    )
    s.riau_story = ImpactStoryFactory(library=s.riau_library, title="Cerita Riau")
    return s
