"""Meeting list, create/edit form and overview: happy paths, the role matrix and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from libraries.models import Regency
from meetings.models import Meeting
from meetings.services.meeting import save_meeting
from tests.factories import AttendanceFactory, MeetingFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def _valid_post(**overrides) -> dict:
    data = {
        "kind": Meeting.Kind.PLM,
        "title": "PLM Provinsi Jambi 2023",
        "year": "2023",
        "wave": "2",
        "start_date": "2023-08-01",
        "end_date": "2023-08-01",
        "mode": Meeting.Mode.TATAP_MUKA,
        "venue_regency": "15.71",
        "venue_name": "Aula Dinas",
        "status": Meeting.Status.PLANNED,
    }
    data.update(overrides)
    return data


# --- list -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "visible"),
    [
        ("national", 200, True),
        ("officer", 200, True),
        ("other_officer", 200, False),
        ("facilitator", 200, True),
        ("other_facilitator", 200, False),
        ("anonymous", 302, False),
    ],
)
def test_meeting_list_shows_only_scope(scenario, role, status, visible):
    riau_meeting = MeetingFactory(province=scenario.riau, title="PLM Provinsi Riau 2022")

    response = scenario.client_for(role).get(reverse("meetings:meeting_list"))

    assert response.status_code == status
    body = response.content.decode()
    assert ("PLM Provinsi Jambi 2022" in body) is visible
    if role == "other_officer":
        assert riau_meeting.title in body


def test_meeting_list_filters_and_searches(scenario):
    MeetingFactory(
        province=scenario.jambi, title="Bimtek SPP-TIK", kind=Meeting.Kind.BIMTEK, year=2022
    )
    MeetingFactory(province=scenario.jambi, title="PLM Provinsi Jambi 2023", year=2023)
    client = scenario.client_for("officer")

    by_kind = (
        client.get(reverse("meetings:meeting_list"), {"kind": "bimtek"}).context["page"].object_list
    )
    by_year = (
        client.get(reverse("meetings:meeting_list"), {"year": "2023"}).context["page"].object_list
    )
    by_text = (
        client.get(reverse("meetings:meeting_list"), {"q": "spp-tik"}).context["page"].object_list
    )

    assert [m.title for m in by_kind] == ["Bimtek SPP-TIK"]
    assert [m.title for m in by_year] == ["PLM Provinsi Jambi 2023"]
    assert [m.title for m in by_text] == ["Bimtek SPP-TIK"]


def test_meeting_list_place_filter_is_province_for_national_and_regency_for_officer(scenario):
    MeetingFactory(province=scenario.riau, title="PLM Provinsi Riau")
    national = scenario.client_for("national")

    form = national.get(reverse("meetings:meeting_list")).context["form"]
    by_province = national.get(reverse("meetings:meeting_list"), {"province": "14"})
    officer_form = (
        scenario.client_for("officer").get(reverse("meetings:meeting_list")).context["form"]
    )

    assert "regency" not in form.fields
    assert [p.code for p in form.fields["province"].queryset] == ["15", "14"]
    assert [m.title for m in by_province.context["page"].object_list] == ["PLM Provinsi Riau"]
    assert "province" not in officer_form.fields and "regency" in officer_form.fields


def test_meeting_list_search_matches_the_venue_regency(scenario):
    muaro = Regency.objects.create(
        code="15.05", province=scenario.jambi, name="Kabupaten Muaro Jambi", kind="kabupaten"
    )
    MeetingFactory(province=scenario.jambi, title="Bimtek", venue_regency=muaro)

    page = (
        scenario.client_for("officer")
        .get(reverse("meetings:meeting_list"), {"q": "muaro"})
        .context["page"]
    )

    assert [m.title for m in page.object_list] == ["Bimtek"]


def test_meeting_list_htmx_returns_results_partial(scenario):
    response = scenario.client_for("officer").get(
        reverse("meetings:meeting_list"), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body


def test_meeting_list_counts_participants_and_attendance(scenario):
    attended = ParticipationFactory(meeting=scenario.meeting)
    AttendanceFactory(participation=attended)
    ParticipationFactory(meeting=scenario.meeting)

    page = scenario.client_for("officer").get(reverse("meetings:meeting_list")).context["page"]

    meeting = page.object_list[0]
    assert (meeting.participant_count, meeting.attended_count) == (2, 1)


@pytest.mark.parametrize("rows", [1, 3])
def test_meeting_list_query_count_is_constant(scenario, django_assert_num_queries, rows):
    for _ in range(rows - 1):
        MeetingFactory(province=scenario.jambi)
    client = scenario.client_for("officer")

    # session, user, years, regencies, count, page (with its counts as subqueries)
    with django_assert_num_queries(6):
        response = client.get(reverse("meetings:meeting_list"))

    assert len(response.context["page"].object_list) == rows


def test_national_meeting_list_total_is_cached_until_a_meeting_is_saved(
    scenario, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The whole nation's list: its total is counted once per generation, not on every page."""
    client = scenario.client_for("national")
    url = reverse("meetings:meeting_list")
    assert client.get(url).context["page"].paginator.count == 1
    # session, user, years, provinces, page: no count
    with django_assert_num_queries(5):
        client.get(url)
    MeetingFactory(province=scenario.jambi)  # bypasses the services: still the cached total
    assert client.get(url).context["page"].paginator.count == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:meeting_new"), _valid_post(province="15"))
    assert response.status_code == 302
    assert client.get(url).context["page"].paginator.count == 3
    # A filtered list counts what it shows.
    assert client.get(url, {"kind": "plm"}).context["page"].paginator.count == 3


