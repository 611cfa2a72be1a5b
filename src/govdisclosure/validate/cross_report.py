"""Checks between reports: the same agency's consecutive years.

These are the only checks that need more than one document, so they cannot run in the per-document
pipeline: the corpus run (`govdisclosure.run`) calls `cross_report_checks` once, after every
document is extracted, on a few compact columns. The within-report identities they complement are
form knowledge and live with the form in `govdisclosure.transform.national.identities`.

- this year's 上年结转 = last year's 结转下年度, column by column;
- in the 2021 format, 现行有效(N) = 现行有效(N−1) + 本年制发(N) − 本年废止(N) for 规章 and
  行政规范性文件 (not always true in practice, hence an ``info`` finding).
"""

from __future__ import annotations

import pandas as pd

from govdisclosure.measures import APPLICANT_BREAKDOWNS, APPLICANT_LABELS_ZH
from govdisclosure.transform.national.identities import TOLERANCE as _TOLERANCE
from govdisclosure.transform.national.identities import format_number as _fmt

_IN_FORCE_CHAINS = (("rules_in_force", "rules_issued", "rules_repealed"),
                    ("normative_docs_in_force", "normative_docs_issued", "normative_docs_repealed"))

# What `cross_report_checks` reads: the run's engine keeps only these facts for it, so the check
# costs memory in proportion to the reports, not to all their figures.
CROSS_REPORT_MEASURES = frozenset({"requests_carried_in", "requests_carried_forward"}
                                  | {measure for chain in _IN_FORCE_CHAINS for measure in chain})


def cross_report_checks(reports: pd.DataFrame, facts: pd.DataFrame) -> list[dict]:
    """Checks between consecutive years' reports of the same agency.

    Written as joins, not a loop over a dict of every figure: the run hands it some twenty facts
    per report, which at a national corpus's size must stay in compact columns (the engine passes
    doc_id, measure and breakdown as categoricals).

    Args:
        reports: the run's reports table (needs doc_id, agency_name, report_year; template is used
            when present to restrict the 现行有效 chain to 2021-format reports).
        facts: the run's facts table (doc_id, measure, breakdown, value, and method when present:
            only figures printed in a table are compared).

    Returns:
        Rows for the checks table (doc_id, check, severity, message), attached to the later year,
        in the order of agency and year.
    """
    if reports.empty or facts.empty:
        return []
    pairs = consecutive_pairs(reports)
    if pairs.empty:
        return []
    printed = facts[facts["method"].astype(str) == "table"] if "method" in facts else facts
    involved = pd.Index(pd.concat([pairs.doc_id, pairs.doc_id_last]).unique())
    figures = pd.DataFrame({"doc": involved.get_indexer(printed["doc_id"].astype(object)),
                            "measure": printed["measure"].astype(object).to_numpy(),
                            "breakdown": printed["breakdown"].astype(object).fillna("").to_numpy(),
                            "value": printed["value"].astype(float).to_numpy()})
    # The first figure of a (document, measure, breakdown) counts, as everywhere else.
    figures = figures[figures.doc >= 0].drop_duplicates(["doc", "measure", "breakdown"], keep="first")
    pairs = pairs.assign(this=involved.get_indexer(pairs.doc_id), last=involved.get_indexer(pairs.doc_id_last))

    def value(measure: str, of: str, breakdown: str | None = "") -> pd.DataFrame:
        """The figure `measure` of each pair's document `of` (this or last), by breakdown when None."""
        found = figures[figures.measure == measure]
        if breakdown is not None:
            found = found[found.breakdown == breakdown].drop(columns="breakdown")
        return found.drop(columns="measure").rename(columns={"doc": of, "value": f"{measure}@{of}"})

    rows: list[tuple] = []
    carried = pairs.merge(value("requests_carried_in", "this", None), on="this") \
        .merge(value("requests_carried_forward", "last", None), on=["last", "breakdown"])
    carried = carried[carried.breakdown.isin(APPLICANT_BREAKDOWNS)]
    for agency, year, doc_id, breakdown, now, before in zip(
            carried.agency_name, carried.report_year, carried.doc_id, carried.breakdown,
            carried["requests_carried_in@this"], carried["requests_carried_forward@last"]):
        if abs(now - before) > _TOLERANCE:
            rows.append((agency, year, 0, APPLICANT_BREAKDOWNS.index(breakdown), {
                "doc_id": doc_id, "check": "cross_year_carryover", "severity": "warning",
                "message": f"{agency} {year}: 上年结转 ({APPLICANT_LABELS_ZH[breakdown]}) prints {_fmt(now)} but "
                           f"the {year - 1} report carried forward {_fmt(before)} (结转下年度继续办理)"}))
    chained = pairs
    if "template" in chained:
        chained = chained[(chained.template.astype(str) == "2021") & (chained.template_last.astype(str) == "2021")]
    for k, (in_force, issued, repealed) in enumerate(_IN_FORCE_CHAINS):
        chain = chained.merge(value(in_force, "this"), on="this").merge(value(in_force, "last"), on="last") \
            .merge(value(issued, "this"), on="this").merge(value(repealed, "this"), on="this")
        for agency, year, doc_id, now, before, new, gone in zip(
                chain.agency_name, chain.report_year, chain.doc_id, chain[f"{in_force}@this"],
                chain[f"{in_force}@last"], chain[f"{issued}@this"], chain[f"{repealed}@this"]):
            expected = before + new - gone
            if abs(expected - now) > _TOLERANCE:
                rows.append((agency, year, 1, k, {
                    "doc_id": doc_id, "check": "cross_year_in_force", "severity": "info",
                    "message": f"{agency} {year}: {in_force} prints {_fmt(now)} but {year - 1}'s {_fmt(before)} "
                               f"+ issued {_fmt(new)} - repealed {_fmt(gone)} = {_fmt(expected)}"}))
    return [row for *_order, row in sorted(rows, key=lambda r: r[:4])]


def consecutive_pairs(reports: pd.DataFrame) -> pd.DataFrame:
    """(this year's report, last year's report) of each agency, where each year has exactly one.

    Several reports for one agency-year leave it out: which of them pairs up is unknown.
    """
    columns = ["doc_id", "agency_name", "report_year"] + (["template"] if "template" in reports else [])
    meta = reports[columns]
    meta = meta[(meta.agency_name.fillna("").astype(str).str.len() > 0) & meta.report_year.notna()]
    meta = pd.DataFrame({c: meta[c].astype(object if c != "report_year" else int).to_numpy() for c in columns})
    meta["doc_id"] = meta.doc_id.astype(str)
    meta["agency_name"] = meta.agency_name.astype(str)
    meta = meta[~meta.duplicated(["agency_name", "report_year"], keep=False)]
    return meta.merge(meta.assign(report_year=meta.report_year + 1), on=["agency_name", "report_year"],
                      suffixes=("", "_last"))
