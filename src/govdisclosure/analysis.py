"""The data preparation behind the analysis notebooks, so that each notebook is a few calls.

A notebook loads the processed tables once (`load_corpus`), narrows them to the agencies,
provinces and years its parameters name (`Corpus.select`), and then asks this module for one tidy
frame per chart: one row per agency–year–series, values in the measure's unit, series labels
already in the reader's language. `Page` turns such a frame into a readable table (localised
headers, thousands separators) or a saved paper figure, and says so in a sentence when a filter or
a thin corpus leaves nothing to show, so that no notebook fails on an empty frame.

Facts are read cautiously, because the tables are long-format and a report may state a figure
twice: `figures` keeps one value per agency, year, measure and breakdown, preferring a printed
table over a sentence over a derived sum. Across agencies, levels are shown per agency or as the
median (mean, for small case counts) per report, because the number and size of reports differ
from year to year; shares pool the counts. A city-wide (jurisdiction-scope) report and its own
departments' reports may overlap, which the per-agency tables make visible.

Request outcomes of every era are put on the categories of the 2019 national format by
`govdisclosure.crosswalk` (an editable table; its judgement calls are documented there); this
module only adds them up per agency and year. Problem themes come from jieba over the `problems`
sections with the project's domain dictionary and stop words, loaded once per process.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from govdisclosure import crosswalk, labels, load, measures, plotting, schema

LANGS = ("zh", "en")
#: Report periods used for eras and term trends: the narrative era, the 2019 format, the 2021 format.
PERIODS = ((2008, 2018), (2019, 2020), (2021, None))

CHANNELS = labels.pairs("channel")
TEMPLATES = labels.pairs("template")
SEVERITIES = labels.pairs("severity")
SOURCE_PROBLEMS = labels.pairs("problem")
#: English names of the province-level divisions (province column), for `lang="en"`.
PROVINCES_EN = {code: en for code, (_zh, en) in labels.pairs("province").items()}

#: Names of the check codes (checks table); a code not listed here is shown as it is.
CHECKS = labels.pairs("check")
OUTCOME_GROUPS = labels.pairs("outcome_group")
#: Labels of what a printed group total has beyond its printed reasons (see `harmonised_outcomes`).
UNSPECIFIED_REASON = labels.pairs("unspecified_reason")
REVIEW_OUTCOMES = labels.pairs("review_outcome")
REVIEW_KINDS = labels.pairs("review_kind")

#: Groups of measures for the coverage chart: code prefixes, zh and en names.
MEASURE_FAMILIES = {
    "proactive": (("proactive_items",), "主动公开信息数", "Proactive disclosure"),
    "channels": (
        ("channel_items", "press_conferences", "gazette_issues", "website_visits", "consultations"),
        "公开渠道",
        "Channels",
    ),
    "rules": (("rules_", "normative_docs_"), "规章和规范性文件", "Rules and normative documents"),
    "decisions": (
        (
            "licensing_",
            "other_services_",
            "penalty_",
            "coercion_",
            "fees_items",
            "fees_amount",
            "procurement_",
        ),
        "许可、处罚、强制、收费",
        "Licensing, penalties, fees",
    ),
    "requests": (
        ("requests_new", "requests_by_method", "requests_carried_in"),
        "收到申请",
        "Requests received",
    ),
    "outcomes": (("outcome_", "requests_carried_forward"), "申请办理结果", "Request outcomes"),
    "reconsideration": (("reconsideration_",), "行政复议", "Reconsideration"),
    "litigation": (("litigation_",), "行政诉讼", "Litigation"),
    "complaints": (("complaints_total",), "申诉举报", "Complaints"),
    "fees": (("fees_collected",), "依申请收费", "Fees charged to requesters"),
}

#: Column headers of displayed tables.
COLUMNS = labels.pairs("column")
PERCENT_COLUMNS = ("share", "growth", "first", "last")

#: Sentences shown in the notebooks.
SENTENCES = {
    "summary": (
        (
            "共 {documents:,} 份文件，其中年度报告 {reports:,} 份，来自 {agencies:,} 个机关、"
            "{provinces:,} 个省级行政区，报告年度 {years}。"
        ),
        (
            "{documents:,} documents, {reports:,} of them annual reports, from {agencies:,} agencies in "
            "{provinces:,} provinces; report years {years}."
        ),
    ),
    "nothing": (
        "没有符合筛选条件的报告（{filters}），以下各部分均无数据。",
        "No report matches the filter ({filters}); every section below is empty.",
    ),
    "no_data": (
        "**{what}**：所选报告中没有相关数据。",
        "**{what}**: the selected reports give no figures for this.",
    ),
    "truncated": (
        "仅显示前 {shown:,} 行，共 {total:,} 行。",
        "Showing the first {shown:,} of {total:,} rows.",
    ),
    "largest": (
        "图中只显示数值最大的 {shown} 个（共 {total} 个），表中列出全部。",
        "The chart shows the {shown} largest of {total}; the table lists all.",
    ),
    "saved": ("图已保存：{files}", "Figure saved: {files}"),
    "missing_tables": (
        "处理结果中缺少以下表：{tables}。",
        "The processed folder lacks these tables: {tables}.",
    ),
    "problem_sections": (
        "{with_section:,} 份报告（共 {reports:,} 份）含“存在的问题及改进”部分。",
        "{with_section:,} of {reports:,} reports have a problems-and-improvements section.",
    ),
}


@cache
def chart_labels() -> dict[str, dict[str, dict[str, str | tuple[str, ...]]]]:
    """Chart texts from `data/chart_labels.csv`: chart -> lang -> {title, xlabel, ylabel, ...}.

    Titles and axis labels (with units) live in a data file so that wording can be edited without
    touching code; `legend_labels` holds several labels separated by "|".
    """
    with resources.files("govdisclosure").joinpath("data/chart_labels.csv").open(encoding="utf-8") as fh:
        rows = pd.read_csv(fh, dtype=str, keep_default_na=False)
    texts: dict = {}
    for row in rows.itertuples(index=False):
        for lang in LANGS:
            value = getattr(row, lang)
            texts.setdefault(row.chart, {}).setdefault(lang, {})[row.field] = (
                tuple(value.split("|")) if row.field == "legend_labels" else value
            )
    return texts


def _check_lang(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return LANGS.index(lang)


def name_of(labels: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    """The zh or en label of `code` in one of the label dictionaries above (the code if unknown)."""
    return labels[code][_check_lang(lang)] if code in labels else code


def sentence(key: str, lang: str, **values: object) -> str:
    """One of `SENTENCES` in `lang`, formatted with `values`."""
    return SENTENCES[key][_check_lang(lang)].format(**values)


#: Editorial notes in measures.csv labels ("(2019格式: ...)", "(total; ...)", "(legacy)"), not units.
_EDITORIAL_NOTE = re.compile(r"\s*[(（][^()（）]*(?:格式|旧|合计|之和|=|format|total|legacy)[^()（）]*[)）]$")


def measure_label(code: str, lang: str) -> str:
    """Label of a measure or harmonised outcome code, short enough for a legend."""
    if code in OUTCOME_GROUPS:
        return name_of(OUTCOME_GROUPS, code, lang)
    return _EDITORIAL_NOTE.sub("", measures.label(code, lang))


def period_of(year: int) -> str:
    """The `PERIODS` entry a report year falls in, as its code ("2008-2018", "2021-")."""
    for start, end in PERIODS:
        if year >= start and (end is None or year <= end):
            return f"{start}-{end or ''}"
    return f"-{PERIODS[0][0] - 1}"


def period_label(code: str, lang: str) -> str:
    start, end = code.split("-")
    if not end:
        return f"{start}年起" if lang == "zh" else f"{start} on"
    if not start:
        return f"{end}年及以前" if lang == "zh" else f"up to {end}"
    return f"{start}—{end}年" if lang == "zh" else f"{start}–{end}"


@dataclass(frozen=True)
class Corpus:
    """The processed tables a notebook works on (texts are left out: the notebooks need sections).

    Attributes:
        reports, facts, sections, checks: The tables of `docs/data_dictionary.md`, with the schema's dtypes.
        missing: Names of tables that were absent from the processed folder.
        filters: A readable description of the selection applied, for sentences.
    """

    reports: pd.DataFrame
    facts: pd.DataFrame
    sections: pd.DataFrame
    checks: pd.DataFrame
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
                for t in (self.reports, self.facts, self.sections, self.checks)
            ),
            missing=self.missing,
            filters=", ".join(filter(None, described)) or "-",
        )


def _contains_any(column: pd.Series, needles: Iterable[str]) -> pd.Series:
    pattern = "|".join(re.escape(n) for n in needles)
    return column.fillna("").str.contains(pattern, regex=True)


def load_corpus(processed_dir: str | Path) -> Corpus:
    """Read the processed tables (Parquet, else CSV) from `processed_dir`.

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
    return Corpus(tables["reports"], tables["facts"], tables["sections"], tables["checks"], missing=missing)


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
    return sentence(
        "summary",
        lang,
        documents=len(docs),
        reports=len(real),
        agencies=real.agency.nunique(),
        provinces=real.province[real.province != ""].nunique(),
        years=span,
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
) -> tuple[Corpus, Page]:
    """What every notebook does first: load and select the corpus, set up the page, say what is there.

    Args:
        processed_dir, agencies, provinces, year_start, year_end, lang, fig_dir, fig_formats, dpi:
            The notebook's parameters (see `Corpus.select` and `Page`); a year bound of 0 is open.
        prefix: The notebook's number, prepended to figure names.

    Returns:
        The selected corpus and the page to show results on.
    """
    page = Page(lang, fig_dir, fig_formats, dpi, prefix)
    loaded = load_corpus(processed_dir)
    if loaded.missing:
        page.say(sentence("missing_tables", lang, tables=", ".join(loaded.missing)))
    corpus = loaded.select(agencies, provinces, year_start or None, year_end or None)
    page.say(summary(corpus, lang))
    return corpus, page


