"""Report tests: media files in a temporary folder of each test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _report_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
