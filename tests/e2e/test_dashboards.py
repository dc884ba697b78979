"""The national dashboard in Chromium: national staff pick 2022 and read the map and charts, whose numbers are
those of the tables beneath them and of the database; at phone and laptop width, without sideways scrolling,
with no request outside the portal and no serious axe-core finding.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from reports import demo
from tests.demo_regions import create_demo_regions
from tests.e2e.test_accessibility import AXE, WIDTHS, _sign_in
from tests.reports.dashboard_world import create_all_provinces

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_nation(db):
    """The demo (Jambi and Riau, 2022 and 2023) in a nation of 38 provinces."""
    create_demo_regions()
    create_all_provinces()
    demo.load_demo()


def _axe_problems(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} {[node['target'] for node in violation['nodes'][:3]]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def _area_cells(page, key: str) -> dict[str, str]:
    return page.eval_on_selector_all(
        'table[data-table="areas"] tbody tr',
        f"""rows => Object.fromEntries(rows.map(r => [r.dataset.area,
            r.querySelector('[data-key="{key}"]').textContent.trim()]))""",
    )


def _table(page, key: str) -> dict[str, list[str]]:
    """A chart's table: row label -> its cells."""
    return page.eval_on_selector_all(
        f'table[data-table="{key}"] tbody tr',
        """rows => Object.fromEntries(rows.map(r => [r.querySelector('th').textContent.trim(),
            [...r.querySelectorAll('td')].map(td => td.textContent.trim())]))""",
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_national_staff_read_2022_on_the_dashboard(browser, live_server, demo_nation, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
    )
    _sign_in(page, live_server.url, "nasional@demo.test")
    # Home: the programme's latest year with meetings or activities, not the clock's, and not 2023, which so
    # far has only enrolments in the demo (offered as the other year).
    expect(page.get_by_role("heading", name="Program tahun 2022")).to_be_visible()
    expect(page.get_by_role("link", name="2023", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Gelombang PLM 2022")).to_be_visible()
    problems = [f"home: {p}" for p in _axe_problems(page)]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width < 768:
        page.get_by_role("button", name="Buka menu").click()
    nav = page.get_by_role("navigation", name="Navigasi utama")
    nav.get_by_role("link", name="Dasbor", exact=True).click()
    expect(page.get_by_role("heading", name="Dasbor nasional")).to_be_visible()

    with page.expect_navigation():
        page.get_by_label("Tahun program").select_option("2022")  # the select submits itself
    assert "year=2022" in page.url
    expect(page.get_by_text("Tahun program 2022.")).to_be_visible()

    # The map: 38 provinces, each tile named and showing the table's number.
    tiles = page.locator("svg.dash-map a")
    expect(tiles).to_have_count(38)
    tile_values = page.eval_on_selector_all(
        "svg.dash-map a",
        "as => Object.fromEntries(as.map(a => [a.dataset.province, a.dataset.value]))",
    )
    meetings = _area_cells(page, "meetings")
    assert len(meetings) == 38
    assert tile_values == meetings
    held = Meeting.objects.filter(year=2022).exclude(status=Meeting.Status.CANCELLED)
    assert sum(int(v) for v in meetings.values()) == held.count() >= 3
    assert meetings["15"] == str(held.filter(province_id="15").count())
    expect(page.get_by_role("link", name=f"JA Jambi, Pertemuan: {meetings['15']}")).to_be_visible()
    assert int(page.locator('[data-figure="participants"]').text_content()) > 10

    # Bar charts: each bar's number is its row in the table beneath.
    for chart, column in (("lines", 0), ("roles", 0)):
        bars = page.eval_on_selector_all(
            f'svg[data-chart="{chart}"] g.dash-bar',
            "gs => Object.fromEntries(gs.map(g => [g.dataset.label, g.dataset.value]))",
        )
        table = _table(page, chart)
        assert bars == {label: cells[column] for label, cells in table.items()}
        assert any(value != "0" for value in bars.values())
    # Stacked bars: each drawn segment's number is its row.
    for chart in ("enrolment", "gender", "attendance", "rtl", "checks"):
        segments = page.eval_on_selector_all(
            f'svg[data-chart="{chart}"] rect.dash-segment',
            "rs => Object.fromEntries(rs.map(r => [r.dataset.label, r.dataset.value]))",
        )
        table = _table(page, chart)
        assert segments, chart
        assert all(table[label][0] == value for label, value in segments.items()), chart

    # Shade the map by attendance: the form submits itself, the tiles follow.
    with page.expect_navigation():
        page.get_by_label("Warnai menurut").select_option("attendance")
    expect(page.locator('svg.dash-map[data-indicator="attendance"]')).to_have_count(1)
    rate = _area_cells(page, "attendance")["15"]
    assert re.fullmatch(r"\d+%", rate)
    expect(page.get_by_role("link", name=f"JA Jambi, Tingkat kehadiran: {rate}")).to_be_visible()

    problems += _axe_problems(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # A tile opens the province's dashboard for the same year.
    page.get_by_role("link", name=f"JA Jambi, Tingkat kehadiran: {rate}").click()
    expect(page.get_by_role("heading", name="Dasbor Provinsi Jambi")).to_be_visible()
    assert "year=2022" in page.url
    problems += [f"province: {p}" for p in _axe_problems(page)]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()

    assert problems == [], "\n".join(problems)
    assert outside == []
