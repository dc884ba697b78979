"""Every page a user can reach, checked with axe-core in Chromium at phone and laptop widths.

axe-core comes from the npm registry (package.json devDependencies) and is injected from node_modules; the
context bypasses the portal's CSP only so that the injected checker can run. Serious and critical violations
fail the test; the page must also not scroll sideways and must make no request outside the portal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse

from libraries.importing.services import start_import
from libraries.models import ImportJob, Library, Person, Province
from meetings.models import Meeting, Participation, RtlAction
from plm_portal.models import User
from programs.models import Activity, Enrollment, ImpactStory
from reports import demo
from reports.exports.services import request_export
from reports.models import Export
from tests.demo_regions import create_demo_regions
from tests.e2e.conftest import complete_two_factor
from tests.libraries.registry_import_helpers import csv_bytes, person_row
from tests.reports.export_fixtures import private_exports_fixture  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (360, 1280)
NOT_FOUND = "/tidak-ada/"


@pytest.fixture
def demo_data(db, private_exports):
    create_demo_regions()
    demo.load_demo()
    jambi_plm = Meeting.objects.get(title=demo.meeting_title("plm_jambi"))
    officer = User.objects.get(email="jambi@demo.test")
    # A people import waiting in its mapping step, and an XLSX export already built (eagerly, in tests).
    csv_file = SimpleUploadedFile("orang.csv", csv_bytes([person_row(n) for n in range(1, 6)]))
    import_job = start_import(
        kind=ImportJob.Kind.PEOPLE,
        province=Province.objects.get(pk="15"),
        upload=csv_file,
        by=officer,
    )
    export = request_export(by=officer, dataset="libraries", params=QueryDict(""), language="id")
    assert (import_job.status, export.status) == (ImportJob.Status.UPLOADED, Export.Status.READY)
    return {
        "import_job": import_job,
        "meeting": jambi_plm,
        "participation": jambi_plm.participations.filter(
            role=Participation.Role.REGENCY_OFFICE
        ).first(),
        "library": Library.objects.filter(province_id="15", kind=Library.Kind.VILLAGE).first(),
        "person": Person.objects.filter(province_id="15").first(),
        "officer": officer,
        "activity": Activity.objects.filter(library__province_id="15").order_by("pk").first(),
        "story": ImpactStory.objects.filter(library__province_id="15").order_by("pk").first(),
        # A published story with its photo.
        "published": ImpactStory.objects.filter(status=ImpactStory.Status.PUBLISHED)
        .exclude(photo="")
        .order_by("pk")
        .first(),
        "enrollment": Enrollment.objects.filter(library__province_id="15").order_by("pk").first(),
        "rtl": RtlAction.objects.filter(meeting=jambi_plm).order_by("pk").first(),
    }


def _pages(data) -> dict[str, list[str]]:
    m = data["meeting"].pk
    return {
        "": [
            reverse("account_login"),
            reverse("account_reset_password"),
            reverse("checkin:start", args=[data["meeting"].checkin_token]),
            NOT_FOUND,
        ],
        "jambi@demo.test": [
            reverse("home"),
            reverse("meetings:meeting_list"),
            reverse("meetings:meeting_new"),
            reverse("meetings:meeting_detail", args=[m]),
            reverse("meetings:meeting_edit", args=[m]),
            reverse("meetings:agenda", args=[m]),
            reverse("meetings:participants", args=[m]),
            reverse("meetings:participants_new", args=[m]),
            reverse("meetings:participants_import", args=[m]),
            reverse("meetings:participants_edit", args=[m, data["participation"].pk]),
            reverse("meetings:attendance", args=[m]),
            reverse("meetings:checkin_qr", args=[m]),
            reverse("meetings:rtl", args=[m]),
            reverse("meetings:awards", args=[m]),
            reverse("reports:meeting_reports", args=[m]),
            reverse("libraries:library_list"),
            reverse("libraries:library_detail", args=[data["library"].pk]),
            reverse("libraries:library_edit", args=[data["library"].pk]),
            reverse("libraries:person_list"),
            reverse("libraries:person_detail", args=[data["person"].pk]),
            reverse("libraries:person_edit", args=[data["person"].pk]),
            reverse("account_change_password"),
            reverse("programs:enrollment_list"),
            reverse("programs:enrollment_new") + f"?library={data['library'].pk}",
            reverse("programs:enrollment_edit", args=[data["enrollment"].pk]),
            reverse("programs:activity_list"),
            reverse("programs:activity_new"),
            reverse("programs:activity_detail", args=[data["activity"].pk]),
            reverse("programs:activity_edit", args=[data["activity"].pk]),
            reverse("programs:story_list"),
            reverse("programs:story_new"),
            reverse("programs:story_detail", args=[data["story"].pk]),
            reverse("programs:story_edit", args=[data["story"].pk]),
            reverse("programs:story_published"),
            reverse("programs:story_published_detail", args=[data["published"].pk]),
            reverse("meetings:follow_ups_due"),
            reverse("meetings:rtl_follow_up", args=[m, data["rtl"].pk]) + "?month=1",
            reverse("reports:award_scores"),
            reverse("dashboard"),
            reverse("dashboard_province", args=["15"]),
            reverse("reports:exports"),
            reverse("libraries:person_import"),
            reverse("libraries:import_job", args=[data["import_job"].pk]),
        ],
        "fasilitator@demo.test": [
            reverse("home"),
            reverse("dashboard"),
            reverse("reports:exports"),
            reverse("meetings:attendance", args=[m]),
            reverse("reports:meeting_reports", args=[m]),
            reverse("programs:story_published"),
            reverse("libraries:library_detail", args=[data["library"].pk]),
        ],
        "nasional@demo.test": [
            reverse("home"),
            reverse("users:user_list"),
            reverse("users:user_invite"),
            reverse("waves"),
            reverse("reports:award_scores") + "?province=15&year=2022",
            reverse("programs:enrollment_list"),
            reverse("programs:activity_new"),
            reverse("programs:story_list"),
            reverse("meetings:follow_ups_due"),
            reverse("dashboard"),
            reverse("dashboard") + "?year=2022&indicator=attendance",
            reverse("dashboard_province", args=["15"]),
            reverse("reports:exports"),
            reverse("libraries:library_import"),
            reverse("libraries:person_import"),
        ],
    }


def _sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}{reverse('account_login')}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill("plm-demo-2022")
    page.get_by_role("button", name="Masuk").click()
    complete_two_factor(page, email)  # the demo national account has the published TOTP key
    page.wait_for_url(f"{base_url}/")


def test_every_page_passes_axe_at_phone_and_laptop_width(browser, live_server, demo_data):
    problems: list[str] = []
    checked = 0
    for email, paths in _pages(demo_data).items():
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
            page = context.new_page()
            outside: list[str] = []
            page.on(
                "request",
                lambda r, seen=outside: (
                    None if r.url.startswith((live_server.url, "data:")) else seen.append(r.url)
                ),
            )
            if email:
                _sign_in(page, live_server.url, email)
            for path in paths:
                response = page.goto(f"{live_server.url}{path}")
                # The page itself, not a refusal or an error page that passes axe in its place.
                expected = 404 if path == NOT_FOUND else 200
                if response is None or response.status != expected:
                    status = response.status if response else "no response"
                    problems.append(f"{email or 'anonymous'} {width}px {path}: status {status}")
                page.add_script_tag(path=str(AXE))
                result = page.evaluate(
                    "async () => await axe.run(document, {resultTypes: ['violations']})"
                )
                checked += 1
                assert result["testEngine"]["name"] == "axe-core"
                for violation in result["violations"]:
                    if violation["impact"] in ("serious", "critical"):
                        targets = [node["target"] for node in violation["nodes"][:3]]
                        problems.append(
                            f"{email or 'anonymous'} {width}px {path}: {violation['id']} {targets}"
                        )
                if page.evaluate("document.documentElement.scrollWidth") > width:
                    problems.append(f"{email or 'anonymous'} {width}px {path}: scrolls sideways")
            problems.extend(
                f"{email or 'anonymous'} {width}px outside request: {url}" for url in outside
            )
            context.close()

    assert problems == []
    assert checked == 2 * sum(len(paths) for paths in _pages(demo_data).values())
