"""Notebook 07: agencies compared on the indicators, and a table ready to paste into a paper.

The values come from the `indicators` table, which `extract` computed per report from the
definitions in `data/indicators.csv`; nothing is recomputed here, so a figure in the paper is the
figure in the data. Comparisons pool reports of one scope only: a jurisdiction-wide summary (汇总
…各单位) repeats its own departments' figures, so by default only reports about one agency
(`scope = agency`) are compared, and jurisdiction summaries are a choice of their own, never mixed
in. Flagged values are out unless the corpus was loaded with `include_flagged`. The exported
workbook carries a definitions sheet, so the reader of the paper can check every formula.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from govdisclosure import indicators
from govdisclosure.analysis.corpus import Corpus, documents, is_summary
from govdisclosure.analysis.vocab import PROVINCES_EN, _check_lang, sentence

#: The groupings a comparison offers, and how a report is put in a group.
GROUPS = ("admin_level", "province", "year", "agency_kind")
ADMIN_LEVELS = {"national": ("国家级", "National"), "provincial": ("省级", "Provincial"),
                "prefecture": ("地级", "Prefecture"), "county": ("县级", "County"),
                "township": ("乡级", "Township")}
#: Headers of the paper table and of the definitions sheet.
HEADERS = {
    "indicator": ("指标", "Indicator"), "denominator_kind": ("分母", "Denominator"), "group": ("分组", "Group"),
    "reports": ("报告数", "Reports"), "median": ("中位数", "Median"), "mean": ("均值", "Mean"),
    "p25": ("下四分位数", "25th percentile"), "p75": ("上四分位数", "75th percentile"),
    "code": ("代码", "Code"), "name": ("名称", "Name"), "kind": ("类型", "Kind"), "formula": ("公式", "Formula"),
    "era": ("适用年份", "Era"), "caveat": ("注意", "Caveat"), "definition_version": ("定义版本", "Version"),
}


def definitions_table(lang: str) -> pd.DataFrame:
    """Every indicator definition of `data/indicators.csv`, named in `lang` (the workbook's definitions sheet)."""
    en = _check_lang(lang) == 1
    rows = [{"code": d.code, "denominator_kind": d.denominator_kind, "name": d.en_name if en else d.zh_name,
             "kind": d.kind, "formula": d.formula, "era": d.era, "caveat": d.caveat,
             "definition_version": d.definition_version} for d in indicators.definitions()]
    return pd.DataFrame(rows)


def _names(lang: str) -> dict[tuple[str, str], str]:
    en = _check_lang(lang) == 1
    return {(d.code, d.denominator_kind): d.en_name if en else d.zh_name for d in indicators.definitions()}


def indicator_values(corpus: Corpus, lang: str, scope: str = "agency") -> pd.DataFrame:
    """One row per report and indicator with the report's agency, level, kind, province and year.

    Args:
        scope: "agency" (reports about one agency), "jurisdiction" (summaries of a whole area), or
            "all" — which mixes a summary with its own departments: use it for listing, not for pooling.
    """
    docs = documents(corpus).merge(
        corpus.reports[["doc_id", "admin_level", "agency_kind", "scope"]], on="doc_id")
    if scope != "all":
        docs = docs[is_summary(docs) == (scope == "jurisdiction")]
    frame = corpus.indicators.merge(docs, on="doc_id").dropna(subset=["year"])
    names = _names(lang)
    keys = zip(frame.indicator, frame.denominator_kind.fillna(""), strict=True)
    return frame.assign(year=frame.year.astype(int), name=[names.get(k, k[0]) for k in keys],
                        denominator_kind=frame.denominator_kind.fillna(""))


def compare(corpus: Corpus, lang: str, by: str = "admin_level", codes: tuple[str, ...] = (),
            scope: str = "agency") -> pd.DataFrame:
    """Indicators summarised per group of reports: reports, median, mean, quartiles.

    Args:
        by: One of `GROUPS`.
        codes: Indicator codes to keep; empty keeps every share and rate (counts and ratios of
            different units are listed by `indicator_values`, not pooled).
        scope: As in `indicator_values`.

    Returns:
        Columns indicator (name in `lang`), denominator_kind, group, reports, median, mean, p25, p75.
    """
    if by not in GROUPS:
        raise ValueError(f"by must be one of {GROUPS}, not {by!r}")
    frame = indicator_values(corpus, lang, scope)
    frame = frame[frame.indicator.isin(codes)] if codes else frame[frame.kind.isin(["share", "rate"])]
    if frame.empty:
        return pd.DataFrame(columns=["indicator", "denominator_kind", "group", "reports", "median", "mean", "p25",
                                     "p75"])
    frame = frame.assign(group=_group_labels(frame[by], by, lang))
    stats = frame.groupby(["name", "denominator_kind", "group"], sort=False).value.agg(
        reports="size", median="median", mean="mean", p25=lambda v: v.quantile(0.25), p75=lambda v: v.quantile(0.75))
    stats = stats.reset_index().rename(columns={"name": "indicator"})
    return stats.sort_values(["indicator", "denominator_kind", "group"], kind="mergesort", ignore_index=True)


def _group_labels(values: pd.Series, by: str, lang: str) -> pd.Series:
    en = _check_lang(lang) == 1
    unknown = "unknown" if en else "未知"
    if by == "admin_level":
        return values.map(lambda v: ADMIN_LEVELS[v][en] if v in ADMIN_LEVELS else unknown)
    if by == "province" and en:
        return values.map(lambda v: PROVINCES_EN.get(v, v) or unknown)
    return values.astype("string").fillna(unknown).replace("", unknown)


def export(table: pd.DataFrame, lang: str, folder: str | Path, name: str) -> list[Path]:
    """Write the paper table as CSV (UTF-8 with BOM, which Excel opens) and as an Excel workbook
    whose second sheet holds the definitions of every indicator.

    Returns:
        The CSV and workbook paths.
    """
    en = _check_lang(lang) == 1
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    headed = table.rename(columns=lambda c: HEADERS[c][en] if c in HEADERS else c)
    definitions = definitions_table(lang).rename(columns=lambda c: HEADERS[c][en] if c in HEADERS else c)
    csv, xlsx = folder / f"{name}.csv", folder / f"{name}.xlsx"
    headed.to_csv(csv, index=False, encoding="utf-8-sig")
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        headed.to_excel(writer, sheet_name="indicators" if en else "指标", index=False)
        definitions.to_excel(writer, sheet_name="definitions" if en else "定义", index=False)
    return [csv, xlsx]


def median_chart(corpus: Corpus, lang: str, by: str, code: str, denominator_kind: str,
                 scope: str = "agency") -> pd.DataFrame:
    """One indicator over one denominator: the median per group, the group labelled with its n reports.

    Returns:
        Columns group ("县级 (n=12)"), indicator (name in `lang`), median; empty when no report gives it.
    """
    table = compare(corpus, lang, by, (code,), scope)
    name = _names(lang).get((code, denominator_kind), code)
    table = table[(table.indicator == name) & (table.denominator_kind == denominator_kind)]
    frame = table.assign(group=[f"{g} (n={n})" for g, n in zip(table.group, table.reports, strict=True)])[
        ["group", "indicator", "median"]].reset_index(drop=True)
    frame.attrs["note"] = sentence("per_bar", lang)
    return frame
