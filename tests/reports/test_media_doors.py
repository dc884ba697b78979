"""No file under media is reachable by its address, in DEBUG too: only through views that check who asks."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from PIL import Image

from tests.factories import LibraryFactory
from tests.reports.builders import add_people, make_host

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_urls(settings):
    """DEBUG on, with the URLconf loaded again under it (a DEBUG-only route would appear)."""
    import importlib

    import plm_portal.urls

    settings.DEBUG = True
    clear_url_caches()
    importlib.reload(plm_portal.urls)
    yield
    settings.DEBUG = False
    clear_url_caches()
    importlib.reload(plm_portal.urls)


@pytest.fixture
def rendered(scenario, django_capture_on_commit_callbacks):
    from reports.models import Report
    from reports.services import request_report

    make_host(scenario.meeting)
    add_people(scenario.meeting)
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(
            meeting=scenario.meeting, kind=Report.Kind.ATTENDANCE, by=scenario.users["officer"]
        )
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    scenario.report = report
    return scenario


@pytest.mark.parametrize("role", ["anonymous", "officer", "national"])
def test_media_url_of_report_is_404_in_debug(rendered, debug_urls, role):
    response = rendered.client_for(role).get(f"/media/{rendered.report.file.name}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [("officer", 200), ("facilitator", 200), ("other_officer", 404), ("anonymous", 302)],
)
def test_download_view_still_serves_report_in_debug(rendered, debug_urls, role, expected):
    url = reverse("reports:report_download", args=[rendered.meeting.pk, rendered.report.pk])

    response = rendered.client_for(role).get(url)

    assert response.status_code == expected


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def logo_library(scenario):
    library = LibraryFactory(regency=scenario.kota_jambi)
    library.logo.save("logo.png", ContentFile(png()), save=True)
    return library


def test_logo_media_url_is_404_in_debug(scenario, logo_library, debug_urls):
    response = scenario.client_for("national").get(f"/media/{logo_library.logo.name}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"), [("other_officer", 200), ("facilitator", 200), ("anonymous", 302)]
)
def test_logo_view_serves_any_signed_in_user(scenario, logo_library, role, expected):
    response = scenario.client_for(role).get(
        reverse("libraries:library_logo", args=[logo_library.pk])
    )

    assert response.status_code == expected
    if expected == 200:
        assert (response["Content-Type"], response["X-Content-Type-Options"]) == (
            "image/png",
            "nosniff",
        )
        assert b"".join(response.streaming_content) == png()


def test_logo_view_without_logo_is_404(scenario):
    library = LibraryFactory(regency=scenario.kota_jambi)

    response = Client()
    response.force_login(scenario.users["officer"])

    assert response.get(reverse("libraries:library_logo", args=[library.pk])).status_code == 404
