"""Photo files go with their rows, however the rows go: a library deleted (CASCADE), a photo or a story deleted
in the admin. Only once the deletion commits."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.core.files.base import ContentFile
from django.urls import reverse

from libraries.models import Library
from programs.models import ActivityPhoto, ImpactStory
from tests.factories import ActivityFactory, ImpactStoryFactory, LibraryFactory
from tests.programs.factories_activities import jpeg_bytes, private_storage_fixture, store_photo

pytestmark = pytest.mark.django_db

__all__ = ["private_storage_fixture"]  # the fixture, imported for pytest


def stored_files(folder) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def story_with_photo(library: Library) -> ImpactStory:
    story = ImpactStoryFactory(library=library)
    story.photo.save("photo.jpg", ContentFile(jpeg_bytes((64, 48))), save=True)
    return story


@pytest.fixture
def library_with_photos(scenario, private_storage):
    library = LibraryFactory(regency=scenario.kota_jambi)
    photo = store_photo(ActivityFactory(library=library))
    story = story_with_photo(library)
    assert stored_files(private_storage) == {photo.image.name, story.photo.name}
    return library


def test_deleting_library_deletes_photo_files_after_commit(
    library_with_photos, private_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        library_with_photos.delete()
        assert len(stored_files(private_storage)) == 2  # not before the commit

    assert (stored_files(private_storage), ActivityPhoto.objects.count()) == (set(), 0)


def test_rolled_back_deletion_keeps_files(library_with_photos, private_storage):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        library_with_photos.delete()
        raise RuntimeError

    assert len(stored_files(private_storage)) == 2


def test_admin_delete_of_story_deletes_its_photo_file(
    scenario, private_storage, admin_client, django_capture_on_commit_callbacks
):
    story = story_with_photo(LibraryFactory(regency=scenario.kota_jambi))
    assert site.is_registered(ImpactStory)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:programs_impactstory_delete", args=[story.pk]), {"post": "yes"}
        )

    assert (response.status_code, stored_files(private_storage)) == (302, set())
