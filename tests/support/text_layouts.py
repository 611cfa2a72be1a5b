"""The national form's tables rebuilt from a report's facts and written as text in the layouts crawlers use.

A report's table facts say every printed cell of its three tables (blank cells came out as 0), so the
tables can be printed again: the proactive table in its 2019 or 2021 wording, the request table
with its stacked applicant header (自然人 | 法人或其他组织 | 总计 over the five kinds of
organisation), the review table with its three header rows. HTML-to-text converters lose merged
cells, so each table is written the way they write it: a merged cell once, at its first column;
a group heading (（三）不予公开) as an extra cell before its first row's label.

`LAYOUTS` writes such rows as text: pipe rows, a Markdown table, tab-separated, separated by runs of
spaces, and one cell per line (closed by a pipe, with ``| |`` at each row's end or nothing marking the
end of a row, or bare lines). Reading the text back must give the facts the rows were built from.
"""

from __future__ import annotations

from collections.abc import Callable

from govdisclosure.document import Fact
from govdisclosure.national_form import proactive_measures, request_rows

Rows = list[list[str]]

_ITEMS = {"rules": "规章", "normative_docs": ("规范性文件", "行政规范性文件"), "licensing": "行政许可",
          "other_services": "其他对外管理服务事项", "penalty": "行政处罚", "coercion": "行政强制",
          "fees": "行政事业性收费", "procurement": "政府集中采购"}
_COLUMNS = {"issued": ("本年新制作数量", "本年制发件数"), "published_new": "本年新公开数量",
            "repealed": "本年废止件数", "in_force": ("对外公开总数量", "现行有效件数"),
            "prev_year": "上一年项目数量", "change": "本年增/减", "decisions": ("处理决定数量", "本年处理决定数量"),
            "fee_amount": "本年收费金额（单位：万元）", "procurement_items": "采购项目数量",
            "procurement_amount": "采购总金额"}
_BLOCKS = (("（一）", ("rules", "normative_docs")), ("（五）", ("licensing", "other_services")),
           ("（六）", ("penalty", "coercion")), ("（八）", ("fees",)), ("（九）", ("procurement",)))
_APPLICANTS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")
_REVIEW_LEAVES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
                  ("total", "总计"))


def _wording(label: str | tuple[str, str], form_2021: bool) -> str:
    return label if isinstance(label, str) else label[form_2021]


def _figure(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def proactive_rows(facts: list[Fact]) -> Rows:
    """The proactive table's rows for the items and columns `facts` give."""
    values = {f.measure: f.value for f in facts if f.method == "table"}
    form_2021 = any(m.endswith("_repealed") for m in values) or "fees_amount" in values
    by_item: dict[str, dict[str, str]] = {}
    for (item, column), measure in proactive_measures().items():
        if measure in values:
            by_item.setdefault(item, {})[column] = _figure(values[measure])
    rows: Rows = []
    for block, items in _BLOCKS:
        present = [item for item in items if item in by_item]
        if not present:
            continue
        columns = [c for c in _COLUMNS if any(c in by_item[item] for item in present)]
        rows.append([f"第二十条第{block}项"])
        rows.append(["信息内容", *(_wording(_COLUMNS[c], form_2021) for c in columns)])
        rows += [[_wording(_ITEMS[item], form_2021), *(by_item[item].get(c, "") for c in columns)]
                 for item in present]
    return rows


def request_rows_of(facts: list[Fact]) -> Rows:
    """The request table's rows: the stacked applicant header, then every row `facts` give."""
    cells = {(f.measure, f.breakdown): f.value for f in facts if f.method == "table"}
    derived = {f.measure for f in facts if f.method == "derived"}
    printed = {m for m, _b in cells}
    if not printed:
        return []
    rows: Rows = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
                  ["自然人", "法人或其他组织", "总计"],
                  ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    outcome_label = "三、本年度办理结果"
    heading = ""
    for row in request_rows():
        if row.role == "group" and row.measure in derived and row.measure not in printed:
            heading = row.label  # printed once, before its first row's label
            continue
        if row.measure not in printed:
            continue
        labels = [row.label]
        if heading and row.group:
            labels, heading = [heading, row.label], ""
        if row.measure.startswith("outcome_") and outcome_label:
            labels, outcome_label = [outcome_label, *labels], ""
        rows.append([*labels, *(_figure(cells[(row.measure, b)]) if (row.measure, b) in cells else ""
                                for b in _APPLICANTS)])
    return rows


def review_rows(facts: list[Fact]) -> Rows:
    """The review table's three header rows and its row of fifteen figures, when `facts` give it."""
    values = {f.measure: f.value for f in facts if f.method == "table"}
    blocks = ("reconsideration", "litigation_direct", "litigation_after_review")
    if not any(f"{b}_total" in values for b in blocks):
        return []
    leaves = [label for _key, label in _REVIEW_LEAVES]
    return [["行政复议", "行政诉讼"],
            [*leaves, "未经复议直接起诉", "复议后起诉"],
            leaves + leaves,
            [_figure(values[f"{b}_{k}"]) if f"{b}_{k}" in values else "" for b in blocks for k, _l in _REVIEW_LEAVES]]


def _trim(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]


def pipe(rows: Rows) -> list[str]:
    """``规章 | 0 | 0 | 0 |``: cells followed by pipes, as many crawlers save table rows."""
    return [" | ".join(row) + " |" for row in rows]


def markdown(rows: Rows) -> list[str]:
    """A Markdown table: every row as wide as the widest, a ``|---|`` rule under the first."""
    width = max(len(row) for row in rows)
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
    return [lines[0], "|" + "---|" * width, *lines[1:]]


def tabs(rows: Rows) -> list[str]:
    """Cells separated by tabs."""
    return ["\t".join(_trim(row)) for row in rows]


def spaces(rows: Rows) -> list[str]:
    """Cells separated by runs of spaces (a blank cell inside a row cannot be written: none are)."""
    return ["    ".join(_trim(row)) for row in rows]


def cell_per_line(rows: Rows) -> list[str]:
    """One cell per line closed by a pipe, and ``| |`` after the last cell of each row."""
    lines = []
    for row in rows:
        cells = _trim(row) or [""]
        lines += [f"{cell} |" for cell in cells[:-1]] + [f"{cells[-1]} | |"]
    return lines


def cell_per_line_unmarked(rows: Rows) -> list[str]:
    """One cell per line closed by a pipe, with nothing marking where a row ends."""
    return [f"{cell} |" for row in rows for cell in _trim(row)]


def cell_per_line_bare(rows: Rows) -> list[str]:
    """One cell per line and nothing else (a PDF or Word page saved as text)."""
    return [cell for row in rows for cell in _trim(row)]


LAYOUTS: dict[str, Callable[[Rows], list[str]]] = {
    "pipe": pipe, "markdown": markdown, "tabs": tabs, "spaces": spaces, "cell_per_line": cell_per_line,
    "cell_per_line_unmarked": cell_per_line_unmarked, "cell_per_line_bare": cell_per_line_bare,
}

_HEADINGS = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")


def report_text(facts: list[Fact], layout: Callable[[Rows], list[str]], year: int = 2020) -> str:
    """A short report whose three tables, rebuilt from `facts`, are written in `layout`."""
    lines = [f"某某区人民政府办公室{year}年政府信息公开工作年度报告", "一、总体情况", "本机关依法做好政府信息公开工作。"]
    tables = [proactive_rows(facts), request_rows_of(facts), review_rows(facts)]
    for heading, rows in zip(_HEADINGS, tables):
        lines.append(heading)
        if rows:
            lines += layout(rows)
    lines += ["五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"
