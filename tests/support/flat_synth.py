"""Synthetic request tables of the national form that satisfy every identity, rendered as a source.

Property tests and the solver benchmark need the same thing: tables whose true cells are known,
rendered the way real copies arrive (flattened text with the digits of adjacent cells run
together, or an HTML grid with merged cells), so that reading them back can be compared with the
truth. Building them here, once, from the row definitions of ``template_request_rows.csv`` keeps
the tests, the benchmark and the extractor agreeing on what the form looks like.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence

from govdisclosure.measures import APPLICANT_LABELS_ZH
from govdisclosure.national_form import group_members, request_row, request_rows

Table = dict[str, tuple[int, ...]]
HEADER = ("申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")


def outcome_rows(fmt: str) -> list[str]:
    """The outcome rows a request table of format `fmt` ("2019" or "2021") prints, in order."""
    rows = []
    for row in request_rows():
        if row.role == "leaf" and (fmt == "2021" or row.group != "outcome_other") \
                or fmt == "2019" and row.measure == "outcome_other":
            rows.append(row.measure)
    return rows


def consistent_table(leaves: Mapping[str, Sequence[int]], carried_in: Sequence[int],
                     carried_forward: Sequence[int]) -> Table:
    """A whole request table from its outcome rows and carry-overs (six applicant columns each).

    Every identity holds: each row's 总计 is the sum of its columns, （七）is the sum of the outcome
    rows, and 一 is chosen so that 一 + 二 = （七）+ 四 (二 is capped where it would make 一 negative).
    """
    def full(parts: Sequence[int]) -> tuple[int, ...]:
        return tuple(parts) + (sum(parts),)

    table = {m: full(v) for m, v in leaves.items()}
    total = tuple(sum(col) for col in zip(*leaves.values()))
    carried_in = [min(i, t + f) for i, t, f in zip(carried_in, total, carried_forward)]
    new = [t + f - i for t, f, i in zip(total, carried_forward, carried_in)]
    table.update(requests_new=full(new), requests_carried_in=full(carried_in), outcome_total=full(total),
                 requests_carried_forward=full(carried_forward))
    return table


def random_table(rng: random.Random, fmt: str, scale: Sequence[int] = (3000, 400, 20, 20, 80, 40)) -> Table:
    """A table with cells drawn up to `scale` per applicant column, most outcome rows small."""
    leaves = {}
    for measure in outcome_rows(fmt):
        share = rng.choice((0.0, 0.0, 0.02, 0.1, 0.5))
        leaves[measure] = [int(rng.random() * share * s) for s in scale]
    carry = [[int(rng.random() * 0.05 * s) for s in scale] for _ in range(2)]
    return consistent_table(leaves, carry[0], carry[1])


def _row_order(table: Table) -> list[tuple[str, str]]:
    """(measure, label) of every row of `table` in the form's order, group headings included."""
    out, opened = [], set()
    for row in request_rows():
        if row.role == "group" and any(m in table for m in group_members()[row.measure]):
            out.append(("", row.label))
            opened.add(row.measure)
        elif row.measure in table:
            out.append((row.measure, row.label))
    return out


def render_flat(table: Table, space: Callable[[], str]) -> str:
    """The table as a crawler flattens it: labels, then each row's digits with `space()` between cells.

    Args:
        table: measure -> the seven cells of its row.
        space: called before every cell (and between a label and its figures); returns "" or spaces.
    """
    parts = ["三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", HEADER]
    for measure, label in _row_order(table):
        parts.append(label)
        if measure:
            parts.append("".join(space() + str(v) for v in table[measure]))
    parts.append("四、政府信息公开行政复议、行政诉讼情况")
    return "".join(parts)


def render_html(table: Table) -> str:
    """The table as an HTML grid laid out like the national form (merged label and header cells)."""
    head = ('<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
            '<td colspan="7">申请人情况</td></tr><tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>'
            '<td rowspan="2">总计</td></tr><tr>'
            + "".join(f"<td>{APPLICANT_LABELS_ZH[b]}</td>" for b in
                      ("commercial", "research", "public_interest", "legal_service", "other_org")) + "</tr>")
    body = []
    outcome = [m for m, _label in _row_order(table) if m and request_row(m).role != "top"]
    for measure, _label in _row_order(table):
        if not measure:
            continue
        row = request_row(measure)
        section = f'<td rowspan="{len(outcome)}">三、本年度办理结果</td>' if measure == outcome[0] else ""
        members = group_members().get(row.group, ())
        if row.group and measure == next(m for m in members if m in table):
            label = f'<td rowspan="{sum(m in table for m in members)}">{request_row(row.group).label}</td>' \
                    f"<td>{row.label}</td>"
        elif row.group:
            label = f"<td>{row.label}</td>"
        else:
            label = f'<td colspan="{3 if row.role == "top" else 2}">{row.label}</td>'
        body.append("<tr>" + section + label + "".join(f"<td>{v}</td>" for v in table[measure]) + "</tr>")
    return ("<p>三、收到和处理政府信息公开申请情况</p><table>" + head + "".join(body) + "</table>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p>")
