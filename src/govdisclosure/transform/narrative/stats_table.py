"""Provincial statistics tables of the narrative era (指标名称 / 计量单位 / 本年度 / 历年累计).

Many provinces appended to the narrative report a table whose rows are prose labels
(主动公开信息数, 其中：1、网站公开 …) with a unit and two numbers: this year and the total since
2008. Scraped copies keep it only as text, in two shapes:

* spaced — ``主动公开信息数 条 72804 76424 其中：1、网站公开 条 72804 76424 2、政府公报公开 条 0``:
  every cell is a token, a missing cumulative cell simply has no token;
* flattened — ``主动公开文件数条206912106其中：1.政府网站公开数条2069121062.政府公报公开数条00``:
  the two numbers run together and the next row's item number sticks to them.

This module finds such tables and splits their rows; it does not know what the rows mean (the
narrative extractor maps labels to measures with the same grammar as prose). A flattened pair of
numbers is split by the only facts available: no number has a leading zero, 本年度 ≤ 历年累计, a
parent row equals the sum of its 其中 rows, and the prose may state the figure. When these leave more
than one split, the row gets no value: a wrong number is worse than a missing one.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from govdisclosure.document import Finding

HEADER_RE = re.compile(r"指标名称\s*计量单位\s*(?:本年度|本年|\d{4}\s*年度?)\s*(?:历年累计|累计)?")
_UNITS = r"人次|万元|条|件|次|个|项|份|篇|期|场|元"
ROW_RE = re.compile(
    r"\s*+(?P<pre>其中\s*+[：:]?)?\s*+(?:(?P<item>\d{1,2})?(?P<dot>[.、．]))?\s*+"
    rf"(?P<label>[^\d\s](?:[^\d]*?[^\d\s])?)\s*+(?P<unit>{_UNITS})\s*(?P<digits>\d[\d ]*)")
_MAX_COMBINATIONS = 200_000


@dataclass(slots=True)
class Row:
    """One row of a statistics table.

    Attributes:
        label: the row label as printed, without 其中 and the item number.
        unit: the unit cell.
        start, end: offsets of the whole row (label to last digit) in the text.
        label_end: end offset of the label (it starts at `start`).
        item: the printed item number (1, 2 …) of a 其中 row, else None.
        parent: index of the row this one is part of (其中 rows), else None.
        candidates: the possible (本年度, 历年累计) readings of the digits; 历年累计 may be None.
        value: the resolved reading, or None while ambiguous.
    """

    label: str
    unit: str
    start: int
    end: int
    label_end: int
    item: int | None
    parent: int | None
    candidates: list[tuple[float, float | None]] = field(default_factory=list)
    value: tuple[float, float | None] | None = None


@dataclass(slots=True)
class StatsTable:
    """A statistics table found in a text: its extent and rows."""

    start: int
    end: int
    rows: list[Row]
    spaced: bool


def _splits(digits: str) -> list[tuple[float, float | None]]:
    """Every reading of a run of digits as 本年度 followed by 历年累计."""
    if len(digits) == 1:
        return [(float(digits), None)]
    found = []
    for i in range(1, len(digits)):
        this, total = digits[:i], digits[i:]
        if (len(this) > 1 and this[0] == "0") or (len(total) > 1 and total[0] == "0"):
            continue
        if int(this) <= int(total):
            found.append((float(this), float(total)))
    return found


def _strip_next_item(run: str, expected: int, spaced: bool) -> tuple[str, int]:
    """Split the next row's item number off the end of a run of value digits.

    In a spaced table the item number is the last token; in a flattened one it is the trailing
    digits equal to the item number expected next (1 more than this row's), or one digit.
    """
    if spaced:
        head, _, last = run.strip().rpartition(" ")
        return head, int(last)
    for k in (2, 1):
        if len(run) > k and run[-k:] == str(expected):
            return run[:-k], expected
    return run[:-1], int(run[-1])


def find_tables(text: str) -> list[StatsTable]:
    """Every statistics table in `text`, rows parsed but flattened pairs not yet resolved."""
    tables = []
    for header in HEADER_RE.finditer(text):
        rows: list[Row] = []
        pos = header.end()
        spaced = bool(re.search(r"\d \d", text[pos: pos + 400]))
        while (m := ROW_RE.match(text, pos)) is not None:
            run = m["digits"].rstrip()
            item = int(m["item"]) if m["item"] else None
            end = m.start("digits") + len(run)
            if text[end: end + 1] in (".", "、", "．") and end < len(text):
                # The next row's item number sticks to this row's digits; leave it to the next match.
                run, _next_item = _strip_next_item(run, (item or 0) + 1, spaced)
                end = m.start("digits") + len(run.rstrip())
            parent = None
            if m["pre"] or item is not None:
                parent = next((i for i in range(len(rows) - 1, -1, -1) if rows[i].parent is None), None)
            tokens = run.split()
            if spaced:
                values = [float(t) for t in tokens]
                candidates = [(values[0], values[1] if len(values) > 1 else None)] if 0 < len(values) <= 2 else []
            else:
                candidates = _splits("".join(tokens)) if tokens else []
            rows.append(Row(m["label"].strip(), m["unit"], m.start("label"), end, m.end("label"),
                            item, parent, candidates))
            pos = end
        if rows:
            tables.append(StatsTable(header.start(), rows[-1].end, rows, spaced))
    return tables


def _fix_unique(rows: list[Row]) -> None:
    for row in rows:
        if row.value is None and len(row.candidates) == 1:
            row.value = row.candidates[0]


def _apply_hints(rows: list[Row], hints: dict[int, set[float]]) -> None:
    for i, known in hints.items():
        row = rows[i]
        if row.value is None and len(row.candidates) > 1:
            agree = [c for c in row.candidates if c[0] in known]
            if len(agree) == 1:
                row.value = agree[0]


def _apply_sums(rows: list[Row]) -> bool:
    """Fix rows whose reading is forced by parent = sum of 其中 rows (both columns). Returns progress."""
    progress = False
    for p, parent in enumerate(rows):
        children = [i for i, r in enumerate(rows) if r.parent == p]
        members = [p, *children]
        if not children or all(rows[i].value is not None for i in members):
            continue
        options = [[rows[i].value] if rows[i].value is not None else rows[i].candidates for i in members]
        size = 1
        for o in options:
            size *= max(len(o), 1)
        if size == 0 or size > _MAX_COMBINATIONS:
            continue
        fitting = []
        for combo in itertools.product(*options):
            head, parts = combo[0], combo[1:]
            if head[0] != sum(c[0] for c in parts):
                continue
            if head[1] is not None and all(c[1] is not None for c in parts) and head[1] != sum(c[1] for c in parts):
                continue
            fitting.append(combo)
        for k, i in enumerate(members):
            readings = {combo[k] for combo in fitting}
            if rows[i].value is None and len(readings) == 1:
                rows[i].value = readings.pop()
                progress = True
    return progress


def resolve(table: StatsTable, hints: dict[int, set[float]] | None = None) -> list[Finding]:
    """Choose the reading of every row that the evidence allows; leave the others None.

    Args:
        table: a table from `find_tables`; its rows' `value` are set in place.
        hints: for some row indices, values the prose states for the same measure.

    Returns:
        A ``stats_split_ambiguous`` warning per row left without a value.
    """
    _fix_unique(table.rows)
    _apply_hints(table.rows, hints or {})
    while _apply_sums(table.rows):
        pass
    findings = []
    for row in table.rows:
        if row.value is None:
            readings = ", ".join(f"{a:g}|{b:g}" if b is not None else f"{a:g}" for a, b in row.candidates)
            findings.append(Finding(
                "stats_split_ambiguous", "warning",
                f"statistics table row {row.label!r}: the digits can be read as {readings or 'nothing'}; "
                "no reading is forced by the totals or the prose, so the row is not read"))
    return findings
