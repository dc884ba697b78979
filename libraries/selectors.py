"""Reads for libraries and people, always through the user's scope.

People are personal data (UU PDP No. 27/2022): a provincial officer sees only their province's people; a
facilitator sees only the people taking part in the meetings they are assigned to, read-only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from libraries.models import Library, Person, Province, Regency
from plm_portal.access import can_write_province
from plm_portal.models import User


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def provinces_visible_to(user: User) -> QuerySet[Province]:
    provinces = Province.objects.all()
    if not _active(user):
        return provinces.none()
    if user.is_national:
        return provinces
    if user.is_provincial_officer and user.province_id:
        return provinces.filter(code=user.province_id)
    if user.is_facilitator:
        return provinces.filter(meetings__assigned_facilitators=user).distinct()
    return provinces.none()


def regencies_visible_to(user: User) -> QuerySet[Regency]:
    return Regency.objects.filter(province__in=provinces_visible_to(user))


def libraries_visible_to(user: User) -> QuerySet[Library]:
    libraries = Library.objects.all()
    if not _active(user):
        return libraries.none()
    if user.is_national:
        return libraries
    if user.is_provincial_officer and user.province_id:
        return libraries.filter(province_id=user.province_id)
    if user.is_facilitator:
        return libraries.filter(province__in=provinces_visible_to(user))
    return libraries.none()


def people_visible_to(user: User) -> QuerySet[Person]:
    people = Person.objects.all()
    if not _active(user):
        return people.none()
    if user.is_national:
        return people
    if user.is_provincial_officer and user.province_id:
        return people.filter(province_id=user.province_id)
    if user.is_facilitator:
        return people.filter(participations__meeting__assigned_facilitators=user).distinct()
    return people.none()


def get_library_for_user(user: User, pk: int, *, write: bool = False) -> Library:
    library = (
        libraries_visible_to(user)
        .select_related("province", "regency", "village__district")
        .filter(pk=pk)
        .first()
    )
    if library is None:
        raise Http404
    if write and not can_write_province(user, library.province_id):
        raise PermissionDenied
    return library


def get_person_for_user(user: User, pk: int, *, write: bool = False) -> Person:
    person = (
        people_visible_to(user).select_related("province", "home_library").filter(pk=pk).first()
    )
    if person is None:
        raise Http404
    if write and not can_write_province(user, person.province_id):
        raise PermissionDenied
    return person
