"""The national activity list: its totals cached until the activity services move the generation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from plm_portal.choices import LineOfWork
from programs.models import Activity
from programs.services.activities import save_activity
from tests.factories import ActivityFactory, LibraryFactory

pytestmark = pytest.mark.django_db


def test_national_totals_are_cached_until_an_activity_is_saved(
    scenario, django_capture_on_commit_callbacks
):
    library = LibraryFactory(regency=scenario.kota_jambi)
    ActivityFactory(library=library, beneficiaries_female=10)
    client = scenario.client_for("national")
    url = reverse("programs:activity_list")

    assert client.get(url).context["totals"]["female"] == 10
    ActivityFactory(library=library, beneficiaries_female=5)  # bypasses the services
    assert client.get(url).context["totals"]["female"] == 10
    # A filtered list always counts what it shows.
    assert client.get(url, {"province": "15"}).context["totals"]["female"] == 15

    with django_capture_on_commit_callbacks(execute=True):
        save_activity(
            activity=Activity(
                library=library,
                line_of_work=LineOfWork.SERVICES,
                title="Kelas baca",
                date=dt.date(2022, 9, 3),
                beneficiaries_female=1,
            ),
            by=scenario.users["national"],
        )
    assert client.get(url).context["totals"]["female"] == 16
