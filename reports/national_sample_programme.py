"""The national sample's programme rows: programme years, enrolments (with their first history row), implementation
activities and impact stories.

Called by ``reports.national_sample.load_national_sample`` inside its transaction, after the meetings.
"""

from __future__ import annotations

import datetime as dt

from plm_portal.choices import LineOfWork
from programs.models import Activity, Enrollment, EnrollmentChange, ImpactStory, ProgrammeYear
from reports.national_sample import YEARS, SampleContext, bulk_insert, scaled

ACTIVITY_TITLES = (
    "Pelatihan komputer dasar", "Kelas membaca anak", "Pelatihan kerajinan anyaman",
    "Rapat advokasi dengan BPD", "Rilis berita kegiatan", "Bimbingan belajar sore",
)  # fmt: skip


def load_programme(ctx: SampleContext) -> None:
    """Programme years (only the missing ones), enrolments, activities and impact stories."""
    rng = ctx.rng
    existing = set(ProgrammeYear.objects.values_list("year", flat=True))
    bulk_insert(
        ProgrammeYear,
        [ProgrammeYear(year=y, name=f"TPBIS {y}") for y in YEARS if y not in existing],
        ctx.result,
    )
    programme_years = {p.year: p for p in ProgrammeYear.objects.filter(year__in=YEARS)}
    libraries = [lib for p in ctx.provinces for lib in ctx.village_libraries[p.code]]
    joined = {lib.pk: rng.choice(YEARS) for lib in libraries}
    enrollments = bulk_insert(
        Enrollment,
        [
            Enrollment(
                programme_year=programme_years[year],
                library=lib,
                cohort=f"Angkatan {joined[lib.pk]}",
                partner_status=rng.choice(list(Enrollment.PartnerStatus)),
                joined_on=dt.date(joined[lib.pk], 3, 1),
            )
            for lib in libraries
            for year in YEARS
            if year >= joined[lib.pk]
        ],
        ctx.result,
    )
    bulk_insert(
        EnrollmentChange,
        [
            EnrollmentChange(
                enrollment=e,
                partner_status=e.partner_status,
                cohort=e.cohort,
                joined_on=e.joined_on,
                changed_by=ctx.officers.get(e.library.province_id),
            )
            for e in enrollments
        ],
        ctx.result,
    )
    if not libraries:
        return
    activities = []
    for _ in range(scaled("activities", ctx.scale)):
        lib = rng.choice(libraries)
        day = dt.date(rng.randint(joined[lib.pk], YEARS[-1]), 1, 1) + dt.timedelta(
            rng.randrange(360)
        )
        men, women = rng.randint(0, 40), rng.randint(1, 40)
        activities.append(
            Activity(
                library=lib,
                line_of_work=rng.choice(list(LineOfWork)),
                title=rng.choice(ACTIVITY_TITLES),
                date=day,
                end_date=day + dt.timedelta(days=rng.choice((0, 0, 1, 2))),
                location=f"Balai desa {lib.village_id}",
                beneficiaries_male=men,
                beneficiaries_female=women,
                beneficiaries_disabled=rng.randint(0, min(3, men + women)),
            )
        )
    bulk_insert(Activity, activities, ctx.result)
    stories = []
    for _ in range(scaled("impact_stories", ctx.scale)):
        lib = rng.choice(libraries)
        day = dt.date(rng.choice(YEARS), 1, 1) + dt.timedelta(rng.randrange(360))
        consent = rng.random() < 0.7
        people = ctx.people[lib.province_id]
        stories.append(
            ImpactStory(
                library=lib,
                person=rng.choice(people) if people and rng.random() < 0.6 else None,
                title="Dari perpustakaan desa ke usaha keluarga",
                story="Setelah mengikuti pelatihan di perpustakaan desa, usahanya bertambah.",
                line_of_work=rng.choice(list(LineOfWork)),
                date=day,
                consent_given=consent,
                consent_date=day if consent else None,
                consent_method=ImpactStory.ConsentMethod.WRITTEN if consent else "",
                status=ImpactStory.Status.PUBLISHED
                if consent and rng.random() < 0.7
                else ImpactStory.Status.DRAFT,
            )
        )
    bulk_insert(ImpactStory, stories, ctx.result)
