"""Impact-story pages through the six-role matrix: who sees and changes which story, and that refusals change
nothing. Editors are national staff and the story's province officer; published stories are for everyone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import ImpactStory
from programs.photos import Photo
from programs.services.stories import save_story
from tests.factories import ImpactStoryFactory, NationalUserFactory
from tests.programs import factories_stories
from tests.programs.factories_stories import ConsentedStoryFactory, jpeg_bytes
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

story_world = factories_stories.story_world
remove_story_photos = factories_stories.remove_story_photos

Status = ImpactStory.Status
EDITORS = {"national", "officer"}


def _expected(role: str, *, editor: int = 200, other_officer: int = 404) -> int:
    """Status for a page of a Jambi story: editors, the Riau officer, facilitators, anonymous."""
    if role in EDITORS:
        return editor
    if role == "other_officer":
        return other_officer
    if role == "anonymous":
        return 302
    return 403


@pytest.fixture
def story(story_world):
    return ConsentedStoryFactory(
        library=story_world.library,
        person=story_world.person,
        title="Keripik Bu Nur",
        alias="Ibu N., 45 tahun",
        anonymous=True,
    )


# --- lists ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_story_list_by_role(story_world, story, role):
    response = story_world.scenario.client_for(role).get(reverse("programs:story_list"))

    expected = 200 if role in EDITORS | {"other_officer"} else _expected(role)
    assert response.status_code == expected
    if role in EDITORS:
        assert "Keripik Bu Nur" in response.content.decode()
        assert "Nurhayati Siregar" in response.content.decode()  # editors see the real person
    if role == "other_officer":
        assert "Keripik Bu Nur" not in response.content.decode()
        assert list(response.context["page"].object_list) == []


def test_story_list_filters_status_year_line_and_regency(story_world, story):
    client = story_world.scenario.client_for("officer")
    ImpactStoryFactory(library=story_world.library, title="Cerita lama", date="2019-05-01")

    def titles(**params):
        response = client.get(reverse("programs:story_list"), params)
        return [s.title for s in response.context["page"].object_list]

    assert titles(year=2019) == ["Cerita lama"]
    assert titles(status="verified") == []
    assert titles(line_of_work="pelibatan") == []
    assert sorted(titles(regency="15.71")) == ["Cerita lama", "Keripik Bu Nur"]


def test_story_list_officer_filter_has_no_other_province(story_world, story):
    response = story_world.scenario.client_for("officer").get(reverse("programs:story_list"))

    form = response.context["form"]
    assert "province" not in form.fields
    assert "Riau" not in response.content.decode()
    assert "Pekanbaru" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("role", ["officer", "national"])
def test_story_list_query_count(story_world, django_assert_num_queries, rows, role):
    ConsentedStoryFactory.create_batch(rows, library=story_world.library, person=story_world.person)
    client = story_world.scenario.client_for(role)

    # session, user, province or regency choices, count, rows
    with django_assert_num_queries(5):
        response = client.get(reverse("programs:story_list"))

    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("role", ROLES)
def test_story_published_by_role(story_world, story, role):
    story.status = Status.PUBLISHED
    story.save()
    ImpactStoryFactory(library=story_world.library, title="Masih draf")

    response = story_world.scenario.client_for(role).get(reverse("programs:story_published"))

    if role == "anonymous":
        assert response.status_code == 302
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert [s.title for s in response.context["page"].object_list] == ["Keripik Bu Nur"]
    # Anonymous story: the alias everywhere, the person's name nowhere, even for editors.
    assert "Ibu N., 45 tahun" in body
    assert "Nurhayati" not in body


def test_story_published_named_with_consent_shows_name(story_world, story):
    story.status, story.anonymous = Status.PUBLISHED, False
    story.save()

    response = story_world.scenario.client_for("other_officer").get(
        reverse("programs:story_published")
    )

    assert "Nurhayati Siregar" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_story_published_query_count(story_world, django_assert_num_queries, rows):
    ConsentedStoryFactory.create_batch(
        rows, library=story_world.library, person=story_world.person, status=Status.PUBLISHED
    )
    client = story_world.scenario.client_for("facilitator")

    # session, user, count, rows
    with django_assert_num_queries(4):
        response = client.get(reverse("programs:story_published"))

    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("role", ROLES)
def test_story_published_detail_by_role(story_world, story, role):
    story.status = Status.PUBLISHED
    story.save()

    response = story_world.scenario.client_for(role).get(
        reverse("programs:story_published_detail", args=[story.pk])
    )

    assert response.status_code == (302 if role == "anonymous" else 200)
    if role != "anonymous":
        assert "Nurhayati" not in response.content.decode()


@pytest.mark.parametrize("role", ["national", "officer", "other_officer", "facilitator"])
def test_story_published_detail_of_draft_not_found(story_world, story, role):
    response = story_world.scenario.client_for(role).get(
        reverse("programs:story_published_detail", args=[story.pk])
    )

    assert response.status_code == 404


# --- detail and workflow --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_story_detail_by_role(story_world, story, role):
    response = story_world.scenario.client_for(role).get(
        reverse("programs:story_detail", args=[story.pk])
    )

    assert response.status_code == _expected(role)
    if role in EDITORS:
        body = response.content.decode()
        assert "Nurhayati Siregar" in body and "anonim" in body
        assert "Ibu N., 45 tahun" in body


@pytest.mark.parametrize("role", ROLES)
def test_story_verify_by_role(story_world, story, role):
    response = story_world.scenario.client_for(role).post(
        reverse("programs:story_verify", args=[story.pk])
    )

    assert response.status_code == _expected(role, editor=302)
    story.refresh_from_db()
    assert story.status == (Status.VERIFIED if role in EDITORS else Status.DRAFT)


def test_story_verify_without_consent_shows_message(story_world):
    story = ImpactStoryFactory(library=story_world.library)
    client = story_world.scenario.client_for("officer")

    response = client.post(reverse("programs:story_verify", args=[story.pk]), follow=True)

    assert "persetujuan narasumber belum dicatat" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.DRAFT


@pytest.mark.parametrize("role", ROLES)
def test_story_publish_by_role(story_world, story, role):
    story.status = Status.VERIFIED
    story.save()

    response = story_world.scenario.client_for(role).post(
        reverse("programs:story_publish", args=[story.pk])
    )

    expected = {"national": 302, "officer": 403}.get(role, _expected(role))
    assert response.status_code == expected
    story.refresh_from_db()
    assert story.status == (Status.PUBLISHED if role == "national" else Status.VERIFIED)


def test_story_publish_twice_is_one_publication(story_world, story):
    story.status = Status.VERIFIED
    story.save()
    client = story_world.scenario.client_for("national")
    url = reverse("programs:story_publish", args=[story.pk])
    client.post(url)
    first = ImpactStory.objects.get(pk=story.pk).published_at

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "Cerita ini sudah terbit." in response.content.decode()
    assert ImpactStory.objects.get(pk=story.pk).published_at == first


@pytest.mark.parametrize("role", ROLES)
def test_story_unpublish_by_role(story_world, story, role):
    story.status = Status.PUBLISHED
    story.save()

    response = story_world.scenario.client_for(role).post(
        reverse("programs:story_unpublish", args=[story.pk])
    )

    expected = {"national": 302, "officer": 403}.get(role, _expected(role))
    assert response.status_code == expected
    story.refresh_from_db()
    assert story.status == (Status.VERIFIED if role == "national" else Status.PUBLISHED)


@pytest.mark.parametrize("name", ["story_verify", "story_publish", "story_unpublish"])
def test_story_workflow_refuses_get(story_world, story, name):
    response = story_world.scenario.client_for("national").get(
        reverse(f"programs:{name}", args=[story.pk])
    )

    assert response.status_code == 405
    assert ImpactStory.objects.get(pk=story.pk).status == Status.DRAFT


# --- photo ---------------------------------------------------------------------------------------------------


def _with_photo(story: ImpactStory, by) -> ImpactStory:
    return save_story(story=story, by=by, photo=Photo(jpeg_bytes(), 64, 48))


@pytest.mark.parametrize("role", ROLES)
def test_story_photo_of_draft_by_role(story_world, story, remove_story_photos, role):
    _with_photo(story, story_world.scenario.users["officer"])

    response = story_world.scenario.client_for(role).get(
        reverse("programs:story_photo", args=[story.pk])
    )

    expected = {"national": 200, "officer": 200, "anonymous": 302}.get(role, 404)
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"].startswith("private")
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize("role", ROLES)
def test_story_photo_of_published_story_by_role(story_world, story, remove_story_photos, role):
    _with_photo(story, story_world.scenario.users["officer"])
    ImpactStory.objects.filter(pk=story.pk).update(status=Status.PUBLISHED)

    response = story_world.scenario.client_for(role).get(
        reverse("programs:story_photo", args=[story.pk])
    )

    assert response.status_code == (302 if role == "anonymous" else 200)


def test_story_photo_without_photo_not_found(story_world, story):
    response = story_world.scenario.client_for("officer").get(
        reverse("programs:story_photo", args=[story.pk])
    )

    assert response.status_code == 404


# --- admin ---------------------------------------------------------------------------------------------------


def test_story_admin_save_goes_through_the_service(story_world, story):
    """Consent recorded by whoever ticks it, and a content change sends a published story back to draft."""
    ImpactStory.objects.filter(pk=story.pk).update(
        status=Status.VERIFIED, consent_given=False, consent_date=None, consent_method=""
    )
    national = NationalUserFactory(is_superuser=True)
    client = Client()
    client.force_login(national)
    data = {
        "title": "Judul dari admin",
        "library": story_world.library.pk,
        "activity": "",
        "line_of_work": "pelibatan",
        "date": "2022-10-01",
        "person": story_world.person.pk,
        "anonymous": "on",
        "alias": "Ibu N.",
        "before": "",
        "after": "",
        "story": "Cerita.",
        "consent_given": "on",
        "consent_date": "2022-10-03",
        "consent_method": "lisan",
    }

    response = client.post(reverse("admin:programs_impactstory_change", args=[story.pk]), data)

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.status, story.consent_recorded_by) == (
        "Judul dari admin",
        Status.DRAFT,
        national,
    )


@pytest.mark.parametrize(
    ("name", "role"), [("story_list", "officer"), ("story_published", "facilitator")]
)
def test_story_lists_answer_htmx_with_the_results_only(story_world, story, name, role):
    story.status = Status.PUBLISHED
    story.save()
    client = story_world.scenario.client_for(role)

    response = client.get(
        reverse(f"programs:{name}"), {"year": 2022}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "Keripik Bu Nur" in body and "<html" not in body
