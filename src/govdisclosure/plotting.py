"""One paper style for every chart the project draws, with Chinese text that survives every format.

Researchers put these charts into papers, so they are drawn for a single journal column (3.5 in)
with 7–9 pt text, labelled axes with units, thousands separators and the Okabe–Ito palette, which
stays distinguishable under the common colour-vision deficiencies. The style is applied by one
call, `use_paper_style()`, and figures are written by one call, `save_figure()`, as PNG (300 dpi),
SVG and PDF.

Chinese labels are the hard part. We take a CJK font from an installed package (mplfonts ships
Noto Sans CJK SC) and only then from the system, so the same figure looks the same on every
machine. The fonts that are available are OpenType with CFF outlines, which matplotlib embeds in a
PDF as a TrueType (Type 42) font with the wrong font-file type: viewers like poppler warn about it
and strict ones refuse the font. We therefore convert the font's outlines once to TrueType
(quadratic) outlines and cache the result in matplotlib's cache directory (about 20 s, once per
machine); PDFs then embed a valid, subsetted CID TrueType font, and SVGs carry the glyphs as paths
so that they render without the font installed. `axes.unicode_minus` is off because the CJK font
and its fallbacks are not guaranteed to share a minus sign with the tick labels.

The chart functions below take tidy frames from `govdisclosure.analysis` and already-translated
labels; they know nothing about measures or languages, so the notebooks stay small.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour deficiency
#: (their black is a mid grey here, so that a last "other" series does not dominate a stacked bar).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
#: Line styles combined with the palette so that series stay apart in greyscale print.
LINESTYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
COLUMN_WIDTH = 3.5  # inches: one journal column
DOUBLE_WIDTH = 7.0  # inches: full page width
FORMATS = ("png", "svg", "pdf")
CJK_FAMILY = "GovDisclosure CJK"  # the converted font is renamed, as the SIL OFL asks of modified fonts

#: File names of CJK sans-serif fonts, best first: mplfonts' own, then common system fonts.
_CJK_FILE_PATTERNS = (
    r"NotoSansCJK.*sc",
    r"NotoSansSC",
    r"SourceHanSans(SC|CN)?",
    r"wqy-?(micro|zen)hei",
    r"DroidSansFallback",
    r"msyh",
    r"simhei",
    r"PingFang",
    r"Hiragino.*GB",
    r"STHeiti",
    r"NotoSansCJK",
    r"NotoSerifCJK.*sc",
    r"SourceHanSerif",
)
_PROBE = "政府信息公开年度报告"  # characters a usable font must have
#: Unicode ranges kept in the converted font: Latin to CJK punctuation, CJK ideographs with
#: extension A (rare place-name characters) and compatibility forms, full-width forms. Anything
#: else (U+FFFD in damaged sources) falls back to DejaVu Sans.
_KEPT_RANGES = ((0x20, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def find_cjk_font() -> Path | None:
    """Locate a font file with Chinese glyphs.

    Looks first in the installed mplfonts package, then in the system font list, and returns the
    first file whose character map covers common report vocabulary.

    Returns:
        The font file, or None when neither source has one.
    """
    candidates: list[Path] = []
    spec = importlib.util.find_spec("mplfonts")
    if spec is not None and spec.origin is not None:
        candidates += sorted((Path(spec.origin).parent / "fonts").glob("*.[ot]t[fc]"))
    candidates += [Path(p) for p in font_manager.findSystemFonts()]
    for pattern in _CJK_FILE_PATTERNS:
        for path in candidates:
            if re.search(pattern, path.name, re.IGNORECASE) and _covers(path, _PROBE):
                return path
    return None


def _covers(path: Path, text: str) -> bool:
    try:
        charmap = mpl.ft2font.FT2Font(str(path)).get_charmap()
    except (OSError, RuntimeError):
        return False
    return all(ord(ch) in charmap for ch in text)


def embeddable_font(path: Path, cache_dir: Path | None = None) -> Path:
    """A TrueType-outline version of `path`, converted once and cached.

    Fonts with TrueType outlines are returned as they are. OpenType/CFF fonts are converted
    (cubic to quadratic curves, within 1 font unit) to a font named `CJK_FAMILY` that keeps the
    glyphs in `_KEPT_RANGES`, so that matplotlib can embed it correctly as Type 42 in PDF.

    Args:
        path: A font file (.otf, .ttf, .ttc; for collections the first face is used).
        cache_dir: Where converted fonts are kept; defaults to matplotlib's cache directory.

    Returns:
        The path of a font with TrueType outlines.
    """
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=0, lazy=True) as font:
        if "glyf" in font:
            return path
    # Named after the font's bytes, not its path: every environment on the machine (each with
    # its own copy of mplfonts) shares one conversion. Conversions are never removed here:
    # matplotlib opens the file again whenever it draws, so a conversion that another process
    # has registered must stay; a new font version adds one file of about 10 MB.
    with path.open("rb") as fh:
        stamp = hashlib.file_digest(fh, "sha256")
    stamp.update(repr(_KEPT_RANGES).encode())
    target = (
        Path(cache_dir or mpl.get_cachedir()) / "govdisclosure" / f"{path.stem}-{stamp.hexdigest()[:12]}.ttf"
    )
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".ttf", dir=target.parent)
        os.close(fd)
        _cff_to_truetype(path, Path(tmp))
        os.replace(tmp, target)  # atomic: concurrent kernels never see a half-written font
    return target


def _cff_to_truetype(source: Path, target: Path) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    with TTFont(source, fontNumber=0, lazy=True) as font:
        cmap = {
            cp: name
            for cp, name in font.getBestCmap().items()
            if any(lo <= cp <= hi for lo, hi in _KEPT_RANGES)
        }
        order = [".notdef", *sorted(set(cmap.values()) - {".notdef"})]
        glyph_set, hmtx = font.getGlyphSet(), font["hmtx"]
        glyphs = {}
        for name in order:
            pen = TTGlyphPen(None)
            glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
            glyphs[name] = pen.glyph()
        builder = FontBuilder(font["head"].unitsPerEm, isTTF=True)
        builder.setupGlyphOrder(order)
        builder.setupCharacterMap(cmap)
        builder.setupGlyf(glyphs)
        builder.setupHorizontalMetrics({n: (hmtx[n][0], getattr(glyphs[n], "xMin", 0)) for n in order})
        builder.setupHorizontalHeader(ascent=font["hhea"].ascent, descent=font["hhea"].descent)
        names = font["name"]
        builder.setupNameTable(
            {
                "copyright": str(names.getDebugName(0) or ""),
                "familyName": CJK_FAMILY,
                "styleName": "Regular",
                "uniqueFontIdentifier": f"{CJK_FAMILY} from {source.name}",
                "fullName": f"{CJK_FAMILY} Regular",
                "psName": CJK_FAMILY.replace(" ", "") + "-Regular",
                "licenseDescription": str(names.getDebugName(13) or ""),
                "licenseInfoURL": str(names.getDebugName(14) or ""),
            }
        )
        os2 = font["OS/2"]
        builder.setupOS2(
            sTypoAscender=os2.sTypoAscender,
            sTypoDescender=os2.sTypoDescender,
            sTypoLineGap=os2.sTypoLineGap,
            usWinAscent=os2.usWinAscent,
            usWinDescent=os2.usWinDescent,
            sxHeight=os2.sxHeight,
            sCapHeight=os2.sCapHeight,
            achVendID=os2.achVendID,
            fsType=0,
        )
        builder.setupPost()
        builder.save(str(target))


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
    """

    title: str
    xlabel: str
    ylabel: str
    legend_title: str | None = None
    colorbar_label: str = ""
    legend_labels: tuple[str, str] = ("-", "+")


