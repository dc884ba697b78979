"""Participant lists, step 2: the rows. Every ``SourceRow`` is checked against the meeting's province.

Free of writes; the reads go through selectors (people matched by phone or e-mail, libraries by name, people
already in the meeting). ``check_rows`` returns a ``RowCheck`` per row with its status and its errors in
Indonesian ("Baris 4: nomor HP tidak valid"). ``meetings.services.participant_import.import_participants``
calls it again inside its transaction and writes only when no row has an error.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from libraries.importing.rows import GENDER_ALIASES
from libraries.models import Library, Person
from libraries.phone import normalize_phone
from libraries.selectors import libraries_by_name, people_by_phone_and_email, taken_names
from meetings.importing.files import (
    EMAIL,
    GENDER,
    INSTITUTION,
    LIBRARY,
    NAME,
    PHONE,
    POSITION,
    ROLE,
    SourceRow,
    column_label,
    key,
)
from meetings.models import Meeting, Participation
from meetings.selectors import people_in_meeting
from plm_portal.spreadsheets import BLANK_MARKS, is_formula

# Words people write for a role besides its value and its label.
_ROLE_ALIASES: dict[str, str] = {
    "dinasprovinsi": Participation.Role.PROVINCIAL_OFFICE,
    "dinasperpustakaanprovinsi": Participation.Role.PROVINCIAL_OFFICE,
    "dinaskabupatenkota": Participation.Role.REGENCY_OFFICE,
    "dinaskabkota": Participation.Role.REGENCY_OFFICE,
    "dinasperpustakaankabkota": Participation.Role.REGENCY_OFFICE,
    "perpusdes": Participation.Role.VILLAGE_LIBRARY,
    "perpustakaandesakelurahan": Participation.Role.VILLAGE_LIBRARY,
    "impact": Participation.Role.IMPACT,
    "dampak": Participation.Role.IMPACT,
    "fasda": Participation.Role.REGIONAL_FACILITATOR,
    "narasumberlokal": Participation.Role.RESOURCE_PERSON,
    "resourceperson": Participation.Role.RESOURCE_PERSON,
    "committee": Participation.Role.COMMITTEE,
}
_GENDER_ALIASES = GENDER_ALIASES  # as the registry import of people reads them


class RowStatus(StrEnum):
    NEW = "new"
    EXISTING = "existing"
    IN_MEETING = "in_meeting"
    ERROR = "error"


@dataclass
class RowCheck:
    """What the import will do with one row, or why it cannot."""

    number: int
    full_name: str = ""
    gender: str = ""
    phone: str = ""
    email: str = ""
    position: str = ""
    institution: str = ""
    role: str = ""
    library_name: str = ""
    library: Library | None = None
    person: Person | None = None
    status: RowStatus = RowStatus.NEW
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return Participation.Role(self.role).label if self.role else ""

    def add_error(self, message: str) -> None:
        self.errors.append(
            _("Baris %(number)s: %(message)s") % {"number": self.number, "message": message}
        )
        self.status = RowStatus.ERROR


# --- step 2: the rows -----------------------------------------------------------------------------------


def _role_lookup() -> dict[str, str]:
    lookup = dict(_ROLE_ALIASES)
    for value, label in Participation.Role.choices:
        lookup[key(value)] = value
        # The label in the page's language and, whatever that is, the Indonesian one.
        lookup[key(str(label))] = value
        with translation.override("id"):
            lookup[key(str(label))] = value
    return lookup


_MAX_LENGTHS = {
    NAME: Person._meta.get_field("full_name").max_length,
    EMAIL: Person._meta.get_field("email").max_length,
    POSITION: Person._meta.get_field("position").max_length,
    INSTITUTION: Person._meta.get_field("institution").max_length,
}


def check_rows(*, meeting: Meeting, rows: list[SourceRow]) -> list[RowCheck]:
    """Check every row against the meeting's province; no writes. A few queries whatever the row count."""
    roles = _role_lookup()
    checks = [_check_values(row, roles) for row in rows]
    province_id = meeting.province_id

    library_names = {c.library_name.lower() for c in checks if c.library_name}
    libraries = libraries_by_name(province_id, library_names)
    for check in checks:
        if check.library_name:
            check.library = libraries.get(check.library_name.lower())
            if check.library is None:
                check.add_error(
                    _("perpustakaan “%(name)s” tidak ada di Provinsi %(province)s")
                    % {"name": check.library_name, "province": meeting.province.name}
                )

    phones = {c.phone for c in checks if c.phone}
    emails = {c.email.lower() for c in checks if c.email}
    by_phone, by_email = people_by_phone_and_email(province_id, phones=phones, emails=emails)
    in_meeting = people_in_meeting(
        meeting, {p.pk for p in [*by_phone.values(), *by_email.values()]}
    )

    for check in checks:
        phone_match = by_phone.get(check.phone) if check.phone else None
        email_match = by_email.get(check.email.lower()) if check.email else None
        if phone_match and email_match and phone_match.pk != email_match.pk:
            check.add_error(
                _("nomor HP milik %(a)s, tetapi email milik %(b)s")
                % {"a": phone_match.full_name, "b": email_match.full_name}
            )
            continue
        person = phone_match or email_match
        if person is None:
            continue
        check.person = person
        if check.status == RowStatus.ERROR:
            continue
        if person.pk in in_meeting:
            check.status = RowStatus.IN_MEETING
        else:
            check.status = RowStatus.EXISTING
        if key(person.full_name) != key(check.full_name):
            check.notes.append(
                _("cocok dengan %(name)s yang sudah terdaftar; datanya tidak diubah")
                % {"name": person.full_name}
            )

    _flag_duplicates(checks)
    _note_same_names(checks, province_id)
    return checks


