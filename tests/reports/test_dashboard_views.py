"""The national and provincial dashboards: every signed-in role, aggregates without names, filters, queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from libraries.models import Province
from tests.reports.dashboard_world import build_world
from tests.roles import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(scenario):
    return build_world(scenario)


def _cells(html: str, key: str) -> dict[str, str]:
    """Area code -> the text of the per-area table's ``key`` column."""
    rows = re.findall(r'<tr data-area="([^"]*)">(.*?)</tr>', html, re.S)
    return {
        code: re.search(rf'data-key="{key}">([^<]*)<', row).group(1).strip() for code, row in rows
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["dashboard", "dashboard_province"])
def test_dashboard_role_matrix(world, scenario, role, name):
    args = ["14"] if name == "dashboard_province" else []  # Riau: another province for the officer

    response = scenario.client_for(role).get(reverse(name, args=args))

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 200
        assert response.templates[0].name == "reports/dashboard.html"


@pytest.mark.parametrize("role", ["national", "officer", "other_officer", "facilitator"])
def test_dashboard_shows_no_personal_data(world, scenario, role):
    client = scenario.client_for(role)

    for url in (
        reverse("dashboard") + "?year=2022",
        reverse("dashboard") + "?year=semua",
        reverse("dashboard_province", args=["15"]) + "?year=2022",
    ):
        text = client.get(url).text
        assert [name for name in world.names if name in text] == []
        assert "+62812" not in text  # no phone number either


def test_dashboard_national_lists_all_38_provinces_on_map_and_table(world, scenario):
    response = scenario.client_for("national").get(reverse("dashboard") + "?year=2022")

    html = response.text
    names = list(Province.objects.order_by("code").values_list("name", flat=True))
    assert len(names) == 38
    assert [name for name in names if name not in html] == []
    assert len(_cells(html, "meetings")) == 38
    assert len(re.findall(r"<a href=\"[^\"]+\" aria-label=\"[^\"]+\" data-province=", html)) == 38
    assert 'aria-label="JA Jambi, Pertemuan: 2"' in html
    assert 'aria-label="PE Papua Pegunungan, Pertemuan: 0"' in html


def test_dashboard_national_numbers_match_hand_count(world, scenario):
    html = scenario.client_for("national").get(reverse("dashboard") + "?year=2022").text

    meetings = _cells(html, "meetings")
    assert (meetings["15"], meetings["14"], meetings["11"]) == ("2", "1", "0")
    assert _cells(html, "participants")["15"] == "1"
    assert _cells(html, "attendance")["15"] == "50%"
    assert _cells(html, "attendance")["11"] == "\u2013"
    assert _cells(html, "checks")["15"] == "1 / 2"
    assert re.search(r'data-figure="participants">2<', html)
    assert re.search(r'data-figure="attendance">67%<', html)
    # Tiles link to the province's dashboard for the same year.
    assert f'href="{reverse("dashboard_province", args=["15"])}?year=2022"' in html


def test_dashboard_year_filter(world, scenario):
    client = scenario.client_for("national")

    latest = client.get(reverse("dashboard"))
    year_2022 = client.get(reverse("dashboard") + "?year=2022")
    every = client.get(reverse("dashboard") + "?year=semua")

    assert latest.context["year"] == 2023  # the latest year with data
    assert _cells(latest.text, "meetings")["15"] == "1"
    assert _cells(year_2022.text, "meetings")["15"] == "2"
    assert every.context["year"] is None
    assert _cells(every.text, "meetings")["15"] == "3"
    assert every.context["figures"].totals.participants == 3


@pytest.mark.parametrize(
    "query", ["?year=abc", "?year=1999", "?year=", "?indicator=xyz", "?year=2022&indicator=%00"]
)
def test_dashboard_bad_parameters_fall_back_to_the_default(world, scenario, query):
    response = scenario.client_for("national").get(reverse("dashboard") + query)

    assert response.status_code == 200
    assert response.context["year"] in (2022, 2023)


