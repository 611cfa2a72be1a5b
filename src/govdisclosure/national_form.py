"""The rows and columns of the national tables, read from data files, and how to match their labels.

Rows and columns of the three template tables are recognised by what they say, never by where they
sit: provinces add rows, PDFs wrap header cells character by character, 2021 reports reuse 2019
headers. The vocabularies live in CSV files next to `measures.csv` so that a new wording seen in the
wild is a one-line data change rather than a new branch in the code:

- ``template_request_rows.csv``: every row of the request table, its measure, its role (``top``
  rows 一/二/四, outcome ``leaf`` rows, ``group`` headings （三）–（六）, the ``total`` row （七）) and
  the group a leaf belongs to (for the derived group totals of docs/coding_rules.md).
- ``template_columns.csv``: applicant columns, the blocks and leaves of the review table, and the
  items and columns of the proactive table.
- ``template_proactive.csv``: which measure an (item, column) pair of the proactive table is.

Patterns are regular expressions over text with all whitespace removed (a label wrapped inside a
cell or across lines reads the same). Writing them is kept simple: outside character classes a
Chinese bracket also matches its ASCII twin, ``、`` matches ``.``/``．`` and ``\\.`` matches ``、``/``．``,
because the reports use all of these for the same enumeration.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from govdisclosure.whitespace import squeeze

_EQUIVALENTS = {"（": "[（(]", "）": "[）)]", "、": "[、.．]"}


def _compile(pattern: str) -> re.Pattern[str]:
    """Compile a data-file pattern, widening brackets and enumeration marks outside classes."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            pair = pattern[i:i + 2]
            out.append("[.．、]" if pair == r"\." and not in_class else pair)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        elif not in_class and ch in _EQUIVALENTS:
            ch = _EQUIVALENTS[ch]
        out.append(ch)
        i += 1
    return re.compile("".join(out))


def required_text(pattern: str) -> str:
    """The longest run of plain characters that every match of a data-file `pattern` contains ("" if none).

    A scan for a label whose pattern opens with an optional part (``(?:一、)?本年新收…``) tries the
    pattern at every position of the report; asking first whether the text contains the run
    (``本年新收``) is a fast string search, and most reports are prose without the table.
    """
    runs, run, depth, i = [], "", 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "|" and depth == 0:
            return ""  # alternatives at the top: no run is certain
        if ch in "?*+{":
            run = run[:-1]  # a quantifier makes the character before it optional or repeated
        if depth == 0 and (ch.isalnum() and ch not in _EQUIVALENTS):
            run += ch
        else:
            runs.append(run)
            run = ""
        if ch == "\\":
            i += 1
        elif ch == "{":
            i = pattern.index("}", i)
        elif ch == "[":
            i = pattern.index("]", i + 2 if pattern.startswith("[]", i) else i + 1)
        depth += (ch == "(") - (ch == ")")
        i += 1
    return max([*runs, run], key=len)


def _read(name: str) -> list[dict[str, str]]:
    with resources.files("govdisclosure").joinpath(f"data/{name}").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class RequestRow:
    """One row of the request table as described in ``template_request_rows.csv``.

    Attributes:
        measure: the measure code of the row (for a group heading: of its group total).
        role: ``top``, ``leaf``, ``group`` or ``total``.
        group: for a leaf inside （三）–（六）, the measure of its group; else "".
        label: the label as the national form prints it (for messages and derived facts).
        pattern: the compiled label pattern.
        needs: text that every label the pattern matches contains (see `required_text`).
    """

    measure: str
    role: str
    group: str
    label: str
    pattern: re.Pattern[str]
    needs: str


@cache
def request_rows() -> tuple[RequestRow, ...]:
    """Every request-table row definition, in template order."""
    return tuple(RequestRow(r["measure"], r["role"], r["group"], r["label"], _compile(r["pattern"]),
                            required_text(r["pattern"]))
                 for r in _read("template_request_rows.csv"))


@cache
def request_row(measure: str) -> RequestRow:
    """The definition of the request row whose measure is `measure`."""
    return next(row for row in request_rows() if row.measure == measure)


@cache
def group_members() -> dict[str, tuple[str, ...]]:
    """Group measure -> the measures of its printed sub-rows, in template order."""
    out: dict[str, list[str]] = {}
    for row in request_rows():
        if row.group:
            out.setdefault(row.group, []).append(row.measure)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _columns() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    out: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for r in _read("template_columns.csv"):
        out.setdefault(r["table"], []).append((r["key"], _compile(r["pattern"])))
    return {k: tuple(v) for k, v in out.items()}


def match_key(vocabulary: str, text: str) -> str | None:
    """The first key of `vocabulary` (a ``table`` of template_columns.csv) whose pattern occurs in `text`."""
    squeezed = squeeze(text)
    for key, pattern in _columns()[vocabulary]:
        if pattern.search(squeezed):
            return key
    return None


def key_pattern(vocabulary: str, key: str) -> re.Pattern[str]:
    """The pattern of one `key` of `vocabulary` (a ``table`` of template_columns.csv)."""
    return next(pattern for k, pattern in _columns()[vocabulary] if k == key)


def find_keys(vocabulary: str, squeezed: str, start: int = 0,
              end: int | None = None) -> list[tuple[int, int, str]]:
    """Every non-overlapping occurrence of a `vocabulary` label in ``squeezed[start:end]``.

    Returns:
        (start, end, key) triples in text order; where labels overlap the earlier, then longer wins.
    """
    end = len(squeezed) if end is None else end
    hits = [(m.start(), m.end(), key) for key, pattern in _columns()[vocabulary]
            for m in pattern.finditer(squeezed, start, end) if m.end() > m.start()]
    return non_overlapping(hits)


def non_overlapping(hits: list[tuple[int, int, object]]) -> list:
    """Keep the earliest (then longest) of overlapping (start, end, payload) hits, in text order."""
    hits = sorted(hits, key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list = []
    for hit in hits:
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


@cache
def proactive_measures() -> dict[tuple[str, str], str]:
    """(item, column) of the proactive table -> measure code."""
    return {(r["item"], r["column"]): r["measure"] for r in _read("template_proactive.csv")}


#: The order of the cells in the review row of the national form: blocks, then leaves in each block.
REVIEW_BLOCKS = ("reconsideration", "litigation_direct", "litigation_after_review")
REVIEW_LEAVES = ("upheld", "corrected", "other", "pending", "total")
REVIEW_BLOCK_LABELS = {"reconsideration": "行政复议", "litigation_direct": "行政诉讼 未经复议直接起诉",
                       "litigation_after_review": "行政诉讼 复议后起诉"}
REVIEW_LEAF_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
                      "total": "总计"}
