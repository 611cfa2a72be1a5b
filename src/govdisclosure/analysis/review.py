"""Notebook 05: administrative reconsideration and litigation cases and their outcomes.

Per-agency frames keep every report; the yearly means and the outcome mix pool reports, so they leave
jurisdiction-wide summaries out (`jurisdictions.pooled`).
"""

from __future__ import annotations

import pandas as pd

from govdisclosure.analysis.corpus import Corpus, _fill_missing, _in_order, measure_values
from govdisclosure.analysis.jurisdictions import pooled
from govdisclosure.analysis.panel import trend, with_n
from govdisclosure.analysis.vocab import REVIEW_KINDS, REVIEW_OUTCOMES, name_of

#: Where a kind's case count comes from, best first: the printed total, block totals, the outcomes.
REVIEW_TOTALS = {
    "reconsideration": (["reconsideration_total"], [f"reconsideration_{o}" for o in REVIEW_OUTCOMES]),
    "litigation": (
        ["litigation_total"],
        ["litigation_direct_total", "litigation_after_review_total"],
        [f"litigation_{b}_{o}" for b in ("direct", "after_review") for o in REVIEW_OUTCOMES],
    ),
}


def review_outcome_cases(corpus: Corpus) -> pd.DataFrame:
    """Cases per agency, year, kind and outcome (litigation adds its direct and after-review blocks).

    Returns:
        Columns agency, year, kind (reconsideration, litigation), outcome (a key of
        `REVIEW_OUTCOMES`), value.
    """
    codes = [f"reconsideration_{o}" for o in REVIEW_OUTCOMES]
    codes += [f"litigation_{b}_{o}" for b in ("direct", "after_review") for o in REVIEW_OUTCOMES]
    frame = measure_values(corpus, codes)
    parts = frame.measure.str.extract(r"^(?P<kind>[a-z]+)_(?:direct_|after_review_)?(?P<outcome>[a-z]+)$")
    frame = pd.concat([frame, parts], axis=1)
    return frame.groupby(["agency", "year", "kind", "outcome"], as_index=False).value.sum()


def review_cases(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Cases per agency, year and kind, each report counted from its best source in `REVIEW_TOTALS`."""
    keys = ["agency", "year"]
    kinds = []
    for kind, levels in REVIEW_TOTALS.items():
        frame = measure_values(corpus, [code for level in levels for code in level])
        counted = pd.DataFrame(columns=[*keys, "value"])
        for level in levels:
            found = frame[frame.measure.isin(level)].groupby(keys, as_index=False).value.sum()
            counted = _fill_missing(counted, found, keys)
        kinds.append(counted.assign(kind=kind))
    frame = _in_order(pd.concat(kinds, ignore_index=True), kind=REVIEW_KINDS)
    frame = frame.assign(kind=frame.kind.map(lambda k: name_of(REVIEW_KINDS, k, lang)))
    return frame[["agency", "year", "kind", "value"]]


def review_counts(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Mean cases per report, per year and kind, over each kind's balanced panel (`panel.trend`)."""
    kinds = [name_of(REVIEW_KINDS, k, lang) for k in REVIEW_KINDS]
    return trend(review_cases(pooled(corpus), lang), "kind", "mean", lang, kinds)


def review_outcomes(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Outcome mix of all selected cases, per kind (only kinds with at least one case); n reports per kind."""
    cases = review_outcome_cases(pooled(corpus))
    frame = cases.groupby(["kind", "outcome"], as_index=False).value.sum()
    frame = _in_order(
        frame[frame.groupby("kind").value.transform("sum") > 0], kind=REVIEW_KINDS, outcome=REVIEW_OUTCOMES
    )
    frame = with_n(frame, cases[cases.value > 0], "kind")
    return frame.assign(
        kind=frame.kind.map(lambda k: name_of(REVIEW_KINDS, k, lang)),
        outcome=frame.outcome.map(lambda o: name_of(REVIEW_OUTCOMES, o, lang)),
    )
