"""The columns a registry import knows, per kind: labels, header aliases (Indonesian and English), which are
required, and the mapping guessed from a file's header row.

The person columns' aliases are the ones the meeting participant import accepts too (it imports them from
here), so one spreadsheet of people reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from plm_portal.spreadsheets import key

PERSON_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("Nama", "Nama lengkap", "Name", "Full name"),
    "gender": ("L/P", "Jenis kelamin", "JK", "Gender", "Sex"),
    "phone": (
        "No. HP",
        "Nomor HP",
        "HP",
        "No. WA",
        "WhatsApp",
        "No. Telepon",
        "Telepon",
        "Phone",
        "Phone number",
        "Mobile",
    ),
    "email": ("Email", "E-mail", "Surel", "Alamat email"),
    "position": ("Jabatan", "Position", "Job title"),
    "institution": ("Instansi", "Instansi/Asal", "Asal", "Asal instansi", "Institution"),
}


@dataclass(frozen=True)
class Column:
    """One field an import fills: ``name`` in code, ``label`` for people, the headers that mean it."""

    name: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False


PEOPLE_COLUMNS: tuple[Column, ...] = (
    Column("name", _("Nama"), PERSON_ALIASES["name"], required=True),
    Column("gender", _("L/P"), PERSON_ALIASES["gender"]),
    Column("phone", _("No. HP"), PERSON_ALIASES["phone"]),
    Column("email", _("Email"), PERSON_ALIASES["email"]),
    Column("position", _("Jabatan"), PERSON_ALIASES["position"]),
    Column("institution", _("Instansi"), PERSON_ALIASES["institution"]),
    Column(
        "library",
        _("Perpustakaan asal"),
        ("Perpustakaan", "Perpustakaan asal", "Asal perpustakaan", "Library", "Home library"),
    ),
)

LIBRARY_COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        _("Nama perpustakaan"),
        ("Nama perpustakaan", "Nama", "Perpustakaan", "Library", "Library name", "Name"),
        required=True,
    ),
    Column(
        "kind",
        _("Jenis"),
        ("Jenis", "Jenis perpustakaan", "Kategori", "Kind", "Type", "Library type"),
        required=True,
    ),
    Column(
        "regency",
        _("Kabupaten/Kota"),
        (
            "Kabupaten/Kota",
            "Kab/Kota",
            "Kabupaten",
            "Kota",
            "Kode kabupaten/kota",
            "Regency",
            "Regency/City",
            "City",
        ),
    ),
    Column("district", _("Kecamatan"), ("Kecamatan", "Kode kecamatan", "District")),
    Column(
        "village",
        _("Desa/Kelurahan"),
        ("Desa/Kelurahan", "Desa", "Kelurahan", "Kode desa", "Kode desa/kelurahan", "Village"),
    ),
    Column("address", _("Alamat"), ("Alamat", "Alamat lengkap", "Address")),
    Column("phone", _("Telepon"), ("Telepon", "No. Telepon", "No. HP", "HP", "Phone", "Telephone")),
    Column("email", _("Email"), PERSON_ALIASES["email"]),
    Column("website", _("Situs web"), ("Situs web", "Website", "Web", "Laman", "URL")),
    Column("head_name", _("Nama kepala"), ("Nama kepala", "Kepala", "Head", "Head name")),
    Column("head_title", _("Jabatan kepala"), ("Jabatan kepala", "Head title", "Head position")),
    Column("head_nip", _("NIP kepala"), ("NIP kepala", "NIP", "Head NIP")),
)


def columns_of(kind: str) -> tuple[Column, ...]:
    return PEOPLE_COLUMNS if kind == "people" else LIBRARY_COLUMNS


def label_of(kind: str, name: str) -> str:
    return str(next(c.label for c in columns_of(kind) if c.name == name))


def guess_mapping(kind: str, headers: list[str]) -> dict[str, int]:
    """Field → column index for the headers an alias names; each column and each field used once."""
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    # Exact aliases first, in the order of the columns: "Nama perpustakaan" wins over a bare "Nama".
    for column in columns_of(kind):
        wanted = [key(alias) for alias in column.aliases]
        for alias in wanted:
            index = next(
                (i for i, cell in enumerate(headers) if i not in taken and key(cell) == alias), None
            )
            if index is not None:
                mapping[column.name] = index
                taken.add(index)
                break
    return mapping


def header_score(kind: str, cells: list[str]) -> int:
    """How many cells of a row are headers this kind knows: the header is the row that scores best."""
    known = {key(alias) for column in columns_of(kind) for alias in column.aliases}
    return sum(1 for cell in cells if cell and key(cell) in known)
