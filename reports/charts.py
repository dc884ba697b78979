"""Chart geometry for server-rendered SVG: (label, value) rows in, rectangles and text positions out.

Pure Python on purpose: no charting library, no JavaScript, nothing fetched at run time (the portal's CSP
allows no inline script or style, and a phone on a weak connection should not download a chart library to
read six numbers). The templates draw what these functions compute with SVG presentation attributes
(``x``, ``width``, ``fill``), which the CSP allows, and every chart is followed by its numbers as a table.

Horizontal bars read well at 360 px: each label sits on its own line above its bar, so long Indonesian labels
("Dinas Perpustakaan Kabupaten/Kota") need no rotation and no truncation. Coordinates are whole numbers in
a viewBox ``width`` units wide; the SVG scales to its container.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: viewBox width: about a phone's content width, so text is drawn near its nominal size there.
WIDTH = 360
ROW_HEIGHT = 38  # label line + bar + gap
LABEL_SIZE = 13
BAR_HEIGHT = 14
VALUE_ROOM = 64  # room right of the longest bar for its value
LABEL_CHARS = 52  # longer labels are cut with an ellipsis in the picture; the table has them whole

#: Okabe-Ito colours (told apart with the common colour-vision deficiencies) darkened where needed, then a
#: purple and a grey; each at least 3:1 against white, as WCAG 1.4.11 asks of graphics that carry meaning.
CATEGORY_FILLS = ("#0b4f8a", "#d55e00", "#009e73", "#cc79a7", "#6f5f00", "#7b3294", "#5c636a")
BAR_FILL = "#0b4f8a"  # the portal's primary blue


def _format(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:.1f}"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str  # the value as shown (formatted by the caller: thousands, per cent)
    label_y: int  # baseline of the label text
    bar_y: int
    width: int
    value_x: int
    value_y: int  # baseline of the value text, beside the bar


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_height: int
    bars: list[Bar]
    fill: str = BAR_FILL

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    fmt: Callable[[float], str] = _format,
    maximum: float | None = None,
    width: int = WIDTH,
) -> BarChart:
    """Horizontal bars, one per row, in the order given; the longest bar is ``maximum`` (default: the largest
    value). A zero value keeps its row (the label says it is zero) with no bar."""
    top = maximum if maximum is not None else max((value for _, value in rows), default=0)
    room = width - VALUE_ROOM
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * ROW_HEIGHT
        length = round(room * value / top) if top and value > 0 else 0
        if value > 0:
            length = max(length, 2)  # a tiny non-zero value still shows
        bar_y = y + LABEL_SIZE + 4
        bars.append(
            Bar(
                label=_short(label),
                value=value,
                display=fmt(value),
                label_y=y + LABEL_SIZE,
                bar_y=bar_y,
                width=length,
                value_x=length + 6,
                value_y=bar_y + BAR_HEIGHT - 2,
            )
        )
    return BarChart(
        width=width, height=max(len(rows) * ROW_HEIGHT, 1), bar_height=BAR_HEIGHT, bars=bars
    )


@dataclass(frozen=True)
class Segment:
    label: str
    value: float
    display: str
    x: int
    width: int
    fill: str
    share: float  # of the whole, 0..1


@dataclass(frozen=True)
class StackedBar:
    width: int
    height: int
    total: float
    segments: list[Segment]  # every row, zero ones too (the legend lists them; they draw nothing)

    @property
    def empty(self) -> bool:
        return not self.total


def stacked_bar(
    rows: Sequence[tuple[str, float]],
    *,
    fmt: Callable[[float], str] = _format,
    fills: Sequence[str] = CATEGORY_FILLS,
    width: int = WIDTH,
    height: int = 28,
) -> StackedBar:
    """One bar split into the rows' shares (a status split), left to right in the order given.

    Widths are rounded so that they add up to ``width`` exactly (largest remainder), so the last segment
    ends at the edge and no gap or overlap appears between segments.
    """
    total = sum(value for _, value in rows)
    exact = [width * value / total if total else 0 for _, value in rows]
    widths = [int(part) for part in exact]
    if total:
        spare = width - sum(widths)
        by_remainder = sorted(range(len(rows)), key=lambda i: exact[i] - widths[i], reverse=True)
        for i in by_remainder[:spare]:
            widths[i] += 1
    segments, x = [], 0
    for index, ((label, value), segment_width) in enumerate(zip(rows, widths, strict=True)):
        segments.append(
            Segment(
                label=label,
                value=value,
                display=fmt(value),
                x=x,
                width=segment_width,
                fill=fills[index % len(fills)],
                share=value / total if total else 0.0,
            )
        )
        x += segment_width
    return StackedBar(width=width, height=height, total=total, segments=segments)
