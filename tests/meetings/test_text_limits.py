"""Free texts that reach the PDFs have a sane length, and the regency options answer without a province.

A megabyte of venue address once made the daftar hadir a 177-page render inside the request: the forms now
refuse what is too long with a clear message, keeping the typed text so it can be shortened.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from libraries.models import Library
from meetings.forms import limits
from meetings.models import Award, Meeting, RtlAction, Session
from tests.meetings.test_awards_views import add_data as award_data
from tests.meetings.test_awards_views import awarded, libs  # noqa: F401 - fixtures
from tests.meetings.test_meeting_views import _valid_post as meeting_data
from tests.meetings.test_rtl_views import kota_jambi_library, row_data  # noqa: F401 - fixture

TOO_LONG = "Teks ini terlalu panjang: paling banyak"


def url(name: str, *args) -> str:
    return reverse(f"meetings:{name}", args=args)


@pytest.mark.parametrize(("field", "limit"), sorted(limits.MEETING.items()))
def test_meeting_text_too_long_is_refused_and_kept(scenario, field, limit):
    text = "Jl. Panjang " + "x" * limit

    response = scenario.client_for("officer").post(
        url("meeting_new"), meeting_data(**{field: text})
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert f"{TOO_LONG} {limit} karakter (sekarang {len(text)})" in body
    assert text in body  # kept in the form, to be shortened
    assert f'maxlength="{limit}"' in body
    assert not Meeting.objects.filter(title="PLM Provinsi Jambi 2023").exists()


def test_meeting_text_at_the_limit_is_saved(scenario):
    data = meeting_data(venue_address="a" * 500, objectives="b" * 3000)

    response = scenario.client_for("officer").post(url("meeting_new"), data)

    assert response.status_code == 302
    meeting = Meeting.objects.get(title="PLM Provinsi Jambi 2023")
    assert (len(meeting.venue_address), len(meeting.objectives)) == (500, 3000)


def test_meeting_edit_refuses_a_megabyte_address(scenario):
    meeting = scenario.meeting
    data = meeting_data(title=meeting.title, venue_address="x" * 1_000_000)

    response = scenario.client_for("officer").post(url("meeting_edit", meeting.pk), data)

    assert response.status_code == 200
    assert TOO_LONG in response.content.decode()
    meeting.refresh_from_db()
    assert len(meeting.venue_address) < 1000


def test_session_description_too_long_is_refused(scenario):
    data = {
        "new-title": "Berbagi pengalaman",
        "new-date": scenario.meeting.start_date.isoformat(),
        "new-start_time": "10:00",
        "new-end_time": "11:00",
        "new-description": "x" * 2001,
    }

    response = scenario.client_for("officer").post(
        url("agenda_new", scenario.meeting.pk), data, HTTP_HX_REQUEST="true"
    )

    assert TOO_LONG in response.content.decode()
    assert not Session.objects.filter(meeting=scenario.meeting).exists()


@pytest.mark.parametrize("field", sorted(limits.RTL_ACTION))
def test_rtl_text_too_long_is_refused(scenario, kota_jambi_library, field):  # noqa: F811
    data = row_data(kota_jambi_library, **{field: "x" * (limits.RTL_ACTION[field] + 1)})

    response = scenario.client_for("officer").post(url("rtl_new", scenario.meeting.pk), data)

    assert response.status_code == 200
    assert TOO_LONG in response.content.decode()
    assert not RtlAction.objects.filter(meeting=scenario.meeting).exists()


def test_award_citation_too_long_is_refused(awarded):  # noqa: F811
    before = Award.objects.count()
    data = award_data(awarded, citation="x" * 2001, form_key=uuid.uuid4().hex)

    response = awarded.client_for("officer").post(
        url("awards_new", awarded.meeting.pk), data, HTTP_HX_REQUEST="true"
    )

    assert TOO_LONG in response.content.decode()
    assert Award.objects.count() == before


def test_library_address_too_long_is_refused(scenario):
    data = {
        "name": "Perpustakaan Desa Panjang",
        "kind": Library.Kind.VILLAGE,
        "province": "15",
        "regency": "15.71",
        "address": "x" * 501,
    }

    response = scenario.client_for("officer").post(reverse("libraries:library_new"), data)

    assert response.status_code == 200
    assert TOO_LONG in response.content.decode()
    assert not Library.objects.filter(name="Perpustakaan Desa Panjang").exists()


# --- regency options ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"province": ""}])
def test_regency_options_without_province_is_an_empty_list(scenario, query):
    response = scenario.client_for("national").get(url("regency_options"), query)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="place-fields"' in body
    assert "Kota Jambi" not in body


@pytest.mark.parametrize(
    ("role", "status"), [("officer", 200), ("facilitator", 403), ("anonymous", 302)]
)
def test_regency_options_without_province_never_500(scenario, role, status):
    response = scenario.client_for(role).get(url("regency_options"))

    assert response.status_code == status
