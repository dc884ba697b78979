"""The Django admin keeps enrolment history too: saving there goes through the service (who, when, note);
the history is shown read-only, on the enrolment and as its own list."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from programs.models import Enrollment, EnrollmentChange
from tests.factories import NationalUserFactory
from tests.programs.factories_enrollment import EnrollmentChangeFactory, enroll, enrollment_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold_content_type_cache() -> None:
    ContentType.objects.clear_cache()


@pytest.fixture
def world(scenario):
    return enrollment_world(scenario)


@pytest.fixture
def superuser():
    return NationalUserFactory(is_superuser=True, email="admin@example.test")


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


def admin_data(world, **changes) -> dict:
    data = {
        "programme_year": world.y2022.pk,
        "library": world.village.pk,
        "partner_status": "mitra",
        "cohort": "",
        "joined_on": "",
        "notes": "",
        "note": "",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_admin_add_enrollment_records_first_change(world, staff_client):
    response = staff_client.post(
        reverse("admin:programs_enrollment_add"), admin_data(world, note="Didaftarkan pusat")
    )

    enrollment = Enrollment.objects.get()
    assert response.status_code == 302
    assert list(enrollment.changes.values_list("partner_status", "note", "changed_by__email")) == [
        ("mitra", "Didaftarkan pusat", "admin@example.test")
    ]


def test_admin_change_enrollment_records_change(world, staff_client):
    enrollment = enroll(world.village, world.y2022)
    data = admin_data(world, partner_status="keluar", note="Surat pengunduran diri")
    data["changes-TOTAL_FORMS"] = data["changes-INITIAL_FORMS"] = "1"
    data["changes-0-id"] = str(enrollment.changes.get().pk)
    data["changes-0-enrollment"] = str(enrollment.pk)

    response = staff_client.post(
        reverse("admin:programs_enrollment_change", args=[enrollment.pk]), data
    )

    assert response.status_code == 302
    assert list(
        enrollment.changes.order_by("pk").values_list("partner_status", "note", "changed_by__email")
    ) == [("mitra", "", None), ("keluar", "Surat pengunduran diri", "admin@example.test")]


def test_admin_add_duplicate_enrollment_is_form_error(world, staff_client):
    enroll(world.village, world.y2022)

    response = staff_client.post(reverse("admin:programs_enrollment_add"), admin_data(world))

    assert response.status_code == 200
    assert Enrollment.objects.count() == 1


@pytest.mark.parametrize("rows", [1, 3])
def test_admin_enrollment_change_page_queries_constant(
    world, staff_client, django_assert_num_queries, rows
):
    enrollment = enroll(world.village, world.y2022)
    for _ in range(rows):
        EnrollmentChangeFactory(enrollment=enrollment, changed_by=NationalUserFactory())

    # session, user, enrolment, its changes (with library, year and who), content type, the year and
    # library of the autocompletes
    with django_assert_num_queries(7):
        response = staff_client.get(
            reverse("admin:programs_enrollment_change", args=[enrollment.pk])
        )

    assert response.status_code == 200
    assert "changed_by" not in response.context["inline_admin_formsets"][0].formset.forms[0].fields


@pytest.mark.parametrize("rows", [1, 3])
def test_admin_enrollment_change_list_queries_constant(
    world, staff_client, django_assert_num_queries, rows
):
    for n in range(rows):
        enrollment = enroll(
            world.village if n == 0 else world.office, world.y2022 if n < 2 else world.y2023
        )
        EnrollmentChangeFactory(enrollment=enrollment, changed_by=NationalUserFactory())

    with django_assert_num_queries(9):
        response = staff_client.get(reverse("admin:programs_enrollmentchange_changelist"))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2 * rows


def test_admin_enrollment_change_read_only(world, staff_client):
    change = enroll(world.village, world.y2022).changes.get()

    add = staff_client.get(reverse("admin:programs_enrollmentchange_add"))
    edit = staff_client.post(
        reverse("admin:programs_enrollmentchange_change", args=[change.pk]),
        {"partner_status": "keluar"},
    )

    assert add.status_code == 403
    assert edit.status_code == 403
    assert EnrollmentChange.objects.get().partner_status == "mitra"
