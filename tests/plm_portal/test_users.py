"""National staff manage users at /users/: list, invite, edit, resend the invitation."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from plm_portal.models import User
from plm_portal.services import invite_user, resend_invitation, update_user
from tests.factories import UserFactory
from tests.roles import ROLES

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Perpustakaan-Desa-2022"
LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+")


def _users_snapshot() -> list[tuple]:
    return list(
        User.objects.order_by("pk").values_list(
            "pk", "email", "full_name", "role", "province_id", "is_active", "password"
        )
    )


def _invited(email: str = "undangan@example.test", **kwargs) -> User:
    user = UserFactory(email=email, **kwargs)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


# --- invite -------------------------------------------------------------------------------------


def test_invite_creates_user_and_mails_after_commit(scenario, django_capture_on_commit_callbacks):
    client = scenario.client_for("national")

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("users:user_invite"),
            {
                "email": " Petugas.Baru@Example.test ",
                "full_name": "Petugas Baru",
                "role": "provincial",
                "province": "15",
            },
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits

    for callback in callbacks:
        callback()
    assert response.status_code == 302
    assert response["Location"] == reverse("users:user_list")
    user = User.objects.get(email="petugas.baru@example.test")
    assert (user.full_name, user.role, user.province_id) == ("Petugas Baru", "provincial", "15")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["petugas.baru@example.test"]
    assert message.subject == "Undangan ke Portal PLM: buat kata sandi Anda"
    assert "sebagai Petugas provinsi Provinsi Jambi" in message.body
    assert LINK.search(message.body).group(0).startswith("http://testserver/accounts/")


def test_invitation_link_lets_invitee_set_password_and_sign_in(
    scenario, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scenario.client_for("national").post(
            reverse("users:user_invite"),
            {"email": "fasil@example.test", "full_name": "Fasil Baru", "role": "facilitator"},
        )
    link = LINK.search(mail.outbox[0].body).group(0)
    invitee = Client()

    form_page = invitee.get(link, follow=True)
    done = invitee.post(
        form_page.request["PATH_INFO"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    signed_in = invitee.post(
        reverse("account_login"), {"login": "fasil@example.test", "password": NEW_PASSWORD}
    )

    assert "Buat kata sandi" in form_page.text
    assert "fasil@example.test" in form_page.text
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    assert signed_in.status_code == 302
    user = User.objects.get(email="fasil@example.test")
    assert invitee.session[SESSION_KEY] == str(user.pk)
    assert user.has_usable_password()
    assert invitee.get(link).context["token_fail"] is True  # the link works once


def test_invite_uses_the_request_host(scenario, settings, django_capture_on_commit_callbacks):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "plm.example.test"]

    with django_capture_on_commit_callbacks(execute=True):
        scenario.client_for("national").post(
            reverse("users:user_invite"),
            {"email": "baru@example.test", "full_name": "Baru", "role": "national"},
            HTTP_HOST="plm.example.test",
        )

    assert (
        LINK.search(mail.outbox[0].body)
        .group(0)
        .startswith("http://plm.example.test/accounts/password/reset/key/")
    )


def test_invite_duplicate_email_case_insensitive_is_a_field_error(
    scenario, django_capture_on_commit_callbacks
):
    before = _users_snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = scenario.client_for("national").post(
            reverse("users:user_invite"),
            {"email": "JAMBI@Example.TEST", "full_name": "Kembar", "role": "facilitator"},
        )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Email ini sudah dipakai oleh pengguna lain."
    ]
    assert 'value="JAMBI@Example.TEST"' in response.text
    assert 'value="Kembar"' in response.text
    assert _users_snapshot() == before
    assert mail.outbox == []


def test_invite_provincial_officer_without_province_is_refused(
    scenario, django_capture_on_commit_callbacks
):
    before = _users_snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = scenario.client_for("national").post(
            reverse("users:user_invite"),
            {"email": "tanpa@example.test", "full_name": "Tanpa Provinsi", "role": "provincial"},
        )

    assert response.status_code == 200
    assert response.context["form"].errors["province"] == [
        "Petugas provinsi wajib memiliki provinsi."
    ]
    assert _users_snapshot() == before
    assert mail.outbox == []


def test_invite_bad_input_keeps_what_was_typed(scenario):
    before = _users_snapshot()

    response = scenario.client_for("national").post(
        reverse("users:user_invite"),
        {"email": "bukan-email", "full_name": "", "role": "raja", "province": "99"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "full_name", "role", "province"}
    assert 'value="bukan-email"' in response.text
    assert _users_snapshot() == before


def test_invite_facilitator_ignores_province(scenario, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scenario.client_for("national").post(
            reverse("users:user_invite"),
            {
                "email": "fasil@example.test",
                "full_name": "Fasil",
                "role": "facilitator",
                "province": "15",
            },
        )

    assert User.objects.get(email="fasil@example.test").province_id is None


def test_invite_user_service_refuses_duplicate(scenario):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        invite_user(
            email="Riau@example.test",
            full_name="X",
            role="facilitator",
            province=None,
            by=scenario.users["national"],
            base_url="http://testserver/",
        )

    assert "email" in error.value.error_dict


# --- list ---------------------------------------------------------------------------------------


def test_user_list_shows_users_and_invitation_state(scenario):
    _invited(full_name="Belum Sandi", province=scenario.jambi)
    UserFactory(email="nonaktif@example.test", full_name="Sudah Pensiun", is_active=False)

    response = scenario.client_for("national").get(reverse("users:user_list"))

    assert response.status_code == 200
    text = response.text
    assert "undangan@example.test" in text
    assert "Belum mengatur kata sandi" in text
    assert "Nonaktif" in text
    assert "Petugas provinsi" in text
    assert "Belum pernah" in text  # last login
    assert response.context["page"].paginator.count == 7


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "RIAU@"}, ["riau@example.test"]),
        ({"role": "facilitator"}, ["fasilitator@example.test", "lain@example.test"]),
        ({"province": "15"}, ["jambi@example.test", "undangan@example.test"]),
        ({"status": "invited"}, ["undangan@example.test"]),
        ({"status": "inactive"}, ["nonaktif@example.test"]),
    ],
)
def test_user_list_filters(scenario, query, expected):
    _invited(province=scenario.jambi)
    UserFactory(email="nonaktif@example.test", is_active=False, province=scenario.riau)

    response = scenario.client_for("national").get(reverse("users:user_list"), query)

    assert sorted(u.email for u in response.context["page"].object_list) == expected


def test_user_list_paginates_by_25(scenario):
    UserFactory.create_batch(25, province=scenario.jambi)  # 30 users with the scenario's five

    first = scenario.client_for("national").get(reverse("users:user_list"))
    second = scenario.client_for("national").get(reverse("users:user_list"), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "Halaman 2 dari 2" in second.text


def test_user_list_htmx_returns_results_partial(scenario):
    response = scenario.client_for("national").get(
        reverse("users:user_list"), {"q": "jambi"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results"')
    assert "<html" not in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_user_list_query_count(scenario, django_assert_num_queries, count):
    UserFactory.create_batch(count, province=scenario.riau)
    client = scenario.client_for("national")

    # session, user, count, page (with province), provinces for the filter
    with django_assert_num_queries(5):
        response = client.get(reverse("users:user_list"))

    assert response.status_code == 200


# --- edit and resend ----------------------------------------------------------------------------


def test_edit_user_changes_role_and_clears_province(scenario):
    officer = scenario.users["officer"]

    response = scenario.client_for("national").post(
        reverse("users:user_edit", args=[officer.pk]),
        {
            "full_name": "Jadi Fasilitator",
            "role": "facilitator",
            "province": "15",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.full_name, officer.role, officer.province_id, officer.is_active) == (
        "Jadi Fasilitator",
        "facilitator",
        None,
        True,
    )


def test_edit_user_deactivates_instead_of_deleting(scenario):
    officer = scenario.users["officer"]

    scenario.client_for("national").post(
        reverse("users:user_edit", args=[officer.pk]),
        {"full_name": officer.full_name, "role": "provincial", "province": "15"},
    )

    officer.refresh_from_db()
    assert officer.is_active is False
    assert scenario.client_for("officer").get(reverse("home")).status_code == 302


def test_edit_user_officer_needs_province(scenario):
    facilitator = scenario.users["facilitator"]
    before = _users_snapshot()

    response = scenario.client_for("national").post(
        reverse("users:user_edit", args=[facilitator.pk]),
        {"full_name": "X", "role": "provincial", "province": "", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "province" in response.context["form"].errors
    assert _users_snapshot() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": "national"}, "is_active"),
        ({"role": "facilitator", "is_active": "on"}, "role"),
    ],
)
def test_edit_own_account_cannot_lock_yourself_out(scenario, data, field):
    national = scenario.users["national"]
    before = _users_snapshot()

    response = scenario.client_for("national").post(
        reverse("users:user_edit", args=[national.pk]), {"full_name": "Saya", **data}
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _users_snapshot() == before


def test_edit_unknown_user_is_404(scenario):
    response = scenario.client_for("national").get(reverse("users:user_edit", args=[999999]))

    assert response.status_code == 404


def test_resend_invitation_sends_a_fresh_link(scenario, django_capture_on_commit_callbacks):
    invited = _invited(province=scenario.jambi)

    with django_capture_on_commit_callbacks(execute=True):
        response = scenario.client_for("national").post(
            reverse("users:user_resend", args=[invited.pk])
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["undangan@example.test"]
    assert LINK.search(mail.outbox[0].body)


def test_resend_invitation_refused_when_password_is_set(
    scenario, django_capture_on_commit_callbacks
):
    officer = scenario.users["officer"]

    with django_capture_on_commit_callbacks(execute=True):
        response = scenario.client_for("national").post(
            reverse("users:user_resend", args=[officer.pk]), follow=True
        )

    assert response.status_code == 200
    assert "sudah mengatur kata sandi" in response.text
    assert mail.outbox == []


def test_edit_page_offers_resend_only_to_invited(scenario):
    invited = _invited(province=scenario.jambi)
    client = scenario.client_for("national")

    invited_page = client.get(reverse("users:user_edit", args=[invited.pk]))
    officer_page = client.get(reverse("users:user_edit", args=[scenario.users["officer"].pk]))

    assert "Kirim ulang undangan" in invited_page.text
    assert "Kirim ulang undangan" not in officer_page.text


# --- role matrix --------------------------------------------------------------------------------


def _requests(scenario) -> dict[str, tuple[str, str, dict]]:
    target = scenario.users["officer"]
    invited = _invited(province=scenario.jambi)
    return {
        "list": ("get", reverse("users:user_list"), {}),
        "invite_form": ("get", reverse("users:user_invite"), {}),
        "invite": (
            "post",
            reverse("users:user_invite"),
            {"email": "x@example.test", "full_name": "X", "role": "national"},
        ),
        "edit_form": ("get", reverse("users:user_edit", args=[target.pk]), {}),
        "edit": (
            "post",
            reverse("users:user_edit", args=[target.pk]),
            {"full_name": "Diubah", "role": "facilitator"},
        ),
        "resend": ("post", reverse("users:user_resend", args=[invited.pk]), {}),
    }


NATIONAL_STATUS = {
    "list": 200,
    "invite_form": 200,
    "invite": 302,
    "edit_form": 200,
    "edit": 302,
    "resend": 302,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(NATIONAL_STATUS))
def test_user_management_role_matrix(scenario, role, action, django_capture_on_commit_callbacks):
    method, url, data = _requests(scenario)[action]
    before = _users_snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(scenario.client_for(role), method)(url, data)

    if role == "national":
        assert response.status_code == NATIONAL_STATUS[action]
        return
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    assert _users_snapshot() == before
    assert mail.outbox == []


def _service_calls(scenario, by) -> dict[str, Callable[[], object]]:
    officer = scenario.users["officer"]
    invited = _invited(province=scenario.jambi)
    return {
        "invite_user": lambda: invite_user(
            email="x@example.test",
            full_name="X",
            role="national",
            province=None,
            by=by,
            base_url="http://testserver/",
        ),
        "update_user": lambda: update_user(
            user=officer,
            full_name="Diubah",
            role="facilitator",
            province=None,
            is_active=False,
            by=by,
        ),
        "resend_invitation": lambda: resend_invitation(
            user=invited, by=by, base_url="http://testserver/"
        ),
    }


@pytest.mark.parametrize("role", [role for role in ROLES if role != "national"])
@pytest.mark.parametrize("service", ["invite_user", "update_user", "resend_invitation"])
def test_user_services_refuse_everyone_but_national_staff(
    scenario, role, service, django_capture_on_commit_callbacks
):
    by = scenario.users[role] or AnonymousUser()
    call = _service_calls(scenario, by)[service]
    before = _users_snapshot()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        call()

    assert _users_snapshot() == before
    assert mail.outbox == []


def test_user_services_accept_national_staff(scenario, django_capture_on_commit_callbacks):
    calls = _service_calls(scenario, scenario.users["national"])

    with django_capture_on_commit_callbacks(execute=True):
        for call in calls.values():
            call()

    assert User.objects.get(email="x@example.test").role == "national"
    assert User.objects.get(pk=scenario.users["officer"].pk).is_active is False
    assert sorted(message.to[0] for message in mail.outbox) == [
        "undangan@example.test",
        "x@example.test",
    ]


def test_navigation_shows_users_link_only_to_national_staff(scenario):
    national = scenario.client_for("national").get(reverse("home"))
    officer = scenario.client_for("officer").get(reverse("home"))

    assert reverse("users:user_list") in national.text
    assert reverse("users:user_list") not in officer.text


def test_invite_sent_twice_with_the_same_form_key_makes_one_user_and_one_mail(
    scenario, django_capture_on_commit_callbacks
):
    client = scenario.client_for("national")
    data = {
        "email": "dua.kali@example.test",
        "full_name": "Dua Kali",
        "role": "provincial",
        "province": "15",
        "form_key": "a" * 32,
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("users:user_invite"), data)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(reverse("users:user_invite"), data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("users:user_list")
    assert User.objects.filter(email="dua.kali@example.test").count() == 1
    assert len(mail.outbox) == 1
