"""The dashboards' figures (reports.dashboard_figures) against a world counted by hand (dashboard_world)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from libraries.models import Province
from reports.dashboard_figures import NO_AREA, figures_for, latest_year, years_with_data
from tests.reports.dashboard_world import build_world

pytestmark = pytest.mark.django_db

FIELDS = [
    "meetings",
    "participants",
    "participations",
    "attended",
    "enrolled",
    "rtl",
    "checks_due",
    "checks_recorded",
    "activities",
    "beneficiaries",
    "women",
    "disabled",
    "stories",
]


def _figures(row) -> tuple:
    return tuple(getattr(row, name) for name in FIELDS)


@pytest.fixture
def world(scenario):
    return build_world(scenario)


def test_figures_national_year_per_province_counted_by_hand(world):
    figures = figures_for(year=2022)

    rows = {row.code: row for row in figures.areas}
    assert len(figures.areas) == 38
    assert [row.code for row in figures.areas] == sorted(rows)
    #                          meet part pcs att enr rtl due rec act ben wom dis sto
    assert _figures(rows["15"]) == (2, 1, 2, 1, 1, 2, 2, 1, 2, 12, 7, 2, 1)
    assert _figures(rows["14"]) == (1, 1, 1, 1, 1, 0, 0, 0, 1, 3, 2, 0, 0)
    assert _figures(rows["91"]) == (0,) * 13
    assert _figures(figures.totals) == (3, 2, 3, 2, 2, 2, 2, 1, 3, 15, 9, 2, 1)
    assert round(figures.totals.attendance_rate) == 67
    assert rows["91"].attendance_rate is None


def test_figures_national_year_breakdowns(world):
    figures = figures_for(year=2022)

    assert figures.enrolment_by_status == {"mitra": 2, "keluar": 1}
    assert figures.meetings_by_kind == {"bimtek": [(1, 1)], "plm": [(2, 1), (3, 1)]}
    # Siti and Dewi for a regency office (one participation each); Budi, master trainer, is counted in
    # the role table but is no participant.
    assert figures.role_people == {
        "dinas_kabkota": (2, 2),
        "perpusdes": (1, 1),
        "master_trainer": (1, 1),
    }
    assert figures.gender_people == {"P": (2, 3)}
    assert figures.rtl_by_status == {"done": 1, "planned": 1}
    assert (figures.checks_by_status, figures.checks_later) == ({"selesai": 1, "belum": 1}, 1)
    assert {line: dataclasses.astuple(f) for line, f in figures.lines.items()} == {
        "pelibatan": (1, 5, 7, 2),
        "layanan": (1, 1, 2, 0),
        "advokasi": (1, 0, 0, 0),
    }


def test_figures_province_per_regency_with_a_row_for_what_has_none(world):
    figures = figures_for(year=2022, province=world.jambi)

    rows = {row.code: row for row in figures.areas}
    assert list(rows) == ["15.05", "15.71", NO_AREA]
    #                            meet part pcs att enr rtl due rec act ben wom dis sto
    assert _figures(rows["15.71"]) == (1, 1, 1, 1, 1, 2, 2, 1, 1, 12, 7, 2, 1)
    assert _figures(rows["15.05"]) == (1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert _figures(rows[NO_AREA]) == (0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)
    # Siti met in both regencies: once in each, once in the province.
    assert figures.totals.participants == 1
    assert figures.totals.participations == 2


def test_figures_province_lists_every_regency_even_without_figures(world):
    from tests.factories import RegencyFactory

    RegencyFactory(province=world.jambi, code="15.72", name="Kota Sungai Penuh")

    figures = figures_for(year=2022, province=world.jambi)

    assert [row.code for row in figures.areas] == ["15.05", "15.71", "15.72", NO_AREA]


def test_figures_all_years(world):
    figures = figures_for(year=None)

    rows = {row.code: row for row in figures.areas}
    assert (rows["15"].meetings, rows["15"].participants, rows["15"].enrolled) == (3, 2, 1)
    assert figures.totals.participants == 3  # Siti, Dewi, Eko
    assert figures.gender_people == {"P": (2, 3), "L": (1, 1)}
    # All years: meetings per year, not waves of different years.
    assert figures.meetings_by_kind == {"bimtek": [(2022, 1)], "plm": [(2022, 2), (2023, 1)]}
    assert figures.enrolment_by_status == {"mitra": 2, "keluar": 1, "replikasi": 1}
    assert figures.totals.activities == 4


def test_figures_other_year(world):
    figures = figures_for(year=2023)

    assert _figures(figures.totals)[:5] == (1, 1, 1, 1, 1)
    assert figures.enrolment_by_status == {"replikasi": 1}


def test_years_with_data_from_meetings_enrolments_and_activities(world):
    from tests.factories import ActivityFactory, ProgrammeYearFactory

    ProgrammeYearFactory(year=2026)  # a programme year without enrolments is no data
    ActivityFactory(library=world.lib.kota, date=dt.date(2021, 5, 1))

    assert years_with_data() == [2023, 2022, 2021]
    assert latest_year() == 2023


def test_latest_year_is_the_newest_with_work_not_only_enrolments(world):
    from tests.factories import EnrollmentFactory, ProgrammeYearFactory

    EnrollmentFactory(library=world.lib.kota, programme_year=ProgrammeYearFactory(year=2024))

    assert years_with_data()[0] == 2024  # offered in the year filter
    assert latest_year() == 2023  # the default: the newest year with meetings or activities


def test_years_with_data_none(db):
    assert (years_with_data(), latest_year()) == ([], None)


def test_figures_count_with_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        figures_for(year=2022)
    with django_assert_max_num_queries(14):
        figures_for(year=None, province=Province.objects.get(code="15"))
    with django_assert_max_num_queries(0):
        figures_for(year=2022)  # cached


def test_figures_see_an_enrolment_and_a_published_story_at_once(
    world, scenario, django_capture_on_commit_callbacks
):
    from programs.models import Enrollment, ImpactStory, ProgrammeYear
    from programs.services.enrollment import enroll_library
    from programs.services.stories import publish_story, verify_story
    from tests.factories import ImpactStoryFactory, LibraryFactory

    national = scenario.users["national"]
    before = figures_for(year=2022).totals
    library = LibraryFactory(name="Dinas Perpustakaan Baru", regency=world.muaro)
    story = ImpactStoryFactory(
        library=world.lib.pekanbaru,
        consent_given=True,
        consent_date=dt.date(2022, 10, 1),
        consent_method="tertulis",
    )

    with django_capture_on_commit_callbacks(execute=True):
        enroll_library(
            enrollment=Enrollment(
                programme_year=ProgrammeYear.objects.get(year=2022), library=library
            ),
            by=national,
        )
    with django_capture_on_commit_callbacks(execute=True):
        verify_story(story=story, by=national)
        publish_story(story=story, by=national)

    after = figures_for(year=2022).totals
    assert (after.enrolled, after.stories) == (before.enrolled + 1, before.stories + 1)
    assert ImpactStory.objects.get(pk=story.pk).status == "published"
