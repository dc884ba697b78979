"""Enrolment writes: the first history row, a repeated post answered with the saved row, changes kept with who
and when, removal by national staff only, and the scope re-checked by every service."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from programs.models import Enrollment, EnrollmentChange
from programs.services.enrollment import change_enrollment, enroll_library, remove_enrollment
from tests.programs.factories_enrollment import JOINED, enroll, enrollment_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(scenario):
    return enrollment_world(scenario)


def new_enrollment(world, library=None, **fields) -> Enrollment:
    values = {
        "programme_year": world.y2022,
        "library": library or world.village,
        "partner_status": Enrollment.PartnerStatus.PARTNER,
        "cohort": "Angkatan 2022",
        "joined_on": JOINED,
        "notes": "",
    }
    values.update(fields)
    return Enrollment(**values)


def history(enrollment: Enrollment) -> list[tuple]:
    return list(
        enrollment.changes.order_by("changed_at", "pk").values_list(
            "partner_status", "cohort", "joined_on", "note", "changed_by__email"
        )
    )


# --- enrol ----------------------------------------------------------------------------------------------


def test_enroll_library_officer_saves_row_and_first_change(world):
    officer = world.users["officer"]

    enrollment, created = enroll_library(enrollment=new_enrollment(world), by=officer)

    assert created is True
    assert Enrollment.objects.filter(library=world.village).count() == 1
    assert history(enrollment) == [("mitra", "Angkatan 2022", JOINED, "", "jambi@example.test")]


def test_enroll_library_same_values_again_answers_existing_row(world):
    officer = world.users["officer"]
    first, _ = enroll_library(enrollment=new_enrollment(world), by=officer)

    again, created = enroll_library(enrollment=new_enrollment(world), by=officer)

    assert (again.pk, created) == (first.pk, False)
    assert Enrollment.objects.count() == 1
    assert EnrollmentChange.objects.count() == 1


def test_enroll_library_different_values_refused_on_library_field(world):
    officer = world.users["officer"]
    enroll_library(enrollment=new_enrollment(world), by=officer)

    with pytest.raises(ValidationError) as error:
        enroll_library(
            enrollment=new_enrollment(world, partner_status=Enrollment.PartnerStatus.INDEPENDENT),
            by=officer,
        )

    assert error.value.message_dict == {
        "library": ["Perpustakaan ini sudah terdaftar pada tahun program ini."]
    }
    assert list(Enrollment.objects.values_list("partner_status", flat=True)) == ["mitra"]


@pytest.mark.parametrize("role", ["other_officer", "facilitator", "other_facilitator"])
def test_enroll_library_outside_scope_refused_nothing_saved(world, role):
    with pytest.raises(PermissionDenied):
        enroll_library(enrollment=new_enrollment(world), by=world.users[role])

    assert Enrollment.objects.count() == 0
    assert EnrollmentChange.objects.count() == 0


def test_enroll_library_national_any_province(world):
    enrollment, created = enroll_library(
        enrollment=new_enrollment(world, library=world.riau_library), by=world.users["national"]
    )

    assert created is True
    assert enrollment.library.province_id == "14"


def test_enroll_library_cohort_too_long_refused(world):
    with pytest.raises(ValidationError) as error:
        enroll_library(enrollment=new_enrollment(world, cohort="x" * 51), by=world.users["officer"])

    assert "cohort" in error.value.message_dict
    assert Enrollment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs it)"
)
def test_enroll_library_two_requests_at_once_make_one_row(scenario):
    world = enrollment_world(scenario)
    officer = world.users["officer"]
    barrier = threading.Barrier(2)
    results: list = []

    def tap() -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(enroll_library(enrollment=new_enrollment(world), by=officer))
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
    assert sorted(created for _, created in results) == [False, True]
    assert {enrollment.pk for enrollment, _ in results} == set(
        Enrollment.objects.values_list("pk", flat=True)
    )
    assert EnrollmentChange.objects.count() == 1


# --- change ---------------------------------------------------------------------------------------------


def test_change_enrollment_status_kept_with_who_and_note(world):
    enrollment = enroll(world.village, world.y2022, by=world.users["officer"], joined_on=JOINED)
    enrollment.partner_status = Enrollment.PartnerStatus.WITHDRAWN

    change_enrollment(
        enrollment=enrollment, note="Pengelola pindah tugas", by=world.users["national"]
    )

    assert history(enrollment) == [
        ("mitra", "", JOINED, "", "jambi@example.test"),
        ("keluar", "", JOINED, "Pengelola pindah tugas", "nasional@example.test"),
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("cohort", "Angkatan 2"), ("joined_on", dt.date(2022, 4, 1))],
)
def test_change_enrollment_cohort_or_date_kept(world, field, value):
    enrollment = enroll(world.village, world.y2022)
    setattr(enrollment, field, value)

    change_enrollment(enrollment=enrollment, by=world.users["officer"])

    assert enrollment.changes.count() == 2
    assert getattr(enrollment.changes.order_by("-pk").first(), field) == value


def test_change_enrollment_notes_only_adds_no_history(world):
    enrollment = enroll(world.village, world.y2022)
    enrollment.notes = "Ruang baca baru"

    change_enrollment(enrollment=enrollment, by=world.users["officer"])

    assert Enrollment.objects.get().notes == "Ruang baca baru"
    assert enrollment.changes.count() == 1


def test_change_enrollment_note_alone_kept_once(world):
    enrollment = enroll(world.village, world.y2022)

    change_enrollment(enrollment=enrollment, note="Dikunjungi petugas", by=world.users["officer"])
    change_enrollment(enrollment=enrollment, note="Dikunjungi petugas", by=world.users["officer"])

    assert [row[3] for row in history(enrollment)] == ["", "Dikunjungi petugas"]


def test_change_enrollment_repeated_post_adds_one_row(world):
    enrollment = enroll(world.village, world.y2022)
    for _ in range(2):
        again = Enrollment.objects.get(pk=enrollment.pk)
        again.partner_status = Enrollment.PartnerStatus.REPLICATION
        change_enrollment(enrollment=again, note="Didanai APBD", by=world.users["officer"])

    assert [row[0] for row in history(enrollment)] == ["mitra", "replikasi"]


@pytest.mark.parametrize("role", ["other_officer", "facilitator"])
def test_change_enrollment_outside_scope_refused_nothing_changed(world, role):
    enrollment = enroll(world.village, world.y2022)
    enrollment.partner_status = Enrollment.PartnerStatus.WITHDRAWN

    with pytest.raises(PermissionDenied):
        change_enrollment(enrollment=enrollment, by=world.users[role])

    assert Enrollment.objects.get().partner_status == "mitra"
    assert enrollment.changes.count() == 1


def test_change_enrollment_moved_to_other_province_refused(world):
    enrollment = enroll(world.village, world.y2022)
    enrollment.library = world.riau_library

    with pytest.raises(PermissionDenied):
        change_enrollment(enrollment=enrollment, by=world.users["officer"])

    assert Enrollment.objects.get().library_id == world.village.pk


# --- remove ---------------------------------------------------------------------------------------------


def test_remove_enrollment_national_deletes_row_and_history(world):
    enrollment = enroll(world.village, world.y2022)

    remove_enrollment(enrollment=enrollment, by=world.users["national"])

    assert Enrollment.objects.count() == 0
    assert EnrollmentChange.objects.count() == 0


@pytest.mark.parametrize("role", ["officer", "other_officer", "facilitator"])
def test_remove_enrollment_not_national_refused(world, role):
    enrollment = enroll(world.village, world.y2022)

    with pytest.raises(PermissionDenied):
        remove_enrollment(enrollment=enrollment, by=world.users[role])

    assert Enrollment.objects.count() == 1
