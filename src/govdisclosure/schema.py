"""Column meanings of the output tables, defined once.

The contract of the output tables (the README's table list, in full) lives here as data: each table is a list of `Column`s with a
dtype, a meaning and, where analysts need one, a usage caveat. From that single source we generate
the pandera schemas that validate every table before it is written, the empty frames with the
right dtypes, and the data dictionary in `docs/data_dictionary.md` (`python -m
govdisclosure.schema > docs/data_dictionary.md`). Nothing else in the package spells out a column
list, so a column cannot mean one thing in the writer and another in the docs. Columns that hold
codes (`checks.check`, `reports.problems`) take their allowed values from `govdisclosure.labels`,
where every code is defined once with its zh/en label; the dictionary lists those codes too.

A missing string is NULL, never `''`: `finalise` turns the empty strings the extractors use for
"nothing here" into NULL in every nullable string column, so Parquet stores NULL, CSV an empty
cell, and `IS NULL` in DuckDB or `isna()` in pandas finds every missing value, whatever the column.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd
import pandera.pandas as pa

from govdisclosure import labels
from govdisclosure.measures import measure_codes, unit_codes


@dataclass(frozen=True)
class Column:
    """One output column: name, pandas dtype, meaning, and constraints."""

    name: str
    dtype: str
    meaning: str
    caveat: str = ""
    nullable: bool = False
    isin: tuple[str, ...] | None = None
    unique: bool = False
    codes: str | None = None  # a kind of code in data/labels.csv: the column holds such codes (`;`-separated lists too)


SEVERITIES = ("error", "warning", "info")
TEMPLATES = ("narrative", "2019", "2021", "none")
SCRIPTS = ("simplified", "traditional")
ADMIN_LEVELS = ("national", "provincial", "prefecture", "county", "township")
SCOPES = ("agency", "jurisdiction", "unknown")
REPORT_SCOPES = ("agency", "jurisdiction")
AGENCY_KINDS = ("government", "government_office", "department", "vertical_agency", "zone", "township", "subdistrict")
#: In order of trust: where a figure has several readings, the first method in this order wins.
METHODS = ("table", "derived", "text", "ocr")
METHOD_RANK = {method: rank for rank, method in enumerate(METHODS)}
SECTIONS = ("overview", "proactive", "requests", "review_litigation", "problems", "other")
INDICATOR_KINDS = ("share", "rate", "ratio", "count", "change")

TABLES: dict[str, tuple[str, list[Column]]] = {
    "reports": (
        "One row per input document (byte-identical copies share one row).",
        [
            Column("doc_id", "string", "Stable id: first 16 hex digits of the SHA-256 of the raw bytes.", unique=True),
            Column("source_path", "string", "The path as given (relative paths stay relative)."),
            Column("title", "string", "The report's own title, cleaned and simplified.",
                   "NULL when the document has no recognisable title.", nullable=True),
            Column("agency_name", "string", "Full official name in simplified Chinese with its place prefix (宿州市统计局).",
                   "Abbreviations such as 管委会 or 市政府 are expanded; NULL when no agency could be named.",
                   nullable=True),
            Column("province", "string", "Province-level division the agency belongs to (安徽省, 上海市); NULL when unknown.",
                   nullable=True),
            Column("city", "string", "Prefecture-level division, NULL for provincial agencies and municipalities.",
                   nullable=True),
            Column("county", "string", "County-level division, NULL above county level.", nullable=True),
            Column("admin_level", "string", "national, provincial, prefecture, county, township; NULL when unknown.",
                   nullable=True, isin=ADMIN_LEVELS),
            Column("agency_kind", "string", "government (人民政府), government_office (办公厅/办公室), department, "
                   "vertical_agency (税务, 海关, 气象, 地震 … led from above), zone (管委会 of a development or "
                   "experimental zone), township (乡, 镇), subdistrict (街道办事处); NULL when unknown.",
                   "Read from the end of the agency's name (data/agency_kinds.csv).", nullable=True, isin=AGENCY_KINDS),
            Column("scope", "string", "agency (the report covers the agency alone) or jurisdiction (it sums up a whole "
                   "city/county/system, 汇总…各单位); NULL when unknown.",
                   "A jurisdiction summary and its own departments' reports must never be added together: the "
                   "analysis helpers leave every jurisdiction summary out of figures pooled over reports (sums, "
                   "means, medians, shares; govdisclosure.analysis.pooled) and show it only agency by agency; "
                   "NULL is pooled as agency.",
                   nullable=True, isin=REPORT_SCOPES),
            Column("report_year", "Int64", "The year the report covers (not the year it was published).", nullable=True),
            Column("publish_date", "string", "Publication date as YYYY-MM-DD when the document states it.",
                   "From 发布日期/发布时间 headers or the signing date; NULL when unknown.", nullable=True),
            Column("template", "string", "narrative (pre-2019 free text), 2019, 2021, or none (not a report).",
                   isin=TEMPLATES),
            Column("script", "string", "simplified or traditional: what the source was written in.", isin=SCRIPTS),
            Column("n_chars", "Int64", "Characters of cleaned text."),
            Column("problems", "string", "`;`-separated codes of what was wrong with the source "
                   "(mojibake, pinyin_annotations, tables_missing, web_chrome, ...); NULL when nothing was.",
                   nullable=True, codes="problem"),
            Column("duplicate_paths", "string", "Other input paths with byte-identical content, `;`-separated; "
                   "NULL when there are none.", "Such copies get no row of their own, and an info finding in checks.",
                   nullable=True),
        ],
    ),
    "facts": (
        "One row per figure (long format).",
        [
            Column("doc_id", "string", "Links to reports."),
            Column("measure", "string", "A code from measures.csv.",
                   "src/govdisclosure/data/measures.csv gives each code's labels and unit."),
            Column("breakdown", "string", "Applicant, channel, method or category code; `total` for applicant "
                   "measures without a split; NULL when the measure has none.", nullable=True),
            Column("value", "float64", "The figure in the measure's unit.",
                   "A statement of absence (无, 未收到申请) is 0; a figure the report does not give has no row."),
            Column("unit", "string", "The unit code (item, request, case, yuan, 10k_yuan, ...)."),
            Column("scope", "string", "agency (this agency alone), jurisdiction (the whole area it summarises), "
                   "or unknown.", isin=SCOPES),
            Column("method", "string", "table (template or statistics table), text (a sentence), derived, "
                   "ocr (any figure of a document with scanned pages read by OCR).",
                   "derived rows are sums of printed rows (docs/coding_rules.md group totals); never mix them into sums. "
                   "ocr figures are less sure than a text layer's: check them before use.",
                   isin=METHODS),
            Column("label", "string", "The row/column or phrase as printed, cleaned; NULL when there is none.",
                   nullable=True),
            Column("evidence", "string", "The exact text the figure was read from (text[span_start:span_end]).",
                   "The text itself, so an empty string, not NULL, for a blank table cell (a zero-length span)."),
            Column("span_start", "Int64", "Offset of evidence in the document's cleaned text (texts table)."),
            Column("span_end", "Int64", "End offset (exclusive) of evidence."),
        ],
    ),
    "texts": (
        "One row per document: the cleaned text that span offsets point into.",
        [
            Column("doc_id", "string", "Links to reports.", unique=True),
            Column("text", "string", "Cleaned, simplified text; tables are rendered one row per line, cells tab-separated."),
        ],
    ),
    "sections": (
        "One row per report section, the basis for text analysis.",
        [
            Column("doc_id", "string", "Links to reports."),
            Column("section", "string", "overview, proactive, requests, review_litigation, problems, other.",
                   isin=SECTIONS),
            Column("heading", "string", "The heading as printed (NULL for text before the first heading).",
                   nullable=True),
            Column("text", "string", "The section's text without its heading (an empty string when it has none)."),
            Column("span_start", "Int64", "Offset of the section (heading included) in the cleaned text."),
            Column("span_end", "Int64", "End offset (exclusive) of the section."),
        ],
    ),
    "checks": (
        "One row per finding about a document.",
        [
            Column("doc_id", "string", "Links to reports."),
            Column("check", "string", "Short stable code of the check (identity_request_column, section_missing, ...).",
                   codes="check"),
            Column("severity", "string", "error, warning or info.", isin=SEVERITIES),
            Column("message", "string", "What is wrong, where, printed vs computed."),
        ],
    ),
    "indicators": (
        "One row per report × indicator: shares, rates and ratios computed from the report's own facts.",
        [
            Column("doc_id", "string", "Links to reports."),
            Column("indicator", "string", "An indicator code from indicators.csv.",
                   "src/govdisclosure/data/indicators.csv gives each code's zh/en name, formula, numerator, "
                   "denominator, era and caveat: cite it with definition_version."),
            Column("kind", "string", "share (a part of a whole, 0–1), rate (per request, may exceed 1), ratio, "
                   "count, or change.", isin=INDICATOR_KINDS),
            Column("value", "float64", "numerator ÷ denominator (a count: the figure itself; a change: "
                   "(this year − last year) ÷ last year, from the same agency's consecutive reports).",
                   "Never from a missing figure or a denominator of 0 or less: such an indicator has no row. "
                   "A share that would fall outside 0–1 has no row either, and a warning in checks."),
            Column("numerator", "float64", "The numerator as computed from the report's facts."),
            Column("denominator", "float64", "The denominator; NULL for a count.", nullable=True),
            Column("denominator_kind", "string", "Which denominator was used where several are possible "
                   "(outcome_total, received = 本年新收 + 上年结转, valid = 总计 − 不予处理 − 其他处理, "
                   "group_total, requests_new, total, concluded = 总计 − 尚未审结, last_year = the same agency's "
                   "previous report for a change …); NULL for a count.",
                   "Compare values of one denominator_kind only.", nullable=True),
            Column("definition_version", "Int64", "Version of the indicator's definition in indicators.csv."),
            Column("flag", "string", "`;`-separated codes of the checks that throw doubt on a figure behind "
                   "the value (a failed identity of its table, a text/table contradiction); NULL otherwise.",
                   "Flagged values are left out of charts unless asked for.", nullable=True, codes="check"),
        ],
    ),
}

SORT_KEYS: dict[str, list[str]] = {
    "reports": ["doc_id"],
    "facts": ["doc_id", "span_start", "measure", "breakdown"],
    "texts": ["doc_id"],
    "sections": ["doc_id", "span_start"],
    "checks": ["doc_id", "check", "message"],
    "indicators": ["doc_id", "indicator", "denominator_kind"],
}


def columns(table: str) -> list[Column]:
    return TABLES[table][1]


def column_names(table: str) -> list[str]:
    return [c.name for c in columns(table)]


@cache
def _names(table: str) -> tuple[str, ...]:
    return tuple(column_names(table))


def row(table: str, source: object = None, /, **values: object) -> dict:
    """One row of `table`, built column by column from the schema: each value from `values`, else the
    attribute of `source` (a `Fact`, `Finding`, `Section`, `Metadata` …) of the column's name.

    Every row of every table is built here, so a column is spelled out only in `TABLES`: a value for
    a column the table lacks, or a column neither `values` nor `source` gives, is an error.

    Raises:
        KeyError: `values` names a column that `table` does not have.
        AttributeError: a column is in neither `values` nor `source`.
    """
    return _builder(table, tuple(values))(source, values)


@cache
def _builder(table: str, given: tuple[str, ...]) -> Callable[[object, dict], dict]:
    """For `row`: a function that builds a row of `table` from a source and the values `given`.

    The function is generated once per table and keyword set, with every column written out as a
    dictionary display (the way `dataclasses` generates `__init__`): tens of thousands of rows a
    second go through `row`, and a loop over the columns took five times as long.
    """
    names = _names(table)
    if unknown := set(given) - set(names):
        raise KeyError(f"{table} has no column {sorted(unknown)}")
    if not all(name.isidentifier() for name in names):
        raise ValueError(f"{table}: every column name must be an identifier, got {names}")
    columns = ", ".join(f"{name!r}: values[{name!r}]" if name in given else f"{name!r}: source.{name}"
                        for name in names)
    namespace: dict = {}
    exec(f"def build(source, values):\n    return {{{columns}}}", namespace)  # noqa: S102 - our own column names
    return namespace["build"]


@cache
def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of one output table, generated from `TABLES`."""
    extra: dict[str, list[pa.Check]] = {}
    if table == "facts":
        extra = {"measure": [pa.Check.isin(measure_codes())], "unit": [pa.Check.isin(unit_codes())],
                 "span_start": [pa.Check.ge(0)]}
    if table == "indicators":
        extra = {"indicator": [pa.Check.isin(sorted({row["code"] for row in indicator_definitions()}))]}
    cols = {}
    for col in columns(table):
        checks = list(extra.get(col.name, []))
        if col.isin is not None:
            checks.append(pa.Check.isin(list(col.isin)))
        if col.codes is not None:
            checks.append(_codes_check(col.codes))
        cols[col.name] = pa.Column(col.dtype, checks=checks, nullable=col.nullable, unique=col.unique,
                                   description=col.meaning)
    checks = []
    if table == "facts":
        checks.append(pa.Check(lambda df: (df.span_end >= df.span_start).all(), error="span_end < span_start"))
    return pa.DataFrameSchema(cols, checks=checks, strict=True, ordered=True, coerce=True, name=table)


