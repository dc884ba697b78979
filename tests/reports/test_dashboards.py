"""The home page (reports.dashboards and reports.dashboard_views): each role's dashboard, scoped and counted."""

import pytest
from django.urls import reverse

from tests.factories import (
    LibraryFactory,
    MeetingFactory,
    NationalUserFactory,
    ProvinceFactory,
    UserFactory,
)
from tests.roles import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces(scenario):
    """Jambi: the scenario's meeting, one more and a library in Kota Jambi; Riau: one meeting."""
    MeetingFactory(province=scenario.jambi)
    MeetingFactory(province=scenario.riau)
    LibraryFactory(regency=scenario.kota_jambi)
    return scenario


@pytest.mark.parametrize("role", ROLES)
def test_home_role_matrix(scenario, role):
    response = scenario.client_for(role).get(reverse("home"))

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/"
    else:
        assert response.status_code == 200
        assert response.templates[0].name == "reports/home.html"


def test_home_provincial_officer_counts_own_province(two_provinces):
    response = two_provinces.client_for("officer").get(reverse("home"))

    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.province, summary.meetings, summary.libraries) == (two_provinces.jambi, 2, 1)
    assert summary.provinces_with_meetings == 2


def test_home_national_staff_counts_every_province(two_provinces):
    summary = two_provinces.client_for("national").get(reverse("home")).context["summary"]

    assert (summary.province, summary.meetings, summary.libraries) == (None, 3, 1)


@pytest.mark.parametrize("role", ["facilitator", "other_facilitator"])
def test_home_facilitator_sees_aggregates_only(two_provinces, role):
    summary = two_provinces.client_for(role).get(reverse("home")).context["summary"]

    assert summary.province is None
    assert summary.provinces_with_meetings == 2


# --- the home page per role: lists, counts, shortcuts -------------------------------------------


def _today():
    import datetime as dt
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()


def _days(n):
    import datetime as dt

    return _today() + dt.timedelta(days=n)


@pytest.fixture
def jambi_year(scenario):
    """Jambi: one meeting today, one next week, two past ones; plus a Riau meeting next week."""
    from tests.factories import AttendanceFactory, ParticipationFactory, RtlActionFactory

    jambi = scenario.jambi
    scenario.meeting.delete()
    meetings = {
        "today": MeetingFactory(province=jambi, title="PLM Hari Ini", start_date=_today()),
        "next_week": MeetingFactory(province=jambi, title="PLM Minggu Depan", start_date=_days(7)),
        "last_month": MeetingFactory(province=jambi, title="PLM Bulan Lalu", start_date=_days(-30)),
        "last_year": MeetingFactory(province=jambi, title="PLM Tahun Lalu", start_date=_days(-400)),
        "riau": MeetingFactory(province=scenario.riau, title="PLM Riau", start_date=_days(7)),
    }
    for meeting in meetings.values():
        meeting.year = max(2018, meeting.start_date.year)
        meeting.save(update_fields=["year"])
    first = ParticipationFactory(meeting=meetings["last_month"], person__full_name="Siti Aminah")
    ParticipationFactory(meeting=meetings["last_month"])
    AttendanceFactory(participation=first)
    ParticipationFactory(meeting=meetings["riau"], person__full_name="Orang Riau")
    RtlActionFactory(meeting=meetings["last_month"])
    RtlActionFactory(meeting=meetings["last_month"], status="done")
    meetings["next_week"].assigned_facilitators.add(scenario.users["facilitator"])
    meetings["last_year"].assigned_facilitators.add(scenario.users["facilitator"])
    return meetings


def test_home_officer_sees_own_province_meetings(scenario, jambi_year):
    response = scenario.client_for("officer").get(reverse("home"))

    summary = response.context["summary"]
    assert [m.title for m in summary.happening_today] == ["PLM Hari Ini"]
    assert [m.title for m in summary.upcoming] == ["PLM Hari Ini", "PLM Minggu Depan"]
    assert [m.title for m in summary.recent] == ["PLM Bulan Lalu", "PLM Tahun Lalu"]
    assert "PLM Riau" not in response.text
    assert "Orang Riau" not in response.text


def test_home_officer_counts(scenario, jambi_year):
    summary = scenario.client_for("officer").get(reverse("home")).context["summary"]

    assert (summary.meetings, summary.participants, summary.attended) == (4, 2, 1)
    assert summary.meetings_this_year == sum(
        1
        for key in ("today", "next_week", "last_month", "last_year")
        if jambi_year[key].start_date.year == _today().year
    )
    assert [(row.status, row.count) for row in summary.rtl] == [
        ("planned", 1),
        ("in_progress", 0),
        ("done", 1),
    ]


def test_home_officer_shortcuts(scenario, jambi_year):
    text = scenario.client_for("officer").get(reverse("home")).text

    assert reverse("meetings:meeting_new") in text
    assert reverse("meetings:attendance", args=[jambi_year["today"].pk]) in text
    assert reverse("libraries:library_list") in text
    assert reverse("libraries:person_list") in text
    assert reverse("users:user_list") not in text


def test_home_facilitator_sees_assigned_meetings_with_attendance_links(scenario, jambi_year):
    response = scenario.client_for("facilitator").get(reverse("home"))

    summary = response.context["summary"]
    assert [m.title for m in summary.upcoming] == ["PLM Minggu Depan"]
    assert [m.title for m in summary.past] == ["PLM Tahun Lalu"]
    assert reverse("meetings:attendance", args=[jambi_year["next_week"].pk]) in response.text
    assert "PLM Bulan Lalu" not in response.text
    assert reverse("meetings:meeting_new") not in response.text


