"""Activity pages for each of the six roles: list, page, new, edit, delete, a photo and its deletion.

Another province's activity or photo is not found (404) for a provincial officer, in every page, filter and
photo URL; facilitators are refused the programme pages (403) and get no photo (404); refused requests change
nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.models import Activity, ActivityPhoto
from tests.factories import ActivityFactory
from tests.programs.factories_activities import (  # noqa: F401 - fixtures
    form_data,
    jpeg_bytes,
    private_storage_fixture,
    store_photo,
    world_fixture,
)
from tests.roles import ROLES

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple:
    return (
        sorted(Activity.objects.values_list("pk", "title", "library_id", "beneficiaries_female")),
        sorted(ActivityPhoto.objects.values_list("pk", "caption", "image")),
    )


def _files(world) -> set[str]:
    return {path.name for path in world.private.rglob("*.jpg")}


# --- list ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "shown"),
    [
        ("national", 200, {"Pelatihan anyaman rotan", "Kelas literasi digital Pekanbaru"}),
        ("officer", 200, {"Pelatihan anyaman rotan"}),
        ("other_officer", 200, {"Kelas literasi digital Pekanbaru"}),
        ("facilitator", 403, set()),
        ("other_facilitator", 403, set()),
        ("anonymous", 302, set()),
    ],
)
def test_activity_list_role_matrix(world, role, status, shown):
    response = world.client_for(role).get(reverse("programs:activity_list"))

    assert response.status_code == status
    body = response.content.decode()
    titles = {"Pelatihan anyaman rotan", "Kelas literasi digital Pekanbaru"}
    assert {title for title in titles if title in body} == shown


def test_activity_list_officer_never_sees_another_province_in_filters(world):
    response = world.client_for("other_officer").get(reverse("programs:activity_list"))

    body = response.content.decode()
    assert "Jambi" not in body
    form = response.context["form"]
    assert "province" not in form.fields
    assert [code for code, _ in form.fields["regency"].choices] == ["", "14.71"]


def test_activity_list_officer_regency_of_another_province_is_ignored(world):
    response = world.client_for("other_officer").get(
        reverse("programs:activity_list"), {"regency": "15.71"}
    )

    assert [a.title for a in response.context["page"].object_list] == [
        "Kelas literasi digital Pekanbaru"
    ]
    assert "Kota Jambi" not in response.content.decode()


def test_activity_list_library_of_another_province_is_not_found(world):
    response = world.client_for("other_officer").get(
        reverse("programs:activity_list"), {"library": world.library.pk}
    )

    assert response.status_code == 404
    assert "Kota Jambi" not in response.content.decode()


def test_activity_list_totals_follow_the_filters(world):
    ActivityFactory(
        library=world.library,
        line_of_work="advokasi",
        date="2023-02-01",
        beneficiaries_female=4,
        beneficiaries_male=6,
        beneficiaries_disabled=1,
    )
    client = world.client_for("national")

    everything = client.get(reverse("programs:activity_list")).context["totals"]
    jambi = client.get(reverse("programs:activity_list"), {"province": "15"}).context["totals"]
    jambi_2022 = client.get(
        reverse("programs:activity_list"), {"province": "15", "year": "2022"}
    ).context["totals"]
    advocacy = client.get(reverse("programs:activity_list"), {"line_of_work": "advokasi"}).context[
        "totals"
    ]

    assert everything == {"activities": 3, "female": 21, "male": 19, "disabled": 3}
    assert jambi == {"activities": 2, "female": 16, "male": 14, "disabled": 3}
    assert jambi_2022 == {"activities": 1, "female": 12, "male": 8, "disabled": 2}
    assert advocacy == {"activities": 1, "female": 4, "male": 6, "disabled": 1}


def test_activity_list_per_library_and_regency(world):
    other = ActivityFactory(library__regency=world.kota_jambi, title="Lomba baca puisi")
    client = world.client_for("officer")

    per_library = client.get(reverse("programs:activity_list"), {"library": world.library.pk})
    per_regency = client.get(reverse("programs:activity_list"), {"regency": "15.71"})

    assert [a.title for a in per_library.context["page"].object_list] == ["Pelatihan anyaman rotan"]
    assert {a.title for a in per_regency.context["page"].object_list} == {
        "Pelatihan anyaman rotan",
        other.title,
    }
    assert (
        f"?library={world.library.pk}" in per_library.content.decode()
    )  # "Catat kegiatan" keeps it


def test_activity_list_newest_first_and_paginated(world):
    for day in range(1, 23):
        ActivityFactory(
            library=world.library, title=f"Kegiatan {day:02d}", date=f"2023-03-{day:02d}"
        )

    response = world.client_for("officer").get(reverse("programs:activity_list"))

    page = response.context["page"]
    assert page.paginator.count == 23
    assert [a.title for a in page.object_list][:2] == ["Kegiatan 22", "Kegiatan 21"]
    assert len(page.object_list) == 20


def test_activity_list_htmx_returns_the_results_only(world):
    response = world.client_for("national").get(
        reverse("programs:activity_list"), {"province": "14"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert 'id="regency-filter"' in body and "Kota Pekanbaru" in body
    assert "Pelatihan anyaman rotan" not in body


@pytest.mark.parametrize("count", [1, 3])
def test_activity_list_query_count_is_constant(world, django_assert_num_queries, count):
    for _ in range(count - 1):
        ActivityFactory(library=world.library)
    client = world.client_for("officer")

    # session, user, regency choices, totals, the page's rows
    with django_assert_num_queries(5):
        response = client.get(reverse("programs:activity_list"))

    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_activity_list_national_query_count_is_constant(world, django_assert_num_queries, count):
    for _ in range(count - 1):
        ActivityFactory(library=world.library)
    client = world.client_for("national")

    # session, user, provinces, regencies of the province, library, totals, the page's rows
    with django_assert_num_queries(7):
        client.get(
            reverse("programs:activity_list"), {"province": "15", "library": world.library.pk}
        )


# --- page ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 403),
        ("other_facilitator", 403),
        ("anonymous", 302),
    ],
)
def test_activity_detail_role_matrix(world, role, status):
    response = world.client_for(role).get(
        reverse("programs:activity_detail", args=[world.activity.pk])
    )

    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert "Pelatihan anyaman rotan" in body
        assert reverse("programs:activity_photo", args=[world.photo.pk]) in body
        assert world.photo.image.name.split("/")[-1] not in body  # never the stored name


def test_activity_detail_shows_beneficiaries_and_edit_link_to_the_officer(world):
    response = world.client_for("officer").get(
        reverse("programs:activity_detail", args=[world.activity.pk])
    )

    body = response.content.decode()
    assert reverse("programs:activity_edit", args=[world.activity.pk]) in body
    assert response.context["activity"].beneficiaries_total == 20


# --- new and edit ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 403),
        ("other_facilitator", 403),
        ("anonymous", 302),
    ],
)
def test_activity_new_with_library_role_matrix(world, role, status):
    response = world.client_for(role).get(
        reverse("programs:activity_new"), {"library": world.library.pk}
    )

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status", "created"),
    [
        ("national", 302, True),
        ("officer", 302, True),
        ("other_officer", 200, False),  # their form offers Riau's libraries only: an invalid choice
        ("facilitator", 403, False),
        ("other_facilitator", 403, False),
        ("anonymous", 302, False),
    ],
)
def test_activity_new_post_role_matrix(world, role, status, created):
    before = _snapshot()

    response = world.client_for(role).post(
        f"{reverse('programs:activity_new')}?province=15", form_data(world)
    )

    assert response.status_code == status
    made = Activity.objects.filter(title="Kelas menjahit untuk ibu rumah tangga")
    assert made.exists() is created
    if created:
        activity = made.get()
        assert response["Location"] == reverse("programs:activity_detail", args=[activity.pk])
        assert activity.created_by == world.users[role]
        assert (activity.beneficiaries_female, activity.beneficiaries_disabled) == (25, 2)
    else:
        assert _snapshot() == before


def test_activity_new_national_chooses_a_province_first(world):
    client = world.client_for("national")

    first = client.get(reverse("programs:activity_new"))
    second = client.get(reverse("programs:activity_new"), {"province": "14"})

    assert first.templates[0].name == "programs/activity_province.html"
    assert ("14", "Riau") in first.context["provinces"]
    assert second.templates[0].name == "programs/activity_form.html"
    library_field = second.context["form"].fields["library"]
    assert list(library_field.queryset) == [world.riau_library]


def test_activity_new_officer_form_offers_own_province_only(world):
    response = world.client_for("other_officer").get(
        reverse("programs:activity_new"), {"province": "15"}
    )

    assert list(response.context["form"].fields["library"].queryset) == [world.riau_library]
    assert "Kota Jambi" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 403),
        ("other_facilitator", 403),
        ("anonymous", 302),
    ],
)
def test_activity_edit_get_role_matrix(world, role, status):
    response = world.client_for(role).get(
        reverse("programs:activity_edit", args=[world.activity.pk])
    )

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status", "changed"),
    [
        ("national", 302, True),
        ("officer", 302, True),
        ("other_officer", 404, False),
        ("facilitator", 403, False),
        ("other_facilitator", 403, False),
        ("anonymous", 302, False),
    ],
)
def test_activity_edit_post_role_matrix(world, role, status, changed):
    before = _snapshot()
    data = form_data(world, title="Pelatihan anyaman rotan lanjutan")
    data[f"caption_{world.photo.pk}"] = "Peserta menganyam tas"

    response = world.client_for(role).post(
        reverse("programs:activity_edit", args=[world.activity.pk]), data
    )

    assert response.status_code == status
    world.activity.refresh_from_db()
    world.photo.refresh_from_db()
    if changed:
        assert world.activity.title == "Pelatihan anyaman rotan lanjutan"
        assert world.photo.caption == "Peserta menganyam tas"
    else:
        assert _snapshot() == before


def test_activity_edit_cannot_move_to_another_province_library(world):
    before = _snapshot()

    response = world.client_for("national").post(
        reverse("programs:activity_edit", args=[world.activity.pk]),
        form_data(world, library=str(world.riau_library.pk)),
    )

    assert response.status_code == 200
    assert "library" in response.context["form"].errors
    assert _snapshot() == before


def test_activity_edit_caption_of_another_activity_photo_is_ignored(world):
    data = form_data(world)
    data[f"caption_{world.riau_photo.pk}"] = "diubah"

    world.client_for("national").post(
        reverse("programs:activity_edit", args=[world.activity.pk]), data
    )

    world.riau_photo.refresh_from_db()
    assert world.riau_photo.caption == "Kelas di Pekanbaru"


# --- delete ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "deleted"),
    [
        ("national", 302, True),
        ("officer", 302, True),
        ("other_officer", 404, False),
        ("facilitator", 403, False),
        ("other_facilitator", 403, False),
        ("anonymous", 302, False),
    ],
)
def test_activity_delete_role_matrix(
    world, role, status, deleted, django_capture_on_commit_callbacks
):
    before, files = _snapshot(), _files(world)

    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for(role).post(
            reverse("programs:activity_delete", args=[world.activity.pk])
        )

    assert response.status_code == status
    assert Activity.objects.filter(pk=world.activity.pk).exists() is not deleted
    if deleted:
        assert not ActivityPhoto.objects.filter(pk=world.photo.pk).exists()
        assert _files(world) == files - {world.photo.image.name.split("/")[-1]}
    else:
        assert (_snapshot(), _files(world)) == (before, files)


def test_activity_delete_get_is_not_allowed(world):
    response = world.client_for("officer").get(
        reverse("programs:activity_delete", args=[world.activity.pk])
    )

    assert response.status_code == 405
    assert Activity.objects.filter(pk=world.activity.pk).exists()


# --- photos ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 404),
        ("other_facilitator", 404),
        ("anonymous", 302),
    ],
)
def test_activity_photo_role_matrix(world, role, status):
    response = world.client_for(role).get(reverse("programs:activity_photo", args=[world.photo.pk]))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, max-age=3600"
        stored_name = world.photo.image.name.split("/")[-1]
        assert stored_name not in response["Content-Disposition"]
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_activity_photo_of_another_province_is_not_found_for_the_officer(world):
    response = world.client_for("officer").get(
        reverse("programs:activity_photo", args=[world.riau_photo.pk])
    )

    assert response.status_code == 404
    assert "Pekanbaru" not in response.content.decode()


def test_activity_photo_missing_file_is_not_found(world):
    world.photo.image.storage.delete(world.photo.image.name)

    response = world.client_for("officer").get(
        reverse("programs:activity_photo", args=[world.photo.pk])
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status", "deleted"),
    [
        ("national", 302, True),
        ("officer", 302, True),
        ("other_officer", 404, False),
        ("facilitator", 403, False),
        ("other_facilitator", 403, False),
        ("anonymous", 302, False),
    ],
)
def test_activity_photo_delete_role_matrix(
    world, role, status, deleted, django_capture_on_commit_callbacks
):
    before, files = _snapshot(), _files(world)

    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for(role).post(
            reverse("programs:activity_photo_delete", args=[world.photo.pk])
        )

    assert response.status_code == status
    if deleted:
        assert response["Location"] == reverse("programs:activity_edit", args=[world.activity.pk])
        assert not ActivityPhoto.objects.filter(pk=world.photo.pk).exists()
        assert _files(world) == files - {world.photo.image.name.split("/")[-1]}
    else:
        assert (_snapshot(), _files(world)) == (before, files)


def test_activity_photo_delete_htmx_updates_the_edit_page_in_place(world):
    response = world.client_for("officer").post(
        reverse("programs:activity_photo_delete", args=[world.photo.pk]),
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Foto dihapus." in body
    assert 'id="photos-left"' in body and 'data-left="5"' in body


def test_activity_photo_delete_htmx_opens_the_photo_field_of_a_full_activity(world):
    for _ in range(4):
        store_photo(world.activity)

    response = world.client_for("officer").post(
        reverse("programs:activity_photo_delete", args=[world.photo.pk]),
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert 'id="photos-field" hx-swap-oob="true"' in body
    assert 'type="file" name="photos"' in body and "disabled" not in body
    assert 'data-left="1"' in body


def test_activity_edit_of_a_full_activity_disables_the_photo_field(world):
    for _ in range(4):
        store_photo(world.activity)

    response = world.client_for("officer").get(
        reverse("programs:activity_edit", args=[world.activity.pk])
    )

    assert response.context["form"].fields["photos"].disabled
    assert "sudah punya 5 foto" in response.content.decode()


def test_activity_roles_are_the_six_of_the_matrix():
    assert set(ROLES) == {
        "national",
        "officer",
        "other_officer",
        "facilitator",
        "other_facilitator",
        "anonymous",
    }


def test_activity_upload_through_the_view_is_stored_and_served(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data(world)
    data["photos"] = [SimpleUploadedFile("kegiatan.jpg", jpeg_bytes(), "image/jpeg")]

    response = world.client_for("officer").post(reverse("programs:activity_new"), data)

    activity = Activity.objects.get(title="Kelas menjahit untuk ibu rumah tangga")
    assert response["Location"] == reverse("programs:activity_detail", args=[activity.pk])
    photo = activity.photos.get()
    assert (photo.width, photo.height, photo.uploaded_by) == (640, 480, world.users["officer"])
    assert photo.image.name.startswith("photos/") and "kegiatan" not in photo.image.name
