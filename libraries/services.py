"""Writes for libraries and people. Callers pass rows filled in by a validated form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from libraries.models import Library, Person
from plm_portal.access import can_write_province
from plm_portal.freshness import changed
from plm_portal.models import User


@transaction.atomic
def save_library(*, library: Library, by: User) -> Library:
    """Create or update ``library`` after validating it against every model constraint.

    Raises PermissionDenied when ``by`` may not write the library's province, ValidationError when the row
    is invalid; nothing is saved in either case.
    """
    if not can_write_province(by, library.province_id):
        raise PermissionDenied
    library.full_clean()
    library.save()
    changed("dashboard")  # the national home counts active libraries
    return library


@transaction.atomic
def save_person(*, person: Person, by: User) -> Person:
    """Create or update ``person`` after validating it (phone in +62… form, unique phone/e-mail per province).

    Raises PermissionDenied when ``by`` may not write the person's province, ValidationError when the row
    is invalid; nothing is saved in either case.
    """
    if not can_write_province(by, person.province_id):
        raise PermissionDenied
    person.full_clean()
    person.save()
    changed("people")  # the national people list caches its total
    return person
