"""What a dashboard page shows, made from reports.dashboard_figures: labels in the page's language, charts
(reports.charts), the tile map (reports.tilemap) and the tables that carry every chart's numbers.

No queries here: the figures are read (and cached) by ``figures_for``; this module only names and draws them,
so the cached figures stay the same whatever language a user reads them in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from libraries.models import Province
from meetings.models import Meeting, Participation, RtlAction, RtlFollowUp
from plm_portal.choices import Gender, LineOfWork
from programs.models import Enrollment
from reports.charts import BarChart, StackedBar, bar_chart, stacked_bar
from reports.dashboard_figures import NO_AREA, AreaRow, Figures
from reports.tilemap import TileMap, tile_map


def number(value: float) -> str:
    """A count as the page's language writes it (1.234 in Indonesian, 1,234 in English)."""
    return number_format(value, 0, force_grouping=True)


def percent(value: float | None) -> str:
    """A rate as a whole per cent, rounded half up (number_format alone would cut 45.6 to 45)."""
    if value is None:
        return "\u2013"  # an en dash: no rate without participations
    rounded = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{number_format(rounded, 0)}%"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    value: Callable[[AreaRow], float | None]
    fmt: Callable[[float | None], str]


#: The indicators a map or area chart can be shaded by, in the order of the select.
INDICATOR_LABELS = {
    "meetings": gettext_lazy("Pertemuan"),
    "participants": gettext_lazy("Peserta (orang)"),
    "attendance": gettext_lazy("Tingkat kehadiran"),
    "enrolled": gettext_lazy("Perpustakaan terdaftar"),
    "activities": gettext_lazy("Kegiatan implementasi"),
    "stories": gettext_lazy("Cerita dampak terbit"),
}
DEFAULT_INDICATOR = "meetings"


def indicator(key: str) -> Indicator:
    if key == "attendance":
        return Indicator(key, str(INDICATOR_LABELS[key]), lambda row: row.attendance_rate, percent)
    return Indicator(
        key, str(INDICATOR_LABELS[key]), lambda row: getattr(row, key), lambda v: number(v or 0)
    )


@dataclass(frozen=True)
class TableRow:
    label: str
    values: list[str]
    fill: str = ""  # the chart colour of the row (a stacked bar's legend)


@dataclass(frozen=True)
class Chart:
    """A chart and the table of its numbers (``headers`` after the label column)."""

    key: str
    title: str
    headers: list[str]
    rows: list[TableRow]
    bars: BarChart | None = None
    stack: StackedBar | None = None
    note: str = ""


def _choices(choices, counts: dict, zero=0) -> list[tuple[str, str, object]]:
    return [(value, str(label), counts.get(value, zero)) for value, label in choices]


def _stacked(key: str, title: str, parts: list[tuple[str, float]], header: str, **kw) -> Chart:
    stack = stacked_bar(parts, fmt=number)
    total = stack.total
    rows = [
        TableRow(s.label, [s.display, percent(100 * s.value / total if total else None)], s.fill)
        for s in stack.segments
    ]
    rows.append(TableRow(_("Jumlah"), [number(total), percent(100 if total else None)]))
    return Chart(key, title, [header, _("Bagian")], rows, stack=stack, **kw)


def _enrolment(figures: Figures) -> Chart:
    parts = _choices(Enrollment.PartnerStatus.choices, figures.enrolment_by_status)
    return _stacked(
        "enrolment",
        _("Perpustakaan peserta program menurut status"),
        [(label, n) for __, label, n in parts],
        _("Perpustakaan"),
    )


def _step_label(figures: Figures, step: int | None) -> str:
    if figures.year is None:
        return str(step)
    return _("Gelombang %(number)s") % {"number": step} if step else _("Tanpa gelombang")


def _meetings(figures: Figures) -> tuple[list[Chart], Chart]:
    """One bar chart per meeting kind (PLM and Bimtek always, others when there are any) and one table."""
    kinds = [
        (kind, str(label))
        for kind, label in Meeting.Kind.choices
        if kind != Meeting.Kind.OTHER or figures.meetings_by_kind.get(kind)
    ]
    steps = sorted(
        {step for rows in figures.meetings_by_kind.values() for step, __ in rows},
        key=lambda s: (s is None, s or 0),
    )
    counts = {kind: dict(rows) for kind, rows in figures.meetings_by_kind.items()}
    charts = [
        Chart(
            f"meetings-{kind}",
            label,
            [],
            [],
            # Each kind's own waves (or years); the table lists every one for both.
            bars=bar_chart(
                [(_step_label(figures, s), n) for s, n in figures.meetings_by_kind.get(kind, [])],
                fmt=number,
            ),
        )
        for kind, label in kinds
    ]
    rows = [
        TableRow(
            _step_label(figures, step), [number(counts.get(k, {}).get(step, 0)) for k, __ in kinds]
        )
        for step in steps
    ]
    rows.append(TableRow(_("Jumlah"), [number(sum(counts.get(k, {}).values())) for k, __ in kinds]))
    title = _("Pertemuan per gelombang") if figures.year else _("Pertemuan per tahun")
    headers = [label.split(" (")[-1].rstrip(")") for __, label in kinds]  # "PLM", "Bimtek"
    return charts, Chart("meetings", title, headers, rows)