def test_meeting_list_paginates(scenario):
    MeetingFactory.create_batch(21, province=scenario.jambi)

    response = scenario.client_for("officer").get(reverse("meetings:meeting_list"), {"page": 2})

    assert len(response.context["page"].object_list) == 2
    assert "Halaman 2 dari 2" in response.content.decode()


# --- create -----------------------------------------------------------------------------------------


def test_meeting_create_officer_saves_in_own_province(scenario):
    response = scenario.client_for("officer").post(
        reverse("meetings:meeting_new"), _valid_post(province="14")
    )

    meeting = Meeting.objects.get(title="PLM Provinsi Jambi 2023")
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert meeting.province_id == "15"
    assert meeting.created_by == scenario.users["officer"]


def test_meeting_create_national_chooses_province(scenario):
    Regency.objects.create(code="14.71", province=scenario.riau, name="Kota Pekanbaru", kind="kota")

    response = scenario.client_for("national").post(
        reverse("meetings:meeting_new"), _valid_post(province="14", venue_regency="14.71")
    )

    assert response.status_code == 302
    assert Meeting.objects.get(title="PLM Provinsi Jambi 2023").province_id == "14"


@pytest.mark.parametrize(
    ("role", "status"),
    [("other_facilitator", 403), ("facilitator", 403), ("anonymous", 302)],
)
def test_meeting_create_refused_for_non_editors(scenario, role, status):
    before = Meeting.objects.count()

    response = scenario.client_for(role).post(reverse("meetings:meeting_new"), _valid_post())

    assert response.status_code == status
    assert Meeting.objects.count() == before


def test_meeting_create_bad_input_keeps_values_and_explains(scenario):
    before = Meeting.objects.count()

    response = scenario.client_for("officer").post(
        reverse("meetings:meeting_new"),
        _valid_post(title="PLM Uji", start_date="2023-08-03", end_date="2023-08-01", mode="daring"),
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in body
    assert "Isi tautan daring untuk pertemuan daring atau hibrida." in body
    assert 'value="PLM Uji"' in body
    assert Meeting.objects.count() == before


def test_meeting_new_form_starts_with_programme_year_setting(scenario, settings):
    settings.PLM_PROGRAMME_YEAR = 2022

    response = scenario.client_for("officer").get(reverse("meetings:meeting_new"))

    assert response.context["form"]["year"].value() == 2022


@pytest.mark.parametrize(
    ("now", "year"),
    [
        # 31 Dec 2024 17:30 UTC is already 1 Jan 2025 00:30 in Jakarta.
        (dt.datetime(2024, 12, 31, 17, 30, tzinfo=dt.UTC), 2025),
        (dt.datetime(2024, 12, 31, 16, 30, tzinfo=dt.UTC), 2024),
    ],
)
def test_meeting_new_form_without_setting_starts_with_year_in_jakarta(
    scenario, settings, monkeypatch, now, year
):
    settings.PLM_PROGRAMME_YEAR = None
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)

    response = scenario.client_for("officer").get(reverse("meetings:meeting_new"))

    assert response.context["form"]["year"].value() == year


