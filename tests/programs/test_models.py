"""Programme years, enrollments, activities and impact stories: constraints hold in the database itself."""

from __future__ import annotations

import datetime as dt

import pytest

from plm_portal.choices import LineOfWork
from programs.models import Activity, Enrollment, ImpactStory, ProgrammeYear
from tests.constraints import constraint_messages, refused_by
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    ImpactStoryFactory,
    LibraryFactory,
    ProgrammeYearFactory,
)

pytestmark = pytest.mark.django_db


# ProgrammeYear


@pytest.mark.parametrize("year", [2018, 2100])
def test_programme_year_at_range_edges_saves(year):
    ProgrammeYear.objects.create(year=year)

    assert ProgrammeYear.objects.filter(year=year).exists()


@pytest.mark.parametrize("year", [2017, 2101])
def test_programme_year_out_of_range_refused_by_database(year):
    with refused_by("programmeyear_year_in_range"):
        ProgrammeYear.objects.create(year=year)


def test_programme_year_twice_refused_by_database():
    ProgrammeYear.objects.create(year=2022)

    with refused_by("programs_programmeyear_year_key", "programs_programmeyear.year"):
        ProgrammeYear.objects.create(year=2022)


def test_programme_year_str_defaults_to_tpbis_year():
    assert str(ProgrammeYearFactory(year=2023)) == "TPBIS 2023"


def test_programme_year_str_uses_name():
    assert (
        str(ProgrammeYearFactory(year=2024, name="TPBIS Prioritas 2024")) == "TPBIS Prioritas 2024"
    )


# Enrollment


def test_enrollment_valid_row_saves():
    enrollment = EnrollmentFactory(library__name="Perpustakaan Desa Maju")

    enrollment.full_clean()
    assert str(enrollment) == "Perpustakaan Desa Maju (2022)"


def test_enrollment_same_library_twice_in_year_refused_by_database():
    enrollment = EnrollmentFactory()

    with refused_by(
        "enrollment_unique_library_per_year",
        "programs_enrollment.programme_year_id",
        "programs_enrollment.library_id",
    ):
        Enrollment.objects.create(
            programme_year=enrollment.programme_year, library=enrollment.library
        )


def test_enrollment_same_library_twice_in_year_says_why():
    enrollment = EnrollmentFactory()
    duplicate = Enrollment(programme_year=enrollment.programme_year, library=enrollment.library)

    assert constraint_messages(duplicate) == [
        "Perpustakaan ini sudah terdaftar pada tahun program ini."
    ]


def test_enrollment_same_library_in_other_year_saves():
    enrollment = EnrollmentFactory()

    Enrollment.objects.create(
        programme_year=ProgrammeYearFactory(year=2023), library=enrollment.library
    )

    assert enrollment.library.enrollments.count() == 2


# Activity


@pytest.mark.parametrize("end_date", [None, dt.date(2022, 9, 1), dt.date(2022, 9, 3)])
def test_activity_end_on_or_after_start_saves(end_date):
    activity = Activity.objects.create(
        library=LibraryFactory(),
        line_of_work=LineOfWork.SERVICES,
        title="Kelas literasi digital",
        date=dt.date(2022, 9, 1),
        end_date=end_date,
    )

    activity.full_clean()
    assert Activity.objects.get(pk=activity.pk).end_date == end_date


def test_activity_ends_before_start_refused_by_database():
    with refused_by("activity_ends_after_start"):
        Activity.objects.create(
            library=LibraryFactory(),
            line_of_work=LineOfWork.SERVICES,
            title="Kelas literasi digital",
            date=dt.date(2022, 9, 2),
            end_date=dt.date(2022, 9, 1),
        )


def test_activity_ends_before_start_says_why():
    activity = ActivityFactory.build(
        library=LibraryFactory(), date=dt.date(2022, 9, 2), end_date=dt.date(2022, 9, 1)
    )

    assert constraint_messages(activity) == ["Tanggal selesai tidak boleh sebelum tanggal mulai."]


def test_activity_negative_beneficiaries_refused_by_database():
    with refused_by("programs_activity_beneficiaries_female_check", "beneficiaries_female"):
        Activity.objects.create(
            library=LibraryFactory(),
            line_of_work=LineOfWork.COMMUNITY,
            title="Pelatihan menjahit",
            date=dt.date(2022, 9, 1),
            beneficiaries_male=5,  # so that only the column's own check can refuse
            beneficiaries_female=-1,
        )


def test_activity_beneficiaries_total_adds_both_genders():
    activity = ActivityFactory(beneficiaries_male=12, beneficiaries_female=30)

    assert activity.beneficiaries_total == 42


# ImpactStory


def test_impact_story_published_with_consent_saves():
    story = ImpactStoryFactory(
        status=ImpactStory.Status.PUBLISHED,
        consent_given=True,
        consent_date=dt.date(2022, 10, 2),
        consent_method=ImpactStory.ConsentMethod.WRITTEN,
    )

    story.full_clean()
    assert ImpactStory.objects.get(pk=story.pk).status == ImpactStory.Status.PUBLISHED


def test_impact_story_draft_without_consent_saves():
    story = ImpactStoryFactory()

    story.full_clean()
    assert (story.status, story.consent_given) == (ImpactStory.Status.DRAFT, False)


def test_impact_story_published_without_consent_refused_by_database():
    with refused_by("impactstory_published_needs_consent"):
        ImpactStory.objects.create(
            library=LibraryFactory(),
            title="Ibu Rina membuka warung",
            story="Belajar pembukuan di perpustakaan desa.",
            date=dt.date(2022, 10, 1),
            status=ImpactStory.Status.PUBLISHED,
        )


def test_impact_story_published_without_consent_says_why():
    story = ImpactStoryFactory.build(library=LibraryFactory(), status=ImpactStory.Status.PUBLISHED)

    assert constraint_messages(story) == [
        "Cerita hanya dapat diterbitkan dengan persetujuan orangnya."
    ]


def test_impact_story_consent_without_date_refused_by_database():
    with refused_by("impactstory_consent_has_date"):
        ImpactStory.objects.create(
            library=LibraryFactory(),
            title="Ibu Rina membuka warung",
            story="Belajar pembukuan di perpustakaan desa.",
            date=dt.date(2022, 10, 1),
            consent_given=True,
            consent_method=ImpactStory.ConsentMethod.WRITTEN,
        )


def test_impact_story_consent_without_date_says_why():
    story = ImpactStoryFactory.build(
        library=LibraryFactory(),
        consent_given=True,
        consent_method=ImpactStory.ConsentMethod.WRITTEN,
    )

    assert constraint_messages(story) == ["Isi tanggal persetujuan."]


def test_impact_story_consent_without_method_refused_by_database():
    with refused_by("impactstory_consent_has_method"):
        ImpactStory.objects.create(
            library=LibraryFactory(),
            title="Ibu Rina membuka warung",
            story="Belajar pembukuan di perpustakaan desa.",
            date=dt.date(2022, 10, 1),
            consent_given=True,
            consent_date=dt.date(2022, 10, 1),
        )


def test_impact_story_consent_without_method_says_why():
    story = ImpactStoryFactory.build(
        library=LibraryFactory(), consent_given=True, consent_date=dt.date(2022, 10, 1)
    )

    assert constraint_messages(story) == ["Isi cara persetujuan diberikan."]
