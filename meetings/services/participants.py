"""Writes for a meeting's participants: add, create, change, remove (importing a list: participant_import).

People belong to a province and are deduplicated there by phone or e-mail (database constraints). Every write
here checks that the person and the represented library belong to the meeting's province and that ``by`` (the
acting user) may change the meeting, so a caller that forgot its selector still cannot cross a
province.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from libraries.models import Library, Person
from meetings.models import Attendance, Meeting, Participation
from meetings.selectors import can_edit_meeting
from plm_portal.freshness import changed
from plm_portal.models import User


def check_can_edit(by: User, meeting: Meeting) -> None:
    """Raise PermissionDenied unless ``by`` may change ``meeting`` and everything in it."""
    if not can_edit_meeting(by, meeting):
        raise PermissionDenied


def _check_library(meeting: Meeting, library: Library | None, field: str = "library") -> None:
    if library is not None and library.province_id != meeting.province_id:
        raise ValidationError(
            {field: _("Perpustakaan harus berada di provinsi pertemuan.")}, code="province"
        )


def _create_participation(
    *, meeting: Meeting, person: Person, role: str, library: Library | None
) -> Participation:
    participation = Participation(meeting=meeting, person=person, role=role, library=library)
    participation.full_clean()
    try:
        # A savepoint: a concurrent add of the same person must not break the caller's transaction.
        with transaction.atomic():
            participation.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Orang ini sudah terdaftar di pertemuan ini."), code="duplicate"
        ) from error
    return participation


@transaction.atomic
def add_participant(
    *, meeting: Meeting, person: Person, role: str, library: Library | None, by: User
) -> Participation:
    """Add an existing person to ``meeting`` in ``role``, representing ``library``.

    Side effects: one Participation row. Raises PermissionDenied when ``by`` may not change the meeting,
    ValidationError when the person or library is of another province or the person is already in it.
    """
    changed("dashboard")  # the national home figures count this
    check_can_edit(by, meeting)
    if person.province_id != meeting.province_id:
        raise ValidationError(_("Orang ini bukan dari provinsi pertemuan."), code="province")
    _check_library(meeting, library)
    return _create_participation(meeting=meeting, person=person, role=role, library=library)


@transaction.atomic
def create_person_and_participation(
    *,
    meeting: Meeting,
    full_name: str,
    gender: str,
    phone: str,
    email: str,
    position: str,
    institution: str,
    home_library: Library | None,
    role: str,
    library: Library | None,
    by: User,
) -> Participation:
    """Create a person in the meeting's province and add them to the meeting.

    ``phone`` must already be normalised (+62…). The home library defaults to the represented library.
    Side effects: one Person and one Participation row. Raises PermissionDenied when ``by`` may not change
    the meeting; ValidationError (per field) when the phone or e-mail is already someone's in the province,
    or a library is of another province. Callers look for likely duplicates first (meetings.selectors.duplicate_matches);
    this is the last line that keeps a duplicate out.
    """
    changed("dashboard")  # the national home figures count this
    check_can_edit(by, meeting)
    _check_library(meeting, library)
    _check_library(meeting, home_library, field="home_library")
    person = Person(
        full_name=" ".join(full_name.split()),
        gender=gender,
        phone=phone,
        email=email.strip(),
        position=position.strip(),
        institution=institution.strip(),
        province_id=meeting.province_id,
        home_library=home_library or library,
    )
    # Validates the phone/e-mail unique constraints with their Indonesian messages.
    person.full_clean()
    try:
        with transaction.atomic():
            person.save()
            changed("people")  # the national people list caches its total
    except IntegrityError as error:
        # Someone saved the same phone or e-mail between the check and the insert.
        raise ValidationError(
            _("Nomor HP atau email ini baru saja didaftarkan untuk orang lain. Periksa lagi."),
            code="duplicate",
        ) from error
    return _create_participation(meeting=meeting, person=person, role=role, library=library)


@transaction.atomic
def update_participation(
    *, participation: Participation, role: str, library: Library | None, by: User
) -> Participation:
    """Change a participation's role and represented library. Side effects: one UPDATE."""
    changed("dashboard")  # the national home figures count this
    check_can_edit(by, participation.meeting)
    _check_library(participation.meeting, library)
    participation.role = role
    participation.library = library
    participation.full_clean(exclude=["meeting", "person"])
    participation.save(update_fields=["role", "library"])
    return participation


@transaction.atomic
def remove_participation(*, participation: Participation, by: User) -> int:
    """Take a person off a meeting. The person stays in the province's registry.

    Side effects: deletes the Participation and, with it, its Attendance rows. Returns how many attendance
    rows went with it.
    """
    changed("dashboard")  # the national home figures count this
    check_can_edit(by, participation.meeting)
    attendance_count = Attendance.objects.filter(participation=participation).count()
    participation.delete()
    return attendance_count
