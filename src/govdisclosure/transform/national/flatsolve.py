"""Split the digit runs of a flattened table back into cells, using only what the table guarantees.

When a crawler strips the tags of a template table, adjacent cells run together: the request row
71|3|0|0|0|0|74 becomes "713000074". Nothing in the characters says where one cell ends; what does
say it are the identities a correct table satisfies. This module is therefore a small constraint
solver, kept free of any notion of documents or labels so that it can be tested and timed alone:

1. `row_candidates` lists the ways one row's chunks (runs separated by spaces or dashes, which are
   hard cell boundaries) can be cut into the row's cells. A row that can be cut only one way is
   taken as printed, even if its own sum is wrong (that is a finding, not a reason to reject it);
   otherwise only the cuts whose groups add up (parts = total) are kept.
2. `resolve` narrows those candidates with linear identities between rows (一 + 二 = （七）+ 四, …)
   by generalised arc consistency: each identity is a sum of row vectors that must vanish, checked
   with a forward/backward pass over the reachable partial sums. This never removes a cut that
   belongs to some complete solution, so whatever the caller reads off the narrowed candidates is
   certain; when the printed table breaks an identity, the identities that still hold are used.
3. `agreed` keeps a cell only where every remaining candidate agrees. The rest is ambiguous and the
   caller must leave it empty: a guessed number is worse than a missing one.

Every search is bounded (`MAX_SPLITS` cuts per row, `MAX_STEPS` search steps per table through a
shared `Budget`, `MAX_STATES` partial sums per identity pass): past a bound a row or an identity is
treated as giving no information, which can only make the result more conservative, and a whole
2021 table costs at most some tens of milliseconds (``benchmarks/bench_flatsolve.py``).

This module is long because the three steps are one solver: they share the split and vector types,
the search budget and the bounds above, and a row's candidates are only meaningful to the
consistency pass written for them; split in two, each half would reach into the other's internals.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cache

#: Single characters that a template table prints for zero ("-", "—", "/", "无").
ZERO_MARKS = frozenset("-—–－/／无")
#: More cuts of one row than this and the row is treated as unreadable (it cannot be unique anyway).
MAX_SPLITS = 20_000
#: More partial sums than this at one row of an identity pass and the pass is skipped (the identity
#: then narrows column by column only).
MAX_STATES = 5_000
#: Partial sums that all identity passes of one table may compute together (about 1 µs each).
MAX_TABLE_STATES = 3_000
#: Widest range of sums a column pass handles as a bit set (wider ones skip the column pass).
MAX_BITS = 2_000_000
#: Search steps allowed to cut the rows of one table by their sums (about 3 µs each); rows still
#: uncut when they run out are treated as unreadable. A county or city table needs one or two
#: thousand, a table of five-digit figures printed without any space up to about 17 000.
MAX_STEPS = 12_000
#: No cell of a request or review row has more digits: ten million requests is more than the whole
#: country receives in a year.
MAX_CELL_DIGITS = 7

_INT = re.compile(r"0|[1-9]\d*")
_NUMBER = re.compile(r"[+-]?(?:0|[1-9]\d*)(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of characters between hard boundaries: one or more adjacent cells.

    Attributes:
        text: digits (with a leading sign or a decimal point where the table allows them), or a
            single zero mark from `ZERO_MARKS`.
        start: offset of `text` in the document text.
    """

    text: str
    start: int

    @property
    def is_zero_mark(self) -> bool:
        return len(self.text) == 1 and self.text in ZERO_MARKS


@dataclass(frozen=True, slots=True)
class Piece:
    """One cell of a split: its value and where its characters are."""

    value: float
    start: int
    end: int


Split = tuple[Piece, ...]
Vector = tuple[float, ...]
Equation = tuple[tuple[Hashable, ...], tuple[Hashable, ...]]


def values(split: Split) -> Vector:
    """The cell values of a split, as a vector."""
    return tuple(p.value for p in split)