def _roles(figures: Figures) -> Chart:
    roles = sorted(Participation.Role.choices, key=lambda c: Participation.ROLE_ORDER[c[0]])
    rows = [(str(label), *figures.role_people.get(value, (0, 0))) for value, label in roles]
    return Chart(
        "roles",
        _("Orang dan keikutsertaan menurut peran"),
        [_("Orang"), _("Keikutsertaan")],
        [TableRow(label, [number(people), number(n)]) for label, people, n in rows],
        bars=bar_chart([(label, people) for label, people, __ in rows], fmt=number),
        note=_(
            "Orang dihitung sekali per peran, berapa pun pertemuan yang diikutinya; keikutsertaan "
            "dihitung per pertemuan."
        ),
    )


def _gender(figures: Figures) -> Chart:
    choices = [*Gender.choices, ("", _("Tidak diisi"))]
    parts = [(str(label), figures.gender_people.get(value, (0, 0))[0]) for value, label in choices]
    return _stacked("gender", _("Peserta menurut jenis kelamin"), parts, _("Orang"))


def _attendance(figures: Figures) -> Chart:
    totals = figures.totals
    parts = [
        (_("Hadir"), totals.attended),
        (_("Tidak tercatat hadir"), totals.participations - totals.attended),
    ]
    return _stacked("attendance", _("Kehadiran peserta"), parts, _("Keikutsertaan"))


def _rtl(figures: Figures) -> Chart:
    parts = [
        (label, n) for __, label, n in _choices(RtlAction.Status.choices, figures.rtl_by_status)
    ]
    return _stacked("rtl", _("Baris RTL menurut status"), parts, _("Baris RTL"))


def _checks(figures: Figures) -> Chart:
    order = (
        RtlFollowUp.Status.DONE,
        RtlFollowUp.Status.PARTIAL,
        RtlFollowUp.Status.NOT_DONE,
        RtlFollowUp.Status.PENDING,
    )
    parts = [(str(s.label), figures.checks_by_status.get(s.value, 0)) for s in order]
    note = _(
        "Pengecekan 1, 3 dan 6 bulan yang sudah jatuh tempo. Belum jatuh tempo: %(later)s."
    ) % {"later": number(figures.checks_later)}
    return _stacked(
        "checks", _("Tindak lanjut RTL yang jatuh tempo"), parts, _("Pengecekan"), note=note
    )


def _lines(figures: Figures) -> Chart:
    rows = [(str(label), figures.lines.get(value)) for value, label in LineOfWork.choices]
    return Chart(
        "lines",
        _("Kegiatan implementasi per lini kerja"),
        [_("Kegiatan"), _("Perempuan"), _("Laki-laki"), _("Penyandang disabilitas")],
        [
            TableRow(
                label,
                [number(f.activities), number(f.women), number(f.men), number(f.disabled)]
                if f
                else ["0"] * 4,
            )
            for label, f in rows
        ],
        bars=bar_chart([(label, f.activities if f else 0) for label, f in rows], fmt=number),
        note=_(
            "Penerima manfaat seperti dicatat pada kegiatan; penyandang disabilitas termasuk dalam "
            "jumlah perempuan dan laki-laki."
        ),
    )


def area_name(row: AreaRow) -> str:
    return row.name if row.code != NO_AREA else _("Tanpa kabupaten/kota")


def area_url(figures: Figures, row: AreaRow) -> str:
    """A national row links to its province's dashboard (same year); a regency row links nowhere."""
    if figures.province is not None or row.code == NO_AREA:
        return ""
    query = f"?year={figures.year}" if figures.year else "?year=semua"
    return reverse("dashboard_province", args=[row.code]) + query


def _map(figures: Figures, shown: Indicator) -> TileMap:
    names = {row.code: row.name for row in figures.areas}
    values = {row.code: shown.value(row) for row in figures.areas}
    by_code = {row.code: row for row in figures.areas}
    return tile_map(
        names,
        values,
        fmt=shown.fmt,
        href=lambda code: (
            area_url(figures, by_code[code])
            if code in by_code
            else reverse("dashboard_province", args=[code])
        ),
        label=lambda name, abbreviation, display: (
            _("%(code)s %(area)s, %(indicator)s: %(value)s")
            % {"area": name, "code": abbreviation, "indicator": shown.label, "value": display}
        ),
    )


def dashboard_context(figures: Figures, *, indicator_key: str, province: Province | None) -> dict:
    """The template context of a dashboard: headline figures, the map or area chart, charts and tables."""
    shown = indicator(indicator_key)
    totals = figures.totals
    areas = [
        (row, area_name(row), area_url(figures, row), percent(row.attendance_rate))
        for row in figures.areas
    ]
    meeting_charts, meetings_table = _meetings(figures)
    area_chart = bar_chart(
        [(name, shown.value(row) or 0) for row, name, *__ in areas],
        fmt=shown.fmt,
        maximum=100 if shown.key == "attendance" else None,
    )
    return {
        "figures": figures,
        "totals": totals,
        "attendance_rate": percent(totals.attendance_rate),
        "shown": shown,
        "areas": areas,
        "tile_map": _map(figures, shown) if province is None else None,
        "area_chart": area_chart,
        "enrolment": _enrolment(figures),
        "meeting_charts": meeting_charts,
        "meetings_table": meetings_table,
        "roles": _roles(figures),
        "gender": _gender(figures),
        "attendance": _attendance(figures),
        "rtl": _rtl(figures),
        "checks": _checks(figures),
        "lines": _lines(figures),
    }