def test_home_unassigned_facilitator_sees_no_meetings(scenario, jambi_year):
    summary = scenario.client_for("other_facilitator").get(reverse("home")).context["summary"]

    assert (summary.upcoming, summary.past, summary.happening_today) == ([], [], [])


def test_home_national_sees_counts_per_province_without_names(scenario, jambi_year):
    response = scenario.client_for("national").get(reverse("home"))

    summary = response.context["summary"]
    # The latest programme year with data, not the clock's; every province listed, in code order; people
    # counted once each.
    year = max(meeting.year for meeting in jambi_year.values())
    jambi = [m for k, m in jambi_year.items() if k != "riau" and m.year == year]
    people = 2 if jambi_year["last_month"].year == year else 0
    riau = (1, 1) if jambi_year["riau"].year == year else (0, 0)
    rows = [(p.name, p.meeting_count, p.participant_count) for p in summary.provinces]
    assert summary.year == year
    assert rows == [("Riau", *riau), ("Jambi", len(jambi), people)]
    assert [m.title for m in summary.upcoming] == ["PLM Hari Ini", "PLM Minggu Depan", "PLM Riau"]
    assert "Siti Aminah" not in response.text
    assert reverse("users:user_list") in response.text
    assert reverse("admin:index") in response.text


def test_home_today_follows_each_province_time_zone(db):
    import datetime as dt

    from libraries.models import Province
    from reports.dashboards import home_summary_for

    jambi = ProvinceFactory(code="15", name="Jambi")
    papua = ProvinceFactory(code="91", name="Papua", time_zone=Province.TimeZone.WIT)
    MeetingFactory(province=jambi, title="Jambi 1 Agustus", start_date=dt.date(2022, 8, 1))
    MeetingFactory(province=jambi, title="Jambi 2 Agustus", start_date=dt.date(2022, 8, 2))
    MeetingFactory(province=papua, title="Papua 2 Agustus", start_date=dt.date(2022, 8, 2))
    # 23.30 WIB on 1 August is already 01.30 WIT on 2 August.
    now = dt.datetime(2022, 8, 1, 16, 30, tzinfo=dt.UTC)

    summary = home_summary_for(NationalUserFactory(), now=now)

    assert [m.title for m in summary.happening_today] == ["Jambi 1 Agustus", "Papua 2 Agustus"]
    assert [m.title for m in summary.upcoming] == [
        "Jambi 1 Agustus",
        "Jambi 2 Agustus",
        "Papua 2 Agustus",
    ]


def test_home_officer_recent_excludes_todays_meeting_in_own_zone(db):
    import datetime as dt

    from reports.dashboards import home_summary_for

    jambi = ProvinceFactory(code="15", name="Jambi")
    MeetingFactory(province=jambi, title="Kemarin", start_date=dt.date(2022, 8, 1))
    MeetingFactory(province=jambi, title="Hari ini", start_date=dt.date(2022, 8, 2))
    now = dt.datetime(2022, 8, 2, 1, 0, tzinfo=dt.UTC)  # 08.00 WIB on 2 August

    summary = home_summary_for(UserFactory(province=jambi), now=now)

    assert [m.title for m in summary.recent] == ["Kemarin"]
    assert [m.title for m in summary.upcoming] == ["Hari ini"]
    assert summary.year == 2022
    assert summary.meetings_this_year == 2


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(
    ("role", "queries"), [("officer", 11), ("facilitator", 7), ("national", 25)]
)
def test_home_query_count(scenario, django_assert_num_queries, role, count, queries):
    from tests.factories import AttendanceFactory, ParticipationFactory, RtlActionFactory

    scenario.meeting.delete()
    for _ in range(count):
        for start in (_today(), _days(5), _days(-5)):
            meeting = MeetingFactory(province=scenario.jambi, start_date=start)
            meeting.assigned_facilitators.add(scenario.users["facilitator"])
            AttendanceFactory(participation=ParticipationFactory(meeting=meeting))
            RtlActionFactory(meeting=meeting)
    client = scenario.client_for(role)

    with django_assert_num_queries(queries):
        response = client.get(reverse("home"))

    assert response.status_code == 200


def test_home_national_figures_are_cached_until_a_service_writes(
    scenario, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from meetings.services.participants import remove_participation
    from tests.factories import ParticipationFactory

    client = scenario.client_for("national")
    participation = ParticipationFactory(meeting=scenario.meeting)
    client.get(reverse("home"))

    # session, user, today's and upcoming meetings: the national figures come from the cache
    with django_assert_num_queries(4):
        assert client.get(reverse("home")).context["summary"].participants == 1

    with django_capture_on_commit_callbacks(execute=True):
        remove_participation(participation=participation, by=scenario.users["officer"])
    assert client.get(reverse("home")).context["summary"].participants == 0


def test_home_officer_participant_counts_follow_the_services(
    scenario, django_capture_on_commit_callbacks
):
    from meetings.services.participants import remove_participation
    from tests.factories import ParticipationFactory

    client = scenario.client_for("officer")
    participation = ParticipationFactory(meeting=scenario.meeting)
    ParticipationFactory(meeting=scenario.meeting)
    assert client.get(reverse("home")).context["summary"].participants == 2

    with django_capture_on_commit_callbacks(execute=True):
        remove_participation(participation=participation, by=scenario.users["officer"])

    assert client.get(reverse("home")).context["summary"].participants == 1
