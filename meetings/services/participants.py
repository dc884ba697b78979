"""Writes for a meeting's participants: add, create, change, remove, import.

People belong to a province and are deduplicated there by phone or e-mail (database constraints). Every write
here checks that the person and the represented library belong to the meeting's province and that ``user``
may change the meeting, so a caller that forgot its selector still cannot cross a province.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from libraries.models import Library, Person, Province
from meetings.importing import RowStatus, SourceRow, check_rows
from meetings.models import Attendance, Meeting, Participation
from meetings.selectors import can_edit_meeting
from plm_portal.models import User


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing person of the province who looks like the one about to be created, and why."""

    person: Person
    same_phone: bool
    same_email: bool
    same_name: bool
    in_meeting: bool = False

    @property
    def blocks_create(self) -> bool:
        """Phone and e-mail are unique in a province: creating anyway would be refused by the database."""
        return self.same_phone or self.same_email


@dataclass(frozen=True)
class ImportResult:
    created_people: int
    added: int
    skipped: int


def _check_can_edit(user: User, meeting: Meeting) -> None:
    if not can_edit_meeting(user, meeting):
        raise PermissionDenied


def _check_library(meeting: Meeting, library: Library | None, field: str = "library") -> None:
    if library is not None and library.province_id != meeting.province_id:
        raise ValidationError(
            {field: _("Perpustakaan harus berada di provinsi pertemuan.")}, code="province"
        )


def find_likely_duplicates(
    *,
    province: Province,
    phone: str,
    email: str,
    name: str,
    meeting: Meeting | None = None,
) -> list[DuplicateMatch]:
    """People of ``province`` with the same (normalised) phone, the same e-mail (any case) or the same name.

    Read-only. With ``meeting``, each match also says whether that person already takes part in it.
    """
    name = " ".join(name.split())
    condition = Q()
    if phone:
        condition |= Q(phone=phone)
    if email:
        condition |= Q(email__iexact=email)
    if name:
        condition |= Q(full_name__iexact=name)
    if not condition:
        return []
    people = list(
        Person.objects.filter(condition, province=province)
        .select_related("home_library")
        .order_by("full_name", "pk")[:10]
    )
    in_meeting: set[int] = set()
    if meeting is not None and people:
        in_meeting = set(
            meeting.participations.filter(person__in=people).values_list("person_id", flat=True)
        )
    matches = [
        DuplicateMatch(
            person=person,
            same_phone=bool(phone) and person.phone == phone,
            same_email=bool(email) and person.email.lower() == email.lower(),
            same_name=bool(name) and person.full_name.lower() == name.lower(),
            in_meeting=person.pk in in_meeting,
        )
        for person in people
    ]
    # The strongest matches first: those that block creating a new person.
    return sorted(matches, key=lambda m: (not m.blocks_create, m.person.full_name))


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
    *, meeting: Meeting, person: Person, role: str, library: Library | None, user: User
) -> Participation:
    """Add an existing person to ``meeting`` in ``role``, representing ``library``.

    Side effects: one Participation row. Raises PermissionDenied when ``user`` may not change the meeting,
    ValidationError when the person or library is of another province or the person is already in it.
    """
    _check_can_edit(user, meeting)
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
    user: User,
) -> Participation:
    """Create a person in the meeting's province and add them to the meeting.

    ``phone`` must already be normalised (+62…). The home library defaults to the represented library.
    Side effects: one Person and one Participation row. Raises PermissionDenied when ``user`` may not change
    the meeting; ValidationError (per field) when the phone or e-mail is already someone's in the province,
    or a library is of another province. Callers look for likely duplicates first (find_likely_duplicates);
    this is the last line that keeps a duplicate out.
    """
    _check_can_edit(user, meeting)
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
    except IntegrityError as error:
        # Someone saved the same phone or e-mail between the check and the insert.
        raise ValidationError(
            _("Nomor HP atau email ini baru saja didaftarkan untuk orang lain. Periksa lagi."),
            code="duplicate",
        ) from error
    return _create_participation(meeting=meeting, person=person, role=role, library=library)


@transaction.atomic
def update_participation(
    *, participation: Participation, role: str, library: Library | None, user: User
) -> Participation:
    """Change a participation's role and represented library. Side effects: one UPDATE."""
    _check_can_edit(user, participation.meeting)
    _check_library(participation.meeting, library)
    participation.role = role
    participation.library = library
    participation.full_clean(exclude=["meeting", "person"])
    participation.save(update_fields=["role", "library"])
    return participation


@transaction.atomic
def remove_participation(*, participation: Participation, user: User) -> int:
    """Take a person off a meeting. The person stays in the province's registry.

    Side effects: deletes the Participation and, with it, its Attendance rows. Returns how many attendance
    rows went with it.
    """
    _check_can_edit(user, participation.meeting)
    attendance_count = Attendance.objects.filter(participation=participation).count()
    participation.delete()
    return attendance_count


@transaction.atomic
def import_participants(*, meeting: Meeting, rows: list[SourceRow], user: User) -> ImportResult:
    """Save a checked participant list, all or nothing.

    Checks every row again (the data may have changed since the preview). If any row has an error, raises
    ValidationError with every row's messages and writes nothing. Otherwise creates a Person for each new
    person (home library = the represented library) and a Participation for each row not yet in the meeting;
    rows already in the meeting are left as they are. A concurrent write that breaks a constraint raises
    IntegrityError and the whole import is rolled back.
    """
    _check_can_edit(user, meeting)
    checks = check_rows(meeting=meeting, rows=rows)
    errors = [error for check in checks for error in check.errors]
    if errors:
        raise ValidationError(errors, code="invalid_rows")

    new_people = [
        Person(
            full_name=check.full_name,
            gender=check.gender,
            phone=check.phone,
            email=check.email,
            position=check.position,
            institution=check.institution,
            province_id=meeting.province_id,
            home_library=check.library,
        )
        for check in checks
        if check.status == RowStatus.NEW
    ]
    created = iter(Person.objects.bulk_create(new_people))
    participations = []
    skipped = 0
    for check in checks:
        if check.status == RowStatus.IN_MEETING:
            skipped += 1
            continue
        person = next(created) if check.status == RowStatus.NEW else check.person
        participations.append(
            Participation(meeting=meeting, person=person, role=check.role, library=check.library)
        )
    Participation.objects.bulk_create(participations)
    return ImportResult(created_people=len(new_people), added=len(participations), skipped=skipped)
