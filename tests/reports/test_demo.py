"""The demo data (demo/plm_jambi_2022.toml, loaded by reports.demo): the PLM Jambi 2022 of the article, its
neighbours, and the demo accounts."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from libraries.models import Library, Person, Province, Regency, Village
from libraries.phone import normalize_phone
from meetings.models import (
    Attendance,
    Award,
    Meeting,
    Participation,
    RtlAction,
    RtlFollowUp,
    Session,
)
from plm_portal.choices import LineOfWork
from plm_portal.models import User
from programs.models import (
    Activity,
    ActivityPhoto,
    Enrollment,
    EnrollmentChange,
    ImpactStory,
    ProgrammeYear,
)
from reports import demo
from tests.demo_regions import create_demo_regions
from tests.programs.factories_activities import private_storage_fixture  # noqa: F401 - fixture

WIB = ZoneInfo("Asia/Jakarta")
PLM_DAY = dt.date(2022, 8, 2)


@pytest.fixture(autouse=True)
def _photos_in_tmp(private_storage):
    """The demo's photos are stored in this test's own folder."""


@pytest.fixture
def demo_regions(db) -> None:
    create_demo_regions()


@pytest.fixture
def loaded(demo_regions) -> demo.DemoResult:
    return demo.load_demo()


@pytest.fixture
def plm_jambi(loaded) -> Meeting:
    return Meeting.objects.get(province_id="15", title=demo.meeting_title("plm_jambi"))


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_load_demo_jambi_plm_is_the_meeting_of_the_article(plm_jambi):
    assert plm_jambi.kind == Meeting.Kind.PLM
    assert plm_jambi.year == 2022
    assert plm_jambi.wave is not None
    assert (plm_jambi.start_date, plm_jambi.end_date) == (PLM_DAY, PLM_DAY)
    assert plm_jambi.start_date.strftime("%A") == "Tuesday"
    assert plm_jambi.venue_regency_id == "15.71"
    assert plm_jambi.venue_name
    assert plm_jambi.venue_address
    assert plm_jambi.mode == Meeting.Mode.TATAP_MUKA
    assert plm_jambi.status == Meeting.Status.DONE
    assert plm_jambi.host_library.name == "Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi"
    assert plm_jambi.host_library.kind == Library.Kind.PROVINCIAL_OFFICE
    assert plm_jambi.host_library.address
    assert plm_jambi.host_library.head_name == "Syamsul Rizal"
    assert "Syamsul Rizal" in plm_jambi.opened_by
    assert len(plm_jambi.objectives.splitlines()) == 5


def test_load_demo_jambi_plm_has_16_participants_and_every_role(plm_jambi):
    participations = list(plm_jambi.participations.all())
    participants = [p for p in participations if p.role in Participation.PARTICIPANT_ROLES]
    team = [p for p in participations if p.role not in Participation.PARTICIPANT_ROLES]

    assert len(participants) == 16
    assert all(p.library_id for p in participants)
    assert {p.role for p in participations} == set(Participation.Role.values)
    assert sorted(p.role for p in team) == sorted(
        [
            Participation.Role.MASTER_TRAINER,
            Participation.Role.REGIONAL_FACILITATOR,
            Participation.Role.RESOURCE_PERSON,
            Participation.Role.COMMITTEE,
            Participation.Role.COMMITTEE,
        ]
    )
    regencies = {p.library.regency_id for p in participants if p.library.regency_id}
    assert {"15.71", "15.05", "15.04", "15.72"} < regencies


def test_load_demo_jambi_plm_attendance_is_in_the_morning_wib(plm_jambi):
    attendances = list(
        Attendance.objects.filter(participation__meeting=plm_jambi).select_related("participation")
    )
    participant_rows = [
        a for a in attendances if a.participation.role in Participation.PARTICIPANT_ROLES
    ]

    # All 16 participants present, as the programme's report of this PLM says.
    assert len(participant_rows) == 16
    assert len(attendances) == 16 + 5
    assert {a.day for a in attendances} == {PLM_DAY}
    local_times = [a.checked_in_at.astimezone(WIB) for a in attendances]
    assert all(t.date() == PLM_DAY and 6 <= t.hour < 9 for t in local_times)
    assert {a.method for a in attendances} == set(Attendance.Method.values)


def test_load_demo_jambi_plm_agenda_is_led_by_the_team(plm_jambi):
    sessions = list(plm_jambi.sessions.order_by("order"))
    team_roles = {
        p.person_id: p.role
        for p in plm_jambi.participations.filter(role__in=Participation.FACILITATOR_ROLES)
    }

    assert 6 <= len(sessions) <= 8
    assert sessions[0].start_time == dt.time(8, 0)
    assert sessions[-1].end_time == dt.time(16, 0)
    assert all(s.date == PLM_DAY for s in sessions)
    assert {team_roles.get(s.led_by_id) for s in sessions} >= set(Participation.FACILITATOR_ROLES)


def test_load_demo_jambi_plm_has_rtl_rows_for_several_libraries(plm_jambi):
    actions = list(RtlAction.objects.filter(meeting=plm_jambi))

    assert len({a.library_id for a in actions}) >= 5
    assert {a.line_of_work for a in actions} == set(LineOfWork.values)
    assert {a.status for a in actions} == set(RtlAction.Status.values)
    assert all(a.progress_note and a.progress_date for a in actions if a.status != "planned")


def test_load_demo_jambi_2022_awards_presented_at_the_plm(plm_jambi):
    awards = {a.category: a for a in Award.objects.filter(province_id="15", year=2022)}

    assert set(awards) == set(Award.Category.values)
    assert all(a.rank == 1 and a.citation and a.meeting_id == plm_jambi.pk for a in awards.values())
    assert awards[Award.Category.BEST_REGENCY_LIBRARY].library.kind == Library.Kind.REGENCY_OFFICE
    assert awards[Award.Category.BEST_VILLAGE_LIBRARY].library.kind == Library.Kind.VILLAGE


def test_load_demo_riau_plm_is_another_wave_and_day(plm_jambi):
    riau = Meeting.objects.get(province_id="14", title=demo.meeting_title("plm_riau"))

    assert riau.kind == Meeting.Kind.PLM
    assert riau.wave != plm_jambi.wave
    assert riau.start_date != plm_jambi.start_date
    assert riau.venue_regency.province_id == "14"
    assert riau.participations.filter(role__in=Participation.PARTICIPANT_ROLES).count() >= 3
    assert Attendance.objects.filter(participation__meeting=riau).exists()


def test_load_demo_bimtek_spp_tik_lasts_three_days_with_daily_attendance(loaded):
    bimtek = Meeting.objects.get(province_id="15", kind=Meeting.Kind.BIMTEK)
    days = bimtek.days
    attended = set(
        Attendance.objects.filter(participation__meeting=bimtek).values_list(
            "participation_id", "day"
        )
    )

    assert bimtek.title == ("Bimbingan Teknis Strategi Pengembangan Perpustakaan dan TIK (SPP-TIK)")
    assert dt.date(2022, 3, 1) <= bimtek.start_date <= bimtek.end_date <= dt.date(2022, 6, 30)
    assert len(days) == 3
    assert {day for _, day in attended} == set(days)
    assert len(attended) < bimtek.participations.count() * len(days)
    assert Session.objects.filter(meeting=bimtek).values("date").distinct().count() == 3
    # The Bimtek's implementation plans (RTL rows), of several libraries.
    assert bimtek.rtl_actions.values("library").distinct().count() == 3


def test_load_demo_activities_and_impact_stories(loaded):
    activities = Activity.objects.filter(library__province_id="15")
    stories = list(ImpactStory.objects.filter(library__province_id="15"))
    published = [s for s in stories if s.status == ImpactStory.Status.PUBLISHED]

    assert set(activities.values_list("line_of_work", flat=True)) == set(LineOfWork.values)
    assert all(a.beneficiaries_total > 0 for a in activities)
    assert len(stories) == 5
    assert len(published) == 3
    assert all(s.person_id and s.consent_given for s in published)


def test_load_demo_programme_years_and_jambi_partner_enrollments(loaded):
    jambi_libraries = Library.objects.filter(province_id="15")
    enrollments_2022 = Enrollment.objects.filter(
        programme_year__year=2022, library__province_id="15"
    )

    assert set(ProgrammeYear.objects.values_list("year", flat=True)) == {2022, 2023}
    assert ProgrammeYear.objects.get(year=2022).is_national_priority
    # All but one: a village library the officer can still enrol.
    assert set(
        jambi_libraries.exclude(enrollments__isnull=False).values_list("name", flat=True)
    ) == {"Perpustakaan Desa Pematang Gajah"}
    assert enrollments_2022.count() == jambi_libraries.count() - 1
    assert set(enrollments_2022.values_list("partner_status", flat=True)) == {
        Enrollment.PartnerStatus.PARTNER
    }


def test_load_demo_libraries_cover_the_named_regencies_and_real_villages(loaded):
    jambi = Library.objects.filter(province_id="15")
    village_libraries = list(jambi.filter(kind=Library.Kind.VILLAGE).select_related("village"))

    assert jambi.filter(kind=Library.Kind.PROVINCIAL_OFFICE).count() == 1
    assert set(
        jambi.filter(kind=Library.Kind.REGENCY_OFFICE).values_list("regency_id", flat=True)
    ) >= {"15.71", "15.05", "15.04", "15.72"}
    assert len(village_libraries) >= 4
    assert all(
        lib.village.kind == Village.Kind.DESA
        and lib.name == f"Perpustakaan Desa {lib.village.name}"
        for lib in village_libraries
    )
    assert Library.objects.filter(province_id="14", kind=Library.Kind.VILLAGE).exists()


def test_load_demo_people_have_normalised_fictional_contacts(loaded):
    people = list(Person.objects.all())

    assert all(p.phone.startswith("+628") and normalize_phone(p.phone) == p.phone for p in people)
    assert all(p.email.endswith(("@example.id", ".test")) for p in people if p.email)
    assert not Person.objects.filter(full_name__icontains="Syamsul").exists()


@pytest.mark.parametrize(
    ("email", "role", "province"),
    [
        ("nasional@demo.test", User.Role.NATIONAL, None),
        ("jambi@demo.test", User.Role.PROVINCIAL, "15"),
        ("riau@demo.test", User.Role.PROVINCIAL, "14"),
        ("fasilitator@demo.test", User.Role.FACILITATOR, None),
    ],
)
def test_load_demo_accounts_sign_in_with_the_demo_password(loaded, email, role, province):
    user = authenticate(email=email, password="plm-demo-2022")

    assert user is not None
    assert (user.email, user.role, user.province_id) == (email, role, province)


def test_load_demo_national_account_can_use_the_admin(loaded):
    user = User.objects.get(email="nasional@demo.test")

    assert (user.is_staff, user.is_superuser) == (True, True)
    assert not User.objects.filter(is_superuser=True).exclude(pk=user.pk).exists()


def test_load_demo_facilitator_is_assigned_to_the_jambi_plm(plm_jambi):
    facilitator = User.objects.get(email="fasilitator@demo.test")

    assert list(facilitator.assigned_meetings.all()) == [plm_jambi]


def test_load_demo_twice_gives_the_same_rows_and_writes_nothing(loaded):
    before = _row_counts()

    with CaptureQueriesContext(connection) as queries:
        second = demo.load_demo()

    assert _row_counts() == before
    assert second.total_created == 0
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def _row_values() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def test_load_demo_inserts_every_row_of_the_data_file(loaded):
    assert dict(loaded.created) == {
        "libraries.Library": 20,
        "libraries.Person": 33,
        "meetings.Attendance": 66,
        "mfa.Authenticator": 1,  # the national account's published TOTP key
        "meetings.Award": 2,
        "meetings.Meeting": 3,
        "meetings.Meeting_assigned_facilitators": 1,
        "meetings.Participation": 43,
        "meetings.RtlAction": 12,
        "meetings.RtlFollowUp": 36,
        "meetings.Session": 18,
        "plm_portal.User": 4,
        "programs.Activity": 15,
        "programs.ActivityPhoto": 2,
        "programs.Enrollment": 23,
        "programs.EnrollmentChange": 25,
        "programs.ImpactStory": 5,
        "programs.ProgrammeYear": 2,
    }
    assert loaded.total_created == 311
    assert len(loaded.files) == 3


def test_load_demo_twice_changes_no_row(loaded):
    before = _row_values()

    demo.load_demo()

    assert _row_values() == before


def test_load_demo_leaves_other_rows_alone(demo_regions):
    from tests.factories import LibraryFactory, MeetingFactory, PersonFactory, UserFactory

    jambi, kota_jambi = Province.objects.get(pk="15"), Regency.objects.get(pk="15.71")
    others = [
        LibraryFactory(regency=kota_jambi, name="Perpustakaan Lain"),
        PersonFactory(province=jambi, phone="+6281299990000"),
        MeetingFactory(province=jambi, venue_regency=kota_jambi, title="PLM lain"),
        UserFactory(email="lain@example.test", province=jambi),
    ]
    before = {
        type(obj)._meta.label: type(obj)._default_manager.filter(pk=obj.pk).values().get()
        for obj in others
    }

    demo.load_demo()
    demo.load_demo()

    assert {
        type(obj)._meta.label: type(obj)._default_manager.filter(pk=obj.pk).values().get()
        for obj in others
    } == before


def test_load_demo_keeps_a_changed_demo_password(loaded):
    user = User.objects.get(email="jambi@demo.test")
    user.set_password("kata-sandi-baru-2024")
    user.save(update_fields=["password"])

    demo.load_demo()

    assert authenticate(email="jambi@demo.test", password="kata-sandi-baru-2024") == user
    assert authenticate(email="jambi@demo.test", password="plm-demo-2022") is None


def test_load_demo_inserts_in_bulk(demo_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(50):
        demo.load_demo()


def test_load_demo_without_regions_raises_command_error(db):
    with pytest.raises(
        CommandError, match=re.escape("jalankan python manage.py load_regions dulu")
    ):
        demo.load_demo()

    assert Library.objects.count() == 0
    assert User.objects.count() == 0


def test_load_demo_command_without_regions_fails_with_the_message(db):
    with pytest.raises(CommandError, match="load_regions"):
        call_command("load_demo", stdout=StringIO())


def test_load_demo_command_reports_new_rows_then_nothing(demo_regions):
    first, second = StringIO(), StringIO()

    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)

    assert "baris baru" in first.getvalue()
    assert second.getvalue().strip() == "Data demo sudah lengkap; tidak ada yang diubah."


def test_demo_accounts_prints_the_four_accounts_with_the_password(loaded):
    out = StringIO()

    call_command("demo_accounts", stdout=out)

    lines = out.getvalue().splitlines()
    for email, province in (
        ("nasional@demo.test", "—"),
        ("jambi@demo.test", "Jambi"),
        ("riau@demo.test", "Riau"),
        ("fasilitator@demo.test", "—"),
    ):
        (line,) = [line for line in lines if line.startswith(email)]
        assert province in line
        assert line.rstrip().endswith("plm-demo-2022")


def test_load_demo_rows_pass_model_validation(loaded):
    models = (Library, Person, Meeting, Session, Participation, Attendance, RtlAction, Award)
    models += (RtlFollowUp, ProgrammeYear, Enrollment, EnrollmentChange, Activity, ActivityPhoto)
    models += (ImpactStory, User)

    for model in models:
        for obj in model.objects.all():
            obj.full_clean()
