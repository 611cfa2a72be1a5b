"""What a notebook shows: its first step (`start`) and the `Page` that renders tables, sentences and figures.

`Page` turns a tidy frame into a readable table (localised headers, thousands separators) or a
saved paper figure, and says so in a sentence when a filter or a thin corpus leaves nothing to
show, so that no notebook fails on an empty frame.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from govdisclosure import plotting
from govdisclosure.analysis.corpus import Corpus, largest, load_corpus, summary
from govdisclosure.analysis.vocab import (
    COLUMNS,
    PERCENT_COLUMNS,
    _check_lang,
    chart_labels,
    name_of,
    sentence,
)


def start(
    processed_dir: str | Path,
    agencies: Sequence[str],
    provinces: Sequence[str],
    year_start: int,
    year_end: int,
    lang: str,
    fig_dir: str | Path,
    fig_formats: Sequence[str],
    dpi: int,
    prefix: str,
    include_flagged: bool = False,
) -> tuple[Corpus, Page]:
    """What every notebook does first: load and select the corpus, set up the page, say what is there.

    Args:
        processed_dir, agencies, provinces, year_start, year_end, lang, fig_dir, fig_formats, dpi:
            The notebook's parameters (see `Corpus.select` and `Page`); a year bound of 0 is open.
        prefix: The notebook's number, prepended to figure names.
        include_flagged: Keep the figures a check throws doubt on (`load_corpus`).

    Returns:
        The selected corpus and the page to show results on.
    """
    page = Page(lang, fig_dir, fig_formats, dpi, prefix)
    loaded = load_corpus(processed_dir, include_flagged)
    if loaded.missing:
        page.say(sentence("missing_tables", lang, tables=", ".join(loaded.missing)))
    corpus = loaded.select(agencies, provinces, year_start or None, year_end or None)
    page.documents = len(corpus.reports)
    page.say(summary(corpus, lang))
    return corpus, page


@dataclass
class Page:
    """What a notebook shows: tables, sentences and figures in one language, figures saved to disk.

    Args:
        lang: "zh" or "en".
        fig_dir: Folder for saved figures.
        fig_formats: Formats passed to `plotting.save_figure`.
        dpi: PNG resolution.
        prefix: Prepended to figure names ("02" -> 02_proactive_totals.png).
    """

    lang: str
    fig_dir: str | Path
    fig_formats: Sequence[str] = plotting.FORMATS
    dpi: int = 300
    prefix: str = ""
    saved: list[Path] = field(default_factory=list)
    documents: int = 0  # in the selected corpus: the n of a chart whose frame does not say

    def __post_init__(self) -> None:
        _check_lang(self.lang)
        plotting.use_paper_style()

    def say(self, text: str) -> None:
        """Show a sentence (Markdown)."""
        from IPython.display import Markdown, display

        display(Markdown(text))

    def table(self, frame: pd.DataFrame, key: str, max_rows: int = 30) -> None:
        """Show a frame under its title, with headers in `lang`, thousands separators and percentages.

        Args:
            frame: The rows to show; when empty, a sentence says there is no data.
            key: The table's key in `chart_labels()` (its title).
            max_rows: Rows shown; a sentence says how many more there are.
        """
        from IPython.display import display

        if frame.empty:
            self.say(self._no_data(key))
            return
        self.say(f"**{chart_labels()[key][self.lang]['title']}**")
        shown = frame.head(max_rows)
        formats = {c: _cell_format(c, shown[c]) for c in shown.columns}
        shown = shown.rename(columns=lambda c: name_of(COLUMNS, c, self.lang))
        formats = {name_of(COLUMNS, c, self.lang): f for c, f in formats.items() if f is not None}
        display(shown.style.hide(axis="index").format(formats, na_rep="–"))
        if len(frame) > max_rows:
            self.say(sentence("truncated", self.lang, shown=max_rows, total=len(frame)))

    def chart(self, key: str, frame: pd.DataFrame, plot: Callable[..., object], top: int | None = None,
              **kwargs: object) -> None:
        """Draw `frame` with `plot` using the texts of `chart_labels()[key]`, save and show it.

        The written files are appended to `saved`.

        Args:
            key: The chart's key in `chart_labels()`; also the figure's file name after `prefix`.
            frame: Tidy data; when empty, a sentence is shown instead and nothing is saved.
            plot: A chart function of `govdisclosure.plotting`.
            top: Draw only the `top` series (`hue`) with the largest `y` total, and say so.
            **kwargs: Column arguments for `plot` (x=, y=, hue=, ...).
        """
        from IPython.display import Image, display

        if frame.empty:
            self.say(self._no_data(key))
            return
        note = frame.attrs.get("note", "")
        series = kwargs.get("hue")
        if top is not None and frame[series].nunique() > top:
            self.say(sentence("largest", self.lang, shown=top, total=frame[series].nunique()))
            frame = largest(frame, series, kwargs["y"], top)
        accepts = inspect.signature(plot).parameters
        for column in ("connect", "n"):  # the honest-chart columns of `analysis.panel`
            if column in frame.columns and column in accepts:
                kwargs.setdefault(column, column)
        note = note or self._n_note(frame, "n" in kwargs)
        fig = plot(frame, text=plotting.ChartText(**chart_labels()[key][self.lang], note=note), **kwargs)
        name = f"{self.prefix}_{key}" if self.prefix else key
        self.saved += plotting.save_figure(fig, name, self.fig_dir, self.fig_formats, self.dpi)
        png = plotting.png_bytes(fig, dpi=192)
        display(Image(data=png, format="png", width=int.from_bytes(png[16:20], "big") // 2))  # crisp on HiDPI

    def _n_note(self, frame: pd.DataFrame, per_bar: bool) -> str:
        """The caption of a chart whose frame does not bring one: how many reports stand behind it."""
        if per_bar:
            return sentence("per_bar", self.lang)
        if {"agency", "year"} <= set(frame.columns):
            reports = frame.drop_duplicates(["agency", "year"])
            return sentence("n_reports", self.lang, reports=len(reports), agencies=reports.agency.nunique())
        if self.documents:
            return sentence("n_documents", self.lang, documents=self.documents)
        return ""

    def _no_data(self, key: str) -> str:
        return sentence("no_data", self.lang, what=chart_labels()[key][self.lang]["title"])


def _cell_format(column: str, values: pd.Series) -> Callable[[object], str] | None:
    """How a table column is printed: years and counts plain, shares as %, figures with separators."""
    if column in ("year", "gap") or not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if column in PERCENT_COLUMNS:
        return lambda v: f"{v:.1%}"
    if column == "change":
        return lambda v: f"{v * 100:+.1f}"
    if column == "index":
        return lambda v: f"{v:,.1f}"
    return plotting.thousands
