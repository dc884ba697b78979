"""Factories and the shared world of the enrolment tests (tests/factories.py has Enrollment and ProgrammeYear)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import factory
from factory.django import DjangoModelFactory

from programs.models import EnrollmentChange
from tests.factories import (
    DistrictFactory,
    EnrollmentFactory,
    LibraryFactory,
    ProgrammeYearFactory,
    RegencyFactory,
    VillageFactory,
    VillageLibraryFactory,
)


class EnrollmentChangeFactory(DjangoModelFactory):
    class Meta:
        model = EnrollmentChange

    enrollment = factory.SubFactory(EnrollmentFactory)
    partner_status = factory.LazyAttribute(lambda o: o.enrollment.partner_status)
    cohort = factory.LazyAttribute(lambda o: o.enrollment.cohort)
    joined_on = factory.LazyAttribute(lambda o: o.enrollment.joined_on)


def enrollment_world(scenario) -> SimpleNamespace:
    """The role matrix's Jambi and Riau, each with libraries, and the programme years 2022 and 2023.

    Jambi: the Kota Jambi office and the village library of Mendalo Darat (Kabupaten Muaro Jambi); Riau: the
    Kota Pekanbaru office. Nothing is enrolled yet.
    """
    s = scenario
    muaro_jambi = RegencyFactory(province=s.jambi, code="15.05", name="Kabupaten Muaro Jambi")
    mendalo = VillageFactory(
        district=DistrictFactory(regency=muaro_jambi, code="15.05.01", name="Jambi Luar Kota"),
        code="15.05.01.2007",
        name="Mendalo Darat",
    )
    pekanbaru = RegencyFactory(province=s.riau, code="14.71", name="Kota Pekanbaru")
    return SimpleNamespace(
        s=s,
        jambi=s.jambi,
        riau=s.riau,
        muaro_jambi=muaro_jambi,
        office=LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=s.kota_jambi),
        village=VillageLibraryFactory(name="Perpustakaan Desa Mendalo Darat", village=mendalo),
        riau_library=LibraryFactory(name="Dinas Perpustakaan Kota Pekanbaru", regency=pekanbaru),
        y2022=ProgrammeYearFactory(year=2022, name="TPBIS 2022"),
        y2023=ProgrammeYearFactory(year=2023, name="TPBIS 2023"),
        users=s.users,
        client_for=s.client_for,
    )


def enroll(library, year, *, by=None, **fields):
    """An enrolment with its first history row, as the service leaves it."""
    enrollment = EnrollmentFactory(library=library, programme_year=year, **fields)
    EnrollmentChangeFactory(enrollment=enrollment, changed_by=by)
    return enrollment


JOINED = dt.date(2022, 3, 14)