# --- figures -------------------------------------------------------------------------------------------


def figures(corpus: Corpus, measure_codes: Iterable[str]) -> pd.DataFrame:
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


# --- 1 corpus overview ---------------------------------------------------------------------------------


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


# --- 2 proactive disclosure ----------------------------------------------------------------------------


def proactive_totals(corpus: Corpus) -> pd.DataFrame:
    """Items proactively disclosed per agency and year, with growth and an index.

    `growth` is the annual growth since the agency's previous report, annualised over `gap` years
    when years are missing; `index` is the value relative to the agency's first report (= 100),
    given for agencies with at least two reports.
    """
    frame = figures(corpus, ["proactive_items"])
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
    """Proactively disclosed items by content category per year, the `top` categories plus the rest.

    Category labels are as printed (docs/coding_rules.md normalisation), so they stay Chinese in both languages;
    the rest is pooled as "other" in `lang`.
    """
    frame = figures(corpus, ["proactive_items_by_category"]).rename(columns={"breakdown": "category"})
    other = name_of(CHANNELS, "other", lang)
    named = frame[frame.category != "其他"]  # a printed 其他 joins the pooled rest
    keep = list(named.groupby("category").value.sum().nlargest(top).index)
    frame = frame.assign(category=frame.category.where(frame.category.isin(keep), other))
    return _in_order(_yearly(frame, "category"), category=[*keep, other])


