"""One paper style for every chart the project draws: rcParams, figures, saving, shared chart parts.

Researchers put these charts into papers, so they are drawn for a single journal column (3.5 in)
with 7–9 pt text, labelled axes with units, thousands separators and the Okabe–Ito palette, which
stays distinguishable under the common colour-vision deficiencies. The style is applied by one
call, `use_paper_style()`, and figures are written by one call, `save_figure()`, as PNG (300 dpi),
SVG and PDF. `axes.unicode_minus` is off because the CJK font (`plotting.fonts`) and its fallbacks
are not guaranteed to share a minus sign with the tick labels.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from govdisclosure.plotting.fonts import embeddable_font, find_cjk_font

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour deficiency
#: (their black is a mid grey here, so that a last "other" series does not dominate a stacked bar).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
#: Line styles combined with the palette so that series stay apart in greyscale print.
LINESTYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
COLUMN_WIDTH = 3.5  # inches: one journal column
DOUBLE_WIDTH = 7.0  # inches: full page width
FORMATS = ("png", "svg", "pdf")


@cache
def use_paper_style() -> str:
    """Apply the paper style to matplotlib's rcParams (once per process).

    Returns:
        The family name of the CJK font in use.

    Raises:
        RuntimeError: When no font with Chinese glyphs can be found (install mplfonts).
    """
    source = find_cjk_font()
    if source is None:
        raise RuntimeError(
            "No font with Chinese glyphs found: install the mplfonts package "
            "(pip install mplfonts) or a system CJK font such as Noto Sans CJK SC."
        )
    path = embeddable_font(source)
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    mpl.rcParams.update(
        {
            "font.family": [family, "DejaVu Sans"],  # named, so that matplotlib falls back glyph by glyph
            "axes.unicode_minus": False,
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
            "svg.fonttype": "path",
            "svg.hashsalt": "govdisclosure",  # stable element ids: re-runs give identical SVGs
            "font.size": 8,
            "axes.titlesize": 9,
            "axes.labelsize": 8,
            "xtick.labelsize": 7,
            "ytick.labelsize": 7,
            "legend.fontsize": 7,
            "legend.title_fontsize": 7,
            "legend.frameon": False,
            "axes.prop_cycle": cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.axisbelow": True,
            "grid.color": "#d9d9d9",
            "grid.linewidth": 0.5,
            "axes.linewidth": 0.6,
            "lines.linewidth": 1.4,
            "lines.markersize": 3.5,
            "figure.figsize": (COLUMN_WIDTH, 2.6),
            "figure.dpi": 150,
            "figure.constrained_layout.use": True,
            "savefig.dpi": 300,
            "savefig.bbox": "tight",
            "savefig.pad_inches": 0.03,
        }
    )
    return family


def new_figure(
    width: float = COLUMN_WIDTH, height: float = 2.6, ncols: int = 1, sharey: bool = False
) -> tuple[Figure, np.ndarray]:
    """A figure in the paper style with `ncols` axes (always returned as an array).

    Figures are created without pyplot, so notebooks do not accumulate open figures.
    """
    use_paper_style()
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols, sharey=sharey, squeeze=False)[0]
    return fig, axes


def save_figure(
    fig: Figure, name: str, fig_dir: str | Path, formats: Sequence[str] = FORMATS, dpi: int = 300
) -> list[Path]:
    """Write `fig` as `fig_dir/name.<format>` for each format.

    PNG is written at `dpi`; SVG (glyphs as paths) and PDF (TrueType fonts embedded and
    subsetted) are vector. Metadata dates are left out so that re-runs produce identical files.

    Args:
        fig: The figure.
        name: File name without extension (e.g. "02_proactive_totals").
        fig_dir: Output folder, created if missing.
        formats: Any of "png", "svg", "pdf".
        dpi: Resolution of raster output.

    Returns:
        The written paths, in the order of `formats`.
    """
    use_paper_style()
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unsupported figure format(s) {sorted(unknown)}; choose from {FORMATS}")
    folder = Path(fig_dir)
    folder.mkdir(parents=True, exist_ok=True)
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
    }
    paths = []
    for fmt in formats:
        path = folder / f"{name}.{fmt}"
        fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata[fmt])
        paths.append(path)
    return paths


def png_bytes(fig: Figure, dpi: int = 192) -> bytes:
    """The figure as PNG bytes, for showing in a notebook without pyplot's inline backend."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def thousands(value: float, _pos: object = None) -> str:
    """Tick formatter: 12,345 (integers) or 1,234.5."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@dataclass(frozen=True)
class ChartText:
    """The words of a chart, in the reader's language.

    Attributes:
        title: Short title.
        xlabel, ylabel: Axis labels, with units ("信息数（条）", "Requests (count)").
        legend_title: Title over the legend, if any.
        colorbar_label: Label of a heatmap's colour bar.
        legend_labels: Names of the two sides of a diverging chart (negative, positive).
        note: A caption under the chart: how many reports stand behind it, what a line joins.
    """

    title: str
    xlabel: str
    ylabel: str
    legend_title: str | None = None
    colorbar_label: str = ""
    legend_labels: tuple[str, str] = ("-", "+")
    note: str = ""


def _finish(fig: Figure, ax, text: ChartText, legend: bool = True, handles: list | None = None) -> Figure:
    """Title, axis labels and a legend below the axes, as wide as the labels allow."""
    if text.note:  # the title over the figure, the caption under it in small grey type
        fig.suptitle(text.title, fontsize=9)
        add_note(ax, text.note)
    else:
        ax.set_title(text.title)
    ax.set_xlabel(text.xlabel)
    ax.set_ylabel(text.ylabel)
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    else:
        labels = [h.get_label() for h in handles]
    if legend and handles:
        fig.legend(handles, labels, title=text.legend_title, loc="outside lower center",
                   ncols=_legend_columns(labels))
    return fig


def add_note(ax, note: str) -> None:
    """The caption of a chart (how many reports stand behind it, what a line joins) as the axes' title:
    small, grey and wrapped, so that the layout makes room for it."""
    # Latin-letter widths of 6 pt text across 70 % of the figure: the axes it is centred on are narrower
    width = int(ax.figure.get_figwidth() * 72 / 3.4 * 0.7)
    ax.set_title(_wrap(note, width), fontsize=6, color="#555555", loc="right")  # never past the right edge


#: A Chinese character, or a Latin word with the spaces after it: where a caption may break.
_TOKEN = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+")


_NO_LINE_START = set("，。；：、）)」”,.;:")


def _wrap(text: str, width: int) -> str:
    """Break `text` into lines of at most `width` Latin-letter widths (a Chinese character counts two)."""
    lines, line = [], ""
    for token in _TOKEN.findall(text):
        if line and _text_width(line + token.rstrip()) > width and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    lines.append(line.rstrip())
    return "\n".join(lines)


def _legend_columns(labels) -> int:
    """As many legend columns as the widest label allows at column width."""
    widest = max(_text_width(str(label)) for label in labels)  # in Latin-letter widths
    return min(len(labels), 1 if widest > 30 else 2 if widest > 14 else 3)


def _legend_height(series) -> float:
    """Inches a legend of these series takes below the axes (title and rows)."""
    labels = list(dict.fromkeys(series))
    return 0.3 + 0.15 * -(-len(labels) // _legend_columns(labels)) if labels else 0.0


def _text_width(text: str) -> int:
    """Width of a label in Latin-letter units: Chinese characters are about twice as wide."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _fit_category_labels(ax, labels) -> None:
    """Turn x tick labels upright when side by side they would not fit a column-wide axis."""
    if sum(max(_text_width(line) for line in str(label).split("\n")) + 2 for label in labels) > 50:
        ax.tick_params(axis="x", labelrotation=90)


def _value_axis(axis, percent: bool = False, integer: bool = False) -> None:
    """Percent ticks for shares; thousands separators (and whole numbers for counts) otherwise."""
    if integer:
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(PercentFormatter(1.0, decimals=0) if percent else FuncFormatter(thousands))
