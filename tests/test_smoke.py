import pytest

from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    AwardFactory,
    EnrollmentFactory,
    ImpactStoryFactory,
    ReportFactory,
    RtlActionFactory,
    SessionFactory,
)


@pytest.mark.django_db
def test_factories_build_valid_rows():
    for factory in (
        ActivityFactory,
        AttendanceFactory,
        AwardFactory,
        EnrollmentFactory,
        RtlActionFactory,
        ImpactStoryFactory,
        ReportFactory,
        SessionFactory,
    ):
        obj = factory()
        obj.full_clean()
