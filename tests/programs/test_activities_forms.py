"""Bad input on the activity form: every refusal is an Indonesian message next to its field, the page keeps what
was typed, nothing is saved and no file is stored; photos come back from the photo view without EXIF."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from plm_portal import once
from programs import photos
from programs.models import Activity, ActivityPhoto
from programs.views import activity_uploads
from programs.views.activities import FORM_KIND
from tests.programs.factories_activities import (  # noqa: F401 - fixtures
    bomb_png,
    form_data,
    jpeg_bytes,
    png_bytes,
    polyglot_jpeg,
    private_storage_fixture,
    store_photo,
    world_fixture,
)

pytestmark = pytest.mark.django_db

TITLE = "Kelas menjahit untuk ibu rumah tangga"


def _upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _post_new(world, data: dict):
    return world.client_for("officer").post(reverse("programs:activity_new"), data)


def _assert_kept_and_nothing_saved(world, response, data: dict) -> None:
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("title", "location", "partners", "evidence_url"):
        assert f'value="{data[name]}"' in body, name
    assert data["description"] in body
    assert not Activity.objects.filter(title=data["title"]).exists()
    assert {p.name for p in world.private.rglob("*.jpg")} == {
        world.photo.image.name.split("/")[-1],
        world.riau_photo.image.name.split("/")[-1],
    }


def _photo_errors(response) -> list[str]:
    return response.context["form"].errors.get("photos", [])


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"Nama,HP\nSiti,0812\n", "daftar.jpg", "bukan foto JPEG, PNG atau WebP"),
        (bomb_png(), "bom.png", "megapiksel"),
        (polyglot_jpeg(), "poliglot.jpg", "berisi data lain selain gambar"),
        (b"", "kosong.jpg", "kosong"),
    ],
)
def test_activity_form_refused_photo_keeps_what_was_typed(world, content, name, expected):
    data = form_data(world)
    data["photos"] = [_upload(jpeg_bytes(), "bagus.jpg"), _upload(content, name)]

    response = _post_new(world, data)

    errors = _photo_errors(response)
    assert any(name in error and expected in error for error in errors), errors
    assert errors[-1] == "Pilih fotonya lagi."
    _assert_kept_and_nothing_saved(world, response, data)
    assert "Pilih fotonya lagi." in response.content.decode()


def test_activity_form_too_many_photos_for_the_activity(world):
    for _ in range(3):
        store_photo(world.activity)
    data = form_data(world)
    data["photos"] = [_upload(jpeg_bytes(), f"f{i}.jpg") for i in range(2)]

    response = world.client_for("officer").post(
        reverse("programs:activity_edit", args=[world.activity.pk]), data
    )

    assert _photo_errors(response) == [
        "Paling banyak 5 foto per kegiatan; kegiatan ini sudah punya 4. "
        "Pilih fotonya lagi, paling banyak 1."
    ]
    assert world.activity.photos.count() == 4


def test_activity_form_more_than_five_photos_in_one_request(world):
    data = form_data(world)
    data["photos"] = [_upload(png_bytes(), f"f{i}.png", "image/png") for i in range(7)]

    response = _post_new(world, data)

    assert _photo_errors(response) == ["Paling banyak 5 foto sekali kirim.", "Pilih fotonya lagi."]
    _assert_kept_and_nothing_saved(world, response, data)


def test_activity_form_oversized_photo_is_skipped_while_reading(world, monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 2000)
    data = form_data(world)
    data["photos"] = [_upload(jpeg_bytes((800, 600)), "besar.jpg")]

    response = _post_new(world, data)

    assert _photo_errors(response) == [
        "“besar.jpg”: Foto terlalu besar (lebih dari 0 MB). Kirim foto yang lebih kecil.",
        "Pilih fotonya lagi.",
    ]
    _assert_kept_and_nothing_saved(world, response, data)


def test_activity_form_request_over_the_limit_keeps_the_fields(world, monkeypatch):
    monkeypatch.setattr(activity_uploads, "MAX_REQUEST_BYTES", 20_000)
    data = form_data(world)
    data["photos"] = [
        _upload(jpeg_bytes((1200, 900), color=(i, 9, 9)), f"f{i}.jpg") for i in range(3)
    ]

    response = _post_new(world, data)

    errors = _photo_errors(response)
    assert errors[0].startswith("Foto-foto yang dikirim terlalu besar")
    assert errors[-1] == "Pilih fotonya lagi."
    _assert_kept_and_nothing_saved(world, response, data)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"date": "2022-09-14", "end_date": "2022-09-12"},
            "end_date",
            "Tanggal selesai tidak boleh sebelum tanggal mulai.",
        ),
        (
            {"beneficiaries_female": "2", "beneficiaries_male": "1", "beneficiaries_disabled": "4"},
            "beneficiaries_disabled",
            "Penerima manfaat penyandang disabilitas tidak boleh melebihi jumlah perempuan dan "
            "laki-laki (3).",
        ),
        (
            {"date": "2017-12-31", "end_date": ""},
            "date",
            "Tanggal kegiatan paling awal tahun 2018.",
        ),
        (
            {"date": "2099-01-01", "end_date": ""},
            "date",
            "Tanggal kegiatan tidak boleh di masa depan.",
        ),
        ({"beneficiaries_female": "-1"}, "beneficiaries_female", None),
        ({"beneficiaries_male": "2000000"}, "beneficiaries_male", None),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url", None),
        ({"title": "x" * 201}, "title", None),
        ({"line_of_work": "lain"}, "line_of_work", None),
        ({"library": "999999"}, "library", "Pilih perpustakaan di Provinsi Jambi."),
    ],
)
def test_activity_form_bad_field_keeps_what_was_typed(world, changes, field, message):
    data = form_data(world, **changes)

    response = _post_new(world, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert not Activity.objects.filter(title=data["title"]).exists()
    body = response.content.decode()
    assert f'value="{data["location"]}"' in body and data["description"] in body


def test_activity_form_good_photos_dropped_by_another_error_say_choose_again(world):
    data = form_data(world, end_date="2022-09-01")
    data["photos"] = [_upload(jpeg_bytes(), "bagus.jpg")]

    response = _post_new(world, data)

    assert list(response.context["form"].errors) == ["end_date"]
    assert "1 foto yang tadi dipilih belum tersimpan" in response.content.decode()
    _assert_kept_and_nothing_saved(world, response, data)


def test_activity_form_sent_twice_saves_once(world, django_capture_on_commit_callbacks):
    client = world.client_for("officer")
    form_key = client.get(reverse("programs:activity_new")).context["form"]["form_key"].value()
    data = form_data(world, form_key=form_key)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("programs:activity_new"), data)
    second = client.post(reverse("programs:activity_new"), data)

    activity = Activity.objects.get(title=TITLE)
    assert (
        first["Location"]
        == second["Location"]
        == reverse("programs:activity_detail", args=[activity.pk])
    )


def test_activity_form_sent_again_while_the_first_is_saving(world):
    client = world.client_for("officer")
    key = uuid.uuid4().hex
    data = form_data(world, form_key=key)
    once.claim(FORM_KIND, key)  # the first post of a double tap, not yet committed

    response = client.post(reverse("programs:activity_new"), data, follow=True)

    assert response.redirect_chain == [(reverse("programs:activity_list"), 302)]
    assert "Kiriman yang sama sedang disimpan." in response.content.decode()
    assert not Activity.objects.filter(title=TITLE).exists()


def test_activity_form_key_is_given_back_after_a_refusal(world):
    client = world.client_for("officer")
    # A fresh key: the cache outlives the test database (Redis in CI).
    data = form_data(world, form_key=uuid.uuid4().hex, end_date="2022-01-01")
    client.post(reverse("programs:activity_new"), data)

    response = client.post(reverse("programs:activity_new"), {**data, "end_date": ""})

    assert response.status_code == 302
    assert Activity.objects.filter(title=TITLE).count() == 1


def test_activity_photo_exif_is_stripped_end_to_end(world):
    original = jpeg_bytes((900, 600), gps=True)
    assert Image.open(io.BytesIO(original)).getexif()  # the phone's photo carries EXIF and GPS
    data = form_data(world)
    data["photos"] = [_upload(original, "IMG_20220912_GPS.jpg")]
    client = world.client_for("officer")

    client.post(reverse("programs:activity_new"), data)
    photo = ActivityPhoto.objects.get(activity__title=TITLE)
    response = client.get(reverse("programs:activity_photo", args=[photo.pk]))

    served = b"".join(response.streaming_content)
    image = Image.open(io.BytesIO(served))
    assert (image.format, image.size) == ("JPEG", (900, 600))
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"KameraHP" not in served and b"GPS" not in served
    assert "IMG_20220912_GPS" not in response["Content-Disposition"]


def test_activity_form_skipped_photo_leaves_the_others_intact(world, monkeypatch, settings):
    # Uploads in temporary files (as real phone photos are); the middle one is over the limit.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    noisy = io.BytesIO()
    Image.effect_noise((500, 500), 90).convert("RGB").save(noisy, "JPEG", quality=95)
    monkeypatch.setattr(photos, "MAX_BYTES", len(noisy.getvalue()) - 1)
    data = form_data(world)
    data["photos"] = [
        _upload(jpeg_bytes(), "kecil-1.jpg"),
        _upload(noisy.getvalue(), "besar.jpg"),
        _upload(jpeg_bytes(), "kecil-2.jpg"),
    ]

    response = _post_new(world, data)

    errors = _photo_errors(response)
    assert len(errors) == 2 and errors[0].startswith("“besar.jpg”: Foto terlalu besar")
    assert errors[1] == "Pilih fotonya lagi."


def test_activity_form_photos_valid_after_a_skip_are_saved_once_corrected(world):
    data = form_data(world)
    data["photos"] = [
        _upload(jpeg_bytes(), "kecil-1.jpg"),
        _upload(png_bytes(), "b.png", "image/png"),
    ]

    response = _post_new(world, data)

    assert response.status_code == 302
    assert Activity.objects.get(title=TITLE).photos.count() == 2
