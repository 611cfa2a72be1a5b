"""The chart functions: tidy frames from `govdisclosure.analysis` in, paper figures out.

They take already-translated labels and know nothing about measures or languages, so the
notebooks stay small; the style and the shared parts (legend, axes) are in `plotting.style`.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from govdisclosure.plotting.style import (
    COLUMN_WIDTH,
    DOUBLE_WIDTH,
    LINESTYLES,
    MARKERS,
    PALETTE,
    ChartText,
    _finish,
    _fit_category_labels,
    _legend_height,
    _value_axis,
    new_figure,
    thousands,
)


def line_chart(
    frame: pd.DataFrame, x: str, y: str, hue: str, *, text: ChartText, log_y: bool = False,
    percent: bool = False, connect: str | None = None, width: float = COLUMN_WIDTH, height: float | None = None,
) -> Figure:
    """One line per `hue` value over `x` (years), with markers so that single points show.

    Args:
        frame: Tidy data with columns `x`, `y`, `hue`; series are drawn in order of appearance.
        x, y, hue: Column names.
        text: Title, axis labels (units in `ylabel`) and legend title.
        log_y: Symmetric-log y axis (linear between 0 and 1, so that a reported 0 stays on the
            chart), for series of very different size; say so in `ylabel`.
        percent: `y` holds fractions; ticks show percentages.
        connect: A boolean column: only rows where it is true are joined by the line (a balanced
            panel); the others are drawn as open dots, never joined (`analysis.panel.trend`).
        width, height: Figure size in inches (default height: the plot plus room for the legend).
    """
    fig, (ax,) = new_figure(width, height or 2.2 + _legend_height(frame[hue]))
    for i, (key, part) in enumerate(frame.groupby(hue, sort=False)):
        part = part.sort_values(x)
        color, marker = PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)]
        joined = part[part[connect].astype(bool)] if connect else part
        if len(joined):
            ax.plot(joined[x], joined[y], label=str(key), color=color, marker=marker,
                    linestyle=LINESTYLES[i // len(PALETTE) % len(LINESTYLES)])
        dots = part.drop(joined.index)
        if len(dots):
            ax.plot(dots[x], dots[y], label=None if len(joined) else str(key), color=color, marker=marker,
                    linestyle="none", fillstyle="none", alpha=0.85)
    _year_ticks(ax, frame[x])
    if log_y:  # symmetric log: linear below 1, so that a reported zero stays on the chart
        ax.set_yscale("symlog", linthresh=1, linscale=0.4)
        if len(frame) and (frame[y] >= 0).all():  # room for markers at 0 and at the top, no negative decades
            ax.set_ylim(-0.4, max(frame[y].max(), 1) * 2.5)
    _value_axis(ax.yaxis, percent)
    return _finish(fig, ax, text)


def _year_ticks(ax, years: pd.Series) -> None:
    """Ticks at the years that have data (every other one past a dozen), never at years without."""
    values = sorted({int(v) for v in years.dropna()})
    if not values:
        return
    step = 1 if len(values) <= 12 else 2
    ax.set_xticks(values[::step], [str(v) for v in values[::step]])
    span = values[-1] - values[0]
    if len(values) > 2 and span and min(b - a for a, b in pairwise(values)) * 12 < span:
        ax.tick_params(axis="x", labelrotation=90)  # neighbouring years too close for upright labels
    if len(values) == 1:
        ax.set_xlim(values[0] - 1, values[0] + 1)


def _with_n(label: object, n: object, newline: bool) -> str:
    return f"{label}{chr(10) if newline else ' '}(n={int(n)})"


def bar_chart(
    frame: pd.DataFrame, category: str, value: str, *, text: ChartText, horizontal: bool = False,
    width: float = COLUMN_WIDTH, height: float | None = None,
) -> Figure:
    """Bars of counts (`value`) per `category`, in the frame's order, labelled with their values.

    Horizontal bars suit long Chinese names; vertical bars suit years.
    """
    height = height or (max(1.6, 0.6 + 0.2 * len(frame)) if horizontal else 2.4)
    fig, (ax,) = new_figure(width, height)
    labels = frame[category].astype(str)
    if horizontal:
        bars = ax.barh(labels, frame[value], color=PALETTE[0])
        ax.invert_yaxis()
        ax.margins(x=0.15)
    else:
        bars = ax.bar(labels, frame[value], color=PALETTE[0])
        ax.margins(y=0.12)
        _fit_category_labels(ax, labels)
    ax.grid(axis="y" if horizontal else "x", visible=False)
    _value_axis(ax.xaxis if horizontal else ax.yaxis, integer=True)
    ax.bar_label(bars, labels=[thousands(v) for v in frame[value]], padding=1.5, fontsize=6)
    return _finish(fig, ax, text, legend=False)


def stacked_share_chart(
    frame: pd.DataFrame, x: str, hue: str, value: str, *, text: ChartText, horizontal: bool = False,
    n: str | None = None, width: float = COLUMN_WIDTH, height: float | None = None,
) -> Figure:
    """100 % stacked bars: the share of each `hue` within each `x`.

    Args:
        frame: Tidy data with columns `x`, `hue`, `value` (counts; shares are computed here);
            stacks and legend follow the order in which `hue` values first appear.
        horizontal: Bars along the y axis, for long `x` labels.
        n: A column with the number of reports behind each `x`, printed under its label.
    """
    rows = list(dict.fromkeys(frame[x]))  # years ascending; other categories in the frame's order
    table = frame.pivot_table(index=x, columns=hue, values=value, aggfunc="sum", sort=False).fillna(0)
    table = table.reindex(index=sorted(rows) if pd.api.types.is_numeric_dtype(frame[x]) else rows,
                          columns=list(dict.fromkeys(frame[hue])))
    table = table.div(table.sum(axis=1).where(lambda s: s > 0), axis=0).fillna(0)
    plot_height = max(1.2, 0.5 + 0.28 * len(table)) if horizontal else 2.2
    height = height or plot_height + _legend_height(table.columns)
    fig, (ax,) = new_figure(width, height)
    labels = [str(i) for i in table.index]
    if n:
        counts = frame.groupby(x, sort=False)[n].max()
        labels = [_with_n(i, counts[i], not horizontal) for i in table.index]
    base = np.zeros(len(table))
    for i, column in enumerate(table.columns):
        shares = table[column].to_numpy()
        style = {"label": str(column), "color": PALETTE[i % len(PALETTE)], "edgecolor": "white",
                 "linewidth": 0.4, "hatch": None if i < len(PALETTE) else "//"}
        if horizontal:
            ax.barh(labels, shares, left=base, **style)
        else:
            ax.bar(labels, shares, bottom=base, **style)
        base += shares
    _value_axis(ax.xaxis if horizontal else ax.yaxis, percent=True)
    ax.grid(axis="y" if horizontal else "x", visible=False)
    if horizontal:
        ax.invert_yaxis()
    else:
        _fit_category_labels(ax, labels)
    return _finish(fig, ax, text)


def grouped_bars(
    frame: pd.DataFrame, category: str, hue: str, value: str, *, text: ChartText, percent: bool = True,
    n: str | None = None, width: float = COLUMN_WIDTH,
) -> Figure:
    """Horizontal bars of `value` per `category`, one bar per `hue` value side by side.

    Suits comparing a distribution (e.g. refusal reasons) between a few groups (e.g. periods); `n`
    names a column with the reports behind each bar, printed at its end.
    """
    table = frame.pivot_table(index=category, columns=hue, values=value, aggfunc="sum", sort=False).fillna(0)
    counts = frame.pivot_table(index=category, columns=hue, values=n, aggfunc="max", sort=False) if n else None
    n = len(table.columns)
    plot_height = max(1.2, 0.5 + 0.1 * len(table) * max(n, 2))
    fig, (ax,) = new_figure(width, plot_height + _legend_height(table.columns))
    step, positions = 0.8 / n, np.arange(len(table))
    for i, column in enumerate(table.columns):
        bars = ax.barh(positions - 0.4 + step * (i + 0.5), table[column], height=step, label=str(column),
                       color=PALETTE[i % len(PALETTE)])
        if counts is not None:  # the reports behind each bar, at its end
            ax.bar_label(bars, labels=[f"n={int(c)}" if pd.notna(c) else "" for c in counts[column]],
                         padding=1.5, fontsize=5)
    if counts is not None:
        ax.margins(x=0.1)
    ax.set_yticks(positions, [str(c) for c in table.index])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    _value_axis(ax.xaxis, percent)
    return _finish(fig, ax, text)


def heatmap(matrix: pd.DataFrame, *, text: ChartText, width: float = DOUBLE_WIDTH) -> Figure:
    """Counts in a grid (rows × columns), each cell annotated; empty cells stay white.

    A single-hue sequential map (light to dark blue) reads correctly with any colour vision.
    """
    height = max(1.8, 0.9 + 0.17 * len(matrix))
    fig, (ax,) = new_figure(width, height)
    values = matrix.to_numpy(dtype=float)
    shown = np.ma.masked_where(values == 0, values)
    image = ax.imshow(shown, aspect="auto", cmap="Blues", vmin=0, interpolation="nearest")
    rotation = 90 if matrix.shape[1] > 8 else 0
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=rotation)
    ax.set_yticks(range(matrix.shape[0]), [str(r) for r in matrix.index])
    ax.grid(False)
    ax.tick_params(length=0)
    threshold = np.nanmax(values) / 2 if values.size else 0
    for (r, c), v in np.ndenumerate(values):
        if v:
            color = "white" if v > threshold else "black"
            ax.text(c, r, f"{v:,.0f}", ha="center", va="center", fontsize=5.5, color=color)
    bar = fig.colorbar(image, ax=ax, label=text.colorbar_label, shrink=0.8, format=FuncFormatter(thousands))
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    return _finish(fig, ax, text, legend=False)


def term_panels(
    frame: pd.DataFrame, panel: str, term: str, value: str, *, text: ChartText, percent: bool = True,
    n: str | None = None, width: float = DOUBLE_WIDTH,
) -> Figure:
    """One horizontal bar panel per `panel` value (e.g. period), terms ranked within each.

    `n` names a column with the reports behind each panel, shown in its title: a share of 100 %
    over one report is not a pattern.
    """
    panels = list(dict.fromkeys(frame[panel]))
    rows = max(frame.groupby(panel, sort=False).size())
    fig, axes = new_figure(width, max(1.8, 0.8 + 0.16 * rows), ncols=len(panels))
    for i, (ax, key) in enumerate(zip(axes, panels, strict=True)):
        part = frame[frame[panel] == key]
        ax.barh(part[term].astype(str), part[value], color=PALETTE[i % len(PALETTE)])
        ax.invert_yaxis()
        ax.set_title(_with_n(key, part[n].max(), False) if n else str(key), fontsize=8)
        ax.grid(axis="y", visible=False)
        _value_axis(ax.xaxis, percent)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
        ax.set_xlabel(text.xlabel)
    axes[0].set_ylabel(text.ylabel)
    fig.suptitle(text.title, fontsize=9)
    if text.note:
        fig.supxlabel(text.note, fontsize=6, color="#555555")
    return fig


def diverging_bars(
    frame: pd.DataFrame, label: str, value: str, *, text: ChartText, width: float = COLUMN_WIDTH
) -> Figure:
    """Horizontal bars left (negative, e.g. falling) and right (positive, rising) of zero.

    `value` holds differences of shares; ticks show percentage points.
    """
    frame = frame.sort_values(value)
    fig, (ax,) = new_figure(width, max(1.8, 0.8 + 0.16 * len(frame)))
    colors = [PALETTE[5] if v < 0 else PALETTE[0] for v in frame[value]]
    ax.barh(frame[label].astype(str), frame[value], color=colors)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:+.0f}" if v else "0"))
    falling, rising = text.legend_labels
    handles = [Patch(color=PALETTE[5], label=falling), Patch(color=PALETTE[0], label=rising)]
    return _finish(fig, ax, text, handles=handles)
