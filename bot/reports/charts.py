"""The report's two charts as PNG: completion by unit and progress over time.

They are sent on their own to a phone (/tonghop's photo) and embedded in the Word
and PDF reports, so they are drawn for a phone first: 1080 px wide, no text under
11 pt, the height growing with the number of units rather than the bars shrinking.

Each chart is its own ``Figure`` on an Agg canvas, never pyplot: pyplot keeps the
current figure in global state, which two reports drawn at once would share. The
font is the DejaVu Sans file matplotlib ships (it has every Vietnamese letter), named
by path so no machine's own fonts change a chart, and the PNG carries no software
version, so the same report gives the same bytes everywhere.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from bot.reports.content import percent
from data.report_model import (
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS_LATE,
    IN_PROGRESS_ON_TIME,
    NOT_STARTED,
    STATE_LABELS,
    STATES,
    STOPPED,
    MonthFigures,
    PlanReport,
    StateCounts,
    UnitFigures,
    shown_states,
)
from data.vn_dates import vn_date

WIDTH_IN = 7.2
DPI = 150
"""7.2 in × 150 dpi = 1080 px: a phone screen's width, and 18 cm on an A4 page."""
TEXT_PT = 11
TITLE_PT = 14

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_REGULAR = _FONT_DIR / "DejaVuSans.ttf"
_BOLD = _FONT_DIR / "DejaVuSans-Bold.ttf"

STYLE = {
    DONE_ON_TIME: ("#1a7f3c", ""),
    DONE_LATE: ("#8fd18a", "//"),
    IN_PROGRESS_ON_TIME: ("#4a90c9", ""),
    IN_PROGRESS_LATE: ("#d7301f", "//"),
    NOT_STARTED: ("#d0d0d0", ""),
    STOPPED: ("#f7f7f7", ".."),
}
"""Colour and hatch of each state. Greens for done, blue for on track, red for late,
grey for not started; hatching marks every late state, so "quá hạn" still shows on a
greyscale print, where the solid fills differ in lightness (dark green, mid blue,
light grey) and the two hatched ones too (light green, dark red)."""
_HATCH_COLOUR = "#404040"
LINE_COLOUR = "#253494"

MAX_UNITS = 25
"""Bars drawn at most; further units are summed into one last bar. 25 bars make a
chart about two phone screens tall (~1900 px): past that a leader scrolls away from
the legend, and the page of the Word report no longer holds it. Every unit stays in
the report's table and the Excel sheet of figures."""
UNIT_NAME_CHARS = 24
"""Wrap width of a unit's name, on at most two lines: at 11 pt this keeps the names'
column under a third of the width, leaving the rest to the bars."""
_ROW_IN = 0.42
_MIN_SEGMENT_IN = 0.22
"""A count is written inside a segment only when this much room is there for it."""


def unit_chart_png(report: PlanReport) -> bytes:
    """Completion by unit: one horizontal bar per unit, stacked by state, with the
    completion rate at its end, for a leader to see at a glance who is behind."""
    units, left_out = drawn_units(report.by_unit)
    states = shown_states(sum(c[STOPPED] for _, c in units))
    fig = _figure(height=2.3 + _ROW_IN * max(len(units), 2))
    fig.suptitle(
        f"Tình hình thực hiện theo đơn vị\n(đến ngày {vn_date(report.as_of)})",
        fontproperties=_font(TITLE_PT, bold=True),
    )
    ax = fig.add_subplot()
    if not units:
        _no_data(ax, "Chưa có nhiệm vụ nào giao cho đơn vị")
        return _png(fig)
    rows = range(len(units))
    left = [0] * len(units)
    bars: list[tuple[BarContainer, list[int]]] = []
    for state in states:
        values = [counts[state] for _, counts in units]
        container = ax.barh(
            rows,
            values,
            left=left,
            height=0.7,
            **_bar_style(state),
        )
        bars.append((container, values))
        left = [a + b for a, b in zip(left, values, strict=True)]
    longest = max(left) or 1
    ax.set_xlim(0, longest * 1.18)
    ax.set_ylim(len(units) - 0.5, -0.5)
    _set_ticks(ax, "y", list(rows), [name for name, _ in units])
    _set_ticks(ax, "x", _integer_ticks(longest), None)
    ax.set_xlabel("Số nhiệm vụ (cuối thanh: tỷ lệ hoàn thành)", fontproperties=_font(TEXT_PT))
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for row, (_, counts) in enumerate(units):
        ax.annotate(
            percent(counts.rate),
            (left[row], row),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontproperties=_font(TEXT_PT, bold=True),
        )
    _legend(ax, 2)
    if left_out:
        fig.supxlabel(textwrap.fill(left_out, 70), fontproperties=_font(TEXT_PT))
    fig.draw_without_rendering()
    per_task_in = _axes_size_in(fig, ax)[0] / (longest * 1.18)
    for (container, values), state in zip(bars, states, strict=True):
        _label_segments(ax, container, values, per_task_in, state)
    return _png(fig)


