"""People rows: one chunk at a time against the province, two queries per chunk (people, libraries).

A person is the same as a registered one when their normalised phone or their e-mail (any case) matches a
person of the province; a row needs at least one of them, so that importing the same file again finds the same
people instead of making new ones. Within the file, a later row with a phone or e-mail of an earlier row (or
matching the same registered person) is that person again: skipped as a duplicate, the first row wins. A row
whose phone belongs to one person and e-mail to another is an error.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from libraries.importing.files import Record
from libraries.importing.places import name_key
from libraries.importing.rows import CREATE, UNCHANGED, UPDATE, RowResult, Values, changes
from libraries.models import Library, Person, Province


class PeopleChecker:
    """Checks people records of one import; remembers the keys of earlier rows across chunks."""

    kind = "people"

    def __init__(self, province: Province) -> None:
        self.province = province
        self.phone_rows: dict[str, int] = {}
        self.email_rows: dict[str, int] = {}
        self.person_rows: dict[int, int] = {}

    def check(self, records: list[Record]) -> list[RowResult]:
        parsed = [self._parse(record) for record in records]
        phones = {p["phone"] for _r, p in parsed if p.get("phone")}
        emails = {p["email"].lower() for _r, p in parsed if p.get("email")}
        libraries = {name_key(p["library"]) for _r, p in parsed if p.get("library")}
        by_phone, by_email = self._people(phones, emails)
        by_library = self._libraries(libraries)
        results = []
        for result, person in parsed:
            if not result.failed:
                self._match(result, person, by_phone, by_email, by_library)
            results.append(result)
        return results

    def _parse(self, record: Record) -> tuple[RowResult, dict]:
        result = RowResult(number=record.number)
        values = Values(self.kind, record.values, result)
        person = {
            "full_name": values.text("name", Person, "full_name"),
            "gender": values.gender(),
            "phone": values.phone(),
            "email": values.email(),
            "position": values.text("position", Person),
            "institution": values.text("institution", Person),
            "library": " ".join(values.raw("library").split()),
        }
        if values.missing("name"):
            result.error(values.label("name"), _("nama wajib diisi"))
        if values.missing("phone") and values.missing("email"):
            result.error(
                values.label("phone"),
                _("nomor HP atau email wajib diisi (untuk mengenali orang yang sama)"),
            )
        return result, person

    def _people(
        self, phones: set[str], emails: set[str]
    ) -> tuple[dict[str, Person], dict[str, Person]]:
        if not phones and not emails:
            return {}, {}
        people = (
            Person.objects.annotate(lemail=Lower("email"))
            .filter(province=self.province)
            .filter(Q(phone__in=phones) | Q(lemail__in=emails))
        )
        by_phone: dict[str, Person] = {}
        by_email: dict[str, Person] = {}
        for person in people:
            if person.phone in phones:
                by_phone[person.phone] = person
            if person.lemail in emails:
                by_email[person.lemail] = person
        return by_phone, by_email

    def _libraries(self, names: set[str]) -> dict[str, Library]:
        if not names:
            return {}
        libraries = Library.objects.annotate(lname=Lower("name")).filter(
            province=self.province, lname__in=names
        )
        return {name_key(library.name): library for library in libraries}

    def _earlier_row(self, result: RowResult, phone: str, email: str) -> bool:
        """Whether an earlier row has this phone or e-mail: then this row is a duplicate or an error."""
        by_phone = self.phone_rows.get(phone) if phone else None
        by_email = self.email_rows.get(email) if email else None
        if by_phone and by_email and by_phone != by_email:
            result.error(
                _("No. HP"),
                _("nomor HP sama dengan baris %(a)s, tetapi email sama dengan baris %(b)s")
                % {"a": by_phone, "b": by_email},
            )
            return True
        earlier = by_phone or by_email
        if earlier:
            what = _("nomor HP") if by_phone else _("email")
            result.duplicate(
                _("%(what)s sama dengan baris %(row)s; baris ini dilewati")
                % {"what": what, "row": earlier}
            )
            return True
        return False

    def _remember(self, number: int, phone: str, email: str, person: Person | None) -> None:
        if phone:
            self.phone_rows.setdefault(phone, number)
        if email:
            self.email_rows.setdefault(email, number)
        if person is not None and person.pk:
            self.person_rows.setdefault(person.pk, number)

    def _match(self, result, person, by_phone, by_email, by_library) -> None:
        phone, email = person["phone"], person["email"].lower()
        if self._earlier_row(result, phone, email):
            return
        library = None
        if person["library"]:
            library = by_library.get(name_key(person["library"]))
            if library is None:
                result.error(
                    _("Perpustakaan asal"),
                    _("perpustakaan “%(name)s” tidak ada di Provinsi %(province)s")
                    % {"name": person["library"], "province": self.province.name},
                )
                return
        phone_match = by_phone.get(phone) if phone else None
        email_match = by_email.get(email) if email else None
        if phone_match and email_match and phone_match.pk != email_match.pk:
            result.error(
                _("No. HP"),
                _("nomor HP milik %(a)s, tetapi email milik %(b)s")
                % {"a": phone_match.full_name, "b": email_match.full_name},
            )
            return
        existing = phone_match or email_match
        if existing is not None and existing.pk in self.person_rows:
            result.duplicate(
                _("orang yang sama dengan baris %(row)s; baris ini dilewati")
                % {"row": self.person_rows[existing.pk]}
            )
            return
        self._remember(result.number, phone, email, existing)
        wanted = {key: value for key, value in person.items() if key != "library"}
        wanted["home_library_id"] = library.pk if library else None
        if existing is None:
            result.action = CREATE
            result.obj = Person(province=self.province, **wanted)
            return
        result.fields = changes(existing, wanted)
        result.action = UPDATE if result.fields else UNCHANGED
        result.obj = existing
