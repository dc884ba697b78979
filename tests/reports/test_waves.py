"""The wave overview: a programme year's meetings by wave and province, every province listed, joint PLMs shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import Meeting
from reports.waves import wave_overview
from tests.factories import MeetingFactory, ProvinceFactory
from tests.roles import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def waves(scenario):
    """Jambi (wave 3, the scenario's PLM) and a joint PLM of Riau and Kepulauan Riau in wave 2."""
    ProvinceFactory(code="21", name="Kepulauan Riau")
    ProvinceFactory(code="11", name="Aceh")
    for code in ("14", "21"):
        MeetingFactory(
            province_id=code,
            title=f"PLM {code}",
            wave=2,
            start_date=dt.date(2022, 7, 21),
            venue_name="Hotel Pangeran Pekanbaru",
        )
    MeetingFactory(province_id="11", title="PLM Aceh batal", status=Meeting.Status.CANCELLED)
    MeetingFactory(province_id="11", title="Bimtek Aceh", kind=Meeting.Kind.BIMTEK, wave=1)
    return scenario


def test_waves_list_provinces_with_dates_and_the_rest_without(waves):
    overview = wave_overview(2022)

    assert [wave.number for wave in overview.waves] == [2, 3]
    riau, kepri = overview.waves[0].provinces
    assert (riau.province.name, riau.first_day, riau.joint_with) == (
        "Riau",
        dt.date(2022, 7, 21),
        ["Kepulauan Riau"],
    )
    assert kepri.joint_with == ["Riau"]
    assert [row.province.name for row in overview.waves[1].provinces] == ["Jambi"]
    assert overview.waves[1].provinces[0].joint_with == []
    # Aceh's PLM was cancelled and its Bimtek is another kind: Aceh has no PLM in 2022.
    assert [province.name for province in overview.without] == ["Aceh"]
    assert (overview.provinces_with, overview.meetings) == (3, 3)


def test_bimtek_waves(waves):
    overview = wave_overview(2022, Meeting.Kind.BIMTEK)

    assert [(w.number, [r.province.name for r in w.provinces]) for w in overview.waves] == [
        (1, ["Aceh"])
    ]


@pytest.mark.parametrize("role", ROLES)
def test_wave_page_is_for_national_staff(waves, role):
    status = {"national": 200, "anonymous": 302}.get(role, 403)

    response = waves.client_for(role).get(reverse("waves"), {"year": "2022"})

    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "Gelombang 2" in body and "gabungan dengan Kepulauan Riau" in body
        assert "Aceh" in body


def test_wave_page_query_count_does_not_grow_with_meetings(waves, django_assert_max_num_queries):
    client = waves.client_for("national")
    with django_assert_max_num_queries(8):
        client.get(reverse("waves"), {"year": "2022"})
    for n in range(10):
        MeetingFactory(province_id="11", title=f"PLM Aceh {n}", wave=4)
    with django_assert_max_num_queries(8):
        client.get(reverse("waves"), {"year": "2022"})
