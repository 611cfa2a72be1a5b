"""Notebook 01: what the corpus holds (reports per year, format and province), the problems of its
sources, the checks that failed, and which kinds of figure each year's reports give.
"""

from __future__ import annotations

import pandas as pd

from govdisclosure import measures
from govdisclosure.analysis.corpus import Corpus, documents
from govdisclosure.analysis.vocab import (
    CHECKS,
    MEASURE_FAMILIES,
    PROVINCES_EN,
    SEVERITIES,
    SOURCE_PROBLEMS,
    TEMPLATES,
    _check_lang,
    measure_label,
    name_of,
)


def reports_by(corpus: Corpus, by: str, lang: str) -> pd.DataFrame:
    """Number of documents per year, agency, province or template (template and province names in `lang`)."""
    docs = documents(corpus)
    if by == "template":
        docs = docs.assign(template=docs.template.map(lambda t: name_of(TEMPLATES, t, lang)))
    if by == "province" and lang == "en":
        docs = docs.assign(province=docs.province.map(lambda p: PROVINCES_EN.get(p, p)))
    counts = docs.dropna(subset=[by]).groupby(by, as_index=False).size().rename(columns={"size": "reports"})
    if by == "year":
        counts = counts.assign(year=counts.year.astype(int))
        return counts.sort_values("year", ignore_index=True)
    counts = counts[counts[by] != ""]
    return counts.sort_values(["reports", by], ascending=[False, True], ignore_index=True)


def source_problems(corpus: Corpus, lang: str) -> pd.DataFrame:
    """How many documents show each problem of the source (mojibake, missing tables, ...)."""
    codes = corpus.reports.problems.fillna("").str.split(";").explode().str.strip()
    codes = codes[codes != ""]
    counts = codes.value_counts().rename_axis("problem").reset_index(name="documents")
    return counts.assign(problem=counts.problem.map(lambda c: name_of(SOURCE_PROBLEMS, c, lang)))


def failed_checks(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Number of error and warning findings per check."""
    checks = corpus.checks[corpus.checks.severity.isin(["error", "warning"])]
    counts = checks.groupby(["check", "severity"], as_index=False).size().rename(columns={"size": "findings"})
    counts = counts.sort_values(["findings", "check"], ascending=[False, True], ignore_index=True)
    return counts.assign(check=counts.check.map(lambda c: name_of(CHECKS, c, lang)),
                         severity=counts.severity.map(lambda s: name_of(SEVERITIES, s, lang)))


def check_findings(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Every error and warning with the agency and year it concerns, errors first."""
    checks = corpus.checks[corpus.checks.severity.isin(["error", "warning"])]
    frame = checks.merge(documents(corpus), on="doc_id")
    frame = frame.sort_values(["severity", "agency", "year", "check"], ignore_index=True)
    frame = frame.assign(check=frame.check.map(lambda c: name_of(CHECKS, c, lang)),
                         severity=frame.severity.map(lambda s: name_of(SEVERITIES, s, lang)))
    return frame[["agency", "year", "severity", "check", "message"]]


def measure_coverage(corpus: Corpus, lang: str, by_family: bool = True) -> pd.DataFrame:
    """Reports giving a measure, per year: a rows × years matrix of report counts.

    Args:
        by_family: Rows are the `MEASURE_FAMILIES` (a chart that fits a page); otherwise one row
            per measure in vocabulary order, with the measure's label in a `measure` column (a table).
    """
    facts = corpus.facts.merge(documents(corpus), on="doc_id").dropna(subset=["year"])
    if facts.empty:
        return pd.DataFrame()
    if by_family:
        facts = facts.assign(measure=facts.measure.map(_family_of))
        order = list(MEASURE_FAMILIES)
    else:
        order = list(measures.measure_codes())
    matrix = facts.groupby(["measure", "year"]).doc_id.nunique().unstack("year", fill_value=0)
    matrix = matrix.loc[[m for m in order if m in matrix.index]]
    matrix.columns = [int(y) for y in matrix.columns]
    if by_family:
        matrix.index = [MEASURE_FAMILIES[f][1 + _check_lang(lang)] for f in matrix.index]
        return matrix
    matrix.index = [measure_label(m, lang) for m in matrix.index]
    return matrix.rename_axis("measure").reset_index()


def _family_of(measure: str) -> str:
    return next(
        (f for f, (prefixes, *_names) in MEASURE_FAMILIES.items() if measure.startswith(prefixes)), "other"
    )
