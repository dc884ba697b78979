"""The award score sheet: computed by the database from recorded work, weighted per programme year; the awards
form asks for the jury's reason when it names another library than the sheet's at that rank."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from libraries.models import Library
from meetings.models import Award, RtlAction
from programs.models import Enrollment, ImpactStory
from reports.scoring import ranking, score_sheet
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    ImpactStoryFactory,
    LibraryFactory,
    ProgrammeYearFactory,
    RegencyFactory,
    RtlActionFactory,
)
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

REGENCY = Award.Category.BEST_REGENCY_LIBRARY


@pytest.fixture
def offices(scenario):
    """Three Jambi regency offices with different recorded work in 2022, one in Riau."""
    muaro = RegencyFactory(province=scenario.jambi, code="15.05", name="Muaro Jambi")
    batanghari = RegencyFactory(province=scenario.jambi, code="15.04", name="Batanghari")
    scenario.busy = LibraryFactory(
        name="Dinas Perpustakaan Kota Jambi", regency=scenario.kota_jambi
    )
    scenario.steady = LibraryFactory(name="Dinas Perpustakaan Muaro Jambi", regency=muaro)
    scenario.quiet = LibraryFactory(name="Dinas Perpustakaan Batanghari", regency=batanghari)
    riau = RegencyFactory(province=scenario.riau, code="14.71", name="Pekanbaru")
    scenario.riau_office = LibraryFactory(name="Dinas Perpustakaan Pekanbaru", regency=riau)
    # busy: 2 activities (30 beneficiaries), 1 of 2 RTL rows done; steady: 1 activity (10), 1 of 1 done,
    # a published story; quiet: nothing. Work of 2021 and Riau's never count.
    ActivityFactory(library=scenario.busy, beneficiaries_female=12, beneficiaries_male=8)
    ActivityFactory(library=scenario.busy, beneficiaries_female=6, beneficiaries_male=4)
    ActivityFactory(library=scenario.steady, beneficiaries_female=10, beneficiaries_disabled=2)
    ActivityFactory(library=scenario.quiet, date=dt.date(2021, 5, 1), beneficiaries_female=99)
    ActivityFactory(library=scenario.riau_office, beneficiaries_female=500)
    RtlActionFactory(meeting=scenario.meeting, library=scenario.busy, status=RtlAction.Status.DONE)
    RtlActionFactory(meeting=scenario.meeting, library=scenario.busy)
    RtlActionFactory(
        meeting=scenario.meeting, library=scenario.steady, status=RtlAction.Status.DONE
    )
    ImpactStoryFactory(
        library=scenario.steady,
        status=ImpactStory.Status.PUBLISHED,
        consent_given=True,
        consent_date=dt.date(2022, 10, 1),
        consent_method=ImpactStory.ConsentMethod.WRITTEN,
    )
    ImpactStoryFactory(library=scenario.busy)  # a draft: does not count
    return scenario


def test_sheet_ranks_by_weighted_scaled_work(offices):
    ProgrammeYearFactory(
        year=2022, weight_activities=30, weight_beneficiaries=20, weight_rtl=30, weight_stories=20
    )

    sheet = score_sheet("15", 2022, REGENCY)

    assert [row.pk for row in sheet.rows] == [offices.steady.pk, offices.busy.pk, offices.quiet.pk]
    steady, busy, quiet = sheet.rows
    assert (busy.n_activities, busy.n_beneficiaries, busy.n_rtl_done, busy.n_rtl_total) == (
        2,
        30,
        1,
        2,
    )
    assert (steady.n_women, steady.n_disabled, steady.n_stories) == (10, 2, 1)
    # busy: activities 100, beneficiaries 100, RTL 50 %, stories 0 -> (3000 + 2000 + 1500) / 100
    assert busy.score == pytest.approx(65.0)
    # steady: activities 50, beneficiaries 33.3, RTL 100 %, stories 100 -> (1500 + 666.7 + 3000 + 2000) / 100
    assert steady.score == pytest.approx(71.67, abs=0.01)
    assert quiet.score == 0
    assert sheet.total == 3 and not sheet.enrolled_only


def test_weights_of_the_programme_year_change_the_order(offices):
    ProgrammeYearFactory(
        year=2022, weight_activities=100, weight_beneficiaries=100, weight_rtl=0, weight_stories=0
    )

    assert ranking("15", 2022, REGENCY) == [offices.busy.pk, offices.steady.pk]


def test_enrolled_libraries_are_the_candidates_when_there_are_any(offices):
    year = ProgrammeYearFactory(year=2022)
    EnrollmentFactory(programme_year=year, library=offices.busy)
    EnrollmentFactory(programme_year=year, library=offices.quiet)
    EnrollmentFactory(
        programme_year=year,
        library=offices.steady,
        partner_status=Enrollment.PartnerStatus.WITHDRAWN,
    )

    sheet = score_sheet("15", 2022, REGENCY)

    assert sheet.enrolled_only
    assert {row.pk for row in sheet.rows} == {offices.busy.pk, offices.quiet.pk}


def test_village_category_ranks_village_libraries_only(offices):
    assert score_sheet("15", 2022, Award.Category.BEST_VILLAGE_LIBRARY).rows == []
    assert Library.objects.filter(kind=Library.Kind.VILLAGE).count() == 0


# --- the jury's reason on the awards tab ------------------------------------------------------------


def _award_post(offices, library, **extra):
    data = {
        "new-category": REGENCY,
        "new-rank": "1",
        "new-library": str(library.pk),
        "new-citation": "Layanan paling berkembang.",
    }
    data.update({f"new-{key}": value for key, value in extra.items()})
    return offices.client_for("officer").post(
        reverse("meetings:awards_new", args=[offices.meeting.pk]), data
    )


def test_choosing_the_top_library_needs_no_reason(offices):
    response = _award_post(offices, offices.steady)

    assert response.status_code == 302
    assert Award.objects.get().library == offices.steady


def test_choosing_another_library_asks_the_jury_why_and_keeps_the_form(offices):
    response = _award_post(offices, offices.busy)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Tulis alasan juri memilihnya." in body
    assert "Layanan paling berkembang." in body
    assert not Award.objects.exists()

    response = _award_post(offices, offices.busy, jury_reason="Inovasi layanan keliling.")

    assert response.status_code == 302
    award = Award.objects.get()
    assert (award.library, award.jury_reason) == (offices.busy, "Inovasi layanan keliling.")
    # Kept for Perpusnas, shown nowhere in the tab's list.
    tab = offices.client_for("national").get(reverse("meetings:awards", args=[offices.meeting.pk]))
    assert "Inovasi layanan keliling." not in tab.content.decode()


# --- the page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_score_sheet_page_roles(offices, role):
    status = {"national": 200, "officer": 200, "other_officer": 200, "anonymous": 302}.get(
        role, 403
    )

    response = offices.client_for(role).get(
        reverse("reports:award_scores"), {"province": "15", "year": "2022"}
    )

    assert response.status_code == status
    if role == "other_officer":
        # Riau's officer asking for Jambi gets Riau's sheet: never another province's libraries.
        body = response.content.decode()
        assert "Pekanbaru" in body and "Kota Jambi" not in body


def test_score_sheet_page_shows_the_figures_and_winners(offices):
    Award.objects.create(
        province=offices.jambi, year=2022, category=REGENCY, rank=1, library=offices.steady
    )

    response = offices.client_for("national").get(
        reverse("reports:award_scores"), {"province": "15", "year": "2022"}
    )

    body = response.content.decode()
    assert body.index("Dinas Perpustakaan Muaro Jambi") < body.index(
        "Dinas Perpustakaan Kota Jambi"
    )
    assert "Pemenang peringkat 1" in body
    assert "71.7" in body or "71,7" in body
