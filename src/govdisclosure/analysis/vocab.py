"""Words of the analysis notebooks: code labels, sentences, chart texts, periods, in zh and en.

Every label comes from a data file (`data/labels.csv`, `data/chart_labels.csv`, `measures.csv`), so
wording is edited without touching code; this module only looks labels up in the reader's language
and formats the notebooks' sentences. It imports nothing else of `analysis`, so every other module
can use it.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import pandas as pd

from govdisclosure import labels, measures

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


PERCENT_COLUMNS = ("share", "growth", "first", "last", "median", "mean", "p25", "p75", "reuse")


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
    "flagged": (
        ("{facts:,} 个数字（{reports:,} 份报告）未通过勾稽检查或与正文矛盾，已从图表中剔除"
        "（参数 include_flagged=True 可保留）。"),
        ("{facts:,} figures of {reports:,} reports failed an identity or contradict their text and are left "
        "out of the charts (include_flagged=True keeps them)."),
    ),
    "summaries": (
        ("其中 {reports:,} 份为辖区汇总报告（汇总本级及所属各单位），不与其所属部门的报告相加："
         "跨报告的合计、均值、中位数和占比均不含汇总报告，汇总报告仅在逐机关的表和图中单独列出。"),
        ("{reports:,} of them sum up a whole jurisdiction (its departments included) and are never added to "
         "their departments' reports: totals, means, medians and shares over reports leave them out; they are "
         "shown only agency by agency."),
    ),
    "n_reports": ("n = {reports:,} 份报告，{agencies:,} 个机关。", "n = {reports:,} reports (agencies: {agencies:,})."),
    "n_documents": ("n = {documents:,} 份文件。", "n = {documents:,} documents."),
    "panel": (
        "连线：每年均有数据的同一组 {agencies} 个机关（平衡面板，{first}—{last}年）的{how}；",
        "Lines: {how} of the same agencies in every year (a balanced panel of {agencies}, {first}–{last}); ",
    ),
    "dots": (
        "散点：各年报告机关不同，每点为一份报告，不连线。",
        "Dots: one report each; the agencies differ between years, so no line joins them.",
    ),
    "per_bar": ("n：每柱、每组或每栏所依据的报告数。", "n: the reports behind each bar, group or panel."),
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
    "tables_saved": ("表已保存：{files}", "Tables saved: {files}"),
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


#: How a yearly value over a panel is summarised, in words.
HOW = {"median": ("中位数", "median"), "mean": ("均值", "mean"), "sum": ("合计", "sum")}


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
