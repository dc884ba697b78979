"""A new library or person posted twice (a double tap) is saved once and both posts get the same redirect,
although the repeat would now fail the form's own check (the name or the phone number is taken)."""

from __future__ import annotations

import uuid

from django.urls import reverse

from libraries.models import Library, Person
from tests.libraries.test_library_views import edit_data
from tests.libraries.test_library_views import world as library_world  # noqa: F401 - fixture
from tests.libraries.test_person_views import person_data


def test_new_library_posted_twice_is_saved_once(library_world, django_capture_on_commit_callbacks):  # noqa: F811
    client = library_world.client_for("officer")
    data = edit_data(
        library_world,
        name="Perpustakaan Desa Pakuan Baru",
        kind=Library.Kind.VILLAGE,
        district="15.71.02",
        village="15.71.02.1001",
        form_key=uuid.uuid4().hex,
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("libraries:library_new"), data)
    second = client.post(reverse("libraries:library_new"), data)

    library = Library.objects.get(name="Perpustakaan Desa Pakuan Baru")
    assert first.status_code == second.status_code == 302
    assert (
        first["Location"]
        == second["Location"]
        == reverse("libraries:library_detail", args=[library.pk])
    )


def test_new_person_posted_twice_is_saved_once(scenario, django_capture_on_commit_callbacks):
    client = scenario.client_for("officer")
    data = person_data(form_key=uuid.uuid4().hex)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("libraries:person_new"), data)
    second = client.post(reverse("libraries:person_new"), data)

    person = Person.objects.get(full_name="Siti Aminah")
    assert first.status_code == second.status_code == 302
    assert (
        first["Location"]
        == second["Location"]
        == reverse("libraries:person_detail", args=[person.pk])
    )


def test_new_person_with_another_key_is_checked_as_usual(scenario):
    client = scenario.client_for("officer")
    client.post(reverse("libraries:person_new"), person_data(form_key=uuid.uuid4().hex))

    response = client.post(reverse("libraries:person_new"), person_data(form_key=uuid.uuid4().hex))

    assert response.status_code == 200
    assert "Nomor HP ini sudah terdaftar di provinsi ini" in response.content.decode()
    assert Person.objects.filter(full_name="Siti Aminah").count() == 1
