"""The admin action "Buat ulang laporan": national staff render a ready or failed report again."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from reports.models import Report
from reports.services import request_report
from tests.factories import NationalUserFactory, ReportFactory, UserFactory
from tests.reports.builders import add_people, make_host

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:reports_report_changelist"


@pytest.fixture
def ready(scenario, django_capture_on_commit_callbacks):
    make_host(scenario.meeting)
    add_people(scenario.meeting)
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(
            meeting=scenario.meeting,
            kind=Report.Kind.ATTENDANCE,
            options={},
            by=scenario.users["officer"],
        )
    report.refresh_from_db()
    return report


def test_rerender_action_national_staff_renders_again(
    client, ready, django_capture_on_commit_callbacks
):
    client.force_login(NationalUserFactory(is_superuser=True))
    old_file = ready.file.name
    rendering = ReportFactory(meeting=ready.meeting, status=Report.Status.RENDERING)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(CHANGELIST),
            {"action": "rerender", "_selected_action": [ready.pk, rendering.pk]},
            follow=True,
        )

    ready.refresh_from_db()
    rendering.refresh_from_db()
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "1 laporan diantrekan untuk dibuat ulang.",
        "1 laporan dilewati: sedang diantrekan atau dibuat.",
    ]
    assert ready.status == Report.Status.READY
    assert ready.file.name != old_file
    assert rendering.status == Report.Status.RENDERING


def test_rerender_action_offered_to_national_staff_only(client):
    ReportFactory()
    # Staff with the view permission but not national staff (a provincial officer given admin access).
    officer = UserFactory(is_staff=True)
    officer.user_permissions.add(Permission.objects.get(codename="view_report"))

    client.force_login(NationalUserFactory(is_superuser=True))
    offered = client.get(reverse(CHANGELIST)).content.decode()
    client.force_login(officer)
    response = client.get(reverse(CHANGELIST))

    assert '<option value="rerender">Buat ulang laporan</option>' in offered
    assert response.status_code == 200
    assert 'value="rerender"' not in response.content.decode()


def test_rerender_action_posted_by_non_national_staff_changes_nothing(
    client, ready, django_capture_on_commit_callbacks
):
    officer = UserFactory(is_staff=True)
    officer.user_permissions.add(Permission.objects.get(codename="view_report"))
    client.force_login(officer)
    before = list(Report.objects.values())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse(CHANGELIST), {"action": "rerender", "_selected_action": [ready.pk]})

    assert callbacks == []
    assert list(Report.objects.values()) == before