def test_save_meeting_refuses_officer_of_another_province(scenario):
    meeting = Meeting(
        kind=Meeting.Kind.PLM,
        title="PLM Provinsi Jambi 2023",
        province=scenario.jambi,
        year=2023,
        start_date=dt.date(2023, 8, 1),
        end_date=dt.date(2023, 8, 1),
        mode=Meeting.Mode.DARING,
        online_url="https://example.id/plm",
    )

    with pytest.raises(PermissionDenied):
        save_meeting(meeting=meeting, by=scenario.users["other_officer"])

    assert not Meeting.objects.filter(title="PLM Provinsi Jambi 2023").exists()


def test_meeting_create_venue_of_other_province_refused(scenario):
    Regency.objects.create(code="14.71", province=scenario.riau, name="Kota Pekanbaru", kind="kota")

    response = scenario.client_for("officer").post(
        reverse("meetings:meeting_new"), _valid_post(venue_regency="14.71")
    )

    assert response.status_code == 200
    assert not Meeting.objects.filter(title="PLM Provinsi Jambi 2023").exists()


# --- edit -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 302),
        ("officer", 302),
        ("other_officer", 404),
        ("facilitator", 403),
        ("other_facilitator", 404),
        ("anonymous", 302),
    ],
)
def test_meeting_edit_role_matrix(scenario, role, status):
    url = reverse("meetings:meeting_edit", args=[scenario.meeting.pk])

    response = scenario.client_for(role).post(url, _valid_post(title="Judul baru", province="15"))

    assert response.status_code == status
    scenario.meeting.refresh_from_db()
    changed = scenario.meeting.title == "Judul baru"
    assert changed is (role in ("national", "officer"))
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_meeting_edit_shows_current_values(scenario):
    response = scenario.client_for("officer").get(
        reverse("meetings:meeting_edit", args=[scenario.meeting.pk])
    )

    assert response.status_code == 200
    assert 'value="PLM Provinsi Jambi 2022"' in response.content.decode()
    assert 'value="2022-08-02"' in response.content.decode()


# --- overview ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("national", 200),
        ("officer", 200),
        ("other_officer", 404),
        ("facilitator", 200),
        ("other_facilitator", 404),
        ("anonymous", 302),
    ],
)
def test_meeting_detail_role_matrix(scenario, role, status):
    response = scenario.client_for(role).get(
        reverse("meetings:meeting_detail", args=[scenario.meeting.pk])
    )

    assert response.status_code == status


def test_meeting_detail_shows_indonesian_date_and_counts(scenario):
    attended = ParticipationFactory(meeting=scenario.meeting)
    AttendanceFactory(participation=attended)
    ParticipationFactory(meeting=scenario.meeting)

    response = scenario.client_for("officer").get(
        reverse("meetings:meeting_detail", args=[scenario.meeting.pk])
    )

    body = response.content.decode()
    assert "Selasa, 2 Agustus 2022" in body
    assert (response.context["participant_total"], response.context["attended"]) == (2, 1)
    assert response.context["can_edit"] is True


def test_meeting_detail_facilitator_reads_but_cannot_edit(scenario):
    response = scenario.client_for("facilitator").get(
        reverse("meetings:meeting_detail", args=[scenario.meeting.pk])
    )

    assert (response.context["can_edit"], response.context["can_attend"]) == (False, True)
    assert (
        reverse("meetings:meeting_edit", args=[scenario.meeting.pk])
        not in response.content.decode()
    )


# --- regency options --------------------------------------------------------------------------------


def test_regency_options_national_gets_province_regencies(scenario):
    Regency.objects.create(code="14.71", province=scenario.riau, name="Kota Pekanbaru", kind="kota")

    response = scenario.client_for("national").get(
        reverse("meetings:regency_options"), {"province": "14"}
    )

    assert response.status_code == 200
    assert "Kota Pekanbaru" in response.content.decode()
    assert "Kota Jambi" not in response.content.decode()


def test_regency_options_officer_of_other_province_refused(scenario):
    response = scenario.client_for("officer").get(
        reverse("meetings:regency_options"), {"province": "14"}
    )

    assert response.status_code == 403


def test_meeting_days_for_date_display(scenario):
    scenario.meeting.end_date = dt.date(2022, 8, 4)

    assert scenario.meeting.days == [dt.date(2022, 8, 2), dt.date(2022, 8, 3), dt.date(2022, 8, 4)]
