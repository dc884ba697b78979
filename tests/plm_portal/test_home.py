import pytest
from django.urls import reverse

from tests.factories import (
    FacilitatorUserFactory,
    LibraryFactory,
    MeetingFactory,
    NationalUserFactory,
    ProvinceFactory,
    RegencyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces():
    jambi = ProvinceFactory(code="15", name="Jambi")
    riau = ProvinceFactory(code="14", name="Riau")
    MeetingFactory.create_batch(2, province=jambi)
    MeetingFactory(province=riau)
    LibraryFactory(regency=RegencyFactory(province=jambi, code="15.71"))
    return jambi, riau


def test_home_anonymous_redirects_to_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_home_provincial_officer_counts_own_province(client, two_provinces):
    jambi, _ = two_provinces
    client.force_login(UserFactory(province=jambi))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.province, summary.meetings, summary.libraries) == (jambi, 2, 1)
    assert summary.provinces_with_meetings == 2


def test_home_national_staff_counts_every_province(client, two_provinces):
    client.force_login(NationalUserFactory())

    summary = client.get(reverse("home")).context["summary"]

    assert (summary.province, summary.meetings, summary.libraries) == (None, 3, 1)


def test_home_facilitator_sees_aggregates_only(client, two_provinces):
    client.force_login(FacilitatorUserFactory())

    summary = client.get(reverse("home")).context["summary"]

    assert summary.province is None
    assert summary.provinces_with_meetings == 2


def test_pages_are_indonesian_even_when_browser_prefers_english(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="id">' in response.content.decode()


def test_language_switch_selects_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})

    response = client.get(reverse("account_login"))

    assert '<html lang="en">' in response.content.decode()


def test_healthz_reports_database_ok(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_favicon_redirects_to_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("plm_portal/favicon.svg")
