"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live_server."""

from __future__ import annotations

import os
import shutil
import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from libraries.models import Library, Province, Regency, Village
from tests.factories import (
    DistrictFactory,
    LibraryFactory,
    PersonFactory,
    ProvinceFactory,
    RegencyFactory,
    UserFactory,
    VillageFactory,
    VillageLibraryFactory,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Playwright's 5 s default is tight for an htmx round trip on a busy 2-core CI runner; still no sleeps anywhere.
expect.set_options(timeout=10_000)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def outside_requests(page, live_server):
    """Every request the page makes that does not go to the live server (should stay empty)."""
    seen: list[str] = []

    def record(request):
        url = request.url
        if not (url.startswith(live_server.url) or url.startswith(("data:", "blob:", "about:"))):
            seen.append(url)

    page.on("request", record)
    return seen


# --- shared helpers of the meeting flows -------------------------------------------------------------------

PASSWORD = "plm-test-password"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def sign_in(live_server):
    """Sign ``page`` in through the portal's own sign-in form and wait for the home page."""

    def _sign_in(page, email: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
        complete_two_factor(page, email)
        expect(page.get_by_role("heading", name="Selamat datang", exact=False)).to_be_visible()

    return _sign_in


def totp_code_for(email: str) -> str:
    """The current code of ``email``'s authenticator app (e.g. the demo national account's published key).

    Waits for the next 30-second window when this one is about to end, and forgets that the code was used,
    so that one test may sign the same account in twice within a window.
    """
    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache

    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    code = format_hotp_value(
        hotp_value(decrypt(authenticator.data["secret"]), int(time.time()) // period)
    )
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code


def complete_two_factor(page, email: str) -> None:
    """After the password: when the portal asks for the authenticator code, type the current one."""
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/authenticate/" in page.url:
        page.get_by_label("Kode").fill(totp_code_for(email))
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(lambda url: "/accounts/2fa/" not in url)


def page_width(page) -> int:
    """How wide the page's content is: more than the viewport means the page scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def jambi_world():
    """Jambi (15) and Riau (14) with a few real regencies and libraries, people of Jambi, and one officer each.

    Codes and names follow Kemendagri's list and the demo data (demo/plm_jambi_2022.toml).
    """
    province = ProvinceFactory(code="15", name="Jambi", time_zone=Province.TimeZone.WIB)
    riau = ProvinceFactory(code="14", name="Riau", time_zone=Province.TimeZone.WIB)
    regencies = {
        code: RegencyFactory(code=code, name=name, kind=kind, province=province)
        for code, name, kind in (
            ("15.04", "Kabupaten Batanghari", Regency.Kind.KABUPATEN),
            ("15.05", "Kabupaten Muaro Jambi", Regency.Kind.KABUPATEN),
            ("15.71", "Kota Jambi", Regency.Kind.KOTA),
            ("15.72", "Kota Sungai Penuh", Regency.Kind.KOTA),
        )
    }
    pekanbaru = RegencyFactory(
        code="14.71", name="Kota Pekanbaru", kind=Regency.Kind.KOTA, province=riau
    )
    jambi_luar_kota = DistrictFactory(
        code="15.05.01", name="Jambi Luar Kota", regency=regencies["15.05"]
    )
    mendalo_darat = VillageFactory(
        code="15.05.01.2007",
        name="Mendalo Darat",
        kind=Village.Kind.DESA,
        district=jambi_luar_kota,
    )
    sungai_duren = VillageFactory(
        code="15.05.01.2006",
        name="Sungai Duren",
        kind=Village.Kind.DESA,
        district=jambi_luar_kota,
    )
    libraries = SimpleNamespace(
        provincial=LibraryFactory(
            name="Dinas Perpustakaan dan Arsip Daerah Provinsi Jambi",
            kind=Library.Kind.PROVINCIAL_OFFICE,
            regency=regencies["15.71"],
        ),
        kota_jambi=LibraryFactory(
            name="Dinas Perpustakaan dan Arsip Kota Jambi", regency=regencies["15.71"]
        ),
        muaro_jambi=LibraryFactory(
            name="Dinas Perpustakaan dan Arsip Daerah Kabupaten Muaro Jambi",
            regency=regencies["15.05"],
        ),
        batanghari=LibraryFactory(
            name="Dinas Perpustakaan dan Arsip Daerah Kabupaten Batanghari",
            regency=regencies["15.04"],
        ),
        sungai_penuh=LibraryFactory(
            name="Dinas Perpustakaan dan Arsip Kota Sungai Penuh", regency=regencies["15.72"]
        ),
        mendalo_darat=VillageLibraryFactory(
            name="Perpustakaan Desa Mendalo Darat", village=mendalo_darat
        ),
        sungai_duren=VillageLibraryFactory(
            name="Perpustakaan Desa Sungai Duren", village=sungai_duren
        ),
        riau=LibraryFactory(
            name="Dinas Perpustakaan dan Kearsipan Kota Pekanbaru", regency=pekanbaru
        ),
    )
    people = SimpleNamespace(
        syamsul=PersonFactory(
            full_name="Syamsul Rizal",
            gender="L",
            phone="+6281366001001",
            position="Kepala Dinas",
            province=province,
            home_library=libraries.provincial,
        ),
        hasan=PersonFactory(
            full_name="Hasan Basri",
            gender="L",
            phone="+6281366001002",
            position="Kepala Dinas",
            province=province,
            home_library=libraries.kota_jambi,
        ),
        marzuki=PersonFactory(
            full_name="Marzuki Harahap",
            gender="L",
            phone="+6281366001003",
            position="Kepala Bidang Layanan",
            province=province,
            home_library=libraries.muaro_jambi,
        ),
        nurhayati=PersonFactory(
            full_name="Nurhayati",
            gender="P",
            phone="+6281366001004",
            position="Pengelola perpustakaan desa",
            province=province,
            home_library=libraries.mendalo_darat,
        ),
        dewi=PersonFactory(
            full_name="Dewi Lestari",
            gender="P",
            phone="+6281266001006",
            position="Pengelola perpustakaan desa",
            province=province,
            home_library=libraries.sungai_duren,
        ),
        riau=PersonFactory(
            full_name="Rahmat Hidayat",
            gender="L",
            phone="+6281266001099",
            province=riau,
            home_library=libraries.riau,
        ),
    )
    return SimpleNamespace(
        province=province,
        riau=riau,
        regencies=regencies,
        libraries=libraries,
        people=people,
        officer=UserFactory(
            email="jambi@example.test", full_name="Petugas Jambi", province=province
        ),
        riau_officer=UserFactory(
            email="riau@example.test", full_name="Petugas Riau", province=riau
        ),
    )
