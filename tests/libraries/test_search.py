"""The one people search (libraries.selectors.search_people): phone in any format, words, one minimum length."""

from __future__ import annotations

import pytest
from django.urls import reverse

from libraries.models import Person
from libraries.selectors import MIN_SEARCH_LENGTH, search_people
from meetings.models import Participation
from tests.factories import LibraryFactory, ParticipationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(scenario):
    library = LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi)
    rina = PersonFactory(
        province=scenario.jambi,
        full_name="Rina Marlina",
        phone="+6281234567890",
        email="rina@example.id",
        position="Pustakawan",
        home_library=library,
    )
    putri = PersonFactory(province=scenario.jambi, full_name="Putri Ayu", phone="+6285311112222")
    return rina, putri


def names(rows) -> list[str]:
    return sorted(row.full_name for row in rows)


def test_min_search_length_is_three():
    assert MIN_SEARCH_LENGTH == 3


@pytest.mark.parametrize("typed", ["", "r", "ri", " r i ", "12", "+6", "%%%"])
def test_search_people_shorter_than_minimum_finds_nobody(people, typed):
    assert names(search_people(Person.objects.all(), typed)) == []


@pytest.mark.parametrize(
    "typed", ["0812-3456-7890", "+62 812 3456 7890", "0062 812 3456 7890", "7890", "890"]
)
def test_search_people_phone_in_any_format(people, typed):
    assert names(search_people(Person.objects.all(), typed)) == ["Rina Marlina"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("rina", ["Rina Marlina"]),
        ("tri", ["Putri Ayu"]),
        ("pustakawan kota", ["Rina Marlina"]),
        ("rina@example", ["Rina Marlina"]),
        ("rina ayu", []),
    ],
)
def test_search_people_every_word_somewhere(people, typed, expected):
    assert names(search_people(Person.objects.all(), typed)) == expected


def test_search_people_word_start_only_matches_start_of_a_word(people):
    found = search_people(
        Person.objects.all(), "tri", fields=("full_name",), by_phone=False, word_start=True
    )
    by_start = search_people(
        Person.objects.all(), "ayu", fields=("full_name",), by_phone=False, word_start=True
    )

    assert (names(found), names(by_start)) == ([], ["Putri Ayu"])


def test_search_people_without_phone_does_not_search_numbers(people):
    assert names(search_people(Person.objects.all(), "7890", by_phone=False)) == []


def test_search_people_through_a_relation(scenario, people):
    rina, putri = people
    ParticipationFactory(meeting=scenario.meeting, person=rina)
    ParticipationFactory(meeting=scenario.meeting, person=putri)

    rows = search_people(Participation.objects.all(), "0853 1111 2222", path="person")

    assert [row.person.full_name for row in rows] == ["Putri Ayu"]


def test_person_list_short_query_says_so_and_stays_unfiltered(scenario, people):
    response = scenario.client_for("officer").get(reverse("libraries:person_list"), {"q": "ri"})

    names = [person.full_name for person in response.context["page"].object_list]
    assert sorted(names) == ["Putri Ayu", "Rina Marlina"]
    assert response.context["form"].errors == {
        "q": ["Ketik minimal 3 huruf atau angka untuk mencari."]
    }
    assert "Ketik minimal 3 huruf atau angka untuk mencari." in response.content.decode()


def test_participants_tab_short_query_keeps_the_group_filter(scenario, people):
    rina, putri = people
    ParticipationFactory(
        meeting=scenario.meeting, person=rina, role=Participation.Role.RESOURCE_PERSON
    )
    ParticipationFactory(
        meeting=scenario.meeting, person=putri, role=Participation.Role.VILLAGE_LIBRARY
    )

    response = scenario.client_for("officer").get(
        reverse("meetings:participants", args=[scenario.meeting.pk]),
        {"q": "ri", "group": "fasilitator"},
    )

    shown = [row.person.full_name for group in response.context["groups"] for row in group["rows"]]
    assert shown == ["Rina Marlina"]
    assert "Ketik minimal 3 huruf atau angka untuk mencari." in response.content.decode()


def test_search_reads_the_four_fields_as_one_string_of_capitals(scenario):
    from libraries.models import Person, person_haystack
    from libraries.selectors import search_people
    from tests.factories import PersonFactory

    person = PersonFactory(
        province=scenario.jambi,
        full_name="Siti Aminah",
        email="siti@example.test",
        position="Pustakawan",
        institution="Desa Sukamaju",
    )

    haystack = Person.objects.annotate(h=person_haystack()).get(pk=person.pk).h
    assert haystack == "SITI AMINAH SITI@EXAMPLE.TEST PUSTAKAWAN DESA SUKAMAJU"
    assert list(search_people(Person.objects.all(), "pustaka sukamaju")) == [person]
    assert list(search_people(Person.objects.all(), "aminah siti@ex")) == [person]
