"""factory_boy factories. Defaults are plain: a Jambi-like province, a regency office, a PLM of one day."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from libraries.models import District, Library, Person, Province, Regency, Village
from meetings.models import Attendance, Award, Meeting, Participation, RtlAction, Session
from plm_portal.choices import LineOfWork
from plm_portal.models import User
from programs.models import Activity, Enrollment, ImpactStory, ProgrammeYear
from reports.models import Report


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "15"
    name = "Jambi"
    time_zone = Province.TimeZone.WIB


class RegencyFactory(DjangoModelFactory):
    class Meta:
        model = Regency
        django_get_or_create = ("code",)

    province = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttribute(lambda o: f"{o.province.code}.71")
    name = "Kota Jambi"
    kind = Regency.Kind.KOTA


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    regency = factory.SubFactory(RegencyFactory)
    code = factory.LazyAttribute(lambda o: f"{o.regency.code}.01")
    name = "Telanaipura"


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ("code",)

    district = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttribute(lambda o: f"{o.district.code}.1001")
    name = "Telanaipura"
    kind = Village.Kind.KELURAHAN


class LibraryFactory(DjangoModelFactory):
    class Meta:
        model = Library

    name = factory.Sequence(lambda n: f"Dinas Perpustakaan {n}")
    kind = Library.Kind.REGENCY_OFFICE
    regency = factory.SubFactory(RegencyFactory)
    province = factory.LazyAttribute(lambda o: o.regency.province)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Peserta {n}")
    gender = "P"
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    province = factory.SubFactory(ProvinceFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    role = User.Role.PROVINCIAL
    province = factory.SubFactory(ProvinceFactory)
    password = factory.django.Password("plm-test-password")


class NationalUserFactory(UserFactory):
    role = User.Role.NATIONAL
    province = None
    is_staff = True


class FacilitatorUserFactory(UserFactory):
    role = User.Role.FACILITATOR
    province = None


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = Meeting.Kind.PLM
    title = factory.Sequence(lambda n: f"PLM Provinsi {n}")
    province = factory.SubFactory(ProvinceFactory)
    year = 2022
    wave = 3
    start_date = dt.date(2022, 8, 2)
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    mode = Meeting.Mode.TATAP_MUKA


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Sesi {n}")


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory, province=factory.SelfAttribute("..meeting.province"))
    role = Participation.Role.REGENCY_OFFICE


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    participation = factory.SubFactory(ParticipationFactory)
    day = factory.LazyAttribute(lambda o: o.participation.meeting.start_date)
    checked_in_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.day, dt.time(8, 30), tzinfo=dt.UTC)
    )


class RtlActionFactory(DjangoModelFactory):
    class Meta:
        model = RtlAction

    meeting = factory.SubFactory(MeetingFactory)
    library = factory.SubFactory(
        LibraryFactory, regency__province=factory.SelfAttribute("...meeting.province")
    )
    line_of_work = LineOfWork.SERVICES
    activity = factory.Sequence(lambda n: f"Kegiatan {n}")


class AwardFactory(DjangoModelFactory):
    class Meta:
        model = Award

    province = factory.SubFactory(ProvinceFactory)
    year = 2022
    category = Award.Category.BEST_REGENCY_LIBRARY
    rank = 1
    library = factory.SubFactory(
        LibraryFactory, regency__province=factory.SelfAttribute("...province")
    )


class ProgrammeYearFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeYear
        django_get_or_create = ("year",)

    year = 2022


class EnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrollment

    programme_year = factory.SubFactory(ProgrammeYearFactory)
    library = factory.SubFactory(LibraryFactory)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    library = factory.SubFactory(LibraryFactory)
    line_of_work = LineOfWork.COMMUNITY
    title = factory.Sequence(lambda n: f"Kegiatan pelibatan {n}")
    date = dt.date(2022, 9, 1)


class ImpactStoryFactory(DjangoModelFactory):
    class Meta:
        model = ImpactStory

    library = factory.SubFactory(LibraryFactory)
    title = factory.Sequence(lambda n: f"Cerita {n}")
    story = "Setelah ikut pelatihan di perpustakaan desa, usahanya berkembang."
    date = dt.date(2022, 10, 1)


class ReportFactory(DjangoModelFactory):
    class Meta:
        model = Report

    kind = Report.Kind.ATTENDANCE
    meeting = factory.SubFactory(MeetingFactory)
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")


class VillageLibraryFactory(LibraryFactory):
    """A village library (perpustakaan desa): its regency and province follow from its village."""

    name = factory.Sequence(lambda n: f"Perpustakaan Desa {n}")
    kind = Library.Kind.VILLAGE
    village = factory.SubFactory(VillageFactory)
    regency = factory.LazyAttribute(lambda o: o.village.district.regency)
