"""Writing and changing impact stories in the portal: what the form accepts, what it refuses (keeping what was
typed), and the pickers that offer one province's people, libraries and activities only."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from plm_portal import once
from programs.models import ImpactStory
from programs.views.stories import FORM_KIND
from tests.factories import ImpactStoryFactory
from tests.programs import factories_stories
from tests.programs.factories_stories import ConsentedStoryFactory, jpeg_upload
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

story_world = factories_stories.story_world
remove_story_photos = factories_stories.remove_story_photos
Status = ImpactStory.Status


def _data(world, **changes) -> dict:
    data = {
        "library": world.library.pk,
        "person": world.person.pk,
        "anonymous": "on",
        "alias": "Ibu N., 45 tahun",
        "activity": world.activity.pk,
        "title": "Keripik Bu Nur",
        "line_of_work": "pelibatan",
        "date": "2022-10-01",
        "before": "Belum punya usaha.",
        "after": "Usaha keripik berjalan.",
        "story": "Setelah ikut pelatihan di perpustakaan, ia membuka usaha.",
        "change_income": "on",
        "consent_given": "on",
        "consent_date": "2022-10-02",
        "consent_method": "tertulis",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _post_new(world, role="officer", **changes):
    client = world.scenario.client_for(role)
    return client.post(reverse("programs:story_new"), _data(world, **changes))


# --- new ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_story_new_page_by_role(story_world, role):
    response = story_world.scenario.client_for(role).get(reverse("programs:story_new"))

    expected = {"national": 200, "officer": 200, "other_officer": 200, "anonymous": 302}
    assert response.status_code == expected.get(role, 403)


def test_story_new_by_officer_saves_draft_with_photo(story_world, remove_story_photos):
    officer = story_world.scenario.users["officer"]

    response = _post_new(story_world, photo=jpeg_upload())

    story = ImpactStory.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:story_detail", args=[story.pk])
    assert (story.status, story.created_by, story.consent_recorded_by) == (
        Status.DRAFT,
        officer,
        officer,
    )
    assert (story.person, story.activity, story.anonymous, story.change_income) == (
        story_world.person,
        story_world.activity,
        True,
        True,
    )
    with story.photo.open("rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).format == "JPEG"


def test_story_new_by_national_in_chosen_province(story_world):
    response = _post_new(story_world, role="national", province="15")

    assert response.status_code == 302
    assert ImpactStory.objects.get().library == story_world.library


def test_story_new_by_national_without_province_refused(story_world):
    response = _post_new(story_world, role="national")

    assert response.status_code == 200
    assert response.context["form"].errors["library"]
    assert not ImpactStory.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"person": "riau"}, "person", "Pilih orang dari provinsi perpustakaan ini."),
        ({"library": "riau"}, "library", "Pilih perpustakaan dari provinsi yang dipilih."),
        ({"activity": "other"}, "activity", "Pilih kegiatan dari perpustakaan ini."),
        ({"consent_date": ""}, "consent_date", "Isi tanggal persetujuan."),
        ({"consent_method": None}, "consent_method", "Pilih cara persetujuan diberikan."),
        (
            {"anonymous": None, "person": ""},
            "person",
            "Pilih narasumbernya, atau centang “tanpa nama” bila namanya tidak ditampilkan.",
        ),
        ({"date": "2999-01-01"}, "date", "Tanggal cerita tidak boleh di masa depan."),
        ({"title": "x" * 201}, "title", "Pastikan nilai ini mengandung paling banyak 200 karakter"),
        ({"story": ""}, "story", "Bidang ini tidak boleh kosong."),
    ],
)
def test_story_new_bad_input_refused_keeping_what_was_typed(story_world, changes, field, message):
    from tests.factories import ActivityFactory, LibraryFactory

    replacements = {
        "riau": story_world.riau_person.pk if field == "person" else story_world.riau_library.pk,
        "other": ActivityFactory(
            library=LibraryFactory(regency=story_world.scenario.kota_jambi)
        ).pk,
    }
    changes = {k: replacements.get(v, v) for k, v in changes.items()}

    response = _post_new(story_world, **changes)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    body = response.content.decode()
    assert "Setelah ikut pelatihan di perpustakaan" in body or field == "story"
    assert "Nurdin Riau" not in body and "Pekanbaru" not in body
    assert not ImpactStory.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"plain text, not a photo", b"\xff\xd8\xff<script>alert(1)</script>"],
)
def test_story_new_bad_photo_refused(story_world, content):
    upload = SimpleUploadedFile("foto.jpg", content, content_type="image/jpeg")

    response = _post_new(story_world, photo=upload)

    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert "Keripik Bu Nur" in response.content.decode()
    assert not ImpactStory.objects.exists()


def test_story_new_without_consent_saved_as_draft_without_consent_details(story_world):
    response = _post_new(story_world, consent_given=None)

    story = ImpactStory.objects.get()
    assert response.status_code == 302
    assert (story.consent_given, story.consent_date, story.consent_recorded_by) == (
        False,
        None,
        None,
    )


def test_story_new_consent_in_future_refused(story_world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = _post_new(story_world, consent_date=tomorrow.isoformat())

    assert "tidak boleh di masa depan" in " ".join(response.context["form"].errors["consent_date"])


def test_story_new_library_of_other_province_not_preselected(story_world):
    client = story_world.scenario.client_for("officer")

    response = client.get(reverse("programs:story_new"), {"library": story_world.riau_library.pk})

    assert response.status_code == 200
    assert "Pekanbaru" not in response.content.decode()


def test_story_new_library_preselected_from_library_page(story_world):
    client = story_world.scenario.client_for("officer")

    response = client.get(reverse("programs:story_new"), {"library": story_world.library.pk})

    assert response.context["form"].initial["library"] == story_world.library.pk
    assert "Pelatihan membuat keripik" in response.content.decode()


# --- edit ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_story_edit_by_role(story_world, role):
    story = ConsentedStoryFactory(library=story_world.library, title="Asli", anonymous=True)
    client = story_world.scenario.client_for(role)

    response = client.post(
        reverse("programs:story_edit", args=[story.pk]),
        _data(story_world, title="Diubah", person="", province="15"),
    )

    expected = {"national": 302, "officer": 302, "other_officer": 404, "anonymous": 302}
    assert response.status_code == expected.get(role, 403)
    story.refresh_from_db()
    assert story.title == ("Diubah" if role in {"national", "officer"} else "Asli")


def test_story_edit_published_warns_then_returns_to_draft(story_world):
    story = ConsentedStoryFactory(library=story_world.library, status=Status.PUBLISHED)
    client = story_world.scenario.client_for("officer")
    url = reverse("programs:story_edit", args=[story.pk])

    page = client.get(url).content.decode()
    response = client.post(url, _data(story_world, title="Judul baru"), follow=True)

    assert "cerita ditarik dari terbitan, kembali menjadi draf" in page
    assert "Cerita kembali menjadi draf dan perlu diverifikasi lagi." in response.content.decode()
    story.refresh_from_db()
    assert (story.status, story.title) == (Status.DRAFT, "Judul baru")


def test_story_edit_remove_photo(story_world, django_capture_on_commit_callbacks):
    _post_new(story_world, photo=jpeg_upload())
    story = ImpactStory.objects.get()
    stored, storage = story.photo.name, story.photo.storage
    client = story_world.scenario.client_for("officer")
    url = reverse("programs:story_edit", args=[story.pk])
    assert "Hapus foto yang ada" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _data(story_world, remove_photo="on"))

    story.refresh_from_db()
    assert not story.photo
    assert not storage.exists(stored)


# --- pickers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "library", "shown", "hidden"),
    [
        ("officer", "jambi", "Nurhayati Siregar", "Nurdin Riau"),
        ("national", "jambi", "Nurhayati Siregar", "Nurdin Riau"),
        ("national", "riau", "Nurdin Riau", "Nurhayati Siregar"),
        ("other_officer", "jambi", None, "Nurhayati Siregar"),
    ],
)
def test_story_people_options_stay_in_the_library_province(
    story_world, role, library, shown, hidden
):
    pk = story_world.library.pk if library == "jambi" else story_world.riau_library.pk
    client = story_world.scenario.client_for(role)

    response = client.get(
        reverse("programs:story_people_options"), {"q": "Nur", "library": pk, "status": "s"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    if shown:
        assert shown in body
    assert hidden not in body


def test_story_people_options_national_without_library_asks_for_one(story_world):
    client = story_world.scenario.client_for("national")

    response = client.get(reverse("programs:story_people_options"), {"q": "Nur", "status": "s"})

    assert "Pilih perpustakaan dulu." in response.content.decode()
    assert "Nurhayati" not in response.content.decode()


@pytest.mark.parametrize("role", ["facilitator", "other_facilitator"])
@pytest.mark.parametrize(
    "name", ["story_people_options", "story_activity_options", "story_scope_fields"]
)
def test_story_pickers_refuse_facilitators(story_world, role, name):
    response = story_world.scenario.client_for(role).get(
        reverse(f"programs:{name}"), {"q": "Nur", "library": story_world.library.pk}
    )

    assert response.status_code == 403


@pytest.mark.parametrize(("role", "shown"), [("officer", True), ("other_officer", False)])
def test_story_activity_options_of_library_in_scope_only(story_world, role, shown):
    client = story_world.scenario.client_for(role)

    response = client.get(
        reverse("programs:story_activity_options"), {"library": story_world.library.pk}
    )

    assert ("Pelatihan membuat keripik" in response.content.decode()) is shown


def test_story_scope_fields_for_national_follow_the_province(story_world):
    client = story_world.scenario.client_for("national")
    url = reverse("programs:story_scope_fields")

    jambi = client.get(url, {"province": "15"}).content.decode()
    riau = client.get(url, {"province": "14"}).content.decode()

    assert "Dinas Perpustakaan Kota Jambi" in jambi and "Pekanbaru" not in jambi
    assert "Dinas Perpustakaan Kota Pekanbaru" in riau and "Kota Jambi" not in riau


def test_story_scope_fields_for_officer_stay_in_their_province(story_world):
    client = story_world.scenario.client_for("officer")

    body = client.get(reverse("programs:story_scope_fields"), {"province": "14"}).content.decode()

    assert "Dinas Perpustakaan Kota Jambi" in body and "Pekanbaru" not in body


def test_story_form_lists_no_other_province(story_world):
    ImpactStoryFactory(library=story_world.riau_library, title="Cerita Riau")
    client = story_world.scenario.client_for("officer")

    body = client.get(reverse("programs:story_new")).content.decode()

    assert "Pekanbaru" not in body and "Nurdin" not in body and "Riau" not in body


def test_story_new_sent_twice_makes_one_story(story_world, django_capture_on_commit_callbacks):
    """A double tap on a weak connection: the second post of the same form answers with the first story."""
    key = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True):
        first = _post_new(story_world, form_key=key)
    second = _post_new(story_world, form_key=key)

    assert ImpactStory.objects.count() == 1
    story = ImpactStory.objects.get()
    assert first.status_code == second.status_code == 302
    assert (
        first["Location"] == second["Location"] == reverse("programs:story_detail", args=[story.pk])
    )


def test_story_new_while_the_first_post_is_saving_keeps_the_form(story_world):
    key = uuid.uuid4().hex
    once.claim(FORM_KIND, key)  # the first post of a double tap, not yet committed

    response = _post_new(story_world, form_key=key)

    assert response.status_code == 200
    assert "Kiriman yang sama sedang disimpan." in response.content.decode()
    assert not ImpactStory.objects.exists()
