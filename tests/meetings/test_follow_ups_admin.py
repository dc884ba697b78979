"""The Django admin of RTL follow-ups: inline on the RTL row, made with rows added there, moved with the meeting's
end date; the jury's reason on the award."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from meetings.models import Meeting, RtlAction, RtlFollowUp
from tests.factories import AwardFactory, LibraryFactory, NationalUserFactory
from tests.meetings.factories_followups import follow_up, rtl_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return NationalUserFactory(is_superuser=True, email="admin@example.test")


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "0",
    }


def row_data(action_or_meeting, library, **changes) -> dict[str, str]:
    data = {
        "meeting": str(action_or_meeting.pk),
        "library": str(library.pk),
        "line_of_work": "layanan",
        "order": "0",
        "activity": "Pojok baca anak",
        "status": RtlAction.Status.PLANNED,
    }
    data.update(changes)
    return data


def test_admin_rtl_row_added_gets_its_three_follow_ups(staff_client, scenario):
    library = LibraryFactory(regency=scenario.kota_jambi)

    response = staff_client.post(
        reverse("admin:meetings_rtlaction_add"),
        {**row_data(scenario.meeting, library), **management("follow_ups")},
    )

    assert response.status_code == 302
    action = RtlAction.objects.get()
    assert sorted(action.follow_ups.values_list("month", "due_date")) == [
        (1, dt.date(2022, 9, 2)),
        (3, dt.date(2022, 11, 2)),
        (6, dt.date(2023, 2, 2)),
    ]


def test_admin_rtl_row_change_page_lists_its_follow_ups(staff_client, scenario):
    action = rtl_row(meeting=scenario.meeting)

    response = staff_client.get(reverse("admin:meetings_rtlaction_change", args=[action.pk]))

    assert response.status_code == 200
    (inline,) = response.context["inline_admin_formsets"]
    assert [form.instance.month for form in inline.formset.forms] == [1, 3, 6]


def test_admin_follow_up_changed_records_the_staff_member(staff_client, superuser, scenario):
    action = rtl_row(meeting=scenario.meeting)
    follow_ups = list(action.follow_ups.order_by("month"))
    data = {**row_data(scenario.meeting, action.library, activity=action.activity)}
    data.update(management("follow_ups", total=3, initial=3))
    for n, item in enumerate(follow_ups):
        data.update(
            {
                f"follow_ups-{n}-id": str(item.pk),
                f"follow_ups-{n}-rtl_action": str(action.pk),
                f"follow_ups-{n}-due_date": item.due_date.isoformat(),
                f"follow_ups-{n}-status": "selesai" if n == 0 else "belum",
                f"follow_ups-{n}-note": "Dicek lewat telepon" if n == 0 else "",
                f"follow_ups-{n}-evidence_url": "",
            }
        )

    response = staff_client.post(reverse("admin:meetings_rtlaction_change", args=[action.pk]), data)

    assert response.status_code == 302
    first = follow_up(action, 1)
    assert (first.status, first.note, first.recorded_by) == (
        RtlFollowUp.Status.DONE,
        "Dicek lewat telepon",
        superuser,
    )
    assert follow_up(action, 3).recorded_by is None


def test_admin_meeting_end_date_changed_moves_pending_follow_ups(superuser, scenario):
    action = rtl_row(meeting=scenario.meeting)
    meeting = Meeting.objects.get(pk=scenario.meeting.pk)
    meeting.end_date = dt.date(2022, 8, 5)
    request = RequestFactory().post("/")
    request.user = superuser

    admin.site._registry[Meeting].save_model(
        request, meeting, SimpleNamespace(changed_data=["end_date"]), change=True
    )

    assert follow_up(action, 1).due_date == dt.date(2022, 9, 5)


def test_admin_award_shows_the_jury_reason_to_staff(staff_client, scenario):
    award = AwardFactory(province=scenario.jambi, jury_reason="Kegiatan paling berdampak")

    response = staff_client.get(reverse("admin:meetings_award_change", args=[award.pk]))

    body = response.content.decode()
    assert 'name="jury_reason"' in body
    assert "Kegiatan paling berdampak" in body
