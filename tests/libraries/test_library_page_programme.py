"""A library's page shows its programme work: latest activities and stories (every status for its editors,
published and anonymised for others) and its RTL completion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import RtlAction
from programs.models import ImpactStory
from tests.factories import (
    ActivityFactory,
    ImpactStoryFactory,
    LibraryFactory,
    ParticipationFactory,
    PersonFactory,
    RtlActionFactory,
)

pytestmark = pytest.mark.django_db

CONSENT = {
    "consent_given": True,
    "consent_date": dt.date(2022, 10, 1),
    "consent_method": ImpactStory.ConsentMethod.WRITTEN,
}


@pytest.fixture
def world(scenario):
    library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    scenario.library = library
    person = PersonFactory(province=scenario.jambi, full_name="Ernawati Siregar")
    # The facilitator sees the library through the meeting it is assigned to.
    ParticipationFactory(meeting=scenario.meeting, library=library, person=person)
    for n in range(7):
        ActivityFactory(library=library, title=f"Kelas literasi {n}", date=dt.date(2022, 9, 1 + n))
    ImpactStoryFactory(library=library, title="Cerita draf", person=person)
    ImpactStoryFactory(
        library=library,
        title="Cerita terbit tanpa nama",
        person=person,
        anonymous=True,
        alias="Ibu E., 38 tahun",
        status=ImpactStory.Status.PUBLISHED,
        **CONSENT,
    )
    RtlActionFactory(meeting=scenario.meeting, library=library, status=RtlAction.Status.DONE)
    RtlActionFactory(meeting=scenario.meeting, library=library)
    RtlActionFactory(meeting=scenario.meeting, library=library)
    return scenario


def page(world, role: str) -> str:
    response = world.client_for(role).get(
        reverse("libraries:library_detail", args=[world.library.pk])
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["national", "officer"])
def test_editors_see_latest_activities_every_story_and_completion(world, role):
    body = page(world, role)

    assert "Kelas literasi 6" in body and "Kelas literasi 2" in body
    assert "Kelas literasi 1" not in body  # the latest five
    assert "Lihat semua 7 kegiatan" in body
    assert f"{reverse('programs:activity_new')}?library={world.library.pk}" in body
    assert "Cerita draf" in body and "Cerita terbit tanpa nama" in body
    assert "Ernawati Siregar" in body  # editors see the real person, marked anonymous
    assert "Penyelesaian: 1 dari 3 baris selesai (33%)" in body


def test_facilitator_sees_published_stories_anonymised_and_no_activities(world):
    body = page(world, "facilitator")

    assert "Kelas literasi" not in body
    assert "Cerita draf" not in body
    assert "Cerita terbit tanpa nama" in body
    assert "Ibu E., 38 tahun" in body
    assert "Ernawati Siregar" not in body.split('id="stories-heading"')[1]
    assert reverse("programs:story_new") not in body


def test_page_query_count_does_not_grow_with_activities_and_stories(
    world, django_assert_max_num_queries
):
    client = world.client_for("officer")
    url = reverse("libraries:library_detail", args=[world.library.pk])
    with django_assert_max_num_queries(16) as before:
        client.get(url)
    for n in range(20):
        ActivityFactory(library=world.library, title=f"Kegiatan tambahan {n}")
        ImpactStoryFactory(library=world.library, title=f"Cerita tambahan {n}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)