def _codes_check(kind: str) -> pa.Check:
    """Every code in the column (or in its `;`-separated lists) is defined in data/labels.csv."""
    allowed = frozenset(labels.codes(kind))

    def defined(values: pd.Series) -> bool:
        used = {code for value in values.dropna().unique() for code in str(value).split(";") if code}
        return used <= allowed

    return pa.Check(defined, error=f"a code that data/labels.csv does not define as a {kind!r} code")


def empty_frame(table: str) -> pd.DataFrame:
    """A zero-row frame with the table's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in columns(table)})


def to_frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows (dicts keyed by column name) to a validated, sorted frame with the schema's dtypes."""
    frame = pd.DataFrame(rows, columns=column_names(table)) if rows else empty_frame(table)
    return finalise(table, frame)


def finalise(table: str, frame: pd.DataFrame, tiebreak: str | None = None) -> pd.DataFrame:
    """Cast, sort deterministically and validate one table (raises pandera's SchemaError).

    Rows equal on `SORT_KEYS` keep their order or, with `tiebreak`, are ordered by that extra
    column, which is then dropped: the corpus engine orders the rows that workers return by their
    position within their document that way, in the same sort.
    """
    frame = frame.astype({c.name: c.dtype for c in columns(table)})
    for col in columns(table):
        if col.dtype == "string" and col.nullable:  # missing is NULL, never '' (see the module docstring)
            frame[col.name] = frame[col.name].mask(frame[col.name] == "")
    keys = SORT_KEYS[table] + ([tiebreak] if tiebreak else [])
    frame = frame.sort_values(keys, kind="mergesort", na_position="first", ignore_index=True)
    if tiebreak:
        frame = frame.drop(columns=[tiebreak])
    return schema(table).validate(frame)


