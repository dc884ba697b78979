"""The national sample (reports.national_sample, ``load_national_sample``) on a small set of real regions."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from lokal import wilayah

from libraries.models import District, Library, Person, Province, Regency, Village
from libraries.regions import PROVINCE_TIME_ZONES, regency_kind, village_kind
from meetings.models import Attendance, Award, Meeting, Participation, RtlAction
from plm_portal.models import User
from programs.models import Activity, Enrollment, ImpactStory, ProgrammeYear
from reports import national_sample
from reports.national_sample import TITLE_PREFIX, load_national_sample, scaled
from tests.factories import MeetingFactory

SCALE = 0.01
PROVINCES = ("15", "51", "94")  # Jambi (WIB), Bali (WITA), Papua (WIT)
REGENCIES_PER_PROVINCE = 3
VILLAGES_PER_REGENCY = 12


@pytest.fixture
def regions(db) -> None:
    """Real codes and names, a few regencies per province and a few villages per regency."""
    base, villages = wilayah._base(), wilayah._desa()
    Province.objects.bulk_create(
        Province(code=code, name=base[code], time_zone=PROVINCE_TIME_ZONES[code])
        for code in PROVINCES
    )
    regency_codes = [
        code
        for province in PROVINCES
        for code in sorted(c for c in base if c.count(".") == 1 and c.startswith(f"{province}."))[
            :REGENCIES_PER_PROVINCE
        ]
    ]
    Regency.objects.bulk_create(
        Regency(code=c, province_id=c[:2], name=base[c], kind=regency_kind(base[c]))
        for c in regency_codes
    )
    village_codes = [
        code
        for regency in regency_codes
        for code in sorted(c for c in villages if c.startswith(f"{regency}."))[
            :VILLAGES_PER_REGENCY
        ]
    ]
    District.objects.bulk_create(
        District(code=c, regency_id=c[:5], name=base[c])
        for c in sorted({v[:8] for v in village_codes})
    )
    Village.objects.bulk_create(
        Village(code=c, district_id=c[:8], name=villages[c], kind=village_kind(c))
        for c in village_codes
    )


@pytest.fixture
def loaded(regions) -> national_sample.SampleResult:
    return load_national_sample(scale=SCALE)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_load_national_sample_every_province_has_meetings_and_libraries(loaded):
    for province in Province.objects.all():
        assert province.meetings.filter(title__startswith=TITLE_PREFIX).exists()
        assert province.libraries.filter(kind=Library.Kind.PROVINCIAL_OFFICE).count() == 1
        assert province.libraries.filter(kind=Library.Kind.VILLAGE).exists()
        assert User.objects.filter(role=User.Role.PROVINCIAL, province=province).count() == 1


def test_load_national_sample_counts_match_scaled_targets(loaded):
    provinces, regencies = len(PROVINCES), len(PROVINCES) * REGENCIES_PER_PROVINCE
    assert loaded.created["libraries.Library"] == (
        provinces + regencies + scaled("village_libraries", SCALE)
    )
    assert Person.objects.count() == scaled("people", SCALE)
    assert Meeting.objects.count() == scaled("meetings", SCALE)
    assert Participation.objects.count() == scaled("participations", SCALE)
    assert Attendance.objects.count() == scaled("attendance", SCALE)
    assert RtlAction.objects.count() == scaled("rtl", SCALE)
    assert Activity.objects.count() == scaled("activities", SCALE)
    assert ImpactStory.objects.count() == scaled("impact_stories", SCALE)
    assert Enrollment.objects.count() > 0
    assert Award.objects.count() == provinces * 4 * 2 * scaled("award_ranks", SCALE, minimum=1)
    assert User.objects.count() == (
        scaled("national_users", SCALE, minimum=1)
        + provinces
        + scaled("facilitator_users", SCALE, minimum=1)
    )


def test_load_national_sample_is_deterministic(regions):
    first = load_national_sample(scale=SCALE)
    rows = list(Participation.objects.order_by("pk").values_list("person__full_name", "role"))
    Meeting.objects.filter(title__startswith=TITLE_PREFIX).delete()
    for model in (Award, Enrollment, ProgrammeYear, Activity, ImpactStory, Person, Library, User):
        model.objects.all().delete()
    second = load_national_sample(scale=SCALE)
    assert second.created == first.created
    assert (
        list(Participation.objects.order_by("pk").values_list("person__full_name", "role")) == rows
    )


def test_load_national_sample_second_run_creates_nothing(loaded):
    before = _row_counts()
    out = StringIO()
    call_command("load_national_sample", scale=SCALE, stdout=out)
    assert _row_counts() == before
    assert "nothing was created" in out.getvalue()


def test_load_national_sample_leaves_other_rows_untouched(regions):
    meeting = MeetingFactory(province_id="15", title="PLM Jambi 2022")
    before = Meeting.objects.filter(pk=meeting.pk).values().get()
    load_national_sample(scale=SCALE)
    assert Meeting.objects.filter(pk=meeting.pk).values().get() == before
    assert meeting.participations.count() == 0
    assert Meeting.objects.exclude(title__startswith=TITLE_PREFIX).count() == 1


def test_load_national_sample_every_role_and_status_appears(loaded):
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role)
    assert set(Participation.objects.values_list("role", flat=True)) == set(Participation.Role)
    assert set(Meeting.objects.values_list("status", flat=True)) == set(Meeting.Status)
    assert set(Meeting.objects.values_list("mode", flat=True)) == set(Meeting.Mode)
    assert set(Meeting.objects.values_list("kind", flat=True)) == {
        Meeting.Kind.PLM,
        Meeting.Kind.BIMTEK,
    }
    assert Meeting.assigned_facilitators.through.objects.exists()


def test_load_national_sample_rows_pass_full_clean(loaded):
    for model in (Library, Person, User, Meeting, Participation, Attendance, RtlAction, Award):
        for obj in model._default_manager.order_by("pk")[:25]:
            obj.full_clean()
    for attendance in Attendance.objects.select_related("participation__meeting")[:200]:
        meeting = attendance.participation.meeting
        assert meeting.start_date <= attendance.day <= meeting.end_date
