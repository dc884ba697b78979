"""Writes for enrolment: enrol a library in a programme year, change its enrolment, remove it.

Every change of status, cohort or joined-on date is kept as an EnrollmentChange row (who, when, an optional
note); the first row is the enrolment itself. The portal's views and the Django admin call these functions.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from plm_portal.access import can_write_province
from plm_portal.freshness import changed
from plm_portal.models import User
from programs.models import Enrollment, EnrollmentChange
from programs.selectors.enrollment import enrollment_of

# What a change row keeps: a change of any of these is history.
TRACKED_FIELDS = ("partner_status", "cohort", "joined_on")
# What must be equal for a second enrolment of the same library and year to be the same submission again.
SAME_SUBMISSION_FIELDS = (*TRACKED_FIELDS, "notes")
NOTE_MAX_LENGTH = 1000


def _check_can_write(by: User, enrollment: Enrollment) -> None:
    if not can_write_province(by, enrollment.library.province_id):
        raise PermissionDenied


def _values(enrollment: Enrollment, fields: tuple[str, ...]) -> tuple:
    return tuple(getattr(enrollment, field) for field in fields)


def _record_change(enrollment: Enrollment, *, note: str, by: User) -> EnrollmentChange:
    change = EnrollmentChange(
        enrollment=enrollment,
        partner_status=enrollment.partner_status,
        cohort=enrollment.cohort,
        joined_on=enrollment.joined_on,
        note=note.strip()[:NOTE_MAX_LENGTH],
        changed_by=by,
    )
    change.save()
    return change


def _latest_note(enrollment: Enrollment) -> str | None:
    return enrollment.changes.order_by("-changed_at", "-pk").values_list("note", flat=True).first()


def _existing_or_refuse(existing: Enrollment, enrollment: Enrollment) -> Enrollment:
    """``existing`` when ``enrollment`` says the same again (a repeated post), else a field error."""
    if _values(existing, SAME_SUBMISSION_FIELDS) == _values(enrollment, SAME_SUBMISSION_FIELDS):
        return existing
    raise ValidationError(
        {"library": _("Perpustakaan ini sudah terdaftar pada tahun program ini.")},
        code="duplicate",
    )


@transaction.atomic
def enroll_library(*, enrollment: Enrollment, note: str = "", by: User) -> tuple[Enrollment, bool]:
    """Save the new ``enrollment`` (year, library and the rest filled in) and its first history row.

    Returns (the enrolment, whether it was created). When the library is already enrolled in that year, the
    same values again (a double tap, a retry on a weak connection, two officers at once) are answered with
    the existing row and False; different values raise ValidationError on ``library``.
    Side effects: one Enrollment and one EnrollmentChange row. Raises PermissionDenied when ``by`` may not
    write the library's province, ValidationError when the row is invalid; nothing is saved then.
    """
    if enrollment.pk is not None:
        raise ValueError("enroll_library creates; change_enrollment changes")
    _check_can_write(by, enrollment)
    existing = enrollment_of(enrollment.programme_year, enrollment.library_id)
    if existing is not None:
        return _existing_or_refuse(existing, enrollment), False
    try:
        enrollment.full_clean()
    except ValidationError:
        # The unique constraint may have been met by a request that committed just now.
        existing = enrollment_of(enrollment.programme_year, enrollment.library_id)
        if existing is None:
            raise
        return _existing_or_refuse(existing, enrollment), False
    try:
        # A savepoint: the same enrolment inserted by a concurrent request must not break this transaction.
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        existing = enrollment_of(enrollment.programme_year, enrollment.library_id)
        if existing is None:  # not the unique constraint: let it be the error it is
            raise
        enrollment.pk = None
        return _existing_or_refuse(existing, enrollment), False
    _record_change(enrollment, note=note, by=by)
    changed("dashboard")  # the dashboards count this
    return enrollment, True


@transaction.atomic
def change_enrollment(*, enrollment: Enrollment, note: str = "", by: User) -> Enrollment:
    """Save the changed ``enrollment``; keep a history row when its status, cohort or joined-on date changed,
    or when a note is given that is not the newest row's note already (a repeated post adds nothing).

    Side effects: updates the Enrollment row (locked while it is compared) and adds at most one
    EnrollmentChange. Raises PermissionDenied when ``by`` may not write the library's province (before or
    after the change), ValidationError when the row is invalid; nothing is saved then.
    """
    saved = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("library")
        .filter(pk=enrollment.pk)
        .first()
    )
    if saved is None:
        raise ValidationError(_("Kepesertaan ini sudah dihapus."), code="gone")
    _check_can_write(by, saved)
    _check_can_write(by, enrollment)
    enrollment.full_clean()
    enrollment.save()
    changed("dashboard")  # the dashboards count this
    note = note.strip()
    if _values(saved, TRACKED_FIELDS) != _values(enrollment, TRACKED_FIELDS):
        _record_change(enrollment, note=note, by=by)
    elif note and note != _latest_note(enrollment):
        # A note alone is history too; the same note again is the same post repeated (a double tap).
        _record_change(enrollment, note=note, by=by)
    return enrollment


@transaction.atomic
def remove_enrollment(*, enrollment: Enrollment, by: User) -> None:
    """Delete ``enrollment`` and its history: national staff only (officers mark it withdrawn instead).

    Raises PermissionDenied for anyone else.
    """
    if not (by.is_authenticated and by.is_active and by.is_national):
        raise PermissionDenied
    Enrollment.objects.filter(pk=enrollment.pk).delete()
    changed("dashboard")  # the dashboards count this
