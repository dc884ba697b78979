"""The Django admin for Perpusnas national staff: access, constant query counts, and the custom user forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse

from libraries.models import Library, Province
from meetings.admin import ParticipationInline
from meetings.models import Meeting, Participation
from plm_portal.models import User
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    AwardFactory,
    DistrictFactory,
    EnrollmentFactory,
    FacilitatorUserFactory,
    ImpactStoryFactory,
    LibraryFactory,
    MeetingFactory,
    NationalUserFactory,
    ParticipationFactory,
    PersonFactory,
    ProgrammeYearFactory,
    ProvinceFactory,
    RegencyFactory,
    ReportFactory,
    RtlActionFactory,
    SessionFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = ("plm_portal", "libraries", "programs", "meetings", "reports")


# ---------------------------------------------------------------------------------------------------------
# Rows: each builder makes `count` rows with their own related objects, so a per-row query would show.
# ---------------------------------------------------------------------------------------------------------


def _province(i: int) -> Province:
    return ProvinceFactory(code=f"{11 + i}", name=f"Provinsi {i}")


def _library(i: int) -> Library:
    province = _province(i)
    return LibraryFactory(regency=RegencyFactory(province=province, code=f"{province.code}.71"))


def make_users(count: int) -> list[Model]:
    return [UserFactory(province=_province(i)) for i in range(count)]


def make_provinces(count: int) -> list[Model]:
    return [_province(i) for i in range(count)]


def make_regencies(count: int) -> list[Model]:
    return [
        RegencyFactory(province=province, code=f"{province.code}.71")
        for province in make_provinces(count)
    ]


def make_districts(count: int) -> list[Model]:
    return [
        DistrictFactory(regency=regency, code=f"{regency.code}.01")
        for regency in make_regencies(count)
    ]


def make_villages(count: int) -> list[Model]:
    return [
        VillageFactory(district=district, code=f"{district.code}.1001")
        for district in make_districts(count)
    ]


def make_libraries(count: int) -> list[Model]:
    return [
        LibraryFactory(kind="desa", regency=village.district.regency, village=village)
        for village in make_villages(count)
    ]


def make_people(count: int) -> list[Model]:
    return [
        PersonFactory(province=library.province, home_library=library)
        for library in (_library(i) for i in range(count))
    ]


def make_programme_years(count: int) -> list[Model]:
    years = [ProgrammeYearFactory(year=2022 + i) for i in range(count)]
    for year in years:
        EnrollmentFactory(programme_year=year)
    return years


def make_enrollments(count: int) -> list[Model]:
    return [
        EnrollmentFactory(programme_year=ProgrammeYearFactory(year=2022 + i), library=_library(i))
        for i in range(count)
    ]


def make_activities(count: int) -> list[Model]:
    return [ActivityFactory(library=_library(i)) for i in range(count)]


def make_impact_stories(count: int) -> list[Model]:
    return [
        ImpactStoryFactory(
            library=library, person=PersonFactory(province=library.province, home_library=library)
        )
        for library in (_library(i) for i in range(count))
    ]


def make_meetings(count: int) -> list[Model]:
    meetings = [MeetingFactory(province=_province(i)) for i in range(count)]
    for meeting in meetings:
        AttendanceFactory(participation=ParticipationFactory(meeting=meeting))
    return meetings


def make_sessions(count: int) -> list[Model]:
    return [
        SessionFactory(meeting=meeting, led_by=PersonFactory(province=meeting.province))
        for meeting in (MeetingFactory(province=_province(i)) for i in range(count))
    ]


def make_participations(count: int) -> list[Model]:
    participations = [
        ParticipationFactory(
            meeting=MeetingFactory(province=library.province),
            library=library,
            person=PersonFactory(province=library.province),
        )
        for library in (_library(i) for i in range(count))
    ]
    for participation in participations:
        AttendanceFactory(participation=participation)
    return participations


def make_attendances(count: int) -> list[Model]:
    return [
        AttendanceFactory(
            participation=ParticipationFactory(meeting=MeetingFactory(province=_province(i))),
            recorded_by=NationalUserFactory(),
        )
        for i in range(count)
    ]


def make_rtl_actions(count: int) -> list[Model]:
    return [
        RtlActionFactory(meeting=MeetingFactory(province=library.province), library=library)
        for library in (_library(i) for i in range(count))
    ]


def make_awards(count: int) -> list[Model]:
    return [
        AwardFactory(
            province=library.province,
            library=library,
            meeting=MeetingFactory(province=library.province),
        )
        for library in (_library(i) for i in range(count))
    ]


def make_reports(count: int) -> list[Model]:
    return [
        ReportFactory(
            meeting=MeetingFactory(province=_province(i)), requested_by=NationalUserFactory()
        )
        for i in range(count)
    ]


# (admin URL prefix, builder, queries for the changelist whatever the number of rows)
CHANGELISTS: list[tuple[str, Callable[[int], list[Model]], int]] = [
    ("plm_portal_user", make_users, 9),
    ("libraries_province", make_provinces, 5),
    ("libraries_regency", make_regencies, 6),
    ("libraries_district", make_districts, 6),
    ("libraries_village", make_villages, 5),
    ("libraries_library", make_libraries, 6),
    ("libraries_person", make_people, 6),
    ("programs_programmeyear", make_programme_years, 5),
    ("programs_enrollment", make_enrollments, 9),
    ("programs_activity", make_activities, 8),
    ("programs_impactstory", make_impact_stories, 8),
    ("meetings_meeting", make_meetings, 10),
    ("meetings_session", make_sessions, 9),
    ("meetings_participation", make_participations, 9),
    ("meetings_attendance", make_attendances, 8),
    ("meetings_rtlaction", make_rtl_actions, 9),
    ("meetings_award", make_awards, 7),
    ("reports_report", make_reports, 8),
]
ADMIN_PAGES = [prefix for prefix, _make, _queries in CHANGELISTS]
ADDABLE = [prefix for prefix in ADMIN_PAGES if prefix != "reports_report"]


@pytest.fixture(autouse=True)
def _cold_content_type_cache() -> None:
    # The change page looks its content type up once per process; start cold so counts do not depend on
    # which test ran first.
    ContentType.objects.clear_cache()


@pytest.fixture
def superuser() -> User:
    return NationalUserFactory(is_superuser=True)


@pytest.fixture
def staff_client(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


@pytest.fixture(params=["superuser", "group_permissions"])
def national_staff(request: pytest.FixtureRequest) -> User:
    """National staff as a superuser, and as plain staff holding every permission of the portal's apps."""
    if request.param == "superuser":
        return NationalUserFactory(is_superuser=True)
    group = Group.objects.create(name="Staf nasional")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=OUR_APPS))
    user = NationalUserFactory()
    user.groups.add(group)
    return user


