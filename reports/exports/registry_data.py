"""Libraries and people, as the registry's list pages filter them for the user.

The people export has the columns the registry import reads back (name, gender, phone, e-mail, position,
institution, library, province): a province can take its list out, correct it in a spreadsheet and bring it in.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils.translation import gettext as _

from libraries import selectors
from libraries.forms import LibraryFilterForm, PersonFilterForm
from libraries.models import Library
from plm_portal.models import User
from reports.exports.base import Plan, Row, labels, stream, summarise
from reports.exports.cells import local_phone, masked_phone, yes_no
from reports.exports.meeting_scope import Editors


def libraries_plan(user: User, params: QueryDict) -> Plan:
    """The library list's rows: place with Kemendagri codes, kind, name, contact, head of the library; the
    headers are ones the registry import reads back."""
    provinces = selectors.province_choices(user)
    query = params.copy()
    province = query.get("province", "")
    if province and not query.get("regency", "").startswith(f"{province}."):
        query.pop("regency", None)  # as the list view: a regency of the province chosen before
    form = LibraryFilterForm(
        query or None,
        provinces=provinces,
        regencies=selectors.library_regency_choices(user, province),
    )
    data = form.cleaned_data if form.is_valid() else {}
    libraries = selectors.library_list(
        user,
        q=data.get("q", ""),
        kind=data.get("kind", ""),
        province=data.get("province", ""),
        regency=data.get("regency", ""),
        year=data.get("year", ""),
        status=data.get("status", ""),
    )
    rows = libraries.values_list(
        "province_id",
        "province__name",
        "regency_id",
        "regency__name",
        "village__district_id",
        "village__district__name",
        "village_id",
        "village__name",
        "kind",
        "name",
        "address",
        "phone",
        "email",
        "head_name",
        "head_title",
        "head_nip",
        "is_active",
    )
    kinds, yes, no = labels(Library.Kind.choices), _("Ya"), _("Tidak")

    def transform(v: tuple) -> Row:
        cells = [value if value is not None else "" for value in v[:-1]]
        cells[8] = kinds.get(cells[8], cells[8])
        return [*cells, yes_no(v[-1], yes, no)]

    headers = [
        _("Kode provinsi"),
        _("Provinsi"),
        _("Kode kabupaten/kota"),
        _("Kabupaten/kota"),
        _("Kode kecamatan"),
        _("Kecamatan"),
        _("Kode desa"),
        _("Desa/kelurahan"),
        _("Jenis"),
        _("Nama perpustakaan"),
        _("Alamat"),
        _("Telepon"),
        _("Email"),
        _("Nama kepala"),
        _("Jabatan kepala"),
        _("NIP kepala"),
        _("Aktif"),
    ]
    return Plan(
        dataset="libraries",
        title=_("Perpustakaan"),
        headers=headers,
        rows=lambda: stream(rows, transform),
        count=rows.count,
        summary=summarise(form) if data else "",
    )


def people_plan(user: User, params: QueryDict) -> Plan:
    """The person list's rows (403 for facilitators, as the list); phone and e-mail in full only for people
    the user may change, as the list and the person page show them."""
    if user.is_facilitator:
        raise PermissionDenied
    provinces = selectors.province_choices(user)
    form = PersonFilterForm(params or None, provinces=provinces)
    form.is_valid()  # each valid filter applies on its own, as on the list
    data = getattr(form, "cleaned_data", {})
    people = selectors.person_list(
        user, q=data.get("q", ""), province=data.get("province", "")
    ).prefetch_related(None)  # the list prefetches home libraries; the export joins their names
    rows = people.values_list(
        "full_name",
        "gender",
        "phone",
        "email",
        "position",
        "institution",
        "home_library__name",
        "province__name",
        "province_id",
    )
    editor = Editors(user)

    def transform(v: tuple) -> Row:
        name, gender, phone, email, position, institution, library, province, province_id = v
        full = editor(province_id)
        return [
            name,
            gender,
            local_phone(phone) if full else masked_phone(phone),
            email if full else "",
            position,
            institution,
            library or "",
            province,
        ]

    headers = [
        _("Nama lengkap"),
        _("Jenis kelamin"),
        _("No. HP"),
        _("Email"),
        _("Jabatan"),
        _("Instansi"),
        _("Perpustakaan"),
        _("Provinsi"),
    ]
    return Plan(
        dataset="people",
        title=_("Orang"),
        headers=headers,
        rows=lambda: stream(rows, transform),
        count=rows.count,
        summary=summarise(form),
    )
