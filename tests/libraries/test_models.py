"""Regions, libraries and people: every database constraint refuses its bad row, and the model says why."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from libraries.models import District, Library, Person, Province, Regency, Village
from tests.constraints import constraint_messages, refused_by
from tests.factories import (
    DistrictFactory,
    LibraryFactory,
    PersonFactory,
    ProvinceFactory,
    RegencyFactory,
    VillageFactory,
    VillageLibraryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def muaro_jambi(jambi) -> Regency:
    return RegencyFactory(
        code="15.05", province=jambi, name="Muaro Jambi", kind=Regency.Kind.KABUPATEN
    )


@pytest.fixture
def telanaipura(kota_jambi) -> Village:
    return VillageFactory(district__regency=kota_jambi)


# Province


@pytest.mark.parametrize(
    ("time_zone", "abbreviation"),
    [
        (Province.TimeZone.WIB, "WIB"),
        (Province.TimeZone.WITA, "WITA"),
        (Province.TimeZone.WIT, "WIT"),
    ],
)
def test_province_time_zone_abbreviation(time_zone, abbreviation):
    province = ProvinceFactory(code="99", name="Contoh", time_zone=time_zone)

    assert province.time_zone_abbreviation == abbreviation


# Region codes


def test_regency_code_within_province_saves(jambi):
    regency = Regency.objects.create(
        code="15.05", province=jambi, name="Muaro Jambi", kind=Regency.Kind.KABUPATEN
    )

    assert Regency.objects.get(code="15.05").province_id == regency.province_id == "15"


def test_regency_code_outside_province_refused_by_database(jambi):
    with refused_by("regency_code_within_province"):
        Regency.objects.create(
            code="14.71", province=jambi, name="Pekanbaru", kind=Regency.Kind.KOTA
        )


def test_district_code_within_regency_saves(kota_jambi):
    District.objects.create(code="15.71.02", regency=kota_jambi, name="Jambi Selatan")

    assert District.objects.get(code="15.71.02").regency_id == "15.71"


def test_district_code_outside_regency_refused_by_database(kota_jambi):
    with refused_by("district_code_within_regency"):
        District.objects.create(code="15.72.01", regency=kota_jambi, name="Salah")


def test_village_code_within_district_saves():
    district = DistrictFactory()

    Village.objects.create(
        code="15.71.01.1002", district=district, name="Pematang Sulur", kind=Village.Kind.KELURAHAN
    )

    assert Village.objects.get(code="15.71.01.1002").district_id == "15.71.01"


def test_village_code_outside_district_refused_by_database():
    district = DistrictFactory()

    with refused_by("village_code_within_district"):
        Village.objects.create(
            code="15.71.02.1001", district=district, name="Salah", kind=Village.Kind.DESA
        )


def test_village_str_names_its_kind():
    village = VillageFactory(name="Telanaipura", kind=Village.Kind.KELURAHAN)

    assert str(village) == "Kelurahan Telanaipura"


# Library


def test_library_village_library_saves(telanaipura):
    library = VillageLibraryFactory(village=telanaipura)

    library.full_clean()
    assert (library.province_id, library.regency_id, library.village_id) == (
        "15",
        "15.71",
        "15.71.01.1001",
    )


def test_library_provincial_office_without_regency_saves(jambi):
    library = Library.objects.create(
        name="Dinas Perpustakaan Provinsi Jambi",
        kind=Library.Kind.PROVINCIAL_OFFICE,
        province=jambi,
    )

    library.full_clean()
    assert library.regency_id is None


def test_library_village_library_without_village_refused_by_database(kota_jambi):
    with refused_by("library_village_library_has_village"):
        Library.objects.create(
            name="Perpustakaan Desa Tanpa Desa",
            kind=Library.Kind.VILLAGE,
            province=kota_jambi.province,
            regency=kota_jambi,
        )


def test_library_village_library_without_village_says_why(kota_jambi):
    library = Library(
        name="Perpustakaan Desa Tanpa Desa",
        kind=Library.Kind.VILLAGE,
        province=kota_jambi.province,
        regency=kota_jambi,
    )

    assert constraint_messages(library) == ["Perpustakaan desa wajib memiliki desa/kelurahan."]


def test_library_regency_office_without_regency_refused_by_database(jambi):
    with refused_by("library_local_library_has_regency"):
        Library.objects.create(
            name="Dinas Perpustakaan Tanpa Kota", kind=Library.Kind.REGENCY_OFFICE, province=jambi
        )


def test_library_village_library_without_regency_refused_by_database(telanaipura):
    with refused_by("library_local_library_has_regency"):
        Library.objects.create(
            name="Perpustakaan Desa Tanpa Kota",
            kind=Library.Kind.VILLAGE,
            province=telanaipura.district.regency.province,
            village=telanaipura,
        )


def test_library_regency_office_without_regency_says_why(jambi):
    library = Library(
        name="Dinas Perpustakaan Tanpa Kota", kind=Library.Kind.REGENCY_OFFICE, province=jambi
    )

    assert constraint_messages(library) == ["Perpustakaan ini wajib memiliki kabupaten/kota."]


def test_library_regency_in_other_province_refused_by_database(riau, kota_jambi):
    with refused_by("library_regency_within_province"):
        Library.objects.create(
            name="Dinas Perpustakaan Salah Provinsi",
            kind=Library.Kind.REGENCY_OFFICE,
            province=riau,
            regency=kota_jambi,
        )


def test_library_regency_in_other_province_says_why(riau, kota_jambi):
    library = Library(
        name="Dinas Perpustakaan Salah Provinsi",
        kind=Library.Kind.REGENCY_OFFICE,
        province=riau,
        regency=kota_jambi,
    )

    assert constraint_messages(library) == ["Kabupaten/kota harus berada di provinsi perpustakaan."]


def test_library_village_in_other_regency_refused_by_database(muaro_jambi, telanaipura):
    with refused_by("library_village_within_regency"):
        Library.objects.create(
            name="Perpustakaan Desa Salah Kabupaten",
            kind=Library.Kind.VILLAGE,
            province=muaro_jambi.province,
            regency=muaro_jambi,
            village=telanaipura,
        )


def test_library_village_without_regency_refused_by_database(riau, telanaipura):
    # Without a regency the village could lie anywhere, even in another province.
    with refused_by("library_village_within_regency"):
        Library.objects.create(
            name="Taman Baca Lintas Provinsi",
            kind=Library.Kind.OTHER,
            province=riau,
            village=telanaipura,
        )


def test_library_village_in_other_regency_says_why(muaro_jambi, telanaipura):
    library = Library(
        name="Perpustakaan Desa Salah Kabupaten",
        kind=Library.Kind.VILLAGE,
        province=muaro_jambi.province,
        regency=muaro_jambi,
        village=telanaipura,
    )

    assert constraint_messages(library) == [
        "Desa/kelurahan harus berada di kabupaten/kota perpustakaan."
    ]


def test_library_village_without_regency_says_why(riau, telanaipura):
    library = Library(
        name="Taman Baca Lintas Provinsi",
        kind=Library.Kind.OTHER,
        province=riau,
        village=telanaipura,
    )

    assert constraint_messages(library) == [
        "Desa/kelurahan harus berada di kabupaten/kota perpustakaan."
    ]


def test_library_name_taken_in_province_refused_by_database_whatever_the_case(kota_jambi):
    LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=kota_jambi)

    with refused_by("library_name_unique_in_province"):
        Library.objects.create(
            name="DINAS PERPUSTAKAAN KOTA JAMBI",
            kind=Library.Kind.REGENCY_OFFICE,
            province=kota_jambi.province,
            regency=kota_jambi,
        )


def test_library_name_taken_in_province_says_why(kota_jambi):
    LibraryFactory(name="Dinas Perpustakaan Kota Jambi", regency=kota_jambi)
    library = Library(
        name="dinas perpustakaan kota jambi",
        kind=Library.Kind.REGENCY_OFFICE,
        province=kota_jambi.province,
        regency=kota_jambi,
    )

    assert constraint_messages(library) == [
        "Perpustakaan dengan nama ini sudah ada di provinsi ini."
    ]


def test_library_same_name_in_other_province_saves(kota_jambi):
    LibraryFactory(name="Perpustakaan Umum", regency=kota_jambi)
    pekanbaru = RegencyFactory(
        code="14.71", province=ProvinceFactory(code="14", name="Riau"), name="Pekanbaru"
    )

    LibraryFactory(name="Perpustakaan Umum", regency=pekanbaru)

    assert Library.objects.filter(name="Perpustakaan Umum").count() == 2


def test_library_get_absolute_url_points_to_portal_page():
    library = LibraryFactory()

    assert library.get_absolute_url() == f"/libraries/{library.pk}/"


# Person


def test_person_valid_row_saves(jambi):
    person = Person.objects.create(
        full_name="Siti Aminah", phone="+6281234567890", email="siti@example.test", province=jambi
    )

    person.full_clean()
    assert Person.objects.get(pk=person.pk).phone == "+6281234567890"


def test_person_phone_taken_in_province_refused_by_database(jambi):
    PersonFactory(phone="+6281234567890", province=jambi)

    with refused_by(
        "person_phone_unique_in_province", "libraries_person.province_id", "libraries_person.phone"
    ):
        Person.objects.create(full_name="Kembar", phone="+6281234567890", province=jambi)


def test_person_phone_taken_in_province_says_why(jambi):
    PersonFactory(phone="+6281234567890", province=jambi)
    person = Person(full_name="Kembar", phone="+6281234567890", province=jambi)

    assert constraint_messages(person) == ["Nomor HP ini sudah terdaftar di provinsi ini."]


def test_person_same_phone_in_other_province_saves(jambi, riau):
    PersonFactory(phone="+6281234567890", province=jambi)

    Person.objects.create(full_name="Pindah Provinsi", phone="+6281234567890", province=riau)

    assert Person.objects.filter(phone="+6281234567890").count() == 2


def test_person_blank_phones_do_not_clash(jambi):
    Person.objects.bulk_create(
        [
            Person(full_name="Tanpa HP 1", phone="", province=jambi),
            Person(full_name="Tanpa HP 2", phone="", province=jambi),
        ]
    )

    assert Person.objects.filter(phone="", province=jambi).count() == 2


def test_person_email_taken_in_province_refused_by_database_whatever_the_case(jambi):
    PersonFactory(email="siti@example.test", province=jambi)

    with refused_by("person_email_unique_in_province"):
        Person.objects.create(
            full_name="Kembar", phone="", email="Siti@Example.TEST", province=jambi
        )


def test_person_email_taken_in_province_says_why(jambi):
    PersonFactory(email="siti@example.test", province=jambi)
    person = Person(full_name="Kembar", email="SITI@example.test", province=jambi)

    assert constraint_messages(person) == ["Email ini sudah terdaftar di provinsi ini."]


def test_person_same_email_in_other_province_saves(jambi, riau):
    PersonFactory(email="siti@example.test", province=jambi)

    Person.objects.create(full_name="Pindah", email="siti@example.test", province=riau)

    assert Person.objects.filter(email="siti@example.test").count() == 2


def test_person_blank_emails_do_not_clash(jambi):
    Person.objects.bulk_create(
        [
            Person(full_name="Tanpa email 1", email="", phone="", province=jambi),
            Person(full_name="Tanpa email 2", email="", phone="", province=jambi),
        ]
    )

    assert Person.objects.filter(email="", province=jambi).count() == 2


@pytest.mark.parametrize("phone", ["081234567890", "6281234567890", "+6581234567"])
def test_person_phone_not_normalised_refused_by_database(jambi, phone):
    with refused_by("person_phone_normalised"):
        Person.objects.create(full_name="Belum Rapi", phone=phone, province=jambi)


def test_person_phone_not_normalised_says_why(jambi):
    person = Person(full_name="Belum Rapi", phone="0812-3456-7890", province=jambi)

    assert constraint_messages(person) == ["Nomor HP harus dalam format +62…"]


def test_person_home_library_in_other_province_says_why(riau):
    person = PersonFactory.build(province=riau, phone="", home_library=LibraryFactory())

    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()

    assert excinfo.value.message_dict == {
        "home_library": ["Perpustakaan asal harus berada di provinsi yang sama."]
    }


def test_person_affiliation_prefers_institution():
    library = LibraryFactory(name="Perpustakaan Desa Maju")
    person = PersonFactory(institution="PKK Desa Maju", home_library=library)

    assert person.affiliation == "PKK Desa Maju"


def test_person_affiliation_falls_back_to_home_library():
    library = LibraryFactory(name="Perpustakaan Desa Maju")
    person = PersonFactory(home_library=library)

    assert person.affiliation == "Perpustakaan Desa Maju"


def test_person_affiliation_blank_without_institution_or_library():
    person = PersonFactory()

    assert person.affiliation == ""