class _TooHard(Exception):
    """A search went past its bound (`MAX_STEPS`, `MAX_STATES`); its result is not used."""


@dataclass
class Budget:
    """What one table may still spend, shared by its rows and identities so its cost is bounded.

    Attributes:
        steps: search steps for cutting rows by their sums (`MAX_STEPS`).
        states: partial sums for narrowing rows by the identities (`MAX_TABLE_STATES`).
    """

    steps: int = MAX_STEPS
    states: int = MAX_TABLE_STATES


def _valid(text: str, signed_decimal: bool) -> bool:
    return bool((_NUMBER if signed_decimal else _INT).fullmatch(text))


def _piece(chunk: Chunk, a: int, b: int) -> Piece:
    if chunk.is_zero_mark:
        return Piece(0, chunk.start, chunk.start + 1)
    text = chunk.text[a:b]
    value = float(text) if "." in text else int(text)
    return Piece(value, chunk.start + a, chunk.start + b)


def _ways(chunks: Sequence[Chunk], signed_decimal: bool, cap: int) -> Callable[[int, int, int], int]:
    """How many ways the chunks can be cut into well-formed cells (no leading zeros), as a function.

    ``ways(ci, pos, left)`` counts, up to `cap`, the cuts of the chunks from chunk `ci`, character
    `pos` on, into `left` cells. It is memoised, so that the walk of `all_splits` can ask it at
    every step whether a state leads anywhere. Callers only ask whether there is one way, or more
    than a limit, so counting stops at `cap`.
    """
    texts = tuple(c.text for c in chunks)
    chars_after = [sum(len(t) for t in texts[i:]) for i in range(len(texts) + 1)]

    @cache
    def ways(ci: int, pos: int, left: int) -> int:
        if ci == len(texts):
            return int(left == 0)
        if not len(texts) - ci <= left <= chars_after[ci] - pos:
            return 0  # every chunk needs a cell, every cell a character
        text = texts[ci]
        if len(text) == 1 and text in ZERO_MARKS:
            return ways(ci + 1, 0, left - 1)
        total = 0
        for end in range(pos + 1, len(text) + 1):
            if signed_decimal and not _valid(text[pos:end], True):
                continue
            total += ways(ci + 1, 0, left - 1) if end == len(text) else ways(ci, end, left - 1)
            if total >= cap or (not signed_decimal and text[pos] == "0"):
                break  # enough counted, or a cell starting with 0 is that single 0
        return min(total, cap)

    return ways


def all_splits(chunks: Sequence[Chunk], n_cells: int, *, signed_decimal: bool = False,
               limit: int = MAX_SPLITS) -> list[Split] | None:
    """Every cut of `chunks` into `n_cells` well-formed cells, or None when there are more than `limit`.

    Args:
        chunks: the row's runs, in order.
        n_cells: how many cells the row has.
        signed_decimal: cells may carry a sign (at the start of a chunk) and a decimal part.
        limit: give up beyond this many cuts.
    """
    if len(chunks) == n_cells:  # a row printed with a boundary between every cell: one cut or none
        if all(c.is_zero_mark or _valid(c.text, signed_decimal) for c in chunks):
            return [tuple(_piece(c, 0, len(c.text)) for c in chunks)]
        return []
    return _enumerate(chunks, n_cells, signed_decimal, _ways(chunks, signed_decimal, limit + 1), limit)


