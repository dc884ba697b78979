"""Factories and files for the impact-story tests (the plain ImpactStoryFactory lives in tests/factories.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programs.models import ImpactStory
from tests.factories import ImpactStoryFactory


class ConsentedStoryFactory(ImpactStoryFactory):
    """A story whose person agreed in writing to its publication."""

    consent_given = True
    consent_date = dt.date(2022, 10, 2)
    consent_method = ImpactStory.ConsentMethod.WRITTEN


def jpeg_bytes(
    size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 120, 40)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def jpeg_upload(name: str = "foto.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


@pytest.fixture
def story_world(scenario):
    """The role matrix's Jambi and Riau, a Jambi library with a person and an activity, and a Riau library."""
    from types import SimpleNamespace

    from tests.factories import ActivityFactory, LibraryFactory, PersonFactory, RegencyFactory

    library = LibraryFactory(regency=scenario.kota_jambi, name="Dinas Perpustakaan Kota Jambi")
    riau_library = LibraryFactory(
        regency=RegencyFactory(province=scenario.riau, code="14.71", name="Kota Pekanbaru"),
        name="Dinas Perpustakaan Kota Pekanbaru",
    )
    return SimpleNamespace(
        scenario=scenario,
        library=library,
        person=PersonFactory(
            province=scenario.jambi, full_name="Nurhayati Siregar", home_library=library
        ),
        activity=ActivityFactory(library=library, title="Pelatihan membuat keripik"),
        riau_library=riau_library,
        riau_person=PersonFactory(
            province=scenario.riau, full_name="Nurdin Riau", home_library=riau_library
        ),
    )


@pytest.fixture
def remove_story_photos(db):
    """Delete the photo files the test's stories stored (the private test storage outlives the database)."""
    yield
    for story in ImpactStory.objects.exclude(photo=""):
        story.photo.storage.delete(story.photo.name)
