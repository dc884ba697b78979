"""Chart geometry (reports.charts) and the tile map (reports.tilemap): pure functions, no database."""

from __future__ import annotations

import pytest
from lokal import wilayah

from reports import charts, tilemap


def test_bar_chart_longest_bar_fills_the_room_and_zero_draws_nothing():
    chart = charts.bar_chart([("PLM", 10), ("Bimtek", 5), ("Lainnya", 0)])

    room = charts.WIDTH - charts.VALUE_ROOM
    assert [bar.width for bar in chart.bars] == [room, room // 2, 0]
    assert [bar.display for bar in chart.bars] == ["10", "5", "0"]
    assert chart.height == 3 * charts.ROW_HEIGHT
    assert [bar.label_y for bar in chart.bars] == [13, 13 + 38, 13 + 76]
    assert not chart.empty


def test_bar_chart_tiny_value_still_shows_and_maximum_is_honoured():
    chart = charts.bar_chart([("a", 1), ("b", 10_000)], maximum=20_000)

    assert chart.bars[0].width == 2
    assert chart.bars[1].width == (charts.WIDTH - charts.VALUE_ROOM) // 2
    assert chart.bars[1].display == "10.000"


def test_bar_chart_empty_and_long_labels():
    chart = charts.bar_chart([("x" * 80, 0)])

    assert chart.empty
    assert len(chart.bars[0].label) == charts.LABEL_CHARS
    assert chart.bars[0].label.endswith("…")
    assert charts.bar_chart([]).height == 1


@pytest.mark.parametrize("values", [(1, 1, 1), (2, 0, 5, 3), (1, 998, 1), (7,)])
def test_stacked_bar_segments_fill_the_width_exactly(values):
    stack = charts.stacked_bar([(str(v), v) for v in values])

    assert sum(s.width for s in stack.segments) == charts.WIDTH
    assert stack.segments[-1].x + stack.segments[-1].width == charts.WIDTH
    assert [s.x for s in stack.segments[1:]] == [s.x + s.width for s in stack.segments[:-1]]
    assert sum(s.share for s in stack.segments) == pytest.approx(1)


def test_stacked_bar_of_nothing():
    stack = charts.stacked_bar([("a", 0), ("b", 0)])

    assert stack.empty
    assert [s.width for s in stack.segments] == [0, 0]


def test_category_colours_stand_out_against_white():
    assert [c for c in charts.CATEGORY_FILLS if tilemap.contrast(c, "#ffffff") < 3] == []


def test_tile_map_has_one_tile_per_province_of_today():
    provinces = {code for code in wilayah._base() if "." not in code}

    assert set(tilemap.TILES) == provinces
    assert len(provinces) == 38
    places = [(col, row) for _, col, row in tilemap.TILES.values()]
    assert len(set(places)) == 38
    assert len({abbreviation for abbreviation, _, _ in tilemap.TILES.values()}) == 38
    # The four provinces of 2022 are there, east of the rest.
    assert {tilemap.TILES[code][0] for code in ("93", "94", "95", "96")} == {"PS", "PT", "PE", "PD"}


def test_tile_map_lies_roughly_west_to_east():
    col = {code: c for code, (_, c, _) in tilemap.TILES.items()}
    row = {code: r for code, (_, _, r) in tilemap.TILES.items()}

    assert (
        col["11"] < col["31"] < col["51"] < col["81"] < col["91"]
    )  # Aceh … Jakarta … Bali … Papua
    assert row["11"] < row["18"] < row["34"]  # Aceh north of Lampung, north of Yogyakarta
    assert row["65"] < row["63"]  # Kalimantan Utara north of Kalimantan Selatan


@pytest.mark.parametrize("fill", [*tilemap.SCALE, tilemap.EMPTY_FILL])
def test_tile_text_meets_contrast(fill):
    assert tilemap.contrast(tilemap.text_on(fill), fill) >= 4.5


def test_contrast_formula():
    assert tilemap.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert tilemap.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_legend_steps():
    fmt = str

    assert tilemap.legend_for([], fmt) == []
    assert [s.label for s in tilemap.legend_for([1, 3], fmt)] == ["1", "2", "3"]
    big = tilemap.legend_for([1, 47], fmt)
    assert [s.label for s in big] == [
        "0\u201310",
        "10\u201320",
        "20\u201330",
        "30\u201340",
        "40\u201350",
    ]
    assert big[0].fill == tilemap.SCALE[0] and big[-1].fill == tilemap.SCALE[-1]


def test_tile_map_shades_values_and_names_tiles():
    result = tilemap.tile_map(
        {"15": "Jambi", "91": "Papua"},
        {"15": 40, "14": 4},
        fmt=lambda v: str(int(v or 0)),
        href=lambda code: f"/dashboard/{code}/",
        label=lambda name, abbreviation, display: f"{name} ({abbreviation}): {display}",
    )

    tiles = {tile.code: tile for tile in result.tiles}
    assert len(tiles) == 38
    assert tiles["15"].fill == tilemap.SCALE[-1]
    assert tiles["14"].fill == tilemap.SCALE[0]
    assert (tiles["91"].fill, tiles["91"].label) == (tilemap.EMPTY_FILL, "Papua (PA): 0")
    assert tiles["15"].href == "/dashboard/15/"
    assert result.width == tilemap.COLUMNS * tilemap.TILE - tilemap.GAP
