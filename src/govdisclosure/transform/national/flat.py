"""Readings from template tables flattened into plain text, where the cell boundaries are lost.

Crawled copies keep a table's characters in reading order and nothing else:
"（一）予以公开210000021（二）部分公开…8100009（三）不予公开1.属于国家秘密0000000…". The labels are
intact, so the table is found the way a person would find it: the labels of the national form
are located in the text (on a whitespace-free copy, so wrapped labels still match), and what
follows a label up to the next one is that row's figures. Those figures are cut into chunks at
the boundaries the text does show (spaces, zero marks such as "—"), the item number of the next
row is taken off when it sticks to the digits ("…00000372.没有…"), and `flatsolve` decides where
the remaining cells split:

- request table: 7 cells a row, each row adds up, and the rows obey the identities of
  `identities`; cells that remain ambiguous are left out with a warning;
- review row: 15 cells in three blocks that each add up;
- proactive table: no identities at all, so a row is read only when it can be cut one way.

Text that renders a grid table (`Document.tables`) is skipped: those tables are read as grids.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from govdisclosure.document import Document, Finding
from govdisclosure.measures import APPLICANT_BREAKDOWNS, APPLICANT_LABELS_ZH
from govdisclosure.national_form import (
    REVIEW_BLOCK_LABELS,
    REVIEW_BLOCKS,
    REVIEW_LEAF_LABELS,
    REVIEW_LEAVES,
    RequestRow,
    find_keys,
    key_pattern,
    match_key,
    non_overlapping,
    proactive_measures,
    request_row,
    request_rows,
)
from govdisclosure.transform.national import flatsolve, identities
from govdisclosure.transform.national.flatsolve import ZERO_MARKS, Chunk, Piece
from govdisclosure.transform.national.values import PAGE_FOOTER, Reading, unit_in
from govdisclosure.whitespace import squeeze, squeeze_with_map

#: Words of the request table's header (two of them must precede the 本年新收 row).
_REQUEST_HEADER = re.compile(r"申请人情况|自然人|法人或其他组织|商业企业|科研机构|社会公益|法律服务")
#: Where the request table ends at the latest: the review table or the next sections begin.
_REQUEST_END = re.compile(r"行政复议|行政诉讼|存在的?主要问题")
_PROACTIVE_BLOCK = re.compile(r"第二十条第?[（(][一二三四五六七八九十]+[）)]项")
_PROACTIVE_END = re.compile(r"收到和处理|本年新收|行政复议|存在的?主要问题")
_REVIEW_ANCHOR = re.compile(r"复议后起诉")
_REVIEW_START = re.compile(r"行政复议")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Prose that restates the proactive table: sentences, their clauses, and figures with a unit.
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_CLAUSE = re.compile(r"[，,、：:]")
_STATED_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:件|个|项|条|万元|元)")
#: A label's bracketed note that a PDF wrapped around the row's figures.
_NOTE_BEFORE_FIGURES = re.compile(r"\s*[（(][^）)\d]{1,40}?(?=\d)")
_CURRENCY = re.compile(r"万元|元")
_COUNT_UNITS = "件个项条"
_MAX_TABLE = 4000  # characters: a request table never needs more, prose after it is not searched


@dataclass
class _Text:
    """The document text with whitespace removed, the map back, and the spans to leave alone."""

    text: str
    squeezed: str
    skip: list[tuple[int, int]]

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        """For each squeezed character, its offset in the text: made only for a report with a
        flattened table (most have none, and the map is a tuple as long as the text)."""
        return squeeze_with_map(self.text)[1]

    def original(self, i: int) -> int:
        """Offset in the document text of squeezed position `i` (its end when `i` is past the end)."""
        return self.offsets[i] if i < len(self.offsets) else len(self.text)

    def after(self, i: int) -> int:
        """Offset in the document text just after squeezed character `i - 1`."""
        return self.offsets[i - 1] + 1 if i > 0 else 0

    def free(self, i: int) -> bool:
        """Whether squeezed position `i` lies outside every rendered grid table."""
        pos = self.original(i)
        return not any(s <= pos < e for s, e in self.skip)


def _prepare(doc: Document, skip: list[tuple[int, int]]) -> _Text:
    return _Text(doc.text, squeeze(doc.text), skip)


def scan_figures(text: str, start: int, end: int, *,
                 signed_decimal: bool = False) -> tuple[list[Chunk], dict[int, str]]:
    """The figures at the start of ``text[start:end]``, as chunks between hard boundaries.

    Whitespace, zero marks, signs and printed units are boundaries; the scan stops at the first
    other character. A trailing digit followed by "." and a Chinese character is the next row's
    item number ("…00000372.没有…") and is not a figure.

    Args:
        text: the document text.
        start: where the figures may begin.
        end: where they must end at the latest.
        signed_decimal: allow signs and decimal points (the proactive table), and 元/万元 after a figure.

    Returns:
        The chunks, and the currency unit printed after a chunk (by chunk index).
    """
    footers = [(m.start(), m.end()) for m in PAGE_FOOTER.finditer(text, start, end)]
    chunks: list[Chunk] = []
    units: dict[int, str] = {}
    cur, cur_start = "", start
    i = start

    def close() -> None:
        nonlocal cur
        if cur:
            chunks.append(Chunk(cur, cur_start))
        cur = ""

    while i < end:
        footer = next((e for s, e in footers if s == i), None)
        ch = text[i]
        nxt = text[i + 1] if i + 1 < end else ""
        if footer is not None:
            close()
            i = footer
            continue
        if ch.isspace():
            close()
        elif ch.isdigit():
            if not cur:
                cur_start = i
            cur += ch
        elif ch == "." and signed_decimal and cur and cur[-1].isdigit() and "." not in cur and nxt.isdigit():
            cur += ch
        elif ch in "+-" and signed_decimal and nxt.isdigit():
            close()
            cur, cur_start = ch, i
        elif ch in ZERO_MARKS and not (ch == "无" and _CJK.match(nxt)):
            close()
            chunks.append(Chunk(ch, i))
        elif signed_decimal and (m := _CURRENCY.match(text, i, end)) and (cur or chunks):
            close()
            units[len(chunks) - 1] = unit_in(m.group())
            i = m.end()
            continue
        elif signed_decimal and ch in _COUNT_UNITS and cur:
            close()
        else:
            break
        i += 1
    if cur and i < end and text[i] in ".．、" and _CJK.match(text, i + 1):
        cur = cur[:-1]  # the next row's item number, glued to the figures
    close()
    return chunks, units


def row_figures(text: str, start: int, end: int, *,
                signed_decimal: bool = False) -> tuple[list[Chunk], dict[int, str]]:
    """`scan_figures` for a row of a table, which gives nothing when the figures run to the very end
    of the document: a copy cut off there ("…本年新收821 35 0 0") cannot be told from a complete row,
    and a cut row may still split one way only, into wrong cells."""
    chunks, units = scan_figures(text, start, end, signed_decimal=signed_decimal)
    if chunks and not text[chunks[-1].start + len(chunks[-1].text):].strip():
        return [], {}
    return chunks, units


def _figures_in_note(text: str, start: int, end: int) -> list[Chunk]:
    """The figures inside a label's bracketed note, where PDF text wraps the note around the row's
    figures: "（二）部分公开（区分处理的，只 4 0 0 0 0 0 4 计这一情形，不计其他情形）"."""
    m = _NOTE_BEFORE_FIGURES.match(text, start, end)
    return row_figures(text, m.end(), end)[0] if m else []


def _row_span(chunks: list[Chunk]) -> tuple[int, int]:
    last = chunks[-1]
    return chunks[0].start, last.start + len(last.text)


@dataclass
class _Row:
    """One request row found in the text: its definition, label as printed, chunks and candidates."""

    definition: RequestRow
    label: str
    chunks: list[Chunk]
    candidates: list[flatsolve.Split] | None = None


def read_request(doc: Document, skip: list[tuple[int, int]]) -> tuple[list[Reading], list[Finding]]:
    """Readings of a request table flattened into `doc.text` (outside the `skip` spans)."""
    t = _prepare(doc, skip)
    # The table starts at the first 本年新收 row preceded by the form's header (the same words also
    # occur in prose). Only two header words are asked for: PDF text interleaves wrapped header
    # cells ("商业科研…企业机构"), and the form has one layout, whose column order the figures follow.
    anchor = _request_anchor(t, 0)
    if anchor is None:
        return [], []
    start = anchor.start()
    end = _request_end(t, anchor)
    findings: list[Finding] = []
    again = _request_anchor(t, end)
    if again is not None and _digits(t.squeezed[start:end]) != _digits(t.squeezed[again.start():_request_end(t, again)]):
        # The grid and narrative paths flag a table given twice with different figures; so does this one.
        findings.append(Finding("template_row_duplicate", "warning",
                                "the flattened request table is printed twice with different figures; "
                                "the first is kept"))
    hits = non_overlapping([(m.start(), m.end(), row) for row in request_rows()
                            for m in row.pattern.finditer(t.squeezed, start, end)])
    rows: dict[str, _Row] = {}
    group_label = ""
    for i, (s, e, row) in enumerate(hits):
        label = t.squeezed[s:e]
        nxt = hits[i + 1][0] if i + 1 < len(hits) else end
        chunks = row_figures(t.text, t.after(e), t.original(nxt))[0] or _figures_in_note(t.text, t.after(e),
                                                                                        t.original(nxt))
        if row.role == "group":
            group_label = label
        if not chunks:
            continue
        if row.measure in rows:
            findings.append(Finding("template_row_duplicate", "warning",
                                    f"flattened request table row {label!r} appears twice; "
                                    "the first is kept"))
            continue
        rows[row.measure] = _Row(row, f"{group_label} {label}" if row.group else label, chunks)
    if not any(r.definition.role != "group" for r in rows.values()):
        return [], findings
    return _solve_request(t.text, rows, findings)


def _request_anchor(t: _Text, begin: int) -> re.Match | None:
    """The first 本年新收 row from `begin` that is preceded by the form's header."""
    row = request_row("requests_new")
    if row.needs not in t.squeezed:
        return None
    return next((m for m in row.pattern.finditer(t.squeezed, begin) if t.free(m.start())
                 and len(set(_REQUEST_HEADER.findall(t.squeezed, max(begin, m.start() - 300), m.start()))) > 1),
                None)


