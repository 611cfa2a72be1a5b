"""Tests of the paper style: CJK font discovery, embeddable fonts, and figures in every format."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont
from PIL import Image

from govdisclosure import plotting

TEXT = plotting.ChartText(
    title="主动公开信息数 − 2013年",
    xlabel="报告年度",
    ylabel="信息数（条）",
    legend_title="机关",
    colorbar_label="信息数（条）",
    legend_labels=("下降", "上升"),
)


@pytest.fixture(autouse=True)
def no_glyph_warnings():
    """Every test here fails on any warning, in particular matplotlib's 'Glyph ... missing from font(s)'."""
    plotting.use_paper_style()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_cjk_font_found_and_covers_chinese():
    font = plotting.find_cjk_font()
    assert font is not None and font.exists()
    assert plotting._covers(font, "政府信息公开工作年度报告")


def test_style_settings():
    family = plotting.use_paper_style()
    assert mpl.rcParams["font.family"][0] == family
    assert mpl.rcParams["axes.unicode_minus"] is False
    assert mpl.rcParams["pdf.fonttype"] == 42 and mpl.rcParams["ps.fonttype"] == 42
    assert mpl.rcParams["svg.fonttype"] == "path"
    assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][:3] == list(plotting.PALETTE[:3])


def test_embeddable_font_has_truetype_outlines():
    converted = plotting.embeddable_font(plotting.find_cjk_font())
    with TTFont(converted, lazy=True) as font:
        assert "glyf" in font and "CFF " not in font
        cmap = font.getBestCmap()
        assert all(ord(ch) in cmap for ch in "政府年报告（）：0123456789,%㐀䶵﨑")
    truetype = Path(mpl.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    assert plotting.embeddable_font(truetype) == truetype  # already TrueType: used as it is


def _small_cff_font(path: Path, glyph_width: int) -> Path:
    """An OpenType/CFF font with two Chinese glyphs (a square of `glyph_width` units)."""
    builder = FontBuilder(1000, isTTF=False)
    names = [".notdef", "uni653F", "uni5E9C"]
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({0x653F: "uni653F", 0x5E9C: "uni5E9C"})
    square = T2CharStringPen(glyph_width, None)
    square.moveTo((100, 0))
    square.lineTo((glyph_width - 100, 0))
    square.lineTo((glyph_width - 100, 700))
    square.closePath()
    charstrings = {".notdef": T2CharStringPen(500, None).getCharString(),
                   "uni653F": square.getCharString(), "uni5E9C": square.getCharString()}
    builder.setupCFF("SmallCJK-Regular", {"FullName": "Small CJK"}, charstrings, {})
    builder.setupHorizontalMetrics({name: (glyph_width, 0) for name in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Small CJK", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def test_converted_fonts_are_shared_by_identical_copies_and_never_removed(tmp_path):
    # Two environments, each with its own copy of the same font, must not take turns converting it
    # and deleting the other's conversion while that one's notebooks are drawing with it.
    cache_dir = tmp_path / "cache"
    first = plotting.embeddable_font(_small_cff_font(tmp_path / "env1" / "Small.otf", 900), cache_dir)
    written = first.stat().st_mtime_ns
    # A copy of the same file (building the font again would stamp another second into its head table).
    copy = tmp_path / "env2" / "Small.otf"
    copy.parent.mkdir()
    shutil.copy2(tmp_path / "env1" / "Small.otf", copy)
    second = plotting.embeddable_font(copy, cache_dir)
    assert second == first and first.stat().st_mtime_ns == written
    newer = plotting.embeddable_font(_small_cff_font(tmp_path / "env3" / "Small.otf", 800), cache_dir)
    assert newer != first and first.exists() and newer.exists()
    with TTFont(newer) as font:
        assert "glyf" in font and font.getBestCmap()[0x653F] == "uni653F"


def test_save_figure_writes_every_format_with_fonts_embedded(tmp_path):
    fig, (ax,) = plotting.new_figure()
    ax.plot([2009, 2013, 2019], [-5, 72804, 100], label="平潭综合实验区管理委员会")
    ax.set(title=TEXT.title, xlabel=TEXT.xlabel, ylabel=TEXT.ylabel)
    ax.legend()
    paths = plotting.save_figure(fig, "02_test", tmp_path / "figures")
    assert [p.name for p in paths] == ["02_test.png", "02_test.svg", "02_test.pdf"]
    with Image.open(paths[0]) as png:
        assert round(png.info["dpi"][0]) == 300 and png.width >= 3 * 300
    svg = paths[1].read_text(encoding="utf-8")
    assert "<text" not in svg  # glyphs are paths: Chinese renders without the font installed
    pdf = paths[2].read_bytes()
    assert b"/FontFile2" in pdf and b"GovDisclosureCJK" in pdf and b"/CIDFontType2" in pdf
    assert b"/FontFile3" not in pdf and b"/Type3" not in pdf
    again = plotting.save_figure(fig, "02_test", tmp_path / "again")
    assert again[2].read_bytes() == pdf  # no dates in the file: re-runs give identical PDFs


def test_save_figure_rejects_unknown_formats(tmp_path):
    fig, _ = plotting.new_figure()
    with pytest.raises(ValueError, match="jpg"):
        plotting.save_figure(fig, "x", tmp_path, formats=("png", "jpg"))


def _years() -> pd.DataFrame:
    rows = [
        {"year": y, "agency": a, "channel": c, "value": float(v)}
        for a, k in (("宿州市统计局", 1), ("平潭综合实验区管理委员会", 3))
        for c in ("政府网站", "微博")
        for v, y in ((10 * k, 2013), (20 * k, 2018), (15 * k, 2022))
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "draw",
    [
        lambda f: plotting.line_chart(f, "year", "value", "agency", log_y=True, text=TEXT),
        lambda f: plotting.bar_chart(
            f.groupby("agency", as_index=False).value.sum(), "agency", "value", horizontal=True, text=TEXT
        ),
        lambda f: plotting.bar_chart(
            f.groupby("year", as_index=False).value.sum(), "year", "value", text=TEXT
        ),
        lambda f: plotting.stacked_share_chart(f, "year", "channel", "value", text=TEXT),
        lambda f: plotting.grouped_bars(f, "channel", "agency", "value", percent=False, text=TEXT),
        lambda f: plotting.heatmap(
            f.pivot_table(index="channel", columns="year", values="value"),
            text=TEXT,
        ),
        lambda f: plotting.term_panels(
            f.rename(columns={"channel": "term"}), "agency", "term", "value", text=TEXT
        ),
        lambda f: plotting.diverging_bars(
            f.head(4).assign(value=[-0.2, 0.1, 0.3, -0.05], term=list("甲乙丙丁")),
            "term",
            "value",
            text=TEXT,
        ),
    ],
    ids=["line", "hbar", "vbar", "stacked", "grouped", "heatmap", "panels", "diverging"],
)
def test_charts_draw_chinese_without_missing_glyphs(draw, tmp_path):
    fig = draw(_years())
    texts = [t.get_text() for t in fig.findobj(mpl.text.Text)]
    assert any(re.search("[\u4e00-\u9fff]", t) for t in texts)
    plotting.save_figure(fig, "chart", tmp_path, formats=("png",), dpi=72)
    assert plotting.png_bytes(fig, dpi=50).startswith(b"\x89PNG")


def test_legend_columns_follow_label_width():
    assert plotting._text_width("平潭综合实验区管理委员会") == 24
    assert plotting._text_width("Weibo") == 5


def test_line_chart_joins_only_panel_rows_ticks_the_data_years_and_shows_its_caption():
    frame = pd.DataFrame({"year": [2013, 2018, 2019, 2013, 2022], "value": [5.0, 6, 7, 0, 9],
                          "hue": ["a", "a", "a", "b", "b"], "connect": [True, True, True, False, False]})
    text = plotting.ChartText("标题", "年度", "数量", note="n = 5 份报告")
    fig = plotting.line_chart(frame, "year", "value", "hue", text=text, connect="connect", log_y=True)
    ax = fig.axes[0]
    joined = [line for line in ax.lines if line.get_linestyle() != "None"]
    assert [list(line.get_xdata()) for line in joined] == [[2013, 2018, 2019]]  # b's reports are dots
    assert list(ax.get_xticks()) == [2013, 2018, 2019, 2022]
    assert ax.get_title(loc="right") == "n = 5 份报告" and fig._suptitle.get_text() == "标题"
    assert ax.get_yscale() == "symlog" and ax.get_ylim()[0] > -1  # no negative decades for counts


def test_stacked_and_panel_charts_print_n():
    frame = pd.DataFrame({"year": [2019, 2019, 2020], "outcome": ["a", "b", "a"], "value": [1, 2, 3], "n": [4, 4, 1]})
    fig = plotting.stacked_share_chart(frame, "year", "outcome", "value", text=plotting.ChartText("t", "x", "y"), n="n")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2019\n(n=4)", "2020\n(n=1)"]
    terms = pd.DataFrame({"period": ["p1", "p2"], "term": ["公开", "网站"], "share": [1.0, 0.5], "n": [1, 6]})
    fig = plotting.term_panels(terms, "period", "term", "share", text=plotting.ChartText("t", "x", "y"), n="n")
    assert [ax.get_title() for ax in fig.axes] == ["p1 (n=1)", "p2 (n=6)"]
