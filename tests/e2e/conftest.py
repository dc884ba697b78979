"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live_server."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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
