"""Reads for libraries and people, always through the user's scope.

People are personal data (UU PDP No. 27/2022): a provincial officer sees only their province's people; a
facilitator sees only the people taking part in the meetings they are assigned to, read-only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower, Upper
from django.http import Http404
from django.utils import timezone

from libraries.models import District, Library, Person, Province, Regency, Village
from libraries.search import (  # the one people search, used across apps through this module
    MIN_SEARCH_LENGTH,
    PERSON_SEARCH_FIELDS,
    named,
    phone_search,
    search_length,
    search_people,
)
from plm_portal.access import can_write_province
from plm_portal.models import User

__all__ = [
    "MIN_SEARCH_LENGTH",
    "PERSON_SEARCH_FIELDS",
    "named",
    "phone_search",
    "search_length",
    "search_people",
]


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


# --- lists and pages -----------------------------------------------------------------------------------


def province_choices(user: User) -> list[tuple[str, str]]:
    """(code, name) of the provinces a list may filter by; none for a provincial officer (one province)."""
    if user.is_provincial_officer:
        return []
    return list(provinces_visible_to(user).order_by("name").values_list("code", "name"))


def library_regency_choices(user: User, province: str = "") -> list[tuple[str, str]]:
    """(code, name) of the visible regencies that have libraries, for the library list's filter.

    A provincial officer gets their province's; national staff and facilitators only those of the province
    they have chosen (none before that): 514 regencies would be a select nobody scrolls and a heavy page.
    """
    regencies = regencies_visible_to(user)
    if not user.is_provincial_officer:
        if not province:
            return []
        regencies = regencies.filter(province_id=province)
    return list(
        regencies.filter(Exists(Library.objects.filter(regency=OuterRef("pk"))))
        .order_by("name")
        .values_list("code", "name")
    )


def _enrollments() -> QuerySet:
    """Enrolment rows, reached through the relation: `libraries` does not import `programs`."""
    return Library._meta.get_field("enrollments").related_model.objects.all()


def enrollment_filter_choices() -> tuple[list, list]:
    """The library list's enrolment filters, without a query: the years from 2018 (TPBIS's first) to next
    year, newest first, and the partner statuses."""
    years = [(str(year), str(year)) for year in range(timezone.localdate().year + 1, 2017, -1)]
    return years, list(_enrollments().model.PartnerStatus.choices)


def library_list(
    user: User,
    *,
    q: str = "",
    kind: str = "",
    province: str = "",
    regency: str = "",
    year: str = "",
    status: str = "",
) -> QuerySet[Library]:
    """Visible libraries matching the list's search and filters (``year`` and ``status`` of one enrolment),
    in the list's order."""
    libraries = libraries_visible_to(user).select_related("province", "regency", "village")
    if year or status:  # an EXISTS: a library enrolled in several years is listed once
        enrolled = _enrollments().filter(library=OuterRef("pk"))
        if year:
            enrolled = enrolled.filter(programme_year__year=int(year))
        if status:
            enrolled = enrolled.filter(partner_status=status)
        libraries = libraries.filter(Exists(enrolled))
    for term in q.split():
        libraries = libraries.filter(
            Q(name__icontains=term)
            | named(Regency, "regency", term)
            | named(Village, "village", term)
        )
    if kind:
        libraries = libraries.filter(kind=kind)
    if province:
        libraries = libraries.filter(province_id=province)
    if regency:
        libraries = libraries.filter(regency_id=regency)
    # Kemendagri order of provinces (Aceh first, as the region list prints them), then name: the
    # library_list_order index, so a page is read from the index instead of sorting every library.
    return libraries.order_by("province_id", "name", "pk")


def person_list(user: User, *, q: str = "", province: str = "") -> QuerySet[Person]:
    """Visible people matching the list's search and province filter, by name."""
    # The home library of the 20 people shown, by primary key: a join would hash every library first.
    people = people_visible_to(user).select_related("province").prefetch_related("home_library")
    if province:
        people = people.filter(province_id=province)
    if q.strip():
        # Sorted by UPPER(full_name), which no B-tree index offers: otherwise PostgreSQL walks the name index
        # hoping to find 20 matches early, reading most of the nation for a rare name, instead of ORing the
        # trigram indexes and sorting the few matches.
        return search_people(people, q).order_by(Upper("full_name"), "pk")
    return people.order_by("full_name", "pk")


