"""The demo's second factor is shown on the code page for the published key only."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from reports.demo import demo_totp_secret
from reports.templatetags.demo_sign_in import demo_totp_code
from tests.factories import NationalUserFactory

pytestmark = pytest.mark.django_db


def _with_key(secret: str):
    user = NationalUserFactory()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
    )
    return user


def test_the_published_demo_key_shows_its_current_code():
    from allauth.mfa.totp.internal.auth import validate_totp_code

    code = demo_totp_code(_with_key(demo_totp_secret()))

    assert len(code) == 6 and code.isdigit()
    assert validate_totp_code(demo_totp_secret(), code)


def test_any_other_key_shows_nothing():
    assert demo_totp_code(_with_key("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")) == ""
    assert demo_totp_code(NationalUserFactory()) == ""
    assert demo_totp_code(None) == ""