def _request_end(t: _Text, anchor: re.Match) -> int:
    stop = _REQUEST_END.search(t.squeezed, anchor.end(), anchor.start() + _MAX_TABLE)
    return stop.start() if stop else min(len(t.squeezed), anchor.start() + _MAX_TABLE)


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _solve_request(text: str, rows: dict[str, _Row],
                   findings: list[Finding]) -> tuple[list[Reading], list[Finding]]:
    """Cut every row, narrow the cuts by the identities, and read the cells that are certain."""
    budget = flatsolve.Budget()
    # Short rows first: they are cheap and most of the table, so a table that exhausts the search
    # budget loses only its longest rows.
    for row in sorted(rows.values(), key=lambda r: sum(len(c.text) for c in r.chunks)):
        row.candidates = flatsolve.row_candidates(row.chunks, (7,), sums=True, budget=budget)
        if not row.candidates:
            findings.append(Finding("flat_split_ambiguous" if row.candidates is None else "flat_split_failed",
                                    "warning",
                                    f"flattened request row {row.label}: {_evidence(text, row.chunks)!r} "
                                    + ("has too many possible cuts into 7 cells; not read"
                                       if row.candidates is None
                                       else "cannot be cut into 7 cells that add up; not read")))
    grouped = {r.definition.group for r in rows.values()
               if r.definition.role == "leaf" and r.definition.group}
    leaves = [m for m, r in rows.items()
              if r.definition.role == "leaf" or (r.definition.role == "group" and m not in grouped)]
    subtotals = {m: [x for x, r in rows.items() if r.definition.group == m]
                 for m, r in rows.items() if r.definition.role == "group" and m in grouped}
    request_identities = identities.request_identities(leaves, subtotals)
    domains = {m: [flatsolve.values(c) for c in (r.candidates or [])] for m, r in rows.items()}
    narrowed, broken = flatsolve.resolve(domains, [i.equation for i in request_identities], budget)
    if broken:
        names = "; ".join(i.name for i in request_identities if i.equation in broken)
        findings.append(Finding("flat_identities_broken", "info",
                                f"flattened request table: the identities ({names}) cannot all hold "
                                "together; cells were split using those that can"))
    readings = []
    for measure, row in rows.items():
        keep = [c for c in (row.candidates or []) if flatsolve.values(c) in set(narrowed.get(measure, []))]
        cells = flatsolve.agreed(keep)
        evidence_start, evidence_end = _row_span(row.chunks)
        unsure = [APPLICANT_LABELS_ZH[b] for b, piece in zip(APPLICANT_BREAKDOWNS, cells) if piece is None]
        if unsure and keep:
            findings.append(Finding("flat_split_ambiguous", "warning",
                                    f"flattened request row {row.label}: {_evidence(text, row.chunks)!r} "
                                    f"splits {len(keep)} ways consistent with the identities; "
                                    f"{', '.join(unsure)} left empty"))
        for breakdown, piece in zip(APPLICANT_BREAKDOWNS, cells):
            if piece is not None:
                readings.append(Reading(measure, breakdown, float(piece.value), "",
                                        f"{row.label} / {APPLICANT_LABELS_ZH[breakdown]}",
                                        text[evidence_start:evidence_end], evidence_start, evidence_end,
                                        row.definition.role))
    return readings, findings


