"""The role matrix every view test is written against: who asks, and the fixture that signs each of them in.

``ROLES`` names the six kinds of visitor; ``scenario`` builds a Jambi meeting, a Riau province and one user per
role, and ``scenario.client_for(role)`` returns a test client signed in as that user (anonymous: not signed in).
A view test parametrises over ``ROLES`` (or a subset) and asserts both the status and that nothing changed.
"""

from __future__ import annotations

import pytest

from libraries.models import Province

ROLES = ("national", "officer", "other_officer", "facilitator", "other_facilitator", "anonymous")


@pytest.fixture
def scenario(db):
    """A Jambi meeting and one user of each role; ``client_for(role)`` signs that user in."""
    from django.test import Client

    from tests.factories import (
        FacilitatorUserFactory,
        MeetingFactory,
        NationalUserFactory,
        ProvinceFactory,
        RegencyFactory,
        UserFactory,
    )

    jambi = ProvinceFactory(code="15", name="Jambi")
    riau = ProvinceFactory(code="14", name="Riau", time_zone=Province.TimeZone.WIB)
    kota_jambi = RegencyFactory(province=jambi, code="15.71", name="Kota Jambi")
    meeting = MeetingFactory(
        province=jambi, venue_regency=kota_jambi, title="PLM Provinsi Jambi 2022"
    )
    facilitator = FacilitatorUserFactory(email="fasilitator@example.test")
    meeting.assigned_facilitators.add(facilitator)
    users = {
        "national": NationalUserFactory(email="nasional@example.test"),
        "officer": UserFactory(email="jambi@example.test", province=jambi),
        "other_officer": UserFactory(email="riau@example.test", province=riau),
        "facilitator": facilitator,
        "other_facilitator": FacilitatorUserFactory(email="lain@example.test"),
        "anonymous": None,
    }

    def client_for(role: str) -> Client:
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    class Scenario:
        pass

    s = Scenario()
    s.jambi, s.riau, s.kota_jambi, s.meeting, s.users, s.client_for = (
        jambi,
        riau,
        kota_jambi,
        meeting,
        users,
        client_for,
    )
    return s
