"""Importing a participant list: parse, preview with row-level errors, confirm all or nothing."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from libraries.models import Person
from meetings.importing.files import ImportFileError, decode_text, parse_text, parse_upload
from meetings.importing.rows import RowStatus, check_rows
from meetings.models import Participation
from meetings.services.participant_import import (
    discard_staged,
    import_participants,
    load_staged,
    stage_upload,
)
from tests.factories import LibraryFactory, ParticipationFactory, PersonFactory, RegencyFactory
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

HEADER = ["Nama", "L/P", "No. HP", "Email", "Jabatan", "Instansi", "Peran", "Perpustakaan"]
ROLE_LABELS = [
    "Dinas Perpustakaan Provinsi",
    "Dinas Perpustakaan Kabupaten/Kota",
    "Perpustakaan Desa",
    "Impact/Dampak",
    "Desa Champion",
    "master_trainer",
    "Fasilitator Daerah",
    "narasumber",
]


@pytest.fixture
def libraries(scenario):
    return {
        "kota": LibraryFactory(regency=scenario.kota_jambi, name="Dinas Perpustakaan Kota Jambi"),
        "muaro": LibraryFactory(
            regency=RegencyFactory(province=scenario.jambi, code="15.05", name="Muaro Jambi"),
            name="Dinas Perpustakaan Kabupaten Muaro Jambi",
        ),
        "riau": LibraryFactory(
            regency=RegencyFactory(province=scenario.riau, code="14.71", name="Pekanbaru"),
            name="Dinas Perpustakaan Kota Pekanbaru",
        ),
    }


def sixteen_rows() -> list[list[str]]:
    """The 16 participants of the PLM Jambi, invented: every role, both Jambi libraries."""
    rows = []
    for n in range(16):
        rows.append(
            [
                f"Peserta Impor {n + 1:02d}",
                "L" if n % 2 else "P",
                f"0812 5555 00{n:02d}",
                f"peserta{n}@example.id" if n % 3 else "",
                "Pengelola perpustakaan",
                "",
                ROLE_LABELS[n % len(ROLE_LABELS)],
                "Dinas Perpustakaan Kota Jambi"
                if n % 2
                else "dinas perpustakaan kabupaten muaro jambi",
            ]
        )
    return rows


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_url(scenario, name: str = "participants_import") -> str:
    return reverse(f"meetings:{name}", args=[scenario.meeting.pk])


def upload(client, scenario, name: str, data: bytes):
    return client.post(import_url(scenario), {"file": SimpleUploadedFile(name, data)})


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    return match.group(1) if match else ""


def saved() -> tuple[int, int]:
    return Person.objects.count(), Participation.objects.count()


# --- the happy paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make"), [("peserta.csv", csv_bytes), ("peserta.xlsx", xlsx_bytes)]
)
def test_import_valid_file_previews_then_saves_sixteen_people(scenario, libraries, name, make):
    client = scenario.client_for("officer")
    before = saved()

    preview = upload(client, scenario, name, make(sixteen_rows()))

    assert preview.status_code == 200
    assert saved() == before  # the preview writes nothing
    checks = preview.context["checks"]
    assert [c.status for c in checks] == [RowStatus.NEW] * 16
    assert [c.number for c in checks] == list(range(2, 18))
    assert "Konfirmasi impor: tambahkan 16 orang" in preview.content.decode()

    confirmed = client.post(
        import_url(scenario, "participants_import_confirm"), {"token": token_of(preview)}
    )

    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("meetings:participants", args=[scenario.meeting.pk])
    participations = scenario.meeting.participations.select_related("person", "library")
    assert participations.count() == 16
    first = participations.get(person__full_name="Peserta Impor 01")
    assert (first.person.phone, first.person.gender, first.role, first.library) == (
        "+6281255550000",
        "P",
        Participation.Role.PROVINCIAL_OFFICE,
        libraries["muaro"],
    )
    assert first.person.province == scenario.jambi
    assert first.person.home_library == libraries["muaro"]
    assert set(participations.values_list("role", flat=True)) == set(Participation.Role.values) - {
        Participation.Role.COMMITTEE
    }


def test_import_pasted_tab_separated_text_from_spreadsheet(scenario, libraries):
    client = scenario.client_for("officer")
    text = "\n".join("\t".join(row) for row in [HEADER, *sixteen_rows()[:3]])

    preview = client.post(import_url(scenario), {"text": text})
    confirmed = client.post(
        import_url(scenario, "participants_import_confirm"), {"token": token_of(preview)}
    )

    assert confirmed.status_code == 302
    assert scenario.meeting.participations.count() == 3


def test_import_matches_existing_person_by_phone_or_email_and_skips_those_in_meeting(
    scenario, libraries
):
    by_phone = PersonFactory(province=scenario.jambi, full_name="Ani", phone="+6281255550000")
    by_email = PersonFactory(
        province=scenario.jambi, full_name="Bob", phone="", email="PESERTA1@example.id"
    )
    ParticipationFactory(meeting=scenario.meeting, person=by_email)
    client = scenario.client_for("officer")
    people_before = Person.objects.count()

    preview = upload(client, scenario, "p.csv", csv_bytes(sixteen_rows()[:3]))
    client.post(import_url(scenario, "participants_import_confirm"), {"token": token_of(preview)})

    statuses = [(c.status, c.person) for c in preview.context["checks"]]
    assert statuses == [
        (RowStatus.EXISTING, by_phone),
        (RowStatus.IN_MEETING, by_email),
        (RowStatus.NEW, None),
    ]
    assert Person.objects.count() == people_before + 1
    assert set(scenario.meeting.participations.values_list("person__full_name", flat=True)) == {
        "Ani",
        "Bob",
        "Peserta Impor 03",
    }


def test_import_same_file_twice_adds_nobody_the_second_time(scenario, libraries):
    client = scenario.client_for("officer")
    data = csv_bytes(sixteen_rows())
    first = upload(client, scenario, "p.csv", data)
    client.post(import_url(scenario, "participants_import_confirm"), {"token": token_of(first)})
    before = saved()

    second = upload(client, scenario, "p.csv", data)

    assert [c.status for c in second.context["checks"]] == [RowStatus.IN_MEETING] * 16
    assert "tidak ada yang perlu disimpan" in second.content.decode()
    assert "Konfirmasi impor" not in second.content.decode()
    assert saved() == before


def test_import_template_csv_has_header_and_example_that_parses(scenario, libraries):
    response = scenario.client_for("officer").get(
        import_url(scenario, "participants_import_template")
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="templat-peserta.csv"'
    rows = parse_upload(data=response.content, filename="templat-peserta.csv")
    assert len(rows) == 1
    assert rows[0].values["name"] == "Siti Rahmawati"
    assert response.content.decode("utf-8-sig").splitlines()[0] == (
        "Nama,L/P,No. HP,Email,Jabatan,Instansi,Peran,Perpustakaan"
    )


def test_import_header_below_a_title_and_semicolons(scenario, libraries):
    text = "DAFTAR HADIR PLM JAMBI 2022;;\n;;\nNo;Nama;Peran\n1;Ani;Panitia\n2;Budi;Narasumber\n"

    rows = parse_text(text)

    assert [(r.number, r.values) for r in rows] == [
        (4, {"name": "Ani", "role": "Panitia"}),
        (5, {"name": "Budi", "role": "Narasumber"}),
    ]


def test_import_windows_1252_csv_is_read(scenario, libraries):
    data = csv_bytes([["José Ramos", "L", "", "", "", "", "Panitia", ""]], encoding="cp1252")

    rows = parse_upload(data=data, filename="peserta.csv")

    assert rows[0].values["name"] == "José Ramos"


def test_import_xlsx_phone_stored_as_number_is_normalised(scenario, libraries):
    data = xlsx_bytes([["Ani", "P", 81255550099, "", "", "", "Panitia", ""]])

    checks = check_rows(meeting=scenario.meeting, rows=parse_upload(data=data, filename="a.xlsx"))

    assert (checks[0].phone, checks[0].errors) == ("+6281255550099", [])


# --- what is refused, and saves nothing -------------------------------------------------------------------


def test_import_missing_columns_names_them(scenario, libraries):
    data = csv_bytes([["Ani", "0812 5555 0001"]], header=["Nama", "No. HP"])
    before = saved()

    response = upload(scenario.client_for("officer"), scenario, "p.csv", data)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Kolom wajib tidak ditemukan: Peran. Baris pertama harus berisi judul kolom, "
        "mis. Nama, L/P, No. HP, Email, Jabatan, Instansi, Peran, Perpustakaan."
    ]
    assert response.context["checks"] is None
    assert saved() == before


def test_import_without_any_known_header_says_name_and_role_are_needed(scenario):
    with pytest.raises(ImportFileError) as error:
        parse_text("a,b\n1,2\n")

    assert error.value.message.startswith("Kolom wajib tidak ditemukan: Nama, Peran.")


@pytest.mark.parametrize(
    "data",
    [
        "Nama,Peran\nAni,Panitia\n".encode("utf-16"),
        b"Nama,Peran\nAni,Panitia\x00\x00\n",
        b"Nama,Peran\nAni \x81\x8d,Panitia\n",
    ],
    ids=["utf-16", "binary", "undecodable"],
)
def test_import_wrong_encoding_is_refused_with_message(scenario, data):
    before = saved()

    response = upload(scenario.client_for("officer"), scenario, "p.csv", data)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Berkas tidak dapat dibaca: simpan sebagai “CSV UTF-8 (dibatasi koma)” atau .xlsx, lalu unggah lagi."
    ]
    assert saved() == before


def test_import_duplicate_rows_flag_both_rows(scenario, libraries):
    rows = sixteen_rows()[:4]
    rows[3][2] = rows[1][2]  # same phone in rows 3 and 5 of the sheet
    rows[2][3] = "Peserta1@Example.id"  # same e-mail as row 3, in another case
    before = saved()

    response = upload(scenario.client_for("officer"), scenario, "p.csv", csv_bytes(rows))

    errors = response.context["row_errors"]
    assert errors == [
        "Baris 3: nomor HP sama dengan baris 5",
        "Baris 3: email sama dengan baris 4",
        "Baris 4: email sama dengan baris 3",
        "Baris 5: nomor HP sama dengan baris 3",
    ]
    assert token_of(response) == ""
    assert "Konfirmasi impor" not in response.content.decode()
    assert saved() == before


def test_import_ten_megabyte_file_is_refused_before_parsing(scenario):
    data = csv_bytes([["Ani", "", "", "", "", "", "Panitia", ""]]) + b"x" * (10 * 1024 * 1024)
    before = saved()

    response = upload(scenario.client_for("officer"), scenario, "besar.csv", data)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Berkas terlalu besar (10,0 MB). Ukuran maksimal 2,0 MB."
    ]
    assert saved() == before


def test_import_large_paste_is_refused(scenario):
    text = "Nama\tPeran\n" + "Ani\tPanitia\n" * 200_000

    response = scenario.client_for("officer").post(import_url(scenario), {"text": text})

    assert response.status_code == 200
    assert "Berkas terlalu besar" in response.context["form"].errors["text"][0]
    assert "Ani\tPanitia" in response.content.decode()  # the paste is kept to fix


@pytest.mark.parametrize(("name", "make"), [("p.csv", csv_bytes), ("p.xlsx", xlsx_bytes)])
def test_import_formula_in_a_cell_is_a_row_error(scenario, libraries, name, make):
    rows = sixteen_rows()[:3]
    rows[1][4] = '=HYPERLINK("http://x","klik")'
    before = saved()

    response = upload(scenario.client_for("officer"), scenario, name, make(rows))

    assert response.context["row_errors"] == [
        "Baris 3: kolom Jabatan berisi rumus (diawali = + - @); tulis sebagai teks biasa"
    ]
    assert [c.status for c in response.context["checks"]] == [
        RowStatus.NEW,
        RowStatus.ERROR,
        RowStatus.NEW,
    ]
    assert "HYPERLINK" not in response.content.decode().split("<tbody>")[1]
    assert token_of(response) == ""
    assert saved() == before


def test_import_phone_with_plus_and_dash_for_blank_are_not_formulas(scenario, libraries):
    rows = [["Ani", "-", "+62 812-5555-0001", "-", "-", "-", "Panitia", "-"]]

    checks = check_rows(
        meeting=scenario.meeting, rows=parse_upload(data=csv_bytes(rows), filename="a.csv")
    )

    assert (checks[0].errors, checks[0].phone, checks[0].email, checks[0].library) == (
        [],
        "+6281255550001",
        "",
        None,
    )


NOT_A_WORKBOOK = "Berkas .xlsx ini tidak dapat dibuka sebagai buku kerja Excel. Periksa berkasnya."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Nama,Peran\nAni,Panitia\n", NOT_A_WORKBOOK),
        (b"PK\x03\x04 not really a zip", NOT_A_WORKBOOK),
        (b"", "Berkas yang dikirimkan kosong."),
    ],
    ids=["csv-named-xlsx", "broken-zip", "empty"],
)
def test_import_broken_xlsx_is_refused_with_message(scenario, data, message):
    before = saved()

    response = upload(scenario.client_for("officer"), scenario, "peserta.xlsx", data)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert message in response.content.decode()
    assert saved() == before


def test_import_zip_that_is_not_a_workbook_is_refused(scenario):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")

    with pytest.raises(ImportFileError) as error:
        parse_upload(data=buffer.getvalue(), filename="p.xlsx")

    assert "tidak dapat dibuka" in error.value.message


def test_import_more_than_a_thousand_rows_is_refused(scenario):
    text = "Nama,Peran\n" + "".join(f"Orang {n},Panitia\n" for n in range(1001))

    with pytest.raises(ImportFileError) as error:
        parse_text(text)

    assert (
        error.value.message == "Daftar berisi lebih dari 1.000 baris. Bagi menjadi beberapa berkas."
    )


def test_import_old_xls_is_refused(scenario):
    with pytest.raises(ImportFileError) as error:
        parse_upload(data=b"\xd0\xcf\x11\xe0", filename="peserta.xls")

    assert ".xlsx atau .csv" in error.value.message


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["", "P", "", "", "", "", "Panitia", ""], "Baris 2: nama wajib diisi"),
        (["Ani", "X", "", "", "", "", "Panitia", ""], "Baris 2: L/P harus L atau P, bukan “X”"),
        (["Ani", "P", "12", "", "", "", "Panitia", ""], "Baris 2: nomor HP tidak valid (12)"),
        (["Ani", "P", "", "ani@", "", "", "Panitia", ""], "Baris 2: email tidak valid (ani@)"),
        (["Ani", "P", "", "", "", "", "", ""], "Baris 2: peran wajib diisi"),
        (
            ["Ani", "P", "", "", "", "", "Panitia", "Dinas Perpustakaan Kota Pekanbaru"],
            "Baris 2: perpustakaan “Dinas Perpustakaan Kota Pekanbaru” tidak ada di Provinsi Jambi",
        ),
        (
            ["A" * 151, "P", "", "", "", "", "Panitia", ""],
            "Baris 2: Nama terlalu panjang (maks. 150 karakter)",
        ),
    ],
)
def test_import_row_errors_are_in_indonesian(scenario, libraries, cells, message):
    checks = check_rows(meeting=scenario.meeting, rows=parse_text(csv_bytes([cells]).decode()))

    assert checks[0].errors == [message]
    assert checks[0].status == RowStatus.ERROR


def test_import_unknown_role_lists_the_roles(scenario):
    checks = check_rows(meeting=scenario.meeting, rows=parse_text("Nama,Peran\nAni,Raja\n"))

    assert (
        checks[0].errors[0].startswith("Baris 2: peran “Raja” tidak dikenal; gunakan salah satu: ")
    )
    assert "Fasilitator Daerah" in checks[0].errors[0]


def test_import_service_is_all_or_nothing(scenario, libraries):
    rows = sixteen_rows()
    rows.append(["Salah", "P", "12", "", "", "", "Panitia", ""])
    parsed = parse_upload(data=csv_bytes(rows), filename="p.csv")
    before = saved()

    with pytest.raises(ValidationError) as error:
        import_participants(meeting=scenario.meeting, rows=parsed, by=scenario.users["officer"])

    assert error.value.messages == ["Baris 18: nomor HP tidak valid (12)"]
    assert saved() == before


def test_import_confirm_rechecks_and_saves_nothing_when_data_changed(scenario, libraries):
    client = scenario.client_for("officer")
    preview = upload(client, scenario, "p.csv", csv_bytes(sixteen_rows()))
    # Between preview and confirm the library a row names disappears.
    libraries["kota"].delete()
    before = saved()

    response = client.post(
        import_url(scenario, "participants_import_confirm"), {"token": token_of(preview)}
    )

    assert response.status_code == 200
    assert response.context["changed"] is True
    assert response.context["row_errors"][0] == (
        "Baris 3: perpustakaan “Dinas Perpustakaan Kota Jambi” tidak ada di Provinsi Jambi"
    )
    assert saved() == before


@pytest.mark.parametrize("token", ["", "forged", "a" * 80])
def test_import_confirm_with_bad_token_saves_nothing(scenario, token):
    before = saved()

    response = scenario.client_for("officer").post(
        import_url(scenario, "participants_import_confirm"), {"token": token}, follow=True
    )

    assert response.status_code == 200
    assert "Pratinjau impor sudah kedaluwarsa" in response.content.decode()
    assert saved() == before


def test_import_confirm_token_of_another_user_is_refused(scenario, libraries):
    preview = upload(scenario.client_for("officer"), scenario, "p.csv", csv_bytes(sixteen_rows()))
    before = saved()

    response = scenario.client_for("national").post(
        import_url(scenario, "participants_import_confirm"), {"token": token_of(preview)}
    )

    assert response.status_code == 302
    assert response["Location"] == import_url(scenario)
    assert saved() == before


@pytest.mark.parametrize("role", ROLES)
def test_import_role_matrix(scenario, libraries, role):
    expected = {
        "national": 200,
        "officer": 200,
        "other_officer": 404,
        "facilitator": 403,
        "other_facilitator": 404,
        "anonymous": 302,
    }[role]
    client = scenario.client_for(role)
    before = saved()

    page = client.get(import_url(scenario))
    preview = upload(client, scenario, "p.csv", csv_bytes(sixteen_rows()))
    template = client.get(import_url(scenario, "participants_import_template"))

    assert (page.status_code, preview.status_code, template.status_code) == (expected,) * 3
    assert saved() == before


@pytest.mark.parametrize("role", ROLES)
def test_import_confirm_role_matrix(scenario, libraries, role):
    preview = upload(scenario.client_for("officer"), scenario, "p.csv", csv_bytes(sixteen_rows()))
    before = saved()

    response = scenario.client_for(role).post(
        import_url(scenario, "participants_import_confirm"), {"token": token_of(preview)}
    )

    expected = {
        "national": 302,  # refused: the preview was not theirs (redirect back to the import page)
        "officer": 302,
        "other_officer": 404,
        "facilitator": 403,
        "other_facilitator": 404,
        "anonymous": 302,
    }[role]
    assert response.status_code == expected
    if role == "officer":
        assert scenario.meeting.participations.count() == 16
    else:
        assert saved() == before


def test_import_form_needs_file_or_text_not_both(scenario):
    client = scenario.client_for("officer")

    neither = client.post(import_url(scenario), {"text": "  "})
    both = client.post(
        import_url(scenario),
        {"text": "Nama\tPeran\nAni\tPanitia", "file": SimpleUploadedFile("a.csv", b"Nama,Peran\n")},
    )

    assert neither.context["form"].non_field_errors() == [
        "Unggah berkas atau tempel daftar peserta."
    ]
    assert both.context["form"].non_field_errors() == [
        "Pilih salah satu: unggah berkas atau tempel daftar, tidak keduanya."
    ]


def test_decode_text_accepts_utf8_with_bom():
    assert decode_text("\ufeffNama".encode()) == "Nama"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Nama,Peran\n", "Daftar tidak berisi baris data di bawah judul kolom."),
        (
            'Nama,Peran\n"' + "x" * 200_000 + '",Panitia\n',
            "Isi berkas tidak dapat dibaca sebagai tabel.",
        ),
    ],
    ids=["header-only", "giant-cell"],
)
def test_import_unreadable_tables_are_refused_with_message(scenario, text, message):
    before = saved()

    response = scenario.client_for("officer").post(import_url(scenario), {"text": text})

    assert response.context["form"].errors == {"text": [message]}
    assert saved() == before


def test_import_blank_file_is_refused():
    with pytest.raises(ImportFileError) as error:
        parse_upload(data=b"\r\n\r\n", filename="kosong.csv")

    assert error.value.message == "Daftar kosong: tidak ada baris judul kolom maupun data."


# --- the services refuse who may not change the meeting ---------------------------------------------------


@pytest.mark.parametrize("role", ["other_officer", "facilitator"])
def test_import_services_refuse_who_may_not_change_the_meeting(scenario, role):
    parsed = parse_text("Nama,Peran\nAni,Panitia\n")
    user = scenario.users[role]

    with pytest.raises(PermissionDenied):
        stage_upload(meeting=scenario.meeting, by=user, name="a.csv", data=b"x", pasted=False)
    with pytest.raises(PermissionDenied):
        import_participants(meeting=scenario.meeting, rows=parsed, by=user)

    assert Participation.objects.count() == 0
    assert not Person.objects.filter(full_name="Ani").exists()


def test_staged_upload_is_only_for_its_meeting_and_user(scenario):
    officer, national = scenario.users["officer"], scenario.users["national"]
    token = stage_upload(
        meeting=scenario.meeting, by=officer, name="a.csv", data=b"Nama,Peran\n", pasted=False
    )

    staged = load_staged(token=token, meeting=scenario.meeting, by=officer)

    assert (staged.name, staged.data, staged.pasted) == ("a.csv", b"Nama,Peran\n", False)
    assert load_staged(token=token, meeting=scenario.meeting, by=national) is None
    discard_staged(staged)
    assert load_staged(token=token, meeting=scenario.meeting, by=officer) is None
