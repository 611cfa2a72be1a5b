"""Notebook 02: items proactively disclosed per agency and year, their growth and index, and the mix of
content categories.
"""

from __future__ import annotations

import pandas as pd

from govdisclosure.analysis.corpus import Corpus, _in_order, _yearly, measure_values
from govdisclosure.analysis.jurisdictions import pooled
from govdisclosure.analysis.panel import with_n
from govdisclosure.analysis.vocab import CHANNELS, name_of


def proactive_totals(corpus: Corpus) -> pd.DataFrame:
    """Items proactively disclosed per agency and year, with growth and an index.

    `growth` is the annual growth since the agency's previous report, annualised over `gap` years
    when years are missing; `index` is the value relative to the agency's first report (= 100),
    given for agencies with at least two reports.
    """
    frame = measure_values(corpus, ["proactive_items"])
    frame = frame[frame.breakdown == ""][["agency", "year", "value"]].sort_values(["agency", "year"])
    by_agency = frame.groupby("agency")
    previous, gap = by_agency.value.shift(), frame.year - by_agency.year.shift()
    growth = (frame.value / previous) ** (1 / gap) - 1
    first = by_agency.value.transform("first")
    index = (100 * frame.value / first).where((first > 0) & (by_agency.year.transform("size") > 1))
    return frame.assign(gap=gap.astype("Int64"), growth=growth.where(previous > 0), index=index).reset_index(
        drop=True
    )


def category_mix(corpus: Corpus, lang: str, top: int = 7) -> pd.DataFrame:
    """Proactively disclosed items by content category per year, the `top` categories plus the rest;
    jurisdiction-wide summaries are not pooled (`jurisdictions.pooled`).

    Category labels are as printed (docs/coding_rules.md normalisation), so they stay Chinese in both languages;
    the rest is pooled as "other" in `lang`.
    """
    frame = measure_values(pooled(corpus), ["proactive_items_by_category"]).rename(columns={"breakdown": "category"})
    other = name_of(CHANNELS, "other", lang)
    named = frame[frame.category != "其他"]  # a printed 其他 joins the pooled rest
    keep = list(named.groupby("category").value.sum().nlargest(top).index)
    frame = frame.assign(category=frame.category.where(frame.category.isin(keep), other))
    return with_n(_in_order(_yearly(frame, "category"), category=[*keep, other]), frame)
