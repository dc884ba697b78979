"""Impact-story services: who may write, consent recorded by the service, the workflow and its idempotence."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from programs.models import ImpactStory
from programs.photos import Photo
from programs.services.stories import publish_story, save_story, unpublish_story, verify_story
from tests.factories import (
    ActivityFactory,
    FacilitatorUserFactory,
    ImpactStoryFactory,
    LibraryFactory,
    NationalUserFactory,
    PersonFactory,
    RegencyFactory,
    UserFactory,
)
from tests.programs import factories_stories
from tests.programs.factories_stories import ConsentedStoryFactory, jpeg_bytes

pytestmark = pytest.mark.django_db

remove_story_photos = factories_stories.remove_story_photos

Status = ImpactStory.Status


@pytest.fixture
def library(kota_jambi):
    return LibraryFactory(regency=kota_jambi, name="Dinas Perpustakaan Kota Jambi")


@pytest.fixture
def officer(jambi):
    return UserFactory(province=jambi)


@pytest.fixture
def national(db):
    return NationalUserFactory()


def _new_story(library, **kwargs) -> ImpactStory:
    values = {"title": "Usaha keripik", "story": "Cerita.", "date": dt.date(2022, 10, 1)}
    return ImpactStory(library=library, **(values | kwargs))


def _photo() -> Photo:
    return Photo(jpeg_bytes(), 64, 48)


# --- saving ------------------------------------------------------------------------------------------------


def test_save_story_new_records_writer_and_consent_recorder(library, officer):
    story = _new_story(
        library,
        consent_given=True,
        consent_date=dt.date(2022, 10, 2),
        consent_method=ImpactStory.ConsentMethod.RECORDED_VERBAL,
    )

    saved = save_story(story=story, by=officer)

    saved.refresh_from_db()
    assert (saved.status, saved.created_by, saved.consent_recorded_by) == (
        Status.DRAFT,
        officer,
        officer,
    )


def test_save_story_without_consent_keeps_no_consent_details(library, officer):
    story = ConsentedStoryFactory(library=library, consent_recorded_by=officer)
    story.consent_given = False

    save_story(story=story, by=officer)

    story.refresh_from_db()
    assert (story.consent_date, story.consent_method, story.consent_recorded_by) == (None, "", None)


def test_save_story_consent_unchanged_keeps_its_recorder(library, officer, national):
    story = ConsentedStoryFactory(library=library, consent_recorded_by=officer)
    story.title = "Judul baru"

    save_story(story=story, by=national)

    story.refresh_from_db()
    assert story.consent_recorded_by == officer


def test_save_story_other_province_refused_and_unchanged(riau, library):
    story = ImpactStoryFactory(library=library, title="Asli")
    story.title = "Diubah"

    with pytest.raises(PermissionDenied):
        save_story(story=story, by=UserFactory(province=riau))

    story.refresh_from_db()
    assert story.title == "Asli"


def test_save_story_moved_out_of_province_refused(riau, library):
    """National staff may move a story anywhere; an officer may not take one out of their own province."""
    officer = UserFactory(province=riau)
    riau_library = LibraryFactory(regency=RegencyFactory(province=riau, code="14.71"))
    story = ImpactStoryFactory(library=library)
    story.library = riau_library

    with pytest.raises(PermissionDenied):
        save_story(story=story, by=officer)

    assert ImpactStory.objects.get(pk=story.pk).library == library


@pytest.mark.parametrize("status", [Status.VERIFIED, Status.PUBLISHED])
def test_save_story_content_edit_sends_it_back_to_draft(library, officer, national, status):
    story = ConsentedStoryFactory(
        library=library, status=status, verified_by=officer, published_by=national
    )
    story.story = "Cerita yang diperbaiki."

    save_story(story=story, by=officer)

    story.refresh_from_db()
    assert (story.status, story.verified_by, story.published_by, story.published_at) == (
        Status.DRAFT,
        None,
        None,
        None,
    )


def test_save_story_unchanged_keeps_its_status(library, officer):
    story = ConsentedStoryFactory(library=library, status=Status.VERIFIED, verified_by=officer)

    save_story(story=ImpactStory.objects.get(pk=story.pk), by=officer)

    story.refresh_from_db()
    assert (story.status, story.verified_by) == (Status.VERIFIED, officer)


def test_save_story_new_photo_on_published_story_sends_it_back_to_draft(
    library, national, remove_story_photos
):
    story = ConsentedStoryFactory(library=library, status=Status.PUBLISHED)

    save_story(story=story, by=national, photo=_photo())

    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert story.photo.name.startswith("photos/") and story.photo.name.endswith(".jpg")


def test_save_story_replacing_photo_deletes_old_file(
    library, officer, django_capture_on_commit_callbacks
):
    story = save_story(story=_new_story(library), by=officer, photo=_photo())
    old_name = story.photo.name
    storage = story.photo.storage
    assert storage.exists(old_name)

    with django_capture_on_commit_callbacks(execute=True):
        save_story(story=story, by=officer, photo=_photo())

    assert story.photo.name != old_name
    assert not storage.exists(old_name)
    assert storage.exists(story.photo.name)
    storage.delete(story.photo.name)


def test_save_story_remove_photo(library, officer, django_capture_on_commit_callbacks):
    story = save_story(story=_new_story(library), by=officer, photo=_photo())
    old_name = story.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        save_story(story=story, by=officer, remove_photo=True)

    story.refresh_from_db()
    assert not story.photo
    assert not story.photo.storage.exists(old_name)


def test_save_story_person_of_other_province_refused(riau, library, officer):
    story = _new_story(library, person=PersonFactory(province=riau), anonymous=False)

    with pytest.raises(ValidationError) as error:
        save_story(story=story, by=officer)

    assert error.value.message_dict == {"person": ["Pilih orang dari provinsi perpustakaan ini."]}
    assert not ImpactStory.objects.exists()


def test_save_story_activity_of_other_library_refused(library, kota_jambi, officer):
    other = ActivityFactory(library=LibraryFactory(regency=kota_jambi))
    story = _new_story(library, activity=other)

    with pytest.raises(ValidationError) as error:
        save_story(story=story, by=officer)

    assert error.value.message_dict == {"activity": ["Pilih kegiatan dari perpustakaan ini."]}
    assert not ImpactStory.objects.exists()


# --- workflow ----------------------------------------------------------------------------------------------


def test_verify_story_by_officer_records_who_and_when(library, officer):
    story = ConsentedStoryFactory(library=library)

    result = verify_story(story=story, by=officer)

    story.refresh_from_db()
    assert result.changed is True
    assert (story.status, story.verified_by) == (Status.VERIFIED, officer)
    assert story.verified_at is not None


def test_verify_story_twice_is_one_verification(library, officer, national):
    story = ConsentedStoryFactory(library=library)
    verify_story(story=story, by=officer)
    first = ImpactStory.objects.get(pk=story.pk).verified_at

    result = verify_story(story=story, by=national)

    story.refresh_from_db()
    assert result.changed is False
    assert (story.verified_by, story.verified_at) == (officer, first)


def test_verify_story_without_consent_refused(library, officer):
    story = ImpactStoryFactory(library=library)

    with pytest.raises(ValidationError) as error:
        verify_story(story=story, by=officer)

    assert "persetujuan" in error.value.messages[0]
    story.refresh_from_db()
    assert story.status == Status.DRAFT


@pytest.mark.parametrize("who", ["other_officer", "facilitator"])
def test_verify_story_outside_scope_refused(riau, library, who):
    story = ConsentedStoryFactory(library=library)
    by = UserFactory(province=riau) if who == "other_officer" else FacilitatorUserFactory()

    with pytest.raises(PermissionDenied):
        verify_story(story=story, by=by)

    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_publish_story_by_national_records_who_and_when(library, officer, national):
    story = ConsentedStoryFactory(library=library, status=Status.VERIFIED, verified_by=officer)

    result = publish_story(story=story, by=national)

    story.refresh_from_db()
    assert result.changed is True
    assert (story.status, story.published_by, story.verified_by) == (
        Status.PUBLISHED,
        national,
        officer,
    )
    assert story.published_at is not None


def test_publish_story_twice_is_one_publication(library, national):
    story = ConsentedStoryFactory(library=library, status=Status.VERIFIED)
    publish_story(story=story, by=national)
    first = ImpactStory.objects.get(pk=story.pk).published_at

    result = publish_story(story=story, by=national)

    assert result.changed is False
    assert ImpactStory.objects.get(pk=story.pk).published_at == first


def test_publish_story_by_officer_refused(library, officer):
    story = ConsentedStoryFactory(library=library, status=Status.VERIFIED)

    with pytest.raises(PermissionDenied):
        publish_story(story=story, by=officer)

    story.refresh_from_db()
    assert story.status == Status.VERIFIED


def test_publish_story_draft_refused(library, national):
    story = ConsentedStoryFactory(library=library)

    with pytest.raises(ValidationError) as error:
        publish_story(story=story, by=national)

    assert error.value.code == "not_verified"
    assert ImpactStory.objects.get(pk=story.pk).status == Status.DRAFT


def test_publish_story_without_consent_refused_with_message(library, national):
    """A verified story whose consent is gone (changed outside the portal) is still never published."""
    story = ImpactStoryFactory(library=library, status=Status.VERIFIED)

    with pytest.raises(ValidationError) as error:
        publish_story(story=story, by=national)

    assert error.value.messages == ["Cerita tanpa persetujuan narasumber tidak dapat diterbitkan."]
    assert ImpactStory.objects.get(pk=story.pk).status == Status.VERIFIED


def test_unpublish_story_back_to_verified(library, officer, national):
    story = ConsentedStoryFactory(
        library=library, status=Status.PUBLISHED, verified_by=officer, published_by=national
    )

    result = unpublish_story(story=story, by=national)

    story.refresh_from_db()
    assert result.changed is True
    assert (story.status, story.verified_by, story.published_by) == (
        Status.VERIFIED,
        officer,
        None,
    )


def test_unpublish_story_not_published_changes_nothing(library, national):
    story = ConsentedStoryFactory(library=library, status=Status.VERIFIED)

    assert unpublish_story(story=story, by=national).changed is False
    assert ImpactStory.objects.get(pk=story.pk).status == Status.VERIFIED


def test_unpublish_story_by_officer_refused(library, officer):
    story = ConsentedStoryFactory(library=library, status=Status.PUBLISHED)

    with pytest.raises(PermissionDenied):
        unpublish_story(story=story, by=officer)

    assert ImpactStory.objects.get(pk=story.pk).status == Status.PUBLISHED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs it)"
)
def test_publish_story_two_taps_at_once_publish_once(kota_jambi):
    story = ConsentedStoryFactory(
        library=LibraryFactory(regency=kota_jambi), status=Status.VERIFIED
    )
    national = NationalUserFactory()
    barrier = threading.Barrier(2)
    results: list = []

    def tap() -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(publish_story(story=story, by=national))
        except Exception as error:  # reported by the first assertion
            results.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(result.changed for result in results) == [False, True]
    published_at = {result.story.published_at for result in results}
    assert published_at == {ImpactStory.objects.get(pk=story.pk).published_at}
