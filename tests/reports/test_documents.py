"""What the documents are made from: the shared orders and affiliation on the models, the data each builder
reads, file names, the national letterhead setting and the follow_up → rtl migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from libraries.models import Library
from meetings.models import Participation
from reports.documents import build_document, document_filename, normalize_options
from reports.models import Report
from reports.selectors import list_order
from tests.factories import (
    LibraryFactory,
    ParticipationFactory,
    PersonFactory,
    ReportFactory,
    RtlActionFactory,
    VillageFactory,
)
from tests.reports.builders import make_host

pytestmark = pytest.mark.django_db

Role = Participation.Role
Group = Participation.Group


def data(meeting, kind: str, **options) -> dict:
    options = normalize_options(meeting=meeting, kind=kind, options=options)
    return build_document(meeting=meeting, kind=kind, options=options).data


# --- the shared orders and affiliation, on the models -------------------------------------------------------


def test_participation_role_order_participants_facilitators_committee():
    assert list(Participation.ROLE_ORDER) == [
        Role.PROVINCIAL_OFFICE,
        Role.REGENCY_OFFICE,
        Role.VILLAGE_LIBRARY,
        Role.IMPACT,
        Role.DESA_CHAMPION,
        Role.MASTER_TRAINER,
        Role.REGIONAL_FACILITATOR,
        Role.RESOURCE_PERSON,
        Role.COMMITTEE,
    ]
    assert list(Participation.ROLE_ORDER.values()) == list(range(len(Role.values)))


def test_participation_group_roles_in_list_order():
    assert Participation.GROUP_ROLES == {
        "peserta": Participation.PARTICIPANT_ROLES,
        "fasilitator": (Role.MASTER_TRAINER, Role.REGIONAL_FACILITATOR, Role.RESOURCE_PERSON),
        "panitia": (Role.COMMITTEE,),
    }
    assert list(Participation.GROUP_ROLES) == [
        Group.PARTICIPANTS,
        Group.FACILITATORS,
        Group.COMMITTEE,
    ]
    assert [str(label) for label in Group.labels] == [
        "Peserta",
        "Fasilitator dan narasumber",
        "Panitia",
    ]


def test_participants_list_order_by_role_then_name(scenario):
    meeting = scenario.meeting
    for name, role in (
        ("rizky", Role.COMMITTEE),
        ("Wahyu", Role.MASTER_TRAINER),
        ("zulkifli", Role.VILLAGE_LIBRARY),
        ("Andi", Role.VILLAGE_LIBRARY),
        ("Nurhayati", Role.PROVINCIAL_OFFICE),
    ):
        ParticipationFactory(meeting=meeting, role=role, person__full_name=name)

    rows = sorted(meeting.participations.select_related("person"), key=list_order)

    assert [p.person.full_name for p in rows] == ["Nurhayati", "Andi", "zulkifli", "Wahyu", "rizky"]


def test_participation_affiliation_library_represented_else_person(scenario):
    home = LibraryFactory(name="Perpustakaan Asal", regency=scenario.kota_jambi)
    represented = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    person = PersonFactory(province=scenario.jambi, home_library=home)
    other = PersonFactory(province=scenario.jambi, institution="Universitas Jambi")

    assert Participation(person=person, library=represented).affiliation == represented.name
    assert Participation(person=person).affiliation == "Perpustakaan Asal"
    assert Participation(person=other).affiliation == "Universitas Jambi"


def test_library_list_order_offices_first_then_villages_then_other(scenario):
    village = VillageFactory(district__regency=scenario.kota_jambi)
    libraries = [
        LibraryFactory(
            name="Aaa Lainnya", kind=Library.Kind.OTHER, regency=None, province=scenario.jambi
        ),
        LibraryFactory(
            name="Aaa Desa", kind=Library.Kind.VILLAGE, regency=scenario.kota_jambi, village=village
        ),
        LibraryFactory(name="zzz Kota", regency=scenario.kota_jambi),
        LibraryFactory(name="Bbb Kota", regency=scenario.kota_jambi),
        LibraryFactory(
            name="Dinas Provinsi",
            kind=Library.Kind.PROVINCIAL_OFFICE,
            regency=None,
            province=scenario.jambi,
        ),
    ]

    ordered = sorted(libraries, key=lambda library: library.list_order)

    assert [library.name for library in ordered] == [
        "Dinas Provinsi",
        "Bbb Kota",
        "zzz Kota",
        "Aaa Desa",
        "Aaa Lainnya",
    ]


# --- what the builders read --------------------------------------------------------------------------------


def test_rtl_document_libraries_by_kind_then_name_and_those_without_plan(scenario):
    meeting = scenario.meeting
    village = VillageFactory(district__regency=scenario.kota_jambi)
    desa = LibraryFactory(
        name="Aaa Perpustakaan Desa",
        kind=Library.Kind.VILLAGE,
        regency=scenario.kota_jambi,
        village=village,
    )
    kota = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    silent = LibraryFactory(name="Dinas Perpustakaan Tanpa RTL", regency=scenario.kota_jambi)
    RtlActionFactory(meeting=meeting, library=desa)
    RtlActionFactory(meeting=meeting, library=kota)
    ParticipationFactory(meeting=meeting, library=silent)
    ParticipationFactory(meeting=meeting, library=kota)

    document = data(meeting, Report.Kind.RTL)

    assert [(g["number"], g["library"]) for g in document["libraries"]] == [
        (1, "Dinas Perpustakaan Kota Jambi"),
        (2, "Aaa Perpustakaan Desa"),
    ]
    assert document["without_plan"] == ["Dinas Perpustakaan Tanpa RTL"]


def test_attendance_document_sections_in_group_order(scenario):
    meeting = scenario.meeting
    for role in (Role.COMMITTEE, Role.RESOURCE_PERSON, Role.IMPACT):
        ParticipationFactory(meeting=meeting, role=role)

    document = data(meeting, Report.Kind.ATTENDANCE)

    assert [(s["letter"], s["title"], s["total"]) for s in document["sections"]] == [
        ("A", "Peserta", 1),
        ("B", "Fasilitator dan Narasumber", 1),
        ("C", "Panitia", 1),
    ]


def test_national_letterhead_from_settings(scenario, settings):
    settings.PLM_NATIONAL_LETTERHEAD = {
        "office": "PERPUSTAKAAN NASIONAL REPUBLIK INDONESIA",
        "address": "Jl. Salemba Raya No. 28A, Jakarta Pusat 10430",
    }

    letterhead = data(scenario.meeting, Report.Kind.ATTENDANCE)["letterhead"]

    assert letterhead == {
        "government": "",
        "office": "PERPUSTAKAAN NASIONAL REPUBLIK INDONESIA",
        "address": "Jl. Salemba Raya No. 28A, Jakarta Pusat 10430",
        "contact": "",
        "logo": "",
    }


def test_host_office_letterhead_not_the_national_one(scenario):
    make_host(scenario.meeting)

    letterhead = data(scenario.meeting, Report.Kind.ATTENDANCE)["letterhead"]

    assert letterhead["office"] == "DINAS PERPUSTAKAAN DAN ARSIP DAERAH PROVINSI JAMBI"
    assert letterhead["government"] == "PEMERINTAH PROVINSI JAMBI"


@pytest.mark.parametrize(
    ("kind", "options", "filename"),
    [
        (Report.Kind.ATTENDANCE, {}, "daftar-hadir-plm-provinsi-jambi-2022-08-02.pdf"),
        (
            Report.Kind.ATTENDANCE,
            {"day": "2022-08-02", "attended_only": True},
            "daftar-hadir-plm-provinsi-jambi-2022-08-02-hadir.pdf",
        ),
        (Report.Kind.RTL, {}, "laporan-rtl-plm-provinsi-jambi-2022-08-02.pdf"),
        (Report.Kind.CERTIFICATES, {}, "sertifikat-plm-provinsi-jambi-2022-08-02.pdf"),
        (Report.Kind.AWARD_CHARTERS, {}, "piagam-plm-provinsi-jambi-2022-08-02.pdf"),
    ],
)
def test_document_filename_per_kind(scenario, kind, options, filename):
    assert document_filename(meeting=scenario.meeting, kind=kind, options=options) == filename


def test_normalize_options_unknown_kind_refused(scenario):
    with pytest.raises(ValueError, match="Unknown report kind 'follow_up'"):
        normalize_options(meeting=scenario.meeting, kind="follow_up", options={})


# --- follow_up → rtl --------------------------------------------------------------------------------------


def test_migration_converts_follow_up_reports_to_rtl_and_back():
    migration = importlib.import_module("reports.migrations.0003_report_kind_rtl")
    rtl = ReportFactory(kind=Report.Kind.RTL)
    other = ReportFactory(kind=Report.Kind.ATTENDANCE, meeting=rtl.meeting)

    migration.rtl_to_follow_up(django_apps, None)
    backwards = dict(Report.objects.values_list("pk", "kind"))
    migration.follow_up_to_rtl(django_apps, None)
    forwards = dict(Report.objects.values_list("pk", "kind"))

    assert backwards == {rtl.pk: "follow_up", other.pk: "attendance"}
    assert forwards == {rtl.pk: "rtl", other.pk: "attendance"}
