"""Notebook 03: requests received, their outcomes on the 2019 categories, refusal reasons and applicants.

Request outcomes of every era are put on the categories of the 2019 national format by
`govdisclosure.crosswalk` (an editable table; its judgement calls are documented there); this
module only adds them up per agency and year. The charts that add reports up (outcome shares,
refusal reasons, applicants) leave jurisdiction-wide summaries out (`jurisdictions.pooled`).
"""

from __future__ import annotations

import pandas as pd

from govdisclosure import crosswalk, measures
from govdisclosure.analysis.corpus import (
    Corpus,
    _in_order,
    _yearly,
    applicant_totals,
    documents,
    measure_values,
)
from govdisclosure.analysis.jurisdictions import pooled
from govdisclosure.analysis.panel import with_n
from govdisclosure.analysis.vocab import (
    OUTCOME_GROUPS,
    UNSPECIFIED_REASON,
    measure_label,
    name_of,
    period_label,
    period_of,
)


def requests_received(corpus: Corpus) -> pd.DataFrame:
    """New requests received per agency and year (all applicants)."""
    frame = applicant_totals(measure_values(corpus, ["requests_new"]))
    return frame[["agency", "year", "value"]].reset_index(drop=True)


def harmonised_outcomes(corpus: Corpus) -> pd.DataFrame:
    """Request outcomes of every era on the 2019 categories, one row per agency, year and reason.

    The mapping is `govdisclosure.crosswalk`'s. Reasons are its leaf categories; a printed group
    total larger than the sum of its printed reasons adds the difference under the group's own
    code (labelled by `UNSPECIFIED_REASON`), so that group sums equal the printed totals. One
    document per agency and year is used (the first by doc_id), as in `measure_values`.

    Returns:
        Columns agency, year, group (a key of `OUTCOME_GROUPS`), reason (a 2019 outcome code;
        for disclosed/partial the group itself), value (all applicants).
    """
    rows = crosswalk.harmonised_outcomes(corpus.facts, corpus.reports)
    rows = rows[rows.level != "total"].drop(columns=["report_year", "template"])
    rows = rows.merge(documents(corpus), on="doc_id").dropna(subset=["year"])
    rows = rows[rows.doc_id == rows.groupby(["agency", "year"]).doc_id.transform("min")]
    rows = rows.rename(columns={"applicant": "breakdown", "category": "reason"})
    rows = rows.assign(year=rows.year.astype(int))
    keys = ["agency", "year", "group", "reason", "level"]
    frame = applicant_totals(rows, keys).groupby(keys, as_index=False).value.sum()
    leaves = frame[frame.level == "leaf"]
    given = leaves.groupby(["agency", "year", "group"], as_index=False).value.sum()
    rest = frame[frame.level == "group"].merge(given, on=["agency", "year", "group"], how="left",
                                               suffixes=("", "_given"))
    rest = rest.assign(value=rest.value - rest.value_given.fillna(0))
    frame = pd.concat([leaves, rest[rest.value > 0]], ignore_index=True)
    frame = frame[["agency", "year", "group", "reason", "value"]]
    return frame.sort_values(["agency", "year"], ignore_index=True)


def outcome_shares(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Outcomes per year by group (all selected agencies), for a 100 % stacked chart; n reports per year."""
    outcomes = harmonised_outcomes(pooled(corpus))
    frame = _yearly(outcomes, "group")
    frame = _in_order(frame[frame.groupby("year").value.transform("sum") > 0], group=OUTCOME_GROUPS)
    frame = with_n(frame, outcomes)
    return frame.assign(outcome=frame.group.map(lambda g: name_of(OUTCOME_GROUPS, g, lang)))[
        ["year", "outcome", "value", "n"]
    ]


def refusal_reasons(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Reasons for not disclosing (withheld, cannot provide, not processed, other) per period.

    Reasons that no selected report used are left out.

    Returns:
        Columns period (label in `lang`), reason (label), value, share (of the period's reasons),
        n (reports of the period that give a reason).
    """
    reasons = harmonised_outcomes(pooled(corpus))
    reasons = reasons[~reasons.group.isin(["disclosed", "partial"])]
    reasons = reasons.assign(period=reasons.year.map(period_of))
    frame = reasons.groupby(["period", "reason"], as_index=False).value.sum()
    frame = with_n(frame, reasons[reasons.value > 0], "period")
    frame = frame[
        (frame.groupby("period").value.transform("sum") > 0)
        & (frame.groupby("reason").value.transform("sum") > 0)
    ]
    frame = frame.assign(share=frame.value / frame.groupby("period").value.transform("sum"))
    frame = frame.sort_values(["period", "value"], ascending=[True, False], ignore_index=True)
    return frame.assign(
        period=frame.period.map(lambda p: period_label(p, lang)),
        reason=frame.reason.map(
            lambda r: (
                name_of(UNSPECIFIED_REASON, r, lang) if r in UNSPECIFIED_REASON else measure_label(r, lang)
            )
        ),
    )


def applicant_mix(corpus: Corpus, lang: str) -> pd.DataFrame:
    """New requests by applicant type per year, 2019 on (the formats that split by applicant)."""
    frame = measure_values(pooled(corpus), ["requests_new"])
    frame = frame[(frame.year >= 2019) & ~frame.breakdown.isin(["", "total"])]
    reports = frame
    frame = _in_order(_yearly(frame, "breakdown"), breakdown=measures.APPLICANT_BREAKDOWNS)
    frame = with_n(frame[frame.groupby("year").value.transform("sum") > 0], reports)
    labels = measures.APPLICANT_LABELS_ZH if lang == "zh" else measures.APPLICANT_LABELS_EN
    return frame.assign(applicant=frame.breakdown.map(labels))[["year", "applicant", "value", "n"]]
