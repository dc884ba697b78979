"""Activity services (create, photos, captions, delete with their files) and the Activity admin built on them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from programs.models import Activity, ActivityPhoto
from programs.photos import Photo
from programs.services.activities import (
    MAX_PHOTOS,
    delete_activity,
    delete_activity_photo,
    save_activity,
)
from tests.programs.factories_activities import (  # noqa: F401 - fixtures
    jpeg_bytes,
    private_storage_fixture,
    store_photo,
    world_fixture,
)

pytestmark = pytest.mark.django_db


def _photo() -> Photo:
    return Photo(jpeg_bytes((40, 30)), 40, 30)


def _files(world) -> set[str]:
    return {path.name for path in world.private.rglob("*.jpg")}


def _new_activity(world, **fields) -> Activity:
    return Activity(
        library=world.library,
        line_of_work="layanan",
        title="Layanan pojok baca keliling",
        date=dt.date(2022, 10, 3),
        **fields,
    )


def test_save_activity_creates_with_photos_and_recorder(world):
    officer = world.users["officer"]

    activity = save_activity(activity=_new_activity(world), by=officer, photos=[_photo(), _photo()])

    assert activity.created_by == officer
    stored = list(activity.photos.order_by("pk"))
    assert [(p.width, p.height, p.uploaded_by) for p in stored] == [(40, 30, officer)] * 2
    assert {p.image.name.split("/")[-1] for p in stored} <= _files(world)


def test_save_activity_refuses_another_province(world):
    with pytest.raises(PermissionDenied):
        save_activity(activity=_new_activity(world), by=world.users["other_officer"])

    assert not Activity.objects.filter(title="Layanan pojok baca keliling").exists()


def test_save_activity_refuses_moving_a_riau_activity_for_the_jambi_officer(world):
    world.riau_activity.library = world.library

    with pytest.raises(PermissionDenied):
        save_activity(activity=world.riau_activity, by=world.users["officer"])

    world.riau_activity.refresh_from_db()
    assert world.riau_activity.library == world.riau_library


def test_save_activity_keeps_the_photo_limit(world):
    for _ in range(MAX_PHOTOS - 1):
        store_photo(world.activity)
    files = _files(world)

    with pytest.raises(ValidationError) as error:
        save_activity(activity=world.activity, by=world.users["officer"], photos=[_photo()] * 2)

    assert "photos" in error.value.message_dict
    assert world.activity.photos.count() == MAX_PHOTOS
    assert _files(world) == files


def test_save_activity_checks_the_database_rules(world):
    activity = _new_activity(world, beneficiaries_female=1, beneficiaries_disabled=3)

    with pytest.raises(ValidationError):
        save_activity(activity=activity, by=world.users["officer"])

    assert not Activity.objects.filter(title="Layanan pojok baca keliling").exists()


def test_save_activity_failing_photo_leaves_no_file(world, monkeypatch):
    files = _files(world)
    saves = []
    original = ActivityPhoto.save

    def failing_second_save(self, *args, **kwargs):
        saves.append(self)
        if len(saves) == 2:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ActivityPhoto, "save", failing_second_save)

    with pytest.raises(RuntimeError):
        save_activity(
            activity=_new_activity(world), by=world.users["officer"], photos=[_photo()] * 2
        )

    assert _files(world) == files


def test_save_activity_changes_captions_of_its_own_photos_only(world):
    save_activity(
        activity=world.activity,
        by=world.users["officer"],
        captions={world.photo.pk: "  Hasil anyaman  ", world.riau_photo.pk: "diubah"},
    )

    world.photo.refresh_from_db()
    world.riau_photo.refresh_from_db()
    assert (world.photo.caption, world.riau_photo.caption) == (
        "Hasil anyaman",
        "Kelas di Pekanbaru",
    )


def test_delete_activity_removes_files_after_commit(world, django_capture_on_commit_callbacks):
    name = world.photo.image.name.split("/")[-1]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delete_activity(activity=world.activity, by=world.users["officer"])
    assert name in _files(world)  # not before the deletion commits
    for callback in callbacks:
        callback()

    assert name not in _files(world)
    assert not ActivityPhoto.objects.filter(pk=world.photo.pk).exists()


def test_delete_activity_refuses_another_province(world):
    with pytest.raises(PermissionDenied):
        delete_activity(activity=world.activity, by=world.users["other_officer"])

    assert Activity.objects.filter(pk=world.activity.pk).exists()


def test_delete_photo_removes_its_file_after_commit(world, django_capture_on_commit_callbacks):
    name = world.photo.image.name.split("/")[-1]

    with django_capture_on_commit_callbacks(execute=True):
        delete_activity_photo(photo=world.photo, by=world.users["national"])

    assert name not in _files(world)
    assert world.riau_photo.image.name.split("/")[-1] in _files(world)


# --- admin -----------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(world):
    from django.test import Client

    world.users["national"].is_staff = True
    world.users["national"].is_superuser = True
    world.users["national"].save()
    client = Client()
    client.force_login(world.users["national"])
    return client


def test_activity_admin_shows_photos_read_only_with_dimensions(world, admin_client):
    response = admin_client.get(reverse("admin:programs_activity_change", args=[world.activity.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("programs:activity_photo", args=[world.photo.pk]) in body
    assert "Peserta menganyam" in body and ">64<" in body and ">48<" in body
    assert 'type="file"' not in body
    assert "beneficiaries_disabled" in body and "evidence_url" in body


def test_activity_admin_delete_removes_photo_files(
    world, admin_client, django_capture_on_commit_callbacks
):
    name = world.photo.image.name.split("/")[-1]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:programs_activity_delete", args=[world.activity.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Activity.objects.filter(pk=world.activity.pk).exists()
    assert name not in _files(world)


def test_activity_admin_bulk_delete_removes_photo_files(
    world, admin_client, django_capture_on_commit_callbacks
):
    names = {p.image.name.split("/")[-1] for p in (world.photo, world.riau_photo)}

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:programs_activity_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [world.activity.pk, world.riau_activity.pk],
                "post": "yes",
            },
        )

    assert not Activity.objects.exists()
    assert not names & _files(world)


def test_activity_admin_add_records_who(world, admin_client):
    response = admin_client.post(
        reverse("admin:programs_activity_add"),
        {
            "library": world.library.pk,
            "line_of_work": "advokasi",
            "title": "Audiensi dengan Bupati",
            "description": "",
            "date": "2022-11-02",
            "end_date": "",
            "location": "",
            "partners": "",
            "beneficiaries_female": "0",
            "beneficiaries_male": "0",
            "beneficiaries_disabled": "0",
            "evidence_url": "",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    activity = Activity.objects.get(title="Audiensi dengan Bupati")
    assert activity.created_by == world.users["national"]
