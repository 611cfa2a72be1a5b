"""The identities the national tables satisfy, checked within one report and across reports.

The identities are written once, here, as data (`Identity`): the template extractor evaluates them
on what it read and reports each failure as a finding, and the flattened-text solver uses the very
same definitions to decide where the digits of a row split. Printed numbers are never corrected:
a failing identity is a `checks` row that says which identity, where, printed vs computed.

Within one report (`check_request`, `check_review`):
- every row of the request table: 自然人 + the five 法人或其他组织 columns = 总计;
- every column: 一 + 二 = （七）+ 四, and （七）= the sum of the outcome rows;
- a subtotal row that a province prints for a group equals the sum of the group's rows;
- each block of the review row: 维持 + 纠正 + 其他 + 尚未审结 = 总计.

Across reports of the same agency (`cross_report_checks`, wired into the run by the pipeline):
- this year's 上年结转 = last year's 结转下年度, column by column;
- in the 2021 format, 现行有效(N) = 现行有效(N−1) + 本年制发(N) − 本年废止(N) for 规章 and
  行政规范性文件 (not always true in practice, hence an ``info`` finding).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from govdisclosure.document import Finding
from govdisclosure.measures import APPLICANT_BREAKDOWNS, APPLICANT_LABELS_ZH
from govdisclosure.transform.template_labels import (
    REVIEW_BLOCK_LABELS,
    REVIEW_BLOCKS,
    REVIEW_LEAF_LABELS,
    REVIEW_LEAVES,
    request_row,
)

#: Breakdown columns whose sum is the 总计 column.
APPLICANT_PARTS = APPLICANT_BREAKDOWNS[:-1]
_TOLERANCE = 1e-6

Values = Mapping[tuple[str, str], float]


@dataclass(frozen=True)
class Identity:
    """Sum of `plus` rows = sum of `minus` rows, for every applicant column.

    Attributes:
        check: the finding code raised when it fails.
        name: how a person writes it.
        plus: measures on the left-hand side.
        minus: measures on the right-hand side.
    """

    check: str
    name: str
    plus: tuple[str, ...]
    minus: tuple[str, ...]

    @property
    def equation(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return self.plus, self.minus


def request_identities(leaves: Sequence[str], subtotals: Mapping[str, Sequence[str]] = {}) -> list[Identity]:
    """The column identities of a request table.

    Args:
        leaves: the outcome rows the table prints as rows (not group headings, not derived totals).
        subtotals: group measure -> its member rows, for groups whose subtotal is printed as a row.
    """
    out = [Identity("identity_request_column", "一+二 = （七）+四",
                    ("requests_new", "requests_carried_in"), ("outcome_total", "requests_carried_forward")),
           Identity("identity_request_total", "（七）总计 = 各项办理结果之和", ("outcome_total",), tuple(leaves))]
    out += [Identity("identity_group_subtotal", f"{group} = 其各项之和", (group,), tuple(members))
            for group, members in subtotals.items()]
    return out


def _fmt(x: float) -> str:
    return f"{x:g}"


def _side(measures: Sequence[str]) -> str:
    """One side of an identity in words: the rows, or 'the sum of its N rows' when they are many."""
    if len(measures) > 2:
        return f"the sum of its {len(measures)} rows"
    return " + ".join(_name(m) for m in measures)


def _name(measure: str) -> str:
    """How the form labels a request row (the measure code when it is not a row of the form)."""
    try:
        return request_row(measure).label
    except StopIteration:
        return measure


def check_request(values: Values, identities: Iterable[Identity], *,
                  present_rows: Iterable[str]) -> list[Finding]:
    """Evaluate the row sums and column identities of one request table.

    Args:
        values: (measure, breakdown) -> printed value, for the cells that were read.
        identities: from `request_identities`.
        present_rows: the measures of the rows the table prints.

    Returns:
        One finding per failing row or column; identities with an unread cell are skipped.
    """
    findings = []
    for measure in present_rows:
        parts = [values.get((measure, b)) for b in APPLICANT_PARTS]
        total = values.get((measure, "total"))
        if total is None or any(p is None for p in parts):
            continue
        computed = sum(parts)
        if abs(computed - total) > _TOLERANCE:
            findings.append(Finding("identity_row_sum", "warning",
                                    f"request table row {_name(measure)}: the applicant columns "
                                    f"add up to {_fmt(computed)} but 总计 prints {_fmt(total)}"))
    for identity in identities:
        for b in APPLICANT_BREAKDOWNS:
            left = [values.get((m, b)) for m in identity.plus]
            right = [values.get((m, b)) for m in identity.minus]
            if any(v is None for v in left + right):
                continue
            if abs(sum(left) - sum(right)) > _TOLERANCE:
                findings.append(Finding(
                    identity.check, "warning",
                    f"request table, column {APPLICANT_LABELS_ZH[b]}: {identity.name} fails: "
                    f"{_side(identity.plus)} = {_fmt(sum(left))}, "
                    f"{_side(identity.minus)} = {_fmt(sum(right))}"))
    return findings


def review_groups() -> list[tuple[str, tuple[str, ...], str]]:
    """The three blocks of the review row: (block, part measures, total measure)."""
    return [(block, tuple(f"{block}_{leaf}" for leaf in REVIEW_LEAVES[:-1]), f"{block}_total")
            for block in REVIEW_BLOCKS]


def check_review(values: Mapping[str, float]) -> list[Finding]:
    """维持 + 纠正 + 其他 + 尚未审结 = 总计 for each block of the review row (measure -> value)."""
    findings = []
    for block, parts, total_measure in review_groups():
        got = [values.get(m) for m in parts]
        total = values.get(total_measure)
        if total is None or any(v is None for v in got):
            continue
        if abs(sum(got) - total) > _TOLERANCE:
            findings.append(Finding("identity_review_block", "warning",
                                    f"review/litigation table, {REVIEW_BLOCK_LABELS[block]}: "
                                    f"{'+'.join(REVIEW_LEAF_LABELS[leaf] for leaf in REVIEW_LEAVES[:-1])} = "
                                    f"{_fmt(sum(got))} but 总计 prints {_fmt(total)}"))
    return findings


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
    pairs = _consecutive_pairs(reports)
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


def _consecutive_pairs(reports: pd.DataFrame) -> pd.DataFrame:
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