# --- 3 requests and outcomes ---------------------------------------------------------------------------


def requests_received(corpus: Corpus) -> pd.DataFrame:
    """New requests received per agency and year (all applicants)."""
    frame = applicant_totals(figures(corpus, ["requests_new"]))
    return frame[["agency", "year", "value"]].reset_index(drop=True)


def harmonised_outcomes(corpus: Corpus) -> pd.DataFrame:
    """Request outcomes of every era on the 2019 categories, one row per agency, year and reason.

    The mapping is `govdisclosure.crosswalk`'s. Reasons are its leaf categories; a printed group
    total larger than the sum of its printed reasons adds the difference under the group's own
    code (labelled by `UNSPECIFIED_REASON`), so that group sums equal the printed totals. One
    document per agency and year is used (the first by doc_id), as in `figures`.

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
    """Outcomes per year by group (all selected agencies), for a 100 % stacked chart."""
    frame = _yearly(harmonised_outcomes(corpus), "group")
    frame = _in_order(frame[frame.groupby("year").value.transform("sum") > 0], group=OUTCOME_GROUPS)
    return frame.assign(outcome=frame.group.map(lambda g: name_of(OUTCOME_GROUPS, g, lang)))[
        ["year", "outcome", "value"]
    ]


def _in_order(frame: pd.DataFrame, **orders: Iterable[str]) -> pd.DataFrame:
    """`frame` sorted by each named column in the order of its codes, then by year (when it has one).

    Charts draw series in order of appearance, so legends follow the vocabulary, not the alphabet.
    """
    ranks = {column: {code: i for i, code in enumerate(order)} for column, order in orders.items()}
    by = list(orders) + (["year"] if "year" in frame.columns else [])
    return frame.sort_values(
        by, key=lambda s: s.map(ranks[s.name]) if s.name in ranks else s, kind="mergesort", ignore_index=True
    )


def refusal_reasons(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Reasons for not disclosing (withheld, cannot provide, not processed, other) per period.

    Reasons that no selected report used are left out.

    Returns:
        Columns period (label in `lang`), reason (label), value, share (of the period's reasons).
    """
    frame = harmonised_outcomes(corpus)
    frame = frame[~frame.group.isin(["disclosed", "partial"])]
    frame = frame.assign(period=frame.year.map(period_of))
    frame = frame.groupby(["period", "reason"], as_index=False).value.sum()
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
    frame = figures(corpus, ["requests_new"])
    frame = frame[(frame.year >= 2019) & ~frame.breakdown.isin(["", "total"])]
    frame = _in_order(_yearly(frame, "breakdown"), breakdown=measures.APPLICANT_BREAKDOWNS)
    frame = frame[frame.groupby("year").value.transform("sum") > 0]
    labels = measures.APPLICANT_LABELS_ZH if lang == "zh" else measures.APPLICANT_LABELS_EN
    return frame.assign(applicant=frame.breakdown.map(labels))[["year", "applicant", "value"]]