def data_dictionary() -> str:
    """Markdown data dictionary of every output table, generated from `TABLES`."""
    out = ["# Data dictionary", "",
           "Generated from `src/govdisclosure/schema.py` (`python -m govdisclosure.schema`); do not edit by hand.", "",
           ("A missing value (unknown, or not applicable) is NULL in Parquet and an empty cell in CSV, in every "
            "column, never an empty string, so `IS NULL` (DuckDB, SQL) and `isna()` (pandas) find them all. The "
            "only empty strings are texts that are empty: `facts.evidence` of a blank table cell and "
            "`sections.text` of a heading with nothing under it."), ""]
    for name, (purpose, cols) in TABLES.items():
        out += [f"## {name}", "", purpose, "", "| column | type | meaning | caveat |", "|---|---|---|---|"]
        for c in cols:
            allowed = f" One of: {', '.join(c.isin)}." if c.isin else ""
            if c.codes:
                allowed = f" One of the `{c.codes}` codes listed below."
            out.append(f"| {c.name} | {c.dtype} | {c.meaning}{allowed} | {c.caveat} |")
        out.append("")
    for kind, heading in (("check", "Check codes (checks.check)"), ("problem", "Problem codes (reports.problems)")):
        out += [f"## {heading}", "", "From `src/govdisclosure/data/labels.csv`.", "",
                "| code | 中文 | English | meaning |", "|---|---|---|---|"]
        out += [f"| {code} | {zh} | {en} | {labels.description(kind, code)} |"
                for code, (zh, en) in labels.pairs(kind).items()]
        out.append("")
    out += ["## Indicator definitions (indicators.indicator)", "",
            ("From `src/govdisclosure/data/indicators.csv`: one row per indicator and denominator. Terms are "
            "measure codes (measures.csv); an applicant measure without `[breakdown]` is its `total` column. "
            "A value needs every term printed and a denominator above 0."), "",
            "| code | denominator_kind | kind | 中文 | English | numerator | denominator | formula | era | caveat | version |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    out += [f"| {r['code']} | {r['denominator_kind']} | {r['kind']} | {r['zh_name']} | {r['en_name']} | "
            f"{r['numerator']} | {r['denominator']} | {r['formula']} | {r['era']} | {r['caveat']} | "
            f"{r['definition_version']} |" for r in indicator_definitions()]
    out.append("")
    return "\n".join(out)


@cache
def indicator_definitions() -> tuple[dict[str, str], ...]:
    """The rows of `data/indicators.csv` as written (`govdisclosure.indicators` parses them)."""
    with resources.files("govdisclosure").joinpath("data/indicators.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


if __name__ == "__main__":
    print(data_dictionary())
