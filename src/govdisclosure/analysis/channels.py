"""Notebook 04: items per publishing channel and the events (press conferences, gazette issues).

Yearly lines are drawn over balanced panels only (`analysis.panel.trend`). Most users want one
"website" series where the reports tell 政府网站 from 本机关网站; `merge_websites` adds the two up
per report. Jurisdiction-wide summaries are left out of the yearly medians (`jurisdictions.pooled`)
and kept in the per-agency table.
"""

from __future__ import annotations

import pandas as pd

from govdisclosure.analysis.corpus import Corpus, measure_values
from govdisclosure.analysis.jurisdictions import pooled
from govdisclosure.analysis.panel import trend
from govdisclosure.analysis.vocab import CHANNELS, measure_label, name_of

#: The channels `merge_websites` adds up, and the name of their sum.
WEBSITES = ("gov_portal", "agency_website")
WEBSITE = ("网站（政府网站与本机关网站）", "Websites (portal and own)")


def channel_items(corpus: Corpus, lang: str, merge_websites: bool = False) -> pd.DataFrame:
    """Items published through each channel, per agency and year (channel labels in `lang`).

    Args:
        merge_websites: One series for the government portal and the agency's own website (their
            sum per report) instead of two.
    """
    frame = measure_values(corpus, ["channel_items"])
    frame = frame[frame.breakdown != ""]
    if merge_websites:
        frame = frame.assign(breakdown=frame.breakdown.where(~frame.breakdown.isin(WEBSITES), "website"))
        frame = frame.groupby(["agency", "year", "breakdown"], as_index=False, sort=False).value.sum()
    frame = frame.assign(channel=frame.breakdown.map(lambda c: _channel_name(c, lang)))
    return frame[["agency", "year", "channel", "value"]].reset_index(drop=True)


def _channel_name(code: str, lang: str) -> str:
    return WEBSITE[lang == "en"] if code == "website" else name_of(CHANNELS, code, lang)


def _channel_order(lang: str) -> list[str]:
    return [_channel_name(c, lang) for c in ("website", *CHANNELS)]


def channels_by_year(corpus: Corpus, lang: str, merge_websites: bool = False) -> pd.DataFrame:
    """Median items per report through each channel, per year, over each channel's balanced panel.

    The median per report, not the sum, because the size of reports differs; over the agencies
    that give the channel every year (`panel.trend`), the others as dots.
    """
    return trend(channel_items(pooled(corpus), lang, merge_websites), "channel", "median", lang, _channel_order(lang))


def channel_table(corpus: Corpus, lang: str, merge_websites: bool = False) -> pd.DataFrame:
    """`channel_items` per agency and year, one column per channel (in `CHANNELS` order)."""
    frame = channel_items(corpus, lang, merge_websites)
    if frame.empty:
        return frame
    table = frame.pivot_table(index=["agency", "year"], columns="channel", values="value", aggfunc="sum")
    order = _channel_order(lang)
    return table[[c for c in order if c in table.columns]].reset_index().rename_axis(columns=None)


def channel_events(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Median press conferences held and gazette issues published per report, per year (balanced panels)."""
    frame = measure_values(pooled(corpus), ["press_conferences", "gazette_issues"])
    frame = frame.assign(measure=frame.measure.map(lambda m: measure_label(m, lang)))
    return trend(frame, "measure", "median", lang)