# --- duplicates ------------------------------------------------------------------------------------------


def library_name_taken(province: Province, name: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another library of ``province`` has ``name`` (any case)."""
    return (
        Library.objects.filter(province=province, name__iexact=name).exclude(pk=exclude_pk).exists()
    )


def person_with(
    province: Province, *, phone: str = "", email: str = "", exclude_pk: int | None = None
) -> Person | None:
    """Another person of ``province`` with this (normalised) phone or this e-mail (any case), if any."""
    if not (phone or email):
        return None
    condition = Q(phone=phone) if phone else Q(email__iexact=email)
    return Person.objects.filter(condition, province=province).exclude(pk=exclude_pk).first()


def likely_duplicates(
    province_id: str, *, phone: str, email: str, name: str, limit: int = 10
) -> list[Person]:
    """People of the province with the same (normalised) phone, the same e-mail (any case) or the same name.

    Not a search: the identity a new person must not share (phone, e-mail) or probably shares (name).
    """
    condition = Q()
    if phone:
        condition |= Q(phone=phone)
    if email:
        condition |= Q(email__iexact=email)
    if name:
        condition |= Q(full_name__iexact=name)
    if not condition:
        return []
    return list(
        Person.objects.filter(condition, province_id=province_id)
        .select_related("home_library")
        .order_by("full_name", "pk")[:limit]
    )


def people_by_phone_and_email(
    province_id: str, *, phones: set[str], emails: set[str]
) -> tuple[dict[str, Person], dict[str, Person]]:
    """People of the province by normalised phone and by lower-cased e-mail: two queries at most."""
    people = Person.objects.filter(province_id=province_id).select_related("home_library")
    people = people.annotate(lemail=Lower("email"))
    by_phone = {p.phone: p for p in people.filter(phone__in=phones)} if phones else {}
    by_email = {p.lemail: p for p in people.filter(lemail__in=emails)} if emails else {}
    return by_phone, by_email


def taken_names(province_id: str, names: set[str]) -> set[str]:
    """Which of the lower-cased ``names`` a person of the province already has."""
    if not names:
        return set()
    return set(
        Person.objects.annotate(lname=Lower("full_name"))
        .filter(province_id=province_id, lname__in=names)
        .values_list("lname", flat=True)
    )


def libraries_by_name(province_id: str, names: set[str]) -> dict[str, Library]:
    """Libraries of the province by lower-cased name, for the lower-cased ``names``."""
    libraries = Library.objects.annotate(lname=Lower("name")).filter(province_id=province_id)
    return (
        {library.lname: library for library in libraries.filter(lname__in=names)} if names else {}
    )


# --- choices of the edit forms ---------------------------------------------------------------------------
# A form gets its querysets here, narrowed to the province (and regency, district) chosen so far: a value
# posted by hand from elsewhere is then an invalid choice, not a save.


def provinces_by_code(province_id: str | None) -> QuerySet[Province]:
    """Only ``province_id``: the fixed province of a provincial officer's form."""
    return Province.objects.filter(pk=province_id)


def regencies_of(province_id: str | None) -> QuerySet[Regency]:
    return Regency.objects.filter(province_id=province_id).order_by("name")


def districts_of(province_id: str | None, regency_id: str | None) -> QuerySet[District]:
    return District.objects.filter(
        regency_id=regency_id, regency__province_id=province_id
    ).order_by("name")


def villages_of(
    province_id: str | None, regency_id: str | None, district_id: str | None
) -> QuerySet[Village]:
    return Village.objects.filter(
        district_id=district_id,
        district__regency_id=regency_id,
        district__regency__province_id=province_id,
    ).order_by("name")


def libraries_of(province_id: str | None) -> QuerySet[Library]:
    return Library.objects.filter(province_id=province_id).order_by("name")


def offices_of(province_id: str | None) -> QuerySet[Library]:
    """The province's library offices (provincial and regency/city): who may host a meeting."""
    return libraries_of(province_id).filter(
        kind__in=[Library.Kind.PROVINCIAL_OFFICE, Library.Kind.REGENCY_OFFICE]
    )
