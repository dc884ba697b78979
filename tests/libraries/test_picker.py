"""The library picker: forms list a province's offices and the chosen library, a search fills the select,
validation still takes any library of the province and nothing from another."""

from __future__ import annotations

import pytest
from django.urls import reverse

from libraries.models import Library
from libraries.picker import RESULTS_LIMIT
from meetings.models import Participation
from tests.factories import LibraryFactory, PersonFactory

pytestmark = pytest.mark.django_db

MANY = 150


@pytest.fixture
def libraries(scenario):
    """Jambi's office, and many reading gardens (not offices) in Jambi; one in Riau."""

    class Place:
        pass

    p = Place()
    p.office = LibraryFactory(regency=scenario.kota_jambi, name="Dinas Perpustakaan Kota Jambi")
    Library.objects.bulk_create(
        Library(name=f"Taman Baca Melati {n:03d}", kind=Library.Kind.OTHER, province=scenario.jambi)
        for n in range(MANY)
    )
    p.garden = Library.objects.get(name="Taman Baca Melati 042")
    p.riau_garden = Library.objects.create(
        name="Taman Baca Melati Riau", kind=Library.Kind.OTHER, province=scenario.riau
    )
    return p


def _options(client, **params):
    response = client.get(
        reverse("libraries:library_picker_options"), params, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_new_participant_form_lists_offices_not_every_library(scenario, libraries):
    response = scenario.client_for("officer").get(
        reverse("meetings:participants_new", args=[scenario.meeting.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dinas Perpustakaan Kota Jambi" in html
    assert "Taman Baca Melati" not in html
    assert 'id="id_library_search"' in html and 'id="id_home_library_search"' in html


def test_a_library_not_listed_is_still_a_valid_choice(scenario, libraries):
    """The select shows offices; a library found by search (any of the province) saves, and stays selected
    when the form comes back with an error."""
    url = reverse("meetings:participants_new", args=[scenario.meeting.pk])
    data = {
        "full_name": "Rina Wulandari",
        "gender": "P",
        "phone": "0812 7777 1234",
        "role": Participation.Role.VILLAGE_LIBRARY,
        "library": libraries.garden.pk,
        "home_library": libraries.riau_garden.pk,  # another province: refused
    }
    client = scenario.client_for("officer")
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pilih perpustakaan dari Provinsi Jambi." in html
    assert f'<option value="{libraries.garden.pk}" selected>Taman Baca Melati 042</option>' in html
    assert "Taman Baca Melati 041" not in html
    response = client.post(url, data | {"home_library": ""})
    assert response.status_code == 302
    participation = Participation.objects.get(person__full_name="Rina Wulandari")
    assert participation.library == libraries.garden


def test_search_fills_the_select_with_matches_and_keeps_the_choice(scenario, libraries):
    html = _options(
        scenario.client_for("officer"),
        province=scenario.jambi.pk,
        field="library",
        library=libraries.office.pk,
        q="melati 04",
        blank="— tidak ada —",
        status="id_library_status",
    )
    assert html.startswith('<option value="">— tidak ada —</option>')
    assert html.count("Taman Baca Melati 04") == 10
    assert f'<option value="{libraries.office.pk}" selected>' in html
    assert "10 perpustakaan cocok" in html and 'id="id_library_status"' in html
    assert "Riau" not in html


def test_search_results_are_capped(scenario, libraries):
    html = _options(
        scenario.client_for("national"), province=scenario.jambi.pk, q="melati", status="s"
    )
    assert html.count("Taman Baca Melati") == RESULTS_LIMIT
    assert f"Lebih dari {RESULTS_LIMIT} perpustakaan cocok" in html


def test_short_searches_and_bad_status_ids(scenario, libraries):
    html = _options(
        scenario.client_for("officer"),
        province=scenario.jambi.pk,
        q="me",
        status='x" onmouseover="alert(1)',
    )
    assert "Taman Baca" not in html
    assert "onmouseover" not in html and "hx-swap-oob" not in html
    assert "Dinas Perpustakaan Kota Jambi" in html


@pytest.mark.parametrize("role", ["other_officer", "other_facilitator"])
def test_another_province_answers_nothing(scenario, libraries, role):
    html = _options(scenario.client_for(role), province=scenario.jambi.pk, q="melati", status="s")
    assert "Taman Baca" not in html and "Kota Jambi" not in html
    assert "Tidak ada perpustakaan bernama" in html


def test_signed_out_is_sent_to_sign_in(scenario):
    response = scenario.client_for("anonymous").get(reverse("libraries:library_picker_options"))
    assert response.status_code == 302


def test_person_form_shows_the_current_home_library(scenario, libraries):
    person = PersonFactory(province=scenario.jambi, home_library=libraries.garden)
    response = scenario.client_for("officer").get(
        reverse("libraries:person_edit", args=[person.pk])
    )
    html = response.content.decode()
    assert f'<option value="{libraries.garden.pk}" selected>Taman Baca Melati 042</option>' in html
    assert "Taman Baca Melati 041" not in html


def test_page_size_does_not_grow_with_the_province(scenario, libraries):
    url = reverse("meetings:participants_new", args=[scenario.meeting.pk])
    client = scenario.client_for("national")
    before = len(client.get(url).content)
    Library.objects.bulk_create(
        Library(name=f"Taman Baca Mawar {n:03d}", kind=Library.Kind.OTHER, province=scenario.jambi)
        for n in range(MANY)
    )
    assert len(client.get(url).content) == before