def _evidence(text: str, chunks: list[Chunk]) -> str:
    s, e = _row_span(chunks)
    return text[s:e]


def read_review(doc: Document, skip: list[tuple[int, int]]) -> tuple[list[Reading], list[Finding]]:
    """Readings of the review/litigation row flattened into `doc.text`.

    The header of the form lists the 15 leaves in the form's order (行政复议 ×5, 未经复议直接起诉 ×5,
    复议后起诉 ×5); the figures follow the last header label.
    """
    t = _prepare(doc, skip)
    anchor = next((m for m in _REVIEW_ANCHOR.finditer(t.squeezed) if t.free(m.start())), None)
    if anchor is None:
        return [], []
    opening = [m.start() for m in _REVIEW_START.finditer(t.squeezed, max(0, anchor.start() - 200),
                                                         anchor.start())]
    if not opening:
        return [], []
    labels = non_overlapping(find_keys("review_leaf", t.squeezed, anchor.end(), anchor.end() + 200)
                             + find_keys("review_block", t.squeezed, anchor.end(), anchor.end() + 200))
    pos = anchor.end()
    for s, e, _key in labels:  # the header runs on while labels follow each other ("结果" between them)
        if s - pos > 4 or any(ch.isdigit() for ch in t.squeezed[pos:s]):
            break
        pos = e
    # The header must name the form's blocks and leaves; their order cannot be checked, since PDF
    # text interleaves the wrapped header cells, and the figures follow the form's order.
    named = {k for _s, _e, k in find_keys("review_leaf", t.squeezed, opening[-1], pos)
             + find_keys("review_block", t.squeezed, opening[-1], pos)}
    if not named >= set(REVIEW_LEAVES) | {"litigation_direct", "litigation_after_review"}:
        return [], [Finding("template_columns_unknown", "warning",
                            "flattened review table header does not name the form's columns; not read")]
    chunks, _units = row_figures(t.text, t.after(pos), t.original(min(pos + 80, len(t.squeezed))))
    if not chunks:
        return [], []
    candidates = flatsolve.row_candidates(chunks, (5, 5, 5), sums=True)
    cells = flatsolve.agreed(candidates or [])
    evidence = _evidence(t.text, chunks)
    s, e = _row_span(chunks)
    measures = [(block, leaf) for block in REVIEW_BLOCKS for leaf in REVIEW_LEAVES]
    findings = []
    if not cells or any(p is None for p in cells):
        findings.append(Finding("flat_split_ambiguous", "warning",
                                f"flattened review row {evidence!r}: no unique split into 15 cells whose "
                                "blocks add up; ambiguous cells left empty"))
    readings = [Reading(f"{block}_{leaf}", "", float(piece.value), "",
                        f"{REVIEW_BLOCK_LABELS[block]} {REVIEW_LEAF_LABELS[leaf]}", evidence, s, e)
                for (block, leaf), piece in zip(measures, cells) if piece is not None]
    return readings, findings


