"""The English catalog is complete and compiled; the Indonesian catalog only fills third-party gaps.

Source strings are Indonesian; `locale/en` translates every one of them. `locale/id` holds only the
Indonesian translations that Django and django-allauth lack for strings the portal shows.
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
ID_PO = LOCALE / "id" / "LC_MESSAGES" / "django.po"

# %(name)s / %(name).1f, bare %s / %d, and {name} placeholders; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{[A-Za-z_]\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[k] for k in sorted(self.msgstr)]


def parse_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """A tiny .po reader: returns the header fields and the (non-obsolete) entries."""
    entries: list[Entry] = []
    current: Entry | None = None
    key: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, key
        if current is not None and current.msgstr:  # flags before an obsolete entry leave none
            entries.append(current)
        current, key = None, None

    def append(target: tuple[str, int], text: str) -> None:
        assert current is not None
        name, index = target
        if name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + text
        else:
            setattr(current, name, (getattr(current, name) or "") + text)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # obsolete entry
        elif line.startswith("#,"):
            if current is not None and key is not None:
                finish()
            current = current or Entry()
            current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert key is not None, f"{path}:{number}: continuation line outside an entry"
            append(key, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            match = re.fullmatch(r"(msgctxt|msgid|msgid_plural|msgstr)(?:\[(\d+)\])?", keyword)
            assert match, f"{path}:{number}: unexpected line {raw!r}"
            name, index = match.group(1), int(match.group(2) or 0)
            if name in {"msgctxt", "msgid"} and current is not None and current.msgstr:
                finish()  # a new entry without a blank line before it
            current = current or Entry()
            key = (name, index)
            if name == "msgstr":
                current.msgstr.setdefault(index, "")
            append(key, ast.literal_eval(value))
    finish()

    header_entries = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(header_entries) == 1, f"{path}: expected one header entry"
    header = dict(
        line.split(": ", 1) for line in header_entries[0].msgstr[0].splitlines() if ": " in line
    )
    return header, [e for e in entries if e is not header_entries[0]]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def en_catalog() -> tuple[dict[str, str], list[Entry]]:
    return parse_po(EN_PO)


@pytest.fixture(scope="module")
def id_catalog() -> tuple[dict[str, str], list[Entry]]:
    return parse_po(ID_PO)


# --- locale/en ---------------------------------------------------------------------------------


def test_en_header(en_catalog):
    header, entries = en_catalog
    assert header["Language"] == "en"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert len(entries) > 250


def test_en_every_entry_translated_and_not_fuzzy(en_catalog):
    _, entries = en_catalog
    untranslated = [e.msgid for e in entries if not all(e.translations)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_en_plural_entries_have_both_forms(en_catalog):
    _, entries = en_catalog
    for entry in entries:
        expected = [0, 1] if entry.msgid_plural is not None else [0]
        assert sorted(entry.msgstr) == expected, entry.msgid


def test_en_placeholders_kept(en_catalog):
    _, entries = en_catalog
    for entry in entries:
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            assert placeholders(text) == placeholders(source), entry.msgid


def test_en_mo_is_compiled_from_po(en_catalog):
    """A stale django.mo (po edited, compilemessages not run) would show old text."""
    _, entries = en_catalog
    with (EN_PO.with_suffix(".mo")).open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    for entry in entries:
        if entry.msgid_plural is None:
            key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
            assert compiled.gettext(key) == entry.msgstr[0], entry.msgid
        else:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0]
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr[1]


@pytest.mark.parametrize(
    ("source", "english"),
    [
        ("Peserta", "Participants"),
        ("Gelombang", "Wave"),
        ("Dinas Perpustakaan Kabupaten/Kota", "Regency/City Library Office"),
        ("rencana tindak lanjut (RTL)", "follow-up plan (RTL)"),
        ("Tatap muka", "Face to face"),
        ("Daring", "Online"),
        ("Hibrida", "Hybrid"),
        ("Kabupaten", "Regency"),
        ("Kota", "City"),
        ("Impact/Dampak", "Impact/Dampak"),
        ("Desa Champion", "Desa Champion"),
        ("Masuk ke Portal PLM", "Sign in to PLM Portal"),
    ],
)
def test_en_known_strings(source, english):
    with translation.override("en"):
        assert translation.gettext(source) == english


def test_en_placeholders_and_plurals_at_runtime():
    with translation.override("en"):
        assert translation.gettext("Selamat datang, %(name)s") % {"name": "Sari"} == "Welcome, Sari"
        assert (
            translation.gettext("Halaman %(number)s dari %(total)s") % {"number": 2, "total": 5}
            == "Page 2 of 5"
        )
        text = "%(counter)s peserta, %(attended)s hadir"
        one = translation.ngettext(text, text, 1) % {"counter": 1, "attended": 1}
        many = translation.ngettext(text, text, 16) % {"counter": 16, "attended": 14}
        assert one == "1 participant, 1 attended"
        assert many == "16 participants, 14 attended"


def test_indonesian_is_the_source_language():
    with translation.override("id"):
        assert translation.gettext("Peserta") == "Peserta"
        assert translation.gettext("Masuk ke Portal PLM") == "Masuk ke Portal PLM"


# --- locale/id: gaps in Django's and django-allauth's Indonesian catalogs ----------------------


def test_id_header_and_entries(id_catalog):
    header, entries = id_catalog
    assert header["Language"] == "id"
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert entries
    for entry in entries:
        assert "fuzzy" not in entry.flags, entry.msgid
        assert sorted(entry.msgstr) == [0], entry.msgid
        assert entry.msgstr[0], entry.msgid
        assert placeholders(entry.msgstr[0]) == placeholders(entry.msgid), entry.msgid


def test_id_entries_are_still_missing_upstream(id_catalog):
    """Once Django or allauth translate a string, drop it here so upstream fixes show through."""
    _, entries = id_catalog
    locale_dirs = [Path(django.__file__).parent / "conf" / "locale"] + [
        Path(config.path) / "locale" for config in apps.get_app_configs()
    ]
    upstream = [
        gnu_gettext.translation("django", str(path), ["id"], fallback=True)
        for path in locale_dirs
        if path.is_dir() and path != LOCALE
    ]
    for entry in entries:
        for catalog in upstream:
            if entry.msgid_plural is None:
                assert catalog.gettext(entry.msgid) == entry.msgid, entry.msgid
            else:
                assert catalog.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgid


def test_id_fills_django_admin_gaps():
    with translation.override("id"):
        assert (
            translation.gettext("Filter by %(field_name)s") == "Saring berdasarkan %(field_name)s"
        )
        assert translation.gettext("- Select an option -") == "- Pilih salah satu -"
        assert translation.gettext("Logout") == "Keluar"


def test_id_allauth_account_strings_are_indonesian():
    with translation.override("id"):
        assert translation.gettext("Sign Out") == "Keluar"
        assert translation.gettext("Reset My Password") == "Reset Kata Sandi Saya"
        assert (
            translation.gettext("Your password is now changed.") == "Kata sandi Anda telah diubah."
        )


# --- the language switch -----------------------------------------------------------------------


@pytest.mark.django_db
def test_language_switch_shows_english_login(client):
    response = client.get("/accounts/login/")
    assert "Masuk ke Portal PLM" in response.text

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302

    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Sign in to PLM Portal" in response.text
    assert "Masuk ke Portal PLM" not in response.text
    assert '<html lang="en">' in response.text


@pytest.mark.django_db
def test_language_switch_back_to_indonesian(client):
    client.post("/i18n/setlang/", {"language": "en"})
    client.post("/i18n/setlang/", {"language": "id"})

    response = client.get("/accounts/login/")
    assert "Masuk ke Portal PLM" in response.text