def progress_chart_png(report: PlanReport) -> bytes:
    """Tasks completed per month, on time and late, with the running total on a
    second axis so months with few completions still show beside a large total."""
    months = report.by_month
    fig = _figure(height=5.4)
    fig.suptitle("Tiến độ hoàn thành theo tháng", fontproperties=_font(TITLE_PT, bold=True))
    ax = fig.add_subplot()
    if not months:
        _no_data(ax, "Chưa có số liệu theo tháng")
        return _png(fig)
    xs = list(range(len(months)))
    on_time = [m.on_time for m in months]
    late = [m.late for m in months]
    bars = []
    for state, values, bottom in (
        (DONE_ON_TIME, on_time, [0] * len(months)),
        (DONE_LATE, late, on_time),
    ):
        container = ax.bar(
            xs,
            values,
            bottom=bottom,
            width=0.65,
            **_bar_style(state),
        )
        bars.append((container, values, state))
    highest = max(a + b for a, b in zip(on_time, late, strict=True)) or 1
    ax.set_ylim(0, highest * 1.15)
    _set_ticks(ax, "y", _integer_ticks(highest), None)
    _set_ticks(ax, "x", xs, [_month_label(m) for m in months], rotation=45 if len(xs) > 6 else 0)
    ax.set_ylabel("Hoàn thành trong tháng", fontproperties=_font(TEXT_PT))
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines["top"].set_visible(False)

    total = _running_total(months)
    twin = ax.twinx()
    twin.plot(
        xs,
        total,
        color=LINE_COLOUR,
        marker="o",
        linewidth=2.2,
        label="Lũy kế đã hoàn thành",
    )
    top = max(total) or 1
    twin.set_ylim(0, top * 1.15)
    _set_ticks(twin, "y", _integer_ticks(top), None, colour=LINE_COLOUR)
    twin.set_ylabel("Lũy kế", fontproperties=_font(TEXT_PT), color=LINE_COLOUR)
    twin.spines["top"].set_visible(False)
    twin.annotate(
        str(total[-1]),
        (xs[-1], total[-1]),
        xytext=(0, 7),
        textcoords="offset points",
        ha="center",
        color=LINE_COLOUR,
        fontproperties=_font(TEXT_PT, bold=True),
    )
    _legend(ax, 2, (ax, twin))
    fig.draw_without_rendering()
    per_task_in = _axes_size_in(fig, ax)[1] / (highest * 1.15)
    for container, values, state in bars:
        _label_segments(ax, container, values, per_task_in, state, on=twin)
    return _png(fig)


def drawn_units(units: Sequence[UnitFigures]) -> tuple[list[tuple[str, StateCounts]], str]:
    """The units to draw, names wrapped, in the report's order, and a note for the ones
    left out: past ``MAX_UNITS`` those with the fewest tasks are summed in a line under
    the chart (as a bar their sum would dwarf every other bar)."""
    if len(units) <= MAX_UNITS:
        return [(_wrap(u.unit), u.counts) for u in units], ""
    by_size = sorted(units, key=lambda u: -u.counts.total)
    keep = {id(u) for u in by_size[:MAX_UNITS]}
    rest = [u for u in units if id(u) not in keep]
    summed = StateCounts({s: sum(u.counts[s] for u in rest) for s in STATES})
    note = (
        f"Biểu đồ không thể hiện {len(rest)} đơn vị có ít nhiệm vụ nhất (tổng {summed.total} "
        f"nhiệm vụ, hoàn thành {percent(summed.rate)}); số liệu đầy đủ xem tại bảng kèm theo."
    )
    return [(_wrap(u.unit), u.counts) for u in units if id(u) in keep], note


