"""The user: e-mail login, role and province; constraints hold in the database itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from plm_portal.models import User
from tests.constraints import refused_by
from tests.factories import FacilitatorUserFactory, NationalUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def new_user(**fields) -> User:
    """An unsaved, otherwise valid user: the keyword arguments make it wrong."""
    user = User(**{"email": "budi@example.test", "full_name": "Budi Santoso"} | fields)
    user.set_password("plm-test-password")
    return user


# Constraints


def test_user_provincial_officer_with_province_saves(jambi):
    user = User.objects.create(
        email="budi@example.test", full_name="Budi", role=User.Role.PROVINCIAL, province=jambi
    )

    assert User.objects.get(pk=user.pk).province_id == "15"


@pytest.mark.parametrize("role", [User.Role.NATIONAL, User.Role.FACILITATOR])
def test_user_without_province_saves_when_not_provincial(role):
    user = User.objects.create(email="budi@example.test", full_name="Budi", role=role)

    assert User.objects.get(pk=user.pk).province_id is None


def test_user_provincial_officer_without_province_refused_by_database():
    with refused_by("user_provincial_officer_has_province"):
        User.objects.create(email="budi@example.test", full_name="Budi", role=User.Role.PROVINCIAL)


def test_user_provincial_officer_without_province_says_why():
    user = new_user(role=User.Role.PROVINCIAL)

    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()

    assert excinfo.value.messages == ["Petugas provinsi wajib memiliki provinsi."]


def test_user_email_differing_only_in_case_refused_by_database():
    User.objects.create(email="budi@example.test", full_name="Budi", role=User.Role.NATIONAL)

    with refused_by("user_email_ci_unique"):
        User.objects.create(email="Budi@Example.TEST", full_name="Budi", role=User.Role.NATIONAL)


def test_user_email_differing_only_in_case_fails_validation():
    NationalUserFactory(email="budi@example.test")
    user = new_user(email="BUDI@example.test", role=User.Role.NATIONAL)

    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()

    assert list(excinfo.value.message_dict) == ["email"]


# Manager


def test_user_create_user_lowercases_email(jambi):
    user = User.objects.create_user(
        "Budi.Santoso@Example.TEST", "rahasia-panjang", full_name="Budi", province=jambi
    )

    assert user.email == "budi.santoso@example.test"
    assert user.check_password("rahasia-panjang")
    assert (user.role, user.is_staff, user.is_superuser) == (User.Role.PROVINCIAL, False, False)


def test_user_create_user_without_email_raises():
    with pytest.raises(ValueError, match="e-mail address is required"):
        User.objects.create_user("", "rahasia-panjang", full_name="Budi")


def test_user_create_superuser_is_national_staff_without_province():
    user = User.objects.create_superuser("admin@example.test", "rahasia-panjang", full_name="Admin")

    assert (user.role, user.is_staff, user.is_superuser, user.province_id) == (
        User.Role.NATIONAL,
        True,
        True,
        None,
    )


# Roles


def test_user_is_national_for_national_role():
    user = NationalUserFactory()

    assert (user.is_national, user.is_provincial_officer, user.is_facilitator) == (
        True,
        False,
        False,
    )


def test_user_is_national_false_when_inactive():
    user = NationalUserFactory(is_active=False)

    assert user.is_national is False


def test_user_superuser_is_national_whatever_the_role():
    user = UserFactory(is_superuser=True)

    assert (user.is_national, user.is_provincial_officer, user.is_facilitator) == (
        True,
        False,
        False,
    )


def test_user_provincial_officer_roles():
    user = UserFactory()

    assert (user.is_national, user.is_provincial_officer, user.is_facilitator) == (
        False,
        True,
        False,
    )


def test_user_facilitator_roles():
    user = FacilitatorUserFactory()

    assert (user.is_national, user.is_provincial_officer, user.is_facilitator) == (
        False,
        False,
        True,
    )


# Names


def test_user_names():
    user = UserFactory(full_name="Budi Santoso", email="budi@example.test")

    assert (str(user), user.get_full_name(), user.get_short_name()) == (
        "Budi Santoso",
        "Budi Santoso",
        "Budi",
    )


def test_user_names_fall_back_to_email():
    user = UserFactory(full_name="", email="budi@example.test")

    assert (str(user), user.get_short_name()) == ("budi@example.test", "budi@example.test")