# --- 4 channels ----------------------------------------------------------------------------------------


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


# --- 5 review and litigation ---------------------------------------------------------------------------


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
    frame = figures(corpus, codes)
    parts = frame.measure.str.extract(r"^(?P<kind>[a-z]+)_(?:direct_|after_review_)?(?P<outcome>[a-z]+)$")
    frame = pd.concat([frame, parts], axis=1)
    return frame.groupby(["agency", "year", "kind", "outcome"], as_index=False).value.sum()


def review_cases(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Cases per agency, year and kind, each report counted from its best source in `REVIEW_TOTALS`."""
    keys = ["agency", "year"]
    kinds = []
    for kind, levels in REVIEW_TOTALS.items():
        frame = figures(corpus, [code for level in levels for code in level])
        counted = pd.DataFrame(columns=[*keys, "value"])
        for level in levels:
            found = frame[frame.measure.isin(level)].groupby(keys, as_index=False).value.sum()
            counted = _fill_missing(counted, found, keys)
        kinds.append(counted.assign(kind=kind))
    frame = _in_order(pd.concat(kinds, ignore_index=True), kind=REVIEW_KINDS)
    frame = frame.assign(kind=frame.kind.map(lambda k: name_of(REVIEW_KINDS, k, lang)))
    return frame[["agency", "year", "kind", "value"]]


def review_counts(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Mean cases per report, per year and kind (reports that give the figure)."""
    kinds = [name_of(REVIEW_KINDS, k, lang) for k in REVIEW_KINDS]
    return _in_order(_yearly(review_cases(corpus, lang), "kind", "mean"), kind=kinds)


def review_outcomes(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Outcome mix of all selected cases, per kind (only kinds with at least one case)."""
    frame = review_outcome_cases(corpus).groupby(["kind", "outcome"], as_index=False).value.sum()
    frame = _in_order(
        frame[frame.groupby("kind").value.transform("sum") > 0], kind=REVIEW_KINDS, outcome=REVIEW_OUTCOMES
    )
    return frame.assign(
        kind=frame.kind.map(lambda k: name_of(REVIEW_KINDS, k, lang)),
        outcome=frame.outcome.map(lambda o: name_of(REVIEW_OUTCOMES, o, lang)),
    )


# --- 6 problem themes ----------------------------------------------------------------------------------


def _data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a packaged data file ([] when the file is absent)."""
    file = resources.files("govdisclosure").joinpath(f"data/{name}")
    if not file.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in file.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


@cache
def stopwords() -> frozenset[str]:
    """The stop words of `data/stopwords_zh.txt`."""
    return frozenset(_data_lines("stopwords_zh.txt"))


@cache
def tokenizer():
    """A jieba tokenizer with the project's domain dictionary (when present), built once per process."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for line in _data_lines("jieba_domain_dict.txt"):
        word, *rest = line.split()
        tok.add_word(
            word,
            int(rest[0]) if rest and rest[0].isdigit() else None,
            rest[-1] if rest and not rest[-1].isdigit() else None,
        )
    return tok


_HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def terms(text: str) -> list[str]:
    """Content words of a text: Chinese words of two or more characters, not stop words."""
    stop = stopwords()
    return [w for w in tokenizer().lcut(text) if _HAN_WORD.match(w) and w not in stop]


def problem_coverage(corpus: Corpus, lang: str) -> str:
    """A sentence: how many reports have a problems section."""
    reports = documents(corpus).query("template != 'none'").doc_id
    with_section = corpus.sections[corpus.sections.section == "problems"].doc_id.nunique()
    return sentence("problem_sections", lang, with_section=with_section, reports=len(reports))


def problem_texts(corpus: Corpus) -> pd.DataFrame:
    """The `problems` sections joined per document, with agency, year and period code."""
    sections = corpus.sections[corpus.sections.section == "problems"]
    joined = sections.groupby("doc_id", as_index=False).text.agg(lambda parts: "\n".join(parts.dropna()))
    frame = joined.merge(documents(corpus), on="doc_id").dropna(subset=["year"])
    return frame.assign(year=frame.year.astype(int), period=frame.year.astype(int).map(period_of))


def term_table(corpus: Corpus) -> pd.DataFrame:
    """Term use per period: reports using the term (`docs`), their `share`, and `count` of uses."""
    texts = problem_texts(corpus)
    rows = []
    for period, part in texts.groupby("period"):
        doc_freq, counts = Counter(), Counter()
        for text in part.text:
            words = terms(text)
            counts.update(words)
            doc_freq.update(set(words))
        rows += [
            {"period": period, "term": t, "docs": d, "share": d / len(part), "count": counts[t]}
            for t, d in doc_freq.items()
        ]
    return pd.DataFrame(rows, columns=["period", "term", "docs", "share", "count"])


def top_terms(corpus: Corpus, lang: str, n: int = 12) -> pd.DataFrame:
    """The `n` terms used by the most reports in each period (ties broken by occurrences)."""
    table = term_table(corpus).sort_values(
        ["period", "docs", "count", "term"], ascending=[True, False, False, True]
    )
    table = table.groupby("period").head(n)
    return table.assign(period=table.period.map(lambda p: period_label(p, lang))).reset_index(drop=True)


def term_trends(corpus: Corpus, lang: str, n: int = 8) -> pd.DataFrame:
    """Terms whose share of reports rose or fell most between the first and the last period.

    Returns:
        Up to `n` rising and `n` falling terms with `first`, `last` (shares) and `change`
        (last − first); empty when fewer than two periods have problem sections.
    """
    table = term_table(corpus)
    periods = sorted(table.period.unique(), key=lambda p: int(p.split("-")[0] or 0))
    if len(periods) < 2:
        return pd.DataFrame(columns=["term", "first", "last", "change"])
    shares = table.pivot_table(index="term", columns="period", values="share", fill_value=0.0)
    frame = pd.DataFrame({"first": shares[periods[0]], "last": shares[periods[-1]]})
    frame = frame.assign(change=frame["last"] - frame["first"]).rename_axis("term").reset_index()
    frame = frame[frame.change != 0].sort_values(["change", "term"], ascending=[False, True])
    rising, falling = frame[frame.change > 0].head(n), frame[frame.change < 0].tail(n)
    return pd.concat([rising, falling], ignore_index=True)


# --- presenting ----------------------------------------------------------------------------------------


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
        series = kwargs.get("hue")
        if top is not None and frame[series].nunique() > top:
            self.say(sentence("largest", self.lang, shown=top, total=frame[series].nunique()))
            frame = largest(frame, series, kwargs["y"], top)
        fig = plot(frame, text=plotting.ChartText(**chart_labels()[key][self.lang]), **kwargs)
        name = f"{self.prefix}_{key}" if self.prefix else key
        self.saved += plotting.save_figure(fig, name, self.fig_dir, self.fig_formats, self.dpi)
        png = plotting.png_bytes(fig, dpi=192)
        display(Image(data=png, format="png", width=int.from_bytes(png[16:20], "big") // 2))  # crisp on HiDPI

    def _no_data(self, key: str) -> str:
        return sentence("no_data", self.lang, what=chart_labels()[key][self.lang]["title"])


def _cell_format(column: str, values: pd.Series) -> Callable[[object], str] | None:
    """How a table column is printed: years and counts plain, shares as %, figures with separators."""
    if column in ("year", "gap") or not pd.api.types.is_numeric_dtype(values):
        return None
    if column in PERCENT_COLUMNS:
        return lambda v: f"{v:.1%}"
    if column == "change":
        return lambda v: f"{v * 100:+.1f}"
    if column == "index":
        return lambda v: f"{v:,.1f}"
    return plotting.thousands
