"""A person's data export (UU PDP): everything held about them and nothing of anyone else, as JSON and PDF,
for national staff only, audited."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from libraries.models import Person
from meetings.models import Session
from programs.models import ImpactStory
from reports.personal_data import EXPORT_REASON, SCHEMA, personal_data, personal_data_json
from tests.factories import (
    AttendanceFactory,
    LibraryFactory,
    MeetingFactory,
    ParticipationFactory,
    PersonFactory,
    RtlActionFactory,
    UserFactory,
)
from tests.reports.builders import pdf_pages
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

SITI_PHONE = "+6281234567801"
BUDI_PHONE = "+6281299990002"
# What a refused role gets: 404 when signed in (the page does not exist for them), the login page if not.
REFUSED = {role: 302 if role == "anonymous" else 404 for role in ROLES if role != "national"}


def build_world(scenario) -> dict:
    """Siti (Jambi) with a participation and attendance, a session she led, an RTL row naming her, a published
    story about her; Budi at the same meeting; a second meeting Siti also attended."""
    library = LibraryFactory(regency=scenario.kota_jambi, name="Perpustakaan Desa Sukamaju")
    siti = PersonFactory(
        full_name="Siti Aminah",
        phone=SITI_PHONE,
        email="siti.aminah@example.test",
        position="Kepala Perpustakaan",
        institution="Desa Sukamaju",
        province=scenario.jambi,
        home_library=library,
    )
    budi = PersonFactory(
        full_name="Budi Santoso",
        phone=BUDI_PHONE,
        email="budi@example.test",
        position="Pustakawan Budi",
        province=scenario.jambi,
    )
    meeting = scenario.meeting
    siti_at = ParticipationFactory(
        meeting=meeting, person=siti, library=library, notes="Vegetarian, alergi kacang"
    )
    budi_at = ParticipationFactory(meeting=meeting, person=budi, notes="Catatan Budi")
    AttendanceFactory(participation=siti_at)
    AttendanceFactory(participation=budi_at)
    other_meeting = MeetingFactory(
        province=scenario.jambi, title="Bimtek Jambi 2023", start_date=dt.date(2023, 3, 6)
    )
    ParticipationFactory(meeting=other_meeting, person=siti)
    Session.objects.create(meeting=meeting, title="Berbagi praktik baik", led_by=siti)
    rtl = RtlActionFactory(meeting=meeting, library=library, responsible="siti aminah")
    budi_rtl = RtlActionFactory(meeting=meeting, library=library, responsible="Budi Santoso")
    story = ImpactStory.objects.create(
        library=library,
        person=siti,
        anonymous=False,
        alias="Ibu S.",
        title="Siti Aminah membuka taman baca",
        story="Siti Aminah kini mengelola taman baca di desanya.",
        date=dt.date(2022, 10, 1),
        consent_given=True,
        consent_date=dt.date(2022, 10, 1),
        consent_method=ImpactStory.ConsentMethod.WRITTEN,
        status=ImpactStory.Status.PUBLISHED,
    )
    return {
        "siti": siti,
        "budi": budi,
        "library": library,
        "siti_at": siti_at,
        "budi_at": budi_at,
        "other_meeting": other_meeting,
        "rtl": rtl,
        "budi_rtl": budi_rtl,
        "story": story,
    }


@pytest.fixture
def world(scenario):
    return build_world(scenario)


def person_of(person: Person) -> Person:
    return Person.objects.select_related("province", "home_library").get(pk=person.pk)


def url(name: str, person: Person) -> str:
    return reverse(f"reports:{name}", args=[person.pk])


# --- what is gathered ------------------------------------------------------------------------------------


def test_personal_data_holds_everything_about_the_person(scenario, world):
    data = personal_data(person_of(world["siti"]))

    assert data["schema"] == SCHEMA
    assert data["person"]["full_name"] == "Siti Aminah"
    assert data["person"]["phone"] == SITI_PHONE
    assert data["person"]["home_library"]["name"] == "Perpustakaan Desa Sukamaju"
    assert [row["meeting"]["title"] for row in data["participations"]] == [
        "PLM Provinsi Jambi 2022",
        "Bimtek Jambi 2023",
    ]
    assert [len(row["attendance"]) for row in data["participations"]] == [1, 0]
    assert data["participations"][0]["notes"] == "Vegetarian, alergi kacang"
    assert [row["title"] for row in data["sessions_led"]] == ["Berbagi praktik baik"]
    assert [row["id"] for row in data["rtl_responsible"]] == [world["rtl"].pk]
    assert [row["id"] for row in data["impact_stories"]] == [world["story"].pk]
    assert data["account"] is None
    assert [version["values"]["full_name"] for version in data["history"]["person"]] == [
        "Siti Aminah"
    ]
    assert len(data["history"]["participations"]) == 2
    assert len(data["history"]["attendance"]) == 1


def test_personal_data_holds_nothing_of_other_people(scenario, world):
    text = personal_data_json(personal_data(person_of(world["siti"]))).decode("utf-8")

    for other in ("Budi", BUDI_PHONE, "budi@example.test", "Catatan Budi", "nasional@example.test"):
        assert other not in text


def test_personal_data_includes_portal_account_with_same_email(scenario, world):
    UserFactory(email="SITI.AMINAH@example.test", full_name="Siti Aminah", province=scenario.jambi)

    data = personal_data(person_of(world["siti"]))

    assert data["account"]["email"] == "SITI.AMINAH@example.test"
    assert "password" not in data["account"]


def test_personal_data_queries_do_not_grow_with_meetings(scenario, world):
    siti, budi = person_of(world["siti"]), person_of(world["budi"])
    with CaptureQueriesContext(connection) as two_meetings:
        personal_data(siti)
    with CaptureQueriesContext(connection) as one_meeting:
        personal_data(budi)

    assert len(two_meetings) == len(one_meeting) <= 12


# --- JSON and PDF downloads ------------------------------------------------------------------------------


def test_json_export_downloads_utf8_json_with_iso_dates(scenario, world):
    Person.objects.filter(pk=world["siti"].pk).update(full_name="Siti Aminah Ñoño")

    response = scenario.client_for("national").post(url("personal_data_json", world["siti"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="data-pribadi-orang-')
    assert "Siti" not in response["Content-Disposition"]
    assert "Ñoño".encode() in response.content  # written as UTF-8, not \\u escapes
    data = json.loads(response.content.decode("utf-8"))
    assert data["schema"] == SCHEMA
    assert data["person"]["full_name"] == "Siti Aminah Ñoño"
    assert data["participations"][0]["meeting"]["start_date"] == "2022-08-02"
    assert data["participations"][0]["attendance"][0]["checked_in_at"].startswith(
        "2022-08-02T08:30:00"
    )


def test_pdf_export_renders_the_persons_data_only(scenario, world):
    response = scenario.client_for("national").post(url("personal_data_pdf", world["siti"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(pdf_pages(response.content)).split())
    for expected in (
        "Siti Aminah",
        SITI_PHONE,
        "siti.aminah@example.test",
        "PLM Provinsi Jambi 2022",
        "Bimtek Jambi 2023",
        "Berbagi praktik baik",
        "Perpustakaan Desa Sukamaju",
    ):
        assert expected in text
    assert "Budi" not in text
    assert BUDI_PHONE not in text


def test_export_is_recorded_in_history_and_logged_without_phone(scenario, world, caplog):
    siti = world["siti"]
    national = scenario.users["national"]
    before = Person.history.filter(id=siti.pk).count()

    with caplog.at_level(logging.INFO, logger="reports.personal_data"):
        scenario.client_for("national").post(url("personal_data_json", siti))

    latest = Person.history.filter(id=siti.pk).order_by("-history_id").first()
    assert Person.history.filter(id=siti.pk).count() == before + 1
    assert (latest.history_change_reason, latest.history_user_id) == (EXPORT_REASON, national.pk)
    assert person_of(siti).full_name == "Siti Aminah"
    lines = [
        json.loads(r.getMessage()) for r in caplog.records if r.name == "reports.personal_data"
    ]
    assert lines == [
        {
            "event": "personal_data_export",
            "by_user_id": national.pk,
            "person_id": siti.pk,
            "at": lines[0]["at"],
            "format": "json",
        }
    ]
    assert SITI_PHONE not in caplog.text and "Siti" not in caplog.text


def test_personal_data_page_lists_counts_for_national_staff(scenario, world):
    response = scenario.client_for("national").get(url("personal_data", world["siti"]))

    assert response.status_code == 200
    assert response.context["attendance_days"] == 1
    assert reverse("reports:personal_data_erase", args=[world["siti"].pk]).encode() in (
        response.content
    )


def test_person_page_shows_data_rights_button_to_national_staff_only(scenario, world):
    link = url("personal_data", world["siti"]).encode()
    detail = reverse("libraries:person_detail", args=[world["siti"].pk])

    national = scenario.client_for("national").get(detail)
    officer = scenario.client_for("officer").get(detail)

    assert (link in national.content, link in officer.content) == (True, False)


# --- who may ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(REFUSED))
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("personal_data", "get"),
        ("personal_data_json", "post"),
        ("personal_data_pdf", "post"),
        ("personal_data_erase", "get"),
        ("personal_data_erase", "post"),
    ],
)
def test_personal_data_views_refuse_everyone_but_national_staff(
    scenario, world, role, name, method
):
    siti = world["siti"]
    history_before = Person.history.filter(id=siti.pk).count()
    client = scenario.client_for(role)

    response = getattr(client, method)(url(name, siti), {"confirmation": "HAPUS"})

    assert response.status_code == REFUSED[role]
    assert person_of(siti).full_name == "Siti Aminah"
    assert Person.history.filter(id=siti.pk).count() == history_before


def test_export_refuses_get(scenario, world):
    response = scenario.client_for("national").get(url("personal_data_json", world["siti"]))

    assert response.status_code == 405