def _bar_style(state: str) -> dict[str, Any]:
    """A state's segments look the same in both charts and in the legend."""
    colour, hatch = STYLE[state]
    return {
        "color": colour,
        "hatch": hatch,
        "hatchcolor": _HATCH_COLOUR,
        "edgecolor": "white",
        "linewidth": 0.8,
        "label": STATE_LABELS[state],
    }


def _wrap(name: str) -> str:
    lines = textwrap.wrap(name, UNIT_NAME_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), UNIT_NAME_CHARS, placeholder="…")]
    return "\n".join(lines)


def _month_label(month: MonthFigures) -> str:
    return f"T{month.month.month}/{month.month.year}"


def _running_total(months: Sequence[MonthFigures]) -> list[int]:
    total, out = 0, []
    for m in months:
        total += m.on_time + m.late
        out.append(total)
    return out


def _font(size: float, *, bold: bool = False) -> FontProperties:
    return FontProperties(fname=_BOLD if bold else _REGULAR, size=size)


def _figure(height: float) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _integer_ticks(highest: float) -> list[float]:
    ticks = MaxNLocator(nbins=6, integer=True).tick_values(0, highest)
    return [t for t in ticks if 0 <= t <= highest * 1.15]


def _set_ticks(
    ax: Axes,
    axis: Literal["x", "y"],
    ticks: Sequence[float],
    labels: Sequence[str] | None,
    *,
    rotation: float = 0,
    colour: str = "black",
) -> None:
    """Fixed ticks with their labels in the chart's font (the axis's own locator would
    draw them in whatever font the process's rcParams name)."""
    texts = list(labels) if labels is not None else [f"{t:g}" for t in ticks]
    setter = ax.set_xticks if axis == "x" else ax.set_yticks
    setter(list(ticks), texts, fontproperties=_font(TEXT_PT), color=colour)
    ax.tick_params(axis=axis, length=3, colors=colour)
    if rotation:
        for label in ax.get_xticklabels():
            label.set(rotation=rotation, ha="right", rotation_mode="anchor")


def _legend(ax: Axes, columns: int, axes: Sequence[Axes] = ()) -> None:
    """The key above the plot, under the title, centred on the figure: a phone shows it
    before the bars, and a tall chart does not push it a screen away."""
    handles, labels = [], []
    for one in axes or (ax,):
        h, lab = one.get_legend_handles_labels()
        handles += h
        labels += lab
    ax.legend(
        handles,
        labels,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        bbox_transform=blended_transform_factory(ax.figure.transFigure, ax.transAxes),
        ncols=columns,
        prop=_font(TEXT_PT),
        frameon=False,
        handlelength=1.8,
        columnspacing=1.2,
    )


def _axes_size_in(fig: Figure, ax: Axes) -> tuple[float, float]:
    box = ax.get_position()
    width, height = fig.get_size_inches()
    return box.width * width, box.height * height


def _label_segments(
    ax: Axes,
    container: BarContainer,
    values: Sequence[int],
    per_task_in: float,
    state: str,
    *,
    on: Axes | None = None,
) -> None:
    """Each segment's count inside it, where the segment has room for it, drawn ``on``
    the top axes (a twin's line would otherwise cross out the figure)."""
    colour, _ = STYLE[state]
    ink = "white" if _dark(colour) else "black"
    for bar, value in zip(container.patches, values, strict=True):
        if not value or value * per_task_in < _MIN_SEGMENT_IN:
            continue
        (on or ax).text(
            bar.get_x() + bar.get_width() / 2,
            bar.get_y() + bar.get_height() / 2,
            str(value),
            transform=ax.transData,
            ha="center",
            va="center",
            color=ink,
            fontproperties=_font(TEXT_PT, bold=True),
            bbox={"boxstyle": "round,pad=0.15", "facecolor": colour, "edgecolor": "none"},
        )


def _dark(colour: str) -> bool:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


def _no_data(ax: Axes, text: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontproperties=_font(TEXT_PT))


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()