def _finish(fig: Figure, ax, text: ChartText, legend: bool = True, handles: list | None = None) -> Figure:
    """Title, axis labels and a legend below the axes, as wide as the labels allow."""
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
    if sum(_text_width(str(label)) + 2 for label in labels) > 50:
        ax.tick_params(axis="x", labelrotation=90)


def _value_axis(axis, percent: bool = False, integer: bool = False) -> None:
    """Percent ticks for shares; thousands separators (and whole numbers for counts) otherwise."""
    if integer:
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(PercentFormatter(1.0, decimals=0) if percent else FuncFormatter(thousands))


def line_chart(
    frame: pd.DataFrame, x: str, y: str, hue: str, *, text: ChartText, log_y: bool = False,
    percent: bool = False, width: float = COLUMN_WIDTH, height: float | None = None,
) -> Figure:
    """One line per `hue` value over `x` (years), with markers so that single points show.

    Args:
        frame: Tidy data with columns `x`, `y`, `hue`; series are drawn in order of appearance.
        x, y, hue: Column names.
        text: Title, axis labels (units in `ylabel`) and legend title.
        log_y: Logarithmic y axis (linear between 0 and 1), for series of very different size.
        percent: `y` holds fractions; ticks show percentages.
        width, height: Figure size in inches (default height: the plot plus room for the legend).
    """
    fig, (ax,) = new_figure(width, height or 2.2 + _legend_height(frame[hue]))
    for i, (key, part) in enumerate(frame.groupby(hue, sort=False)):
        part = part.sort_values(x)
        style = LINESTYLES[i // len(PALETTE) % len(LINESTYLES)]
        ax.plot(part[x], part[y], label=str(key), color=PALETTE[i % len(PALETTE)], linestyle=style,
                marker=MARKERS[i % len(MARKERS)])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    if log_y:  # symmetric log: linear below 1, so that a reported zero stays on the chart
        ax.set_yscale("symlog", linthresh=1, linscale=0.4)
    _value_axis(ax.yaxis, percent)
    return _finish(fig, ax, text)


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
    width: float = COLUMN_WIDTH, height: float | None = None,
) -> Figure:
    """100 % stacked bars: the share of each `hue` within each `x`.

    Args:
        frame: Tidy data with columns `x`, `hue`, `value` (counts; shares are computed here);
            stacks and legend follow the order in which `hue` values first appear.
        horizontal: Bars along the y axis, for long `x` labels.
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
    width: float = COLUMN_WIDTH,
) -> Figure:
    """Horizontal bars of `value` per `category`, one bar per `hue` value side by side.

    Suits comparing a distribution (e.g. refusal reasons) between a few groups (e.g. periods).
    """
    table = frame.pivot_table(index=category, columns=hue, values=value, aggfunc="sum", sort=False).fillna(0)
    n = len(table.columns)
    plot_height = max(1.2, 0.5 + 0.1 * len(table) * max(n, 2))
    fig, (ax,) = new_figure(width, plot_height + _legend_height(table.columns))
    step, positions = 0.8 / n, np.arange(len(table))
    for i, column in enumerate(table.columns):
        ax.barh(positions - 0.4 + step * (i + 0.5), table[column], height=step, label=str(column),
                color=PALETTE[i % len(PALETTE)])
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
    width: float = DOUBLE_WIDTH,
) -> Figure:
    """One horizontal bar panel per `panel` value (e.g. period), terms ranked within each."""
    panels = list(dict.fromkeys(frame[panel]))
    n = max(frame.groupby(panel, sort=False).size())
    fig, axes = new_figure(width, max(1.8, 0.8 + 0.16 * n), ncols=len(panels))
    for i, (ax, key) in enumerate(zip(axes, panels, strict=True)):
        part = frame[frame[panel] == key]
        ax.barh(part[term].astype(str), part[value], color=PALETTE[i % len(PALETTE)])
        ax.invert_yaxis()
        ax.set_title(str(key), fontsize=8)
        ax.grid(axis="y", visible=False)
        _value_axis(ax.xaxis, percent)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
        ax.set_xlabel(text.xlabel)
    axes[0].set_ylabel(text.ylabel)
    fig.suptitle(text.title, fontsize=9)
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
