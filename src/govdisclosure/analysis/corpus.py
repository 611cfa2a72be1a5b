"""The processed tables a notebook works on, narrowed by its parameters, and the cautious reading of facts.

A notebook loads the processed tables once (`load_corpus`) and narrows them to the agencies,
provinces and years its parameters name (`Corpus.select`). Facts are read cautiously, because the
tables are long-format and a report may state a figure twice: `measure_values` keeps one value per agency,
year, measure and breakdown, preferring a printed table over a sentence over a derived sum. The
small frame helpers every chart module shares (per-year aggregation, vocabulary order) live here.

A figure that a check throws doubt on (a failed identity of its table, a contradiction between text
and table: `govdisclosure.indicators.doubted`) is left out when the corpus is loaded, and so are the
indicators it flags, unless `include_flagged` asks for them: a chart must not draw a number the
project itself says is doubtful. The summary sentence says how many were left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from govdisclosure import indicators, load, schema
from govdisclosure.analysis.vocab import sentence
from govdisclosure.document import Finding


@dataclass(frozen=True)
class Corpus:
    """The processed tables a notebook works on (texts are left out: the notebooks need sections).

    Attributes:
        reports, facts, sections, checks, indicators: The tables of `docs/data_dictionary.md`, with
            the schema's dtypes.
        missing: Names of tables that were absent from the processed folder.
        filters: A readable description of the selection applied, for sentences.
        flagged: The doubtful facts left out when loading (none when `include_flagged` kept them).
    """

    reports: pd.DataFrame
    facts: pd.DataFrame
    sections: pd.DataFrame
    checks: pd.DataFrame
    indicators: pd.DataFrame = field(default_factory=lambda: schema.empty_frame("indicators"))
    flagged: pd.DataFrame = field(default_factory=lambda: schema.empty_frame("facts"))
    missing: tuple[str, ...] = ()
    filters: str = ""

    @property
    def is_empty(self) -> bool:
        return self.reports.empty

    def select(
        self,
        agencies: Sequence[str] = (),
        provinces: Sequence[str] = (),
        year_start: int | None = None,
        year_end: int | None = None,
    ) -> Corpus:
        """The reports whose agency / province name contains one of the given strings, within the years.

        Args:
            agencies: Substrings of agency names (平潭, 统计局); empty keeps every agency.
            provinces: Substrings of province names (安徽, 福建省); empty keeps every province.
            year_start, year_end: Inclusive report-year bounds; None leaves that side open.
                With a bound set, documents of unknown year are left out.

        Returns:
            A new Corpus whose every table is restricted to the selected documents.
        """
        keep = pd.Series(True, index=self.reports.index)
        if agencies:
            keep &= _contains_any(self.reports.agency_name, agencies)
        if provinces:
            keep &= _contains_any(self.reports.province, provinces)
        years = self.reports.report_year
        if year_start is not None:
            keep &= (years >= year_start).fillna(False)
        if year_end is not None:
            keep &= (years <= year_end).fillna(False)
        ids = set(self.reports.doc_id[keep])
        described = [
            f"agencies={list(agencies)}" if agencies else "",
            f"provinces={list(provinces)}" if provinces else "",
            f"years={year_start or ''}–{year_end or ''}" if year_start or year_end else "",
        ]
        return Corpus(
            *(
                t[t.doc_id.isin(ids)].reset_index(drop=True)
                for t in (self.reports, self.facts, self.sections, self.checks, self.indicators, self.flagged)
            ),
            missing=self.missing,
            filters=", ".join(filter(None, described)) or "-",
        )


def _contains_any(column: pd.Series, needles: Iterable[str]) -> pd.Series:
    pattern = "|".join(re.escape(n) for n in needles)
    return column.fillna("").str.contains(pattern, regex=True)


def load_corpus(processed_dir: str | Path, include_flagged: bool = False) -> Corpus:
    """Read the processed tables (Parquet, else CSV) from `processed_dir`.

    Args:
        processed_dir: The folder `govdisclosure extract` wrote.
        include_flagged: Keep the facts that a check throws doubt on, and the indicators flagged
            for them; by default they are left out (`flagged_facts`).

    Raises:
        FileNotFoundError: When the folder does not exist.
    """
    folder = Path(processed_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"processed folder {folder} not found: run `govdisclosure extract` first")
    tables = load.read_tables(folder)
    missing = tuple(
        name
        for name in ("reports", "facts", "sections", "checks")
        if not any((folder / f"{name}.{fmt}").exists() for fmt in load.FORMATS)
    )
    facts, found = tables["facts"], tables["indicators"]
    doubtful = pd.Series(False, index=facts.index) if include_flagged else flagged_facts(facts, tables["checks"])
    if not include_flagged:
        found = found[found.flag.isna()].reset_index(drop=True)
    return Corpus(tables["reports"], facts[~doubtful].reset_index(drop=True), tables["sections"], tables["checks"],
                  found, missing=missing, flagged=facts[doubtful].reset_index(drop=True))


def flagged_facts(facts: pd.DataFrame, checks: pd.DataFrame) -> pd.Series:
    """Whether each fact is one that a check of its document throws doubt on (`indicators.doubted`)."""
    relevant = checks[checks.check.isin(indicators.DOUBTING_CHECKS)]
    pairs = {(doc_id, measure)
             for doc_id, part in relevant.groupby("doc_id")
             for measures_ in indicators.doubted(
                 Finding(c, "warning", m) for c, m in zip(part.check, part.message, strict=True)).values()
             for measure in measures_}
    if not pairs:
        return pd.Series(False, index=facts.index)
    return pd.Series([(d, m) in pairs for d, m in zip(facts.doc_id, facts.measure, strict=True)], index=facts.index)


def is_summary(reports: pd.DataFrame) -> pd.Series:
    """Whether each report is a jurisdiction-wide summary (reports.scope == "jurisdiction"): the one
    test behind every rule that keeps summaries apart from their departments (`jurisdictions.pooled`)."""
    return reports.scope.astype("string").fillna("").eq("jurisdiction").astype(bool)


def _agency(reports: pd.DataFrame) -> pd.Series:
    """Agency name, or the file name when the agency could not be named."""
    names = reports.agency_name.fillna("")
    return names.where(names != "", reports.source_path.map(lambda p: Path(str(p)).name))


def documents(corpus: Corpus) -> pd.DataFrame:
    """One row per document: doc_id, agency, province, year, template."""
    reports = corpus.reports
    return pd.DataFrame(
        {
            "doc_id": reports.doc_id,
            "agency": _agency(reports),
            "province": reports.province.fillna(""),
            "year": reports.report_year,
            "template": reports.template,
        }
    )


def summary(corpus: Corpus, lang: str) -> str:
    """One sentence on what the (selected) corpus holds, or that nothing matched."""
    if corpus.is_empty:
        return sentence("nothing", lang, filters=corpus.filters or "-")
    docs = documents(corpus)
    real = docs[docs.template != "none"]
    years = real.year.dropna()
    span = f"{int(years.min())}–{int(years.max())}" if len(years) else "-"
    said = sentence(
        "summary",
        lang,
        documents=len(docs),
        reports=len(real),
        agencies=real.agency.nunique(),
        provinces=real.province[real.province != ""].nunique(),
        years=span,
    )
    summaries = int(is_summary(corpus.reports).sum())
    if summaries:
        said += " " + sentence("summaries", lang, reports=summaries)
    if len(corpus.flagged):
        said += " " + sentence("flagged", lang, facts=len(corpus.flagged), reports=corpus.flagged.doc_id.nunique())
    return said


def measure_values(corpus: Corpus, measure_codes: Iterable[str]) -> pd.DataFrame:
    """One value per agency, year, measure and breakdown for the given measures.

    When a report states a figure more than once, a printed table wins over a sentence, and a
    sentence over a derived sum; when two documents cover the same agency and year, the first
    (by doc_id) is kept.

    Returns:
        Columns doc_id, agency, province, year, template, measure, breakdown, value, scope;
        only reports with a known year.
    """
    facts = corpus.facts[corpus.facts.measure.isin(list(measure_codes))]
    frame = facts.merge(documents(corpus), on="doc_id").dropna(subset=["year"])
    frame = frame.assign(
        breakdown=frame.breakdown.fillna(""),
        year=frame.year.astype(int),
        _rank=frame.method.map(schema.METHOD_RANK).fillna(len(schema.METHOD_RANK)),
    )
    frame = frame.sort_values(["_rank", "doc_id", "span_start"], kind="mergesort")
    frame = frame.drop_duplicates(["agency", "year", "measure", "breakdown"])
    columns = ["doc_id", "agency", "province", "year", "template", "measure", "breakdown", "value", "scope"]
    return frame.sort_values(["agency", "year", "measure", "breakdown"])[columns].reset_index(drop=True)


def applicant_totals(
    frame: pd.DataFrame, keys: Sequence[str] = ("agency", "province", "year", "template", "measure")
) -> pd.DataFrame:
    """Applicant-split figures reduced to one value per `keys` (agency, year, measure ...).

    Uses the printed `total` column when there is one, else the sum of the applicant columns.
    """
    keys = list(keys)
    total = frame[frame.breakdown == "total"][[*keys, "value"]]
    parts = frame[frame.breakdown != "total"].groupby(keys, as_index=False)["value"].sum()
    return _fill_missing(total, parts, keys).sort_values(keys, ignore_index=True)


def _fill_missing(primary: pd.DataFrame, fallback: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """`primary`, plus the rows of `fallback` whose `keys` are not in `primary`."""
    fallback = fallback.merge(primary[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    return pd.concat(
        [primary, fallback[fallback._merge == "left_only"].drop(columns="_merge")], ignore_index=True
    )


def largest(frame: pd.DataFrame, by: str, value: str = "value", n: int = 8) -> pd.DataFrame:
    """The rows of the `n` values of `by` with the largest total `value` (series for a chart)."""
    keep = frame.groupby(by)[value].sum().nlargest(n).index
    return frame[frame[by].isin(keep)]


def _yearly(frame: pd.DataFrame, series: str, how: str = "sum") -> pd.DataFrame:
    """`value` aggregated per year and `series` (sum, or median / mean per report)."""
    return frame.groupby(["year", series], as_index=False, sort=True)["value"].agg(how)


def _in_order(frame: pd.DataFrame, **orders: Iterable[str]) -> pd.DataFrame:
    """`frame` sorted by each named column in the order of its codes, then by year (when it has one).

    Charts draw series in order of appearance, so legends follow the vocabulary, not the alphabet.
    """
    ranks = {column: {code: i for i, code in enumerate(order)} for column, order in orders.items()}
    by = list(orders) + (["year"] if "year" in frame.columns else [])
    return frame.sort_values(
        by, key=lambda s: s.map(ranks[s.name]) if s.name in ranks else s, kind="mergesort", ignore_index=True
    )