def read_proactive(doc: Document, skip: list[tuple[int, int]]) -> tuple[list[Reading], list[Finding]]:
    """Readings of the proactive-disclosure blocks (第二十条第（…）项) flattened into `doc.text`."""
    t = _prepare(doc, skip)
    anchors = [m for m in _PROACTIVE_BLOCK.finditer(t.squeezed) if t.free(m.start())]
    readings: list[Reading] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    for k, anchor in enumerate(anchors):
        limit = anchors[k + 1].start() if k + 1 < len(anchors) else min(len(t.squeezed), anchor.end() + 400)
        stop = _PROACTIVE_END.search(t.squeezed, anchor.end(), limit)
        end = stop.start() if stop else limit
        columns = find_keys("proactive_column", t.squeezed, anchor.end(), end)
        items = find_keys("proactive_item", t.squeezed, anchor.end(), end)
        items = [h for h in items if h[0] >= (columns[-1][1] if columns else end)]
        header = [(key, t.squeezed[s:e]) for s, e, key in columns if s < (items[0][0] if items else end)]
        if not header or not items:
            continue
        for i, (s, e, item) in enumerate(items):
            nxt = items[i + 1][0] if i + 1 < len(items) else end
            chunks, units = row_figures(t.text, t.after(e), t.original(nxt), signed_decimal=True)
            if not chunks:
                continue
            label = t.squeezed[s:e]
            splits = flatsolve.row_candidates(chunks, (len(header),), sums=False, signed_decimal=True) or []
            if len(splits) > 1:
                splits = _confirmed_by_prose(t, item, [kind for kind, _ in header], splits,
                                             (t.original(anchors[0].start()), t.original(end)))
            cells = flatsolve.agreed(splits)
            if not cells or any(p is None for p in cells):
                findings.append(Finding("flat_split_ambiguous", "warning",
                                        f"flattened proactive row {label} {_evidence(t.text, chunks)!r}: "
                                        f"{'no' if not splits else len(splits)} ways to cut it into "
                                        f"{len(header)} cells; ambiguous cells left empty"))
            rs, re_ = _row_span(chunks)
            for (kind, htext), piece in zip(header, cells):
                measure = proactive_measures().get((item, kind))
                if piece is None or measure is None or measure in seen:
                    continue
                seen.add(measure)
                unit = _unit_of(piece, chunks, units) or unit_in(htext)
                readings.append(Reading(measure, "", float(piece.value),
                                        unit if measure in ("fees_amount", "procurement_amount") else "",
                                        f"{label} / {htext}", t.text[rs:re_], rs, re_))
    return readings, findings