def _enumerate(chunks: Sequence[Chunk], n_cells: int, signed_decimal: bool, ways: Callable[[int, int, int], int],
               limit: int) -> list[Split] | None:
    """`all_splits` with the counter already built (its cap above `limit`)."""
    if ways(0, 0, n_cells) > limit:
        return None
    out: list[Split] = []

    def walk(ci: int, pos: int, acc: tuple[Piece, ...]) -> None:
        # Only into states the count found a way out of (a well-formed cell is always one the count
        # allows), so the walk costs what it finds rather than every dead end.
        if ci == len(chunks):
            if len(acc) == n_cells:
                out.append(acc)
            return
        left = n_cells - len(acc) - 1
        chunk = chunks[ci]
        if chunk.is_zero_mark:
            if ways(ci + 1, 0, left):
                walk(ci + 1, 0, acc + (_piece(chunk, 0, 1),))
            return
        for end in range(pos + 1, len(chunk.text) + 1):
            after = (ci + 1, 0) if end == len(chunk.text) else (ci, end)
            if ways(*after, left) and _valid(chunk.text[pos:end], signed_decimal):
                walk(*after, acc + (_piece(chunk, pos, end),))

    walk(0, 0, ())
    return out


def sum_splits(chunks: Sequence[Chunk], groups: Sequence[int], limit: int = MAX_SPLITS,
               budget: Budget | None = None) -> list[Split] | None:
    """The cuts of `chunks` into consecutive groups whose last cell is the sum of the others.

    A request row is one group of 7 (six applicant columns, then 总计); the review row is three
    groups of 5 (维持, 纠正, 其他, 尚未审结, 总计). Cells are non-negative integers without leading
    zeros. The search fixes each group's total first (a stretch of digits ending the group) and then
    cuts what precedes it into parts that add up to that total: no part can be longer than the
    total, and the parts' characters must fit between one and len(total) per part, which prunes
    almost everything; a memo on (span, parts, remainder) keeps the rest polynomial.

    Returns:
        The cuts, or None when there are more than `limit` (the row is then too ambiguous to use) or
        the `budget` ran out.
    """
    budget = budget or Budget()
    if any(not (c.is_zero_mark or c.text.isdigit()) for c in chunks):
        return []
    digits = "".join("0" if c.is_zero_mark else c.text for c in chunks)
    where: list[tuple[int, int]] = []  # flat position -> (chunk index, offset in chunk)
    next_hard: list[int] = []  # flat position -> the end of the chunk it is in
    for ci, c in enumerate(chunks):
        end = len(where) + len(c.text)
        where += [(ci, k) for k in range(len(c.text))]
        next_hard += [end] * len(c.text)
    n = len(digits)
    # A number is congruent to the sum of its digits modulo 9, so however a stretch is cut, its
    # cells add up to its digit sum modulo 9: a group's total must agree, which rules out most
    # candidate totals before any search.
    digit_sum = [0]
    for ch in digits:
        digit_sum.append(digit_sum[-1] + int(ch))

    # values_at[a][b - a]: the value of digits[a:b] as one cell, None where it is not one (it
    # crosses a chunk boundary or keeps a leading zero). No cell is longer than half the row (plus
    # one), since a total is at least as long as each of its parts, nor than MAX_CELL_DIGITS.
    longest_cell = min((n - min(groups)) // 2 + 2, MAX_CELL_DIGITS)
    values_at = [[None] + [int(digits[a:b]) if digits[a] != "0" or b == a + 1 else None
                           for b in range(a + 1, min(next_hard[a], a + longest_cell) + 1)] for a in range(n)]

    def cell(a: int, b: int) -> int | None:
        """The value of digits[a:b] as one cell, or None when it is not one."""
        row = values_at[a]
        return row[b - a] if b - a < len(row) else None

    steps = budget.steps  # counted down here and written back: the innermost loop stays cheap

    @cache
    def parts(a: int, b: int, k: int, rest: int) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Cuts of digits[a:b] into `k` cells adding up to `rest`."""
        nonlocal steps
        steps -= 1
        if steps < 0:
            raise _TooHard
        width, chars = len(str(rest)), b - a
        if k == 1:
            return (((a, b),),) if chars <= width and cell(a, b) == rest else ()
        # k cells of `chars` digits add up to less than one cell as long as possible plus k-1 nines,
        # and, unless all are single digits, to at least their longest cell (ceil(chars/k) digits,
        # no leading zero).
        longest = -(-chars // k)
        if not k <= chars <= k * width or rest >= 10 ** (chars - k + 1) + 9 * (k - 1) \
                or (longest > 1 and rest < 10 ** (longest - 1)):
            return ()
        out = []
        for e in range(a + 1, min(b - k + 1, a + width) + 1):
            value = cell(a, e)
            if value is None or value > rest:
                break  # longer pieces cross the chunk, keep a leading zero, or are larger still
            if k == 2:  # the last cell is fixed: no need to recurse for it
                if b - e <= width and cell(e, b) == rest - value:
                    out.append(((a, e), (e, b)))
            else:
                out += [((a, e),) + tail for tail in parts(e, b, k - 1, rest - value)]
        return tuple(out)

    found: list[tuple[tuple[int, int], ...]] = []

    def walk(a: int, gi: int, acc: tuple[tuple[int, int], ...]) -> bool:
        """Extend `acc` from position `a` with group `gi` onward; False once past `limit`."""
        if gi == len(groups):
            if a == n:
                found.append(acc)
            return len(found) <= limit
        size = groups[gi]
        later = sum(groups[gi + 1:])
        for end in ([n] if gi == len(groups) - 1 else range(a + size, n - later + 1)):
            for start in range(a + size - 1, end):
                total = cell(start, end)
                if total is None or (total - digit_sum[start] + digit_sum[a]) % 9:
                    continue
                for cut in parts(a, start, size - 1, total):
                    if not walk(end, gi + 1, acc + cut + ((start, end),)):
                        return False
        return True

    try:
        complete = walk(0, 0, ())
    except _TooHard:
        complete = False
    budget.steps = steps
    parts.cache_clear()
    if not complete:
        return None
    return [tuple(_piece(chunks[where[a][0]], where[a][1], where[a][1] + b - a) for a, b in cut)
            for cut in found]


def row_candidates(chunks: Sequence[Chunk], groups: Sequence[int], *, sums: bool,
                   signed_decimal: bool = False, budget: Budget | None = None) -> list[Split] | None:
    """The cuts worth considering for one row.

    A row that can be cut only one way is returned as that one cut, whether or not it adds up (a
    printed table that breaks its own sum is reported by the checks, not silently dropped). Other
    rows keep only the cuts whose groups add up when `sums` is set, or every cut otherwise.

    Returns:
        The candidate cuts (possibly empty: nothing fits), or None when there are too many to use.
    """
    n_cells = sum(groups)
    if len(chunks) >= n_cells or not sums:  # one cut at most (each chunk a cell), or every cut wanted
        return all_splits(chunks, n_cells, signed_decimal=signed_decimal)
    ways = _ways(chunks, signed_decimal, MAX_SPLITS + 1)
    if ways(0, 0, n_cells) <= 1:
        return _enumerate(chunks, n_cells, signed_decimal, ways, MAX_SPLITS)
    return sum_splits(chunks, groups, budget=budget)


def _column_support(options: list[list[int]], offset: int, budget: Budget) -> list[list[bool]] | None:
    """Which option of each term takes part in a choice (one per term) that sums, with `offset`, to 0.

    One column of one identity: plain integers. The sets of reachable partial sums are kept as the
    bits of a Python integer (bit i: partial sum i - base), so a whole set moves with one shift;
    `need[i]` holds the partial sums before term i that the remaining terms can bring to zero.

    Raises:
        _TooHard: the sums span too wide a range for bit sets, or the budget ran out.
    """
    base = max(0, -offset) + sum(max(0, -min(o)) for o in options)
    if base + max(0, offset) + sum(max(0, max(o)) for o in options) > MAX_BITS:
        raise _TooHard
    budget.states -= sum(len(o) for o in options) * 2
    if budget.states < 0:
        raise _TooHard

    def shift(bits: int, v: int) -> int:
        return bits << v if v >= 0 else bits >> -v

    forward = [1 << (offset + base)]
    for opts in options:
        reach = 0
        for v in opts:
            reach |= shift(forward[-1], v)
        forward.append(reach)
    if not (forward[-1] >> base) & 1:
        return None
    need = [0] * len(options) + [1 << base]
    for i in range(len(options) - 1, -1, -1):
        for v in options[i]:
            need[i] |= shift(need[i + 1], -v)
    return [[bool(shift(forward[i], v) & need[i + 1]) for v in opts] for i, opts in enumerate(options)]


def _row_support(terms: list[list[Vector]], offset: Vector, budget: Budget) -> list[list[bool]] | None:
    """Which candidate row of each term takes part in a choice that sums, with `offset`, to zero.

    Whole rows, so the columns are tied together: a forward pass collects the partial sums
    reachable after each term, a backward pass the partial sums from which the remaining terms
    reach zero; sums the remaining terms' bounds cannot bring back to zero are dropped.

    Raises:
        _TooHard: more than `MAX_STATES` partial sums at one term, or the budget ran out.
    """
    n, width = len(terms), len(terms[0][0])
    low = [[min(v[c] for v in t) for c in range(width)] for t in terms]
    high = [[max(v[c] for v in t) for c in range(width)] for t in terms]
    suf_lo, suf_hi = [[0] * width], [[0] * width]
    for i in range(n - 1, -1, -1):
        suf_lo.insert(0, [a + b for a, b in zip(low[i], suf_lo[0])])
        suf_hi.insert(0, [a + b for a, b in zip(high[i], suf_hi[0])])
    pre_lo, pre_hi = [list(offset)], [list(offset)]
    for i in range(n):
        pre_lo.append([a + b for a, b in zip(pre_lo[-1], low[i])])
        pre_hi.append([a + b for a, b in zip(pre_hi[-1], high[i])])

    def step(states: set[Vector], options: list[Vector], lo: list[int], hi: list[int]) -> set[Vector]:
        out: set[Vector] = set()
        for state in states:
            budget.states -= len(options)
            if budget.states < 0:
                raise _TooHard
            for v in options:
                nxt = tuple(a + b for a, b in zip(state, v))
                if all(lo[c] <= -nxt[c] <= hi[c] for c in range(width)):
                    out.add(nxt)
            if len(out) > MAX_STATES:
                raise _TooHard
        return out

    forward = [{tuple(offset)}]
    for i in range(n):
        states = step(forward[-1], terms[i], suf_lo[i + 1], suf_hi[i + 1])
        if not states:
            return None
        forward.append(states)
    backward: list[set[Vector]] = [set() for _ in range(n + 1)]
    backward[n] = {(0,) * width}
    for i in range(n - 1, 0, -1):
        backward[i] = step(backward[i + 1], terms[i], pre_lo[i], pre_hi[i])
    return [[any(tuple(-(a + b) for a, b in zip(f, v)) in backward[i + 1] for f in forward[i])
             for v in terms[i]] for i in range(n)]


def _narrow_equation(domains: dict[Hashable, list[Vector]], plus: Sequence[Hashable],
                     minus: Sequence[Hashable], budget: Budget) -> dict[Hashable, list[Vector]] | None:
    """Keep, for every row in one identity, the candidates that take part in some solution of it.

    The identity holds column by column, so each column is narrowed on its own first (sums of
    single numbers: cheap, and usually enough to settle every row); only rows still undecided go
    through the pass over whole rows, which is exact but costs more. A pass that is too costly is
    skipped: the result is then weaker, never wrong.

    Returns:
        The narrowed domains of the identity's rows, or None when the identity has no solution.
    """
    keys = list(plus) + list(minus)
    signs = [1] * len(plus) + [-1] * len(minus)
    current = {key: list(domains[key]) for key in keys}
    width = len(current[keys[0]][0])
    for c in range(width):
        options = {key: sorted({int(sign * v[c]) for v in current[key]}) for key, sign in zip(keys, signs)}
        fixed = sum(vals[0] for vals in options.values() if len(vals) == 1)
        open_keys = [key for key in keys if len(options[key]) > 1]
        if not open_keys:
            if fixed:
                return None
            continue
        try:
            flags = _column_support([options[key] for key in open_keys], fixed, budget)
        except _TooHard:
            continue
        if flags is None:
            return None
        for key, f in zip(open_keys, flags):
            allowed = {x for x, ok in zip(options[key], f) if ok}
            sign = signs[keys.index(key)]
            current[key] = [v for v in current[key] if sign * v[c] in allowed]
    open_rows = [i for i, key in enumerate(keys) if len(current[key]) > 1]
    if not open_rows:
        return current
    fixed_rows = tuple(sum(signs[i] * current[keys[i]][0][c] for i in range(len(keys)) if i not in open_rows)
                       for c in range(width))
    try:
        flags = _row_support([[tuple(signs[i] * x for x in v) for v in current[keys[i]]] for i in open_rows],
                             fixed_rows, budget)
    except _TooHard:
        return current
    if flags is None:
        return None
    for i, f in zip(open_rows, flags):
        current[keys[i]] = [v for v, ok in zip(current[keys[i]], f) if ok]
    return current


def _arc_consistent(domains: dict[Hashable, list[Vector]], equations: Sequence[Equation],
                    budget: Budget) -> dict[Hashable, list[Vector]] | None:
    """Narrow `domains` by every identity until nothing changes; None when they cannot all hold."""
    domains = {key: list(dict.fromkeys(vecs)) for key, vecs in domains.items()}
    changed = True
    while changed:
        changed = False
        for plus, minus in equations:
            narrowed = _narrow_equation(domains, plus, minus, budget)
            if narrowed is None:
                return None
            for key, keep in narrowed.items():
                if len(keep) < len(domains[key]):
                    domains[key] = keep
                    changed = True
    return domains


def resolve(domains: dict[Hashable, list[Vector]], equations: Sequence[Equation],
            budget: Budget | None = None) -> tuple[dict[Hashable, list[Vector]], list[Equation]]:
    """Narrow each row's candidate vectors (integers) by the identities between rows.

    Identities that mention a row without candidates are ignored. When the identities cannot all
    hold together (the printed table breaks one), the largest subsets that can are used and their
    results pooled, so that a broken identity never eliminates the true reading.

    Args:
        domains: row key -> the row's candidate value vectors (all of the same length).
        equations: (plus rows, minus rows): the sum of the plus rows equals the sum of the minus rows.
        budget: the table's search budget (its ``states``); passes past it are skipped.

    Returns:
        The narrowed domains (every key of `domains`), and the identities that could not be used
        together with the others (empty when all hold).
    """
    budget = budget or Budget()
    usable = [eq for eq in equations if all(domains.get(k) for k in (*eq[0], *eq[1]))]
    for size in range(len(usable), -1, -1):
        pooled: dict[Hashable, list[Vector]] = {}
        held: list[tuple[Equation, ...]] = []
        for subset in itertools.combinations(usable, size):
            narrowed = _arc_consistent(domains, subset, budget)
            if narrowed is not None:
                held.append(subset)
                pooled = {k: list(dict.fromkeys(pooled.get(k, []) + narrowed[k])) for k in narrowed}
        if held:
            return pooled, [eq for eq in usable if not all(eq in subset for subset in held)]
    raise AssertionError("the empty set of identities always holds")


def agreed(splits: Sequence[Split]) -> list[Piece | None]:
    """Cell by cell, the piece every split agrees on (by value), or None where they differ.

    When all splits agree on a value but cut it from different characters, the first split's
    characters are kept: the value is certain, and the caller quotes the whole row as evidence.
    """
    if not splits:
        return []
    out: list[Piece | None] = []
    for i, piece in enumerate(splits[0]):
        out.append(piece if all(s[i].value == piece.value for s in splits[1:]) else None)
    return out
