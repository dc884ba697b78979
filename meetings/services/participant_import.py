"""Importing a participant list: the upload kept between preview and confirmation, and the write.

The preview (``stage_upload``) keeps the raw bytes in the cache for an hour and gives the browser only a signed
token bound to the meeting and the user; the confirmation (``load_staged``) reads them back, parses them again
and ``import_participants`` checks every row once more inside its transaction before writing anything.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from libraries.models import Person
from meetings.importing.files import SourceRow, parse_text, parse_upload
from meetings.importing.rows import RowCheck, RowStatus, check_rows
from meetings.models import Meeting, Participation
from meetings.services.participants import check_can_edit
from plm_portal.freshness import changed
from plm_portal.history import current_address
from plm_portal.models import User

IMPORT_SALT = "meetings.participant-import"
IMPORT_TTL_SECONDS = 60 * 60


@dataclass(frozen=True)
class StagedUpload:
    """A list kept for the confirm step: ``key`` in the cache, the name shown, the bytes, pasted or a file."""

    key: str
    name: str
    data: bytes
    pasted: bool

    def parse(self) -> list[SourceRow]:
        """The rows, read again exactly as in the preview. Raises ImportFileError (only if the rules changed)."""
        if self.pasted:
            return parse_text(self.data.decode("utf-8"))
        return parse_upload(data=self.data, filename=self.name)


@dataclass(frozen=True)
class ImportPreview:
    """What the preview shows about the checked rows: counts per status, rows to add, every error."""

    summary: dict[str, int]
    to_add: int
    errors: list[str]

    @classmethod
    def of(cls, checks: list[RowCheck]) -> ImportPreview:
        summary = {status.value: 0 for status in RowStatus}
        for check in checks:
            summary[check.status.value] += 1
        return cls(
            summary=summary,
            to_add=summary[RowStatus.NEW.value] + summary[RowStatus.EXISTING.value],
            errors=[error for check in checks for error in check.errors],
        )


@dataclass(frozen=True)
class ImportResult:
    created_people: int
    added: int
    skipped: int


def _cache_key(key: str) -> str:
    return f"meetings:participant-import:{key}"


def stage_upload(*, meeting: Meeting, by: User, name: str, data: bytes, pasted: bool) -> str:
    """Keep the raw upload on the server for the confirm step; returns the signed token for the browser.

    Side effects: one cache entry, gone after IMPORT_TTL_SECONDS. Raises PermissionDenied when ``by`` may not
    change the meeting.
    """
    check_can_edit(by, meeting)
    key = secrets.token_urlsafe(24)
    cache.set(
        _cache_key(key),
        {"meeting": meeting.pk, "user": by.pk, "name": name, "data": data, "pasted": pasted},
        IMPORT_TTL_SECONDS,
    )
    return signing.dumps({"k": key, "m": meeting.pk, "u": by.pk}, salt=IMPORT_SALT)


def load_staged(*, token: str, meeting: Meeting, by: User) -> StagedUpload | None:
    """The upload ``by`` staged for ``meeting`` under ``token``; None when expired, forged or someone else's."""
    try:
        payload = signing.loads(token, salt=IMPORT_SALT, max_age=IMPORT_TTL_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("m") != meeting.pk or payload.get("u") != by.pk:
        return None
    key = str(payload.get("k"))
    stored = cache.get(_cache_key(key))
    if not stored or stored["meeting"] != meeting.pk or stored["user"] != by.pk:
        return None
    return StagedUpload(key=key, name=stored["name"], data=stored["data"], pasted=stored["pasted"])


def discard_staged(staged: StagedUpload) -> None:
    """Forget an upload once imported, so the same token cannot import it twice."""
    cache.delete(_cache_key(staged.key))


@transaction.atomic
def import_participants(*, meeting: Meeting, rows: list[SourceRow], by: User) -> ImportResult:
    """Save a checked participant list, all or nothing.

    Checks every row again (the data may have changed since the preview). If any row has an error, raises
    ValidationError with every row's messages and writes nothing. Otherwise creates a Person for each new
    person (home library = the represented library) and a Participation for each row not yet in the meeting;
    rows already in the meeting are left as they are. A concurrent write that breaks a constraint raises
    IntegrityError and the whole import is rolled back. Raises PermissionDenied when ``by`` may not change
    the meeting.
    """
    changed("dashboard")  # the national home figures count this
    check_can_edit(by, meeting)
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
    # With their history: the request's user and address, and the import as the reason.
    reason = _("Impor daftar peserta")
    history = {
        "default_user": by,
        "default_change_reason": reason,
        "custom_historical_attrs": {"ip_address": current_address()},
    }
    created = iter(bulk_create_with_history(new_people, Person, **history))
    changed("people")  # the national people list caches its total
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
    bulk_create_with_history(participations, Participation, **history)
    return ImportResult(created_people=len(new_people), added=len(participations), skipped=skipped)
