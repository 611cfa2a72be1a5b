"""Paper charts with Chinese text: the style, the CJK font and the chart functions, under one name.

`govdisclosure.plotting` is what the notebooks and `govdisclosure.analysis` call
(`plotting.line_chart`, `plotting.save_figure` …); it is a package so that each part stays
readable: `style` (rcParams, figures, saving, the parts every chart shares), `fonts` (finding and
converting a CJK font that every format embeds correctly) and `charts` (one function per kind of
chart). Everything public is re-exported here.
"""

from govdisclosure.plotting.charts import (
    bar_chart,
    diverging_bars,
    grouped_bars,
    heatmap,
    line_chart,
    stacked_share_chart,
    term_panels,
)
from govdisclosure.plotting.fonts import CJK_FAMILY, _covers, embeddable_font, find_cjk_font
from govdisclosure.plotting.style import (
    COLUMN_WIDTH,
    DOUBLE_WIDTH,
    FORMATS,
    LINESTYLES,
    MARKERS,
    PALETTE,
    ChartText,
    _text_width,
    new_figure,
    png_bytes,
    save_figure,
    thousands,
    use_paper_style,
)

__all__ = [
    "CJK_FAMILY", "COLUMN_WIDTH", "DOUBLE_WIDTH", "FORMATS", "LINESTYLES", "MARKERS", "PALETTE", "ChartText",
    "_covers", "_text_width", "bar_chart", "diverging_bars", "embeddable_font", "find_cjk_font", "grouped_bars",
    "heatmap", "line_chart", "new_figure", "png_bytes", "save_figure", "stacked_share_chart", "term_panels",
    "thousands", "use_paper_style",
]
