"""Notebook 04: items per publishing channel and the events (press conferences, gazette issues).
"""

from __future__ import annotations

import pandas as pd

from govdisclosure.analysis.corpus import Corpus, _in_order, _yearly, figures
from govdisclosure.analysis.vocab import CHANNELS, measure_label, name_of


def channel_items(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Items published through each channel, per agency and year (channel labels in `lang`)."""
    frame = figures(corpus, ["channel_items"])
    frame = frame[frame.breakdown != ""]
    frame = frame.assign(channel=frame.breakdown.map(lambda c: name_of(CHANNELS, c, lang)))
    return frame[["agency", "year", "channel", "value"]].reset_index(drop=True)


def channels_by_year(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Median items per report through each channel, per year (reports that give the channel).

    The median per report, not the sum, because the number and size of reports differ by year.
    """
    return _in_order(
        _yearly(channel_items(corpus, lang), "channel", "median"),
        channel=[name_of(CHANNELS, c, lang) for c in CHANNELS],
    )


def channel_table(corpus: Corpus, lang: str) -> pd.DataFrame:
    """`channel_items` per agency and year, one column per channel (in `CHANNELS` order)."""
    frame = channel_items(corpus, lang)
    if frame.empty:
        return frame
    table = frame.pivot_table(index=["agency", "year"], columns="channel", values="value", aggfunc="sum")
    order = [name_of(CHANNELS, c, lang) for c in CHANNELS]
    return table[[c for c in order if c in table.columns]].reset_index().rename_axis(columns=None)


def channel_events(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Median press conferences held and gazette issues published per report, per year."""
    frame = figures(corpus, ["press_conferences", "gazette_issues"])
    frame = frame.assign(measure=frame.measure.map(lambda m: measure_label(m, lang)))
    return _yearly(frame, "measure", "median")
