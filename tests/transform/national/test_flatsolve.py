"""The split solver on its own: row cuts, identities between rows, ambiguity, bounds."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.transform.national import flatsolve
from govdisclosure.transform.national.flatsolve import Chunk, agreed, resolve, row_candidates, values


def chunks(*texts: str) -> list[Chunk]:
    """Chunks laid out as if separated by one space each."""
    out, pos = [], 0
    for text in texts:
        out.append(Chunk(text, pos))
        pos += len(text) + 1
    return out


def test_request_row_is_cut_by_its_sum():
    assert [values(s) for s in row_candidates(chunks("713000074"), (7,), sums=True)] == [(71, 3, 0, 0, 0, 0, 74)]


def test_spaces_are_cell_boundaries():
    assert [values(s) for s in row_candidates(chunks("230", "000023"), (7,), sums=True)] == [(23, 0, 0, 0, 0, 0, 23)]
    assert [values(s) for s in row_candidates(chunks("23", "0", "00", "0", "023"), (7,), sums=True)] == \
        [(23, 0, 0, 0, 0, 0, 23)]


def test_no_leading_zeros():
    assert [values(s) for s in row_candidates(chunks("0200002"), (7,), sums=True)] == [(0, 2, 0, 0, 0, 0, 2)]


def test_zero_marks_are_single_zero_cells():
    row = chunks("12", "—", "-", "/", "无", "3", "15")
    assert [values(s) for s in row_candidates(row, (7,), sums=True)] == [(12, 0, 0, 0, 0, 3, 15)]


def test_uniquely_cut_row_is_kept_even_when_it_does_not_add_up():
    # A printed table that breaks its own sum is a finding, not a reason to drop the row.
    assert [values(s) for s in row_candidates(chunks("1", "1", "0", "0", "0", "0", "5"), (7,), sums=True)] == \
        [(1, 1, 0, 0, 0, 0, 5)]


def test_row_that_cannot_add_up_has_no_candidates():
    assert row_candidates(chunks("99999999"), (7,), sums=True) == []


def test_review_row_blocks_each_add_up():
    got = row_candidates(chunks("1010210000000000"), (5, 5, 5), sums=True)
    assert [values(s) for s in got] == [(1, 0, 1, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)] or \
        all(sum(v[i:i + 4]) == v[i + 4] for s in got for v in [values(s)] for i in (0, 5, 10))


def test_proactive_row_without_identities_is_ambiguous_unless_unique():
    assert [values(s) for s in row_candidates(chunks("000"), (3,), sums=False)] == [(0, 0, 0)]
    ambiguous = row_candidates(chunks("8855698"), (3,), sums=False)
    assert len(ambiguous) == 15 and agreed(ambiguous) == [None, None, None]


def test_signs_and_decimals_in_proactive_cells():
    assert [values(s) for s in row_candidates(chunks("9116.36"), (1,), sums=False, signed_decimal=True)] == \
        [(9116.36,)]
    assert [values(s) for s in row_candidates(chunks("5", "-8", "12"), (3,), sums=False, signed_decimal=True)] == \
        [(5, -8, 12)]


def test_pieces_point_at_their_characters():
    (split,) = row_candidates(chunks("713000074"), (7,), sums=True)
    assert [(p.start, p.end) for p in split] == [(0, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 9)]


def test_identities_pick_the_split_that_rows_alone_cannot():
    # Two rows whose own sums allow two cuts each; only one pair makes a + b = c.
    domains = {"a": [(1, 10, 11), (11, 0, 11)], "b": [(2, 0, 2)], "c": [(3, 10, 13), (13, 0, 13)]}
    narrowed, broken = resolve(domains, [(("a", "b"), ("c",))])
    assert broken == []
    assert narrowed == {"a": [(1, 10, 11), (11, 0, 11)], "b": [(2, 0, 2)], "c": [(3, 10, 13), (13, 0, 13)]}
    narrowed, _ = resolve({**domains, "c": [(3, 10, 13)]}, [(("a", "b"), ("c",))])
    assert narrowed["a"] == [(1, 10, 11)]


def test_broken_identity_does_not_eliminate_the_truth():
    domains = {"a": [(1, 1, 2)], "b": [(5, 0, 5)], "x": [(1, 2, 3), (3, 0, 3)], "y": [(3, 0, 3)]}
    equations = [(("a",), ("b",)), (("x",), ("y",))]  # a = b is printed wrong
    narrowed, broken = resolve(domains, equations)
    assert broken == [(("a",), ("b",))]
    assert narrowed["x"] == [(3, 0, 3)]


def test_ambiguity_leaves_cells_empty():
    splits = row_candidates(chunks("1111"), (3,), sums=False)
    cells = agreed(splits)
    assert len(splits) == 3 and cells == [None, None, None]


def test_too_many_cuts_is_reported_as_unusable():
    assert flatsolve.all_splits(chunks("1" * 40), 12, limit=100) is None


def test_identity_with_too_many_partial_sums_is_skipped(monkeypatch):
    monkeypatch.setattr(flatsolve, "MAX_STATES", 1)
    domains = {"a": [(1,), (2,)], "b": [(1,), (2,)], "c": [(3,)]}
    narrowed, broken = resolve(domains, [(("a", "b"), ("c",))])
    assert narrowed == {"a": [(1,), (2,)], "b": [(1,), (2,)], "c": [(3,)]} and broken == []


def _render(cells: list[int], spaces: list[bool]) -> tuple[str, list[Chunk]]:
    text = ""
    for value, space in zip(cells, spaces):
        text += str(value) + (" " if space else "")
    out, pos = [], 0
    for part in text.split(" "):
        if part:
            out.append(Chunk(part, pos))
        pos += len(part) + 1
    return text, out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=6, max_size=6), st.lists(st.booleans(), min_size=7, max_size=7))
def test_every_candidate_adds_up_and_the_truth_is_among_them(parts, spaces):
    truth = tuple(parts) + (sum(parts),)
    _text, row = _render(list(truth), spaces)
    candidates = row_candidates(row, (7,), sums=True)
    assert candidates is not None
    found = [values(s) for s in candidates]
    assert truth in found
    if len(found) > 1:
        assert all(sum(v[:6]) == v[6] for v in found)
    cells = agreed(candidates)
    assert all(p is None or p.value == t for p, t in zip(cells, truth))


vectors = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=1, max_size=3, unique=True)


@settings(max_examples=150, deadline=None)
@given(st.lists(vectors, min_size=2, max_size=5), st.integers(1, 3))
def test_one_identity_keeps_exactly_the_candidates_of_some_solution(domains_list, n_plus):
    n_plus = min(n_plus, len(domains_list) - 1)
    keys = [f"r{i}" for i in range(len(domains_list))]
    domains = dict(zip(keys, domains_list))
    plus, minus = tuple(keys[:n_plus]), tuple(keys[n_plus:])
    solutions = [choice for choice in itertools.product(*domains_list)
                 if all(sum(v[c] for v in choice[:n_plus]) == sum(v[c] for v in choice[n_plus:]) for c in (0, 1))]
    narrowed, broken = resolve(domains, [(plus, minus)])
    if not solutions:
        assert broken == [(plus, minus)] and narrowed == {k: list(dict.fromkeys(v)) for k, v in domains.items()}
    else:
        assert broken == []
        assert {k: set(v) for k, v in narrowed.items()} == \
            {k: {choice[i] for choice in solutions} for i, k in enumerate(keys)}


def test_a_table_search_stops_at_its_budget():
    budget = flatsolve.Budget(steps=50)
    assert flatsolve.sum_splits(chunks("9" * 21), (7,), budget=budget) is None
    assert budget.steps < 0
    assert flatsolve.sum_splits(chunks("1000001"), (7,), budget=budget) is None  # nothing left for later rows