def _check_values(row: SourceRow, roles: dict[str, str]) -> RowCheck:
    check = RowCheck(number=row.number)
    values = {column: value.strip() for column, value in row.values.items()}
    formulas = set()
    # Only the columns we import are looked at: an ignored column (a numbering "=ROW()-1") is never stored.
    for column, value in values.items():
        if is_formula(value):
            check.add_error(
                _("kolom %(column)s berisi rumus (diawali = + - @); tulis sebagai teks biasa")
                % {"column": column_label(column)}
            )
            formulas.add(column)
            values[column] = ""
        elif value in BLANK_MARKS:
            values[column] = ""
    check.full_name = " ".join(values.get(NAME, "").split())
    check.position = values.get(POSITION, "")
    check.institution = values.get(INSTITUTION, "")
    check.library_name = " ".join(values.get(LIBRARY, "").split())

    for column, value in (
        (NAME, check.full_name),
        (POSITION, check.position),
        (INSTITUTION, check.institution),
    ):
        if len(value) > _MAX_LENGTHS[column]:
            check.add_error(
                _("%(column)s terlalu panjang (maks. %(limit)s karakter)")
                % {"column": column_label(column), "limit": _MAX_LENGTHS[column]}
            )
    if not check.full_name and NAME not in formulas:
        check.add_error(_("nama wajib diisi"))

    gender = values.get(GENDER, "")
    if gender:
        check.gender = _GENDER_ALIASES.get(key(gender), "")
        if not check.gender:
            check.add_error(_("L/P harus L atau P, bukan “%(value)s”") % {"value": gender})

    phone = values.get(PHONE, "")
    if phone:
        try:
            check.phone = normalize_phone(phone)
        except ValidationError:
            check.add_error(_("nomor HP tidak valid (%(value)s)") % {"value": phone})

    email = values.get(EMAIL, "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            check.add_error(_("email tidak valid (%(value)s)") % {"value": email})
        else:
            if len(email) > _MAX_LENGTHS[EMAIL]:
                check.add_error(_("email terlalu panjang"))
            else:
                check.email = email

    role = values.get(ROLE, "")
    if role:
        check.role = roles.get(key(role), "")
        if not check.role:
            check.add_error(
                _("peran “%(value)s” tidak dikenal; gunakan salah satu: %(roles)s")
                % {
                    "value": role,
                    "roles": ", ".join(str(label) for label in Participation.Role.labels),
                }
            )
    elif ROLE not in formulas:
        check.add_error(_("peran wajib diisi"))
    return check


def _flag_duplicates(checks: list[RowCheck]) -> None:
    """Rows with the same phone, e-mail or matched person: every one of them is an error."""
    by_phone: dict[str, list[RowCheck]] = defaultdict(list)
    by_email: dict[str, list[RowCheck]] = defaultdict(list)
    by_person: dict[int, list[RowCheck]] = defaultdict(list)
    for check in checks:
        if check.phone:
            by_phone[check.phone].append(check)
        if check.email:
            by_email[check.email.lower()].append(check)
        if check.person is not None:
            by_person[check.person.pk].append(check)
    for check in checks:
        same_phone = [o.number for o in by_phone.get(check.phone, []) if o is not check]
        same_email = [o.number for o in by_email.get(check.email.lower(), []) if o is not check]
        reported = set(same_phone) | set(same_email)
        same_person = [
            o.number
            for o in (by_person.get(check.person.pk, []) if check.person else [])
            if o is not check and o.number not in reported
        ]
        for numbers, message in (
            (same_phone, _("nomor HP sama dengan baris %(rows)s")),
            (same_email, _("email sama dengan baris %(rows)s")),
            (same_person, _("orang yang sama dengan baris %(rows)s")),
        ):
            if numbers:
                check.add_error(message % {"rows": ", ".join(str(n) for n in numbers)})


def _note_same_names(checks: list[RowCheck], province_id: str) -> None:
    """A new person without phone or e-mail whose exact name exists already: a hint, not an error."""
    names = {
        check.full_name.lower()
        for check in checks
        if check.status == RowStatus.NEW and not check.phone and not check.email and check.full_name
    }
    if not names:
        return
    existing = taken_names(province_id, names)
    for check in checks:
        if (
            check.status == RowStatus.NEW
            and not check.phone
            and not check.email
            and check.full_name.lower() in existing
        ):
            check.notes.append(
                _("nama yang sama sudah terdaftar; tanpa nomor HP atau email orang ini dibuat baru")
            )