def _confirmed_by_prose(t: _Text, item: str, kinds: list[str], splits: list[flatsolve.Split],
                        table: tuple[int, int]) -> list[flatsolve.Split]:
    """The cuts of an ambiguous proactive row that agree with what the report's prose says.

    Reports often restate the table in prose ("集中公开现行有效行政规范性文件698件，…本年度制发的规范性
    文件88件"). A figure stated in a sentence about the row's item, in a clause about one of its
    columns, must be that column's cell. The table itself is never overruled: when no cut agrees,
    the row stays ambiguous; when several do, the caller still leaves the disagreeing cells empty.
    """
    stated: dict[str, set[float]] = {}
    named = key_pattern("proactive_item", item)
    for sentence in _SENTENCE.finditer(t.text):
        if sentence.start() < table[1] and sentence.end() > table[0]:
            continue
        # The sentence without whitespace, cut from the squeezed text; most sentences do not name
        # the item at all and are passed over before all the item labels are looked for.
        squeezed = t.squeezed[bisect.bisect_left(t.offsets, sentence.start()):
                              bisect.bisect_left(t.offsets, sentence.end())]
        if not named.search(squeezed) or item not in {key for _s, _e, key in find_keys("proactive_item", squeezed)}:
            continue
        for clause in _CLAUSE.split(sentence.group()):
            kind = match_key("proactive_prose", clause)
            if kind in kinds:
                stated.setdefault(kind, set()).update(float(v) for v in _STATED_FIGURE.findall(clause))
    keep = [split for split in splits
            if all(piece.value in stated[kind] for kind, piece in zip(kinds, split) if stated.get(kind))]
    return keep if stated and keep else splits


def _unit_of(piece: Piece, chunks: list[Chunk], units: dict[int, str]) -> str:
    """The currency unit printed right after `piece`, if any."""
    for index, unit in units.items():
        chunk = chunks[index]
        if piece.end == chunk.start + len(chunk.text):
            return unit
    return ""
