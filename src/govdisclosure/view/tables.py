"""A report's facts laid out as the report's own tables, for the viewer page.

The three tables of the national format are drawn as the form prints them (rows and columns in form
order, the two-level header of the request and review tables), built from the same vocabularies the
extractor reads them with (`template_labels`, `measures`), so a row the form gains is drawn without
a change here. Header texts of the proactive table come from the facts' own labels, because the
2019 and 2021 forms word those columns differently. Every fact is placed exactly once: in its
table cell when it has one (a printed figure first, a derived total in the form's group row), else
in the list of figures that follows the tables (narrative figures, statistics tables of older
formats, a second reading of a cell).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from govdisclosure.measures import APPLICANT_BREAKDOWNS, APPLICANT_LABELS_ZH
from govdisclosure.national_form import (
    REVIEW_BLOCK_LABELS,
    REVIEW_BLOCKS,
    REVIEW_LEAF_LABELS,
    REVIEW_LEAVES,
    proactive_measures,
    request_rows,
)


@dataclass(frozen=True)
class FactRow:
    """The columns of one facts row the viewer uses; `i` is its number on the page."""

    i: int
    measure: str
    breakdown: str
    value: float
    unit: str
    method: str
    label: str
    evidence: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return f"{self.measure}|{self.breakdown}"


def fmt_value(value: float) -> str:
    """A figure as printed: no exponent, no trailing zeros."""
    if math.isnan(value):  # NaN never reaches the facts table, but the page must not break on one
        return "NA"
    return str(int(value)) if float(value).is_integer() else f"{value:f}".rstrip("0").rstrip(".")


def cell(fact: FactRow | None, flags: dict[str, str]) -> str:
    """One table cell: the figure, clickable, or an empty cell when the report has no such figure.

    `flags` maps a cell key to the class a check gives it (``fail`` or ``noted``).
    """
    if fact is None:
        return '<td class="none"></td>'
    kind = " derived" if fact.method == "derived" else ""
    flag = f" {flags[fact.key]}" if fact.key in flags else ""
    return (f'<td class="cell{kind}{flag}" data-f="{fact.i}" data-k="{escape(fact.key)}" tabindex="0" '
            f'title="{escape(fact.label)}">{fmt_value(fact.value)}</td>')


def layout(facts: Sequence[FactRow], flags: dict[str, str]) -> tuple[str, list[FactRow]]:
    """HTML of the national tables present among `facts`, and the facts left for the list.

    Args:
        facts: the facts of one report.
        flags: cell key -> class from the checks that concern the cell (see `cell`).

    Returns:
        (html, rest): the tables drawn (empty when the report has none) and the facts that were
        not placed in any table cell, in their original order.
    """
    slots: dict[str, FactRow] = {}
    for fact in facts:
        # One fact per cell: a reading of the table (printed, OCR or derived) wins over a sentence.
        if fact.method != "text" and fact.key not in slots:
            slots[fact.key] = fact
    placed: set[int] = set()
    html = _proactive(slots, placed, flags) + _request(slots, placed, flags) + _review(slots, placed, flags)
    return html, [f for f in facts if f.i not in placed]


def _take(slots: dict[str, FactRow], placed: set[int], measure: str, breakdown: str = "") -> FactRow | None:
    fact = slots.get(f"{measure}|{breakdown}")
    if fact is not None:
        placed.add(fact.i)
    return fact


def _proactive(slots: dict[str, FactRow], placed: set[int], flags: dict[str, str]) -> str:
    """第二十条 tables: one block per run of items that share their columns, as the form groups them."""
    by_item: dict[str, list[tuple[str, str]]] = {}
    for (item, column), measure in proactive_measures().items():
        if f"{measure}|" in slots:
            by_item.setdefault(item, []).append((column, measure))
    if not by_item:
        return ""
    blocks: list[list[tuple[str, list[tuple[str, str]]]]] = []
    for item, columns in by_item.items():
        if blocks and [c for c, _ in blocks[-1][0][1]] == [c for c, _ in columns]:
            blocks[-1].append((item, columns))
        else:
            blocks.append([(item, columns)])
    out = ['<h3>主动公开政府信息情况</h3><table class="form proactive">']
    for block in blocks:
        first = [slots[f"{m}|"] for _, m in block[0][1]]
        heads = "".join(f"<th>{escape(_part(f.label, 1))}</th>" for f in first)
        out.append(f"<tr><th>信息内容</th>{heads}</tr>")
        for item, columns in block:
            facts = [_take(slots, placed, m) for _, m in columns]
            out.append(f"<tr><th>{escape(_part(facts[0].label, 0))}</th>{''.join(cell(f, flags) for f in facts)}</tr>")
    out.append("</table>")
    return "".join(out)


def _part(label: str, k: int) -> str:
    """Item (0) or column header (1) of a proactive-table label 'item / column'."""
    parts = label.split(" / ", 1)
    return parts[k] if len(parts) == 2 else label


def _request(slots: dict[str, FactRow], placed: set[int], flags: dict[str, str]) -> str:
    rows = [r for r in request_rows() if any(f"{r.measure}|{b}" in slots for b in APPLICANT_BREAKDOWNS)]
    if not rows:
        return ""
    parties = "".join(f"<th>{APPLICANT_LABELS_ZH[b]}</th>" for b in APPLICANT_BREAKDOWNS[1:-1])
    out = ['<h3>收到和处理政府信息公开申请情况</h3><table class="form request">',
           '<tr><th rowspan="3"></th><th colspan="7">申请人情况</th></tr>',
           '<tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr>',
           f"<tr>{parties}</tr>"]
    outcomes_started = False
    for row in rows:
        if row.role != "top" and not outcomes_started:
            outcomes_started = True
            out.append('<tr class="heading"><th colspan="8">三、本年度办理结果</th></tr>')
        indent = ' class="leaf"' if row.group else ""
        cells = "".join(cell(_take(slots, placed, row.measure, b), flags) for b in APPLICANT_BREAKDOWNS)
        out.append(f"<tr><th{indent}>{escape(row.label)}</th>{cells}</tr>")
    out.append("</table>")
    return "".join(out)


def _review(slots: dict[str, FactRow], placed: set[int], flags: dict[str, str]) -> str:
    measures = [f"{block}_{leaf}" for block in REVIEW_BLOCKS for leaf in REVIEW_LEAVES]
    if not any(f"{m}|" in slots for m in measures):
        return ""
    leaves = "".join(f"<th>{REVIEW_LEAF_LABELS[leaf]}</th>" for leaf in REVIEW_LEAVES)
    litigation = [REVIEW_BLOCK_LABELS[b].removeprefix("行政诉讼 ") for b in REVIEW_BLOCKS[1:]]
    out = ['<h3>政府信息公开行政复议、行政诉讼情况</h3><table class="form review">',
           f'<tr><th colspan="5" rowspan="2">{REVIEW_BLOCK_LABELS[REVIEW_BLOCKS[0]]}</th>'
           + '<th colspan="10">行政诉讼</th></tr>',
           "<tr>" + "".join(f'<th colspan="5">{escape(x)}</th>' for x in litigation) + "</tr>",
           f"<tr>{leaves * 3}</tr>",
           "<tr>" + "".join(cell(_take(slots, placed, m), flags) for m in measures) + "</tr>"]
    total = _take(slots, placed, "litigation_total")
    if total is not None:
        out.append(f'<tr><th colspan="10" class="note">{escape(total.label)}</th>{cell(total, flags)}'
                   '<td colspan="4" class="none"></td></tr>')
    out.append("</table>")
    return "".join(out)


def figure_list(facts: Sequence[FactRow], flags: dict[str, str]) -> str:
    """The figures not drawn in a table, as a list in text order: label, value, unit, how read."""
    if not facts:
        return ""
    out = ['<h3>其他数字 (figures in the text)</h3><table class="figs">'
           + "<tr><th>label</th><th>measure</th><th>value</th><th>unit</th><th>method</th></tr>"]
    for fact in sorted(facts, key=lambda f: (f.start, f.i)):
        measure = fact.measure + (f" / {fact.breakdown}" if fact.breakdown else "")
        flag = f" {flags[fact.key]}" if fact.key in flags else ""
        out.append(f'<tr data-f="{fact.i}" data-k="{escape(fact.key)}" tabindex="0" class="fig{flag}">'
                   f"<td>{escape(fact.label)}</td><td>{escape(measure)}</td>"
                   f'<td class="num">{fmt_value(fact.value)}</td><td>{escape(fact.unit)}</td>'
                   f"<td>{escape(fact.method)}</td></tr>")
    out.append("</table>")
    return "".join(out)