def test_dashboard_unknown_province_is_404(world, scenario):
    response = scenario.client_for("national").get(reverse("dashboard_province", args=["99"]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("indicator", "jambi"),
    [
        ("meetings", "2"),
        ("participants", "1"),
        ("attendance", "50%"),
        ("enrolled", "1"),
        ("activities", "2"),
        ("stories", "1"),
    ],
)
def test_dashboard_map_shaded_by_the_chosen_indicator(world, scenario, indicator, jambi):
    url = reverse("dashboard") + f"?year=2022&indicator={indicator}"

    html = scenario.client_for("national").get(url).text

    assert f'data-indicator="{indicator}"' in html
    assert re.search(rf'data-province="15" data-value="{re.escape(jambi)}"', html)


def test_dashboard_province_per_regency(world, scenario):
    response = scenario.client_for("officer").get(
        reverse("dashboard_province", args=["15"]) + "?year=2022&indicator=activities"
    )

    html = response.text
    assert response.context["tile_map"] is None
    assert _cells(html, "meetings") == {"15.05": "1", "15.71": "1", "": "0"}
    assert _cells(html, "activities") == {"15.05": "0", "15.71": "1", "": "1"}
    assert "Tanpa kabupaten/kota" in html
    assert 'data-chart="areas"' in html


def test_dashboard_charts_and_tables_carry_the_same_numbers(world, scenario):
    html = scenario.client_for("national").get(reverse("dashboard") + "?year=2022").text

    bars = dict(re.findall(r'<g class="dash-bar" data-label="([^"]+)" data-value="([^"]+)"', html))
    assert bars["Kegiatan pelibatan masyarakat"] == "1"
    assert bars["Dinas Perpustakaan Kabupaten/Kota"] == "2"
    table = re.search(r'data-table="lines">(.*?)</table>', html, re.S).group(1)
    assert re.search(r"Kegiatan pelibatan masyarakat</th><td[^>]*>1</td><td[^>]*>7</td>", table)
    segments = dict(
        re.findall(r'class="dash-segment"[^>]*data-label="([^"]+)" data-value="([^"]+)"', html)
    )
    assert segments["Mitra program"] == "2"


def test_dashboard_query_count_is_bounded_and_cached(
    world, scenario, django_assert_max_num_queries
):
    client = scenario.client_for("national")

    with django_assert_max_num_queries(20):
        assert client.get(reverse("dashboard") + "?year=2022").status_code == 200
    with django_assert_max_num_queries(3):  # session, user; the figures from the cache
        assert client.get(reverse("dashboard") + "?year=2022").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("dashboard_province", args=["15"])).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count_does_not_grow_with_data(scenario, django_assert_num_queries, count):
    from tests.factories import AttendanceFactory, MeetingFactory, ParticipationFactory

    for _ in range(count):
        meeting = MeetingFactory(province=scenario.jambi)
        AttendanceFactory(participation=ParticipationFactory(meeting=meeting))
    client = scenario.client_for("national")

    with django_assert_num_queries(17):
        client.get(reverse("dashboard"))


def test_nav_links_each_role_to_its_dashboard(world, scenario):
    officer = scenario.client_for("officer").get(reverse("home")).text
    national = scenario.client_for("national").get(reverse("home")).text

    assert f'href="{reverse("dashboard_province", args=["15"])}"' in officer
    assert f'href="{reverse("dashboard")}"' in national
    assert ">Dasbor<" in officer


# --- the home page: the programme's latest year, people counted once -------------------------------------


def test_home_national_shows_the_latest_programme_year_not_the_clock(world, scenario):
    response = scenario.client_for("national").get(reverse("home"))

    summary = response.context["summary"]
    assert summary.year == 2023
    assert (summary.meetings_this_year, summary.participants, summary.participations) == (1, 1, 1)
    assert summary.meetings == 5  # every meeting ever, the cancelled one too
    assert len(summary.provinces) == 38
    assert [w.number for w in summary.waves.waves] == [1]
    text = response.text
    assert f'href="{reverse("dashboard")}?year=2023"' in text
    assert f'href="{reverse("dashboard")}?year=2022"' in text  # the other year with data
    assert f'href="{reverse("dashboard_province", args=["15"])}?year=2023"' in text
    assert f'href="{reverse("waves")}?year=2023"' in text
    assert [name for name in world.names if name in text] == []


def test_home_officer_counts_people_once(scenario):
    from tests.factories import MeetingFactory, ParticipationFactory, PersonFactory

    person = PersonFactory(province=scenario.jambi)
    ParticipationFactory(meeting=scenario.meeting, person=person)
    ParticipationFactory(meeting=MeetingFactory(province=scenario.jambi), person=person)

    summary = scenario.client_for("officer").get(reverse("home")).context["summary"]

    assert (summary.participants, summary.participations) == (1, 2)