# ---------------------------------------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ADMIN_PAGES)
def test_changelist_national_staff_gets_page(client, national_staff, prefix):
    client.force_login(national_staff)

    response = client.get(reverse(f"admin:{prefix}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("prefix", ADDABLE)
def test_add_page_national_staff_gets_page(client, national_staff, prefix):
    client.force_login(national_staff)

    response = client.get(reverse(f"admin:{prefix}_add"))

    assert response.status_code == 200


def test_report_add_page_national_staff_forbidden(client, national_staff):
    # Reports are requested through the portal and rendered by the pipeline, never typed in.
    client.force_login(national_staff)

    response = client.get(reverse("admin:reports_report_add"))

    assert response.status_code == 403


def test_report_change_page_national_staff_read_only(staff_client):
    report = ReportFactory()

    response = staff_client.get(reverse("admin:reports_report_change", args=[report.pk]))

    assert response.status_code == 200
    assert response.context["adminform"].form.fields == {}


def test_region_delete_national_staff_forbidden(staff_client):
    province = ProvinceFactory()

    response = staff_client.post(
        reverse("admin:libraries_province_delete", args=[province.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Province.objects.filter(pk=province.pk).exists()


@pytest.mark.parametrize("prefix", ADMIN_PAGES)
def test_changelist_provincial_officer_redirected_to_login(client, prefix):
    client.force_login(UserFactory())
    url = reverse(f"admin:{prefix}_changelist")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


def test_add_meeting_provincial_officer_redirected_nothing_created(client, jambi):
    client.force_login(UserFactory(province=jambi))
    url = reverse("admin:meetings_meeting_add")

    response = client.post(url, {"kind": "plm", "title": "PLM Jambi", "province": jambi.pk})

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"
    assert Meeting.objects.count() == 0


def test_changelist_anonymous_redirected_to_login(client):
    url = reverse("admin:meetings_meeting_changelist")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


# ---------------------------------------------------------------------------------------------------------
# Constant query counts
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("prefix", "make", "queries"), CHANGELISTS, ids=[prefix for prefix, *_ in CHANGELISTS]
)
def test_changelist_queries_constant(
    staff_client, django_assert_num_queries, prefix, make, queries, rows
):
    created = make(rows)

    with django_assert_num_queries(queries):
        response = staff_client.get(reverse(f"admin:{prefix}_changelist"))

    assert response.status_code == 200
    assert {obj.pk for obj in created} <= {obj.pk for obj in response.context["cl"].result_list}


def _meeting_with(count: int) -> Meeting:
    jambi = ProvinceFactory()
    meeting = MeetingFactory(province=jambi, venue_regency=RegencyFactory(province=jambi))
    meeting.assigned_facilitators.set([FacilitatorUserFactory() for _ in range(count)])
    for i in range(count):
        library = LibraryFactory(regency=meeting.venue_regency)
        person = PersonFactory(province=jambi, home_library=library)
        SessionFactory(meeting=meeting, led_by=person)
        participation = ParticipationFactory(meeting=meeting, person=person, library=library)
        AttendanceFactory(participation=participation)
        RtlActionFactory(meeting=meeting, library=library)
        AwardFactory(province=jambi, library=library, rank=i + 1, meeting=meeting)
    return meeting


@pytest.mark.parametrize("rows", [1, 3])
def test_meeting_change_page_queries_constant(staff_client, django_assert_num_queries, rows):
    meeting = _meeting_with(rows)

    with django_assert_num_queries(12):
        response = staff_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    assert response.status_code == 200
    assert len(response.context["inline_admin_formsets"]) == 4


@pytest.mark.parametrize("rows", [1, 3])
def test_participation_change_page_queries_constant(staff_client, django_assert_num_queries, rows):
    participation = ParticipationFactory(library=LibraryFactory())
    start = participation.meeting.start_date
    participation.meeting.end_date = start + dt.timedelta(days=2)
    participation.meeting.save(update_fields=["end_date"])
    for day in range(rows):
        AttendanceFactory(
            participation=participation,
            day=start + dt.timedelta(days=day),
            recorded_by=NationalUserFactory(),
        )

    with django_assert_num_queries(8):
        response = staff_client.get(
            reverse("admin:meetings_participation_change", args=[participation.pk])
        )

    assert response.status_code == 200


# ---------------------------------------------------------------------------------------------------------
# What the pages show
# ---------------------------------------------------------------------------------------------------------


def test_meeting_changelist_counts_participants_and_attendance(staff_client):
    meeting = MeetingFactory()
    present = ParticipationFactory(meeting=meeting, role=Participation.Role.VILLAGE_LIBRARY)
    AttendanceFactory(participation=present)
    AttendanceFactory(participation=present, day=meeting.start_date + dt.timedelta(days=1))
    AttendanceFactory(participation=ParticipationFactory(meeting=meeting))
    ParticipationFactory(meeting=meeting, role=Participation.Role.IMPACT)  # registered, absent
    trainer = ParticipationFactory(meeting=meeting, role=Participation.Role.MASTER_TRAINER)
    AttendanceFactory(participation=trainer)  # facilitators are not counted as participants

    response = staff_client.get(reverse("admin:meetings_meeting_changelist"))

    [row] = response.context["cl"].result_list
    assert (row.participant_count, row.attended_count) == (3, 2)


def test_meeting_change_page_inline_shows_selected_people(staff_client):
    meeting = _meeting_with(2)
    people = [p.person for p in meeting.participations.all()]

    response = staff_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    content = response.content.decode()
    for person in people:
        assert f'<option value="{person.pk}" selected>{person.full_name}</option>' in content


def test_participation_inline_bound_to_other_person_labels_new_choice(superuser):
    meeting = _meeting_with(1)
    other = PersonFactory(province=meeting.province, full_name="Siti Aminah")
    request = RequestFactory().get("/")
    request.user = superuser
    inline = ParticipationInline(Meeting, admin.site)
    formset_class = inline.get_formset(request, meeting)
    participation = meeting.participations.get()
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-id": str(participation.pk),
        f"{prefix}-0-meeting": str(meeting.pk),
        f"{prefix}-0-person": str(other.pk),
        f"{prefix}-0-role": participation.role,
    }
    formset = formset_class(data, instance=meeting, queryset=inline.get_queryset(request))

    html = str(formset.forms[0]["person"])

    assert f'<option value="{other.pk}" selected>Siti Aminah</option>' in html


def test_add_user_national_staff_creates_user(staff_client, jambi):
    response = staff_client.post(
        reverse("admin:plm_portal_user_add"),
        {
            "email": "Petugas.Jambi@Example.test",
            "full_name": "Petugas Jambi",
            "role": User.Role.PROVINCIAL,
            "province": jambi.pk,
            "usable_password": "true",
            "password1": "rahasia-panjang-2022",
            "password2": "rahasia-panjang-2022",
        },
    )

    user = User.objects.get(full_name="Petugas Jambi")
    assert response.status_code == 302
    assert (user.email, user.role, user.province_id, user.is_staff) == (
        "petugas.jambi@example.test",
        User.Role.PROVINCIAL,
        "15",
        False,
    )
    assert user.check_password("rahasia-panjang-2022")


def test_add_user_provincial_officer_without_province_rejected(staff_client):
    response = staff_client.post(
        reverse("admin:plm_portal_user_add"),
        {
            "email": "tanpa.provinsi@example.test",
            "full_name": "Tanpa Provinsi",
            "role": User.Role.PROVINCIAL,
            "usable_password": "false",
        },
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="tanpa.provinsi@example.test").exists()
    assert "Petugas provinsi wajib memiliki provinsi." in response.content.decode()


def test_add_meeting_national_staff_records_creator(staff_client, superuser, jambi):
    response = staff_client.post(
        reverse("admin:meetings_meeting_add"),
        {
            "kind": Meeting.Kind.PLM,
            "title": "PLM Provinsi Jambi",
            "status": Meeting.Status.PLANNED,
            "province": jambi.pk,
            "year": "2022",
            "wave": "3",
            "start_date": "2022-08-02",
            "end_date": "2022-08-02",
            "mode": Meeting.Mode.TATAP_MUKA,
            **{
                f"{prefix}-{key}": value
                for prefix in ("sessions", "participations", "rtl_actions", "awards")
                for key, value in (
                    ("TOTAL_FORMS", "0"),
                    ("INITIAL_FORMS", "0"),
                    ("MIN_NUM_FORMS", "0"),
                    ("MAX_NUM_FORMS", "1000"),
                )
            },
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.title, meeting.created_by) == ("PLM Provinsi Jambi", superuser)


def test_village_autocomplete_national_staff_finds_by_code_prefix(staff_client):
    telanaipura, _elsewhere = make_villages(2)

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "libraries",
            "model_name": "library",
            "field_name": "village",
            "term": telanaipura.code[:5],
        },
    )

    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [telanaipura.pk]


def test_facilitator_autocomplete_national_staff_lists_facilitators_only(staff_client):
    facilitator = FacilitatorUserFactory(full_name="Rina Fasilitator")
    NationalUserFactory(full_name="Rina Nasional")

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "meetings",
            "model_name": "meeting",
            "field_name": "assigned_facilitators",
            "term": "Rina",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(facilitator.pk), "text": "Rina Fasilitator"}]
