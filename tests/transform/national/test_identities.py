"""Identity checks within one report (the national form's sums)."""

from __future__ import annotations

from govdisclosure.measures import APPLICANT_BREAKDOWNS
from govdisclosure.transform.national.identities import (
    check_request,
    check_review,
    request_identities,
)


def rows(**by_measure: tuple[int, ...]) -> dict[tuple[str, str], float]:
    return {(m, b): v for m, vals in by_measure.items() for b, v in zip(APPLICANT_BREAKDOWNS, vals)}


GOOD = rows(requests_new=(5, 1, 0, 0, 0, 0, 6), requests_carried_in=(1, 0, 0, 0, 0, 0, 1),
            outcome_disclosed=(4, 1, 0, 0, 0, 0, 5), outcome_partial=(1, 0, 0, 0, 0, 0, 1),
            outcome_total=(5, 1, 0, 0, 0, 0, 6), requests_carried_forward=(1, 0, 0, 0, 0, 0, 1))
LEAVES = ["outcome_disclosed", "outcome_partial"]


def check(values, leaves=LEAVES, subtotals=None):
    return check_request(values, request_identities(leaves, subtotals or {}),
                         present_rows={m for m, _b in values})


def test_a_consistent_table_passes():
    assert check(GOOD) == []


def test_row_sum():
    bad = {**GOOD, ("outcome_partial", "total"): 0}
    (finding, *rest) = [f for f in check(bad) if f.check == "identity_row_sum"]
    assert rest == [] and "（二）部分公开" in finding.message and "add up to 1" in finding.message \
        and "prints 0" in finding.message


def test_column_identity_one_plus_two():
    bad = {**GOOD, ("requests_new", "natural_person"): 6, ("requests_new", "total"): 7}
    found = [f for f in check(bad) if f.check == "identity_request_column"]
    assert [f.message.split(":")[0] for f in found] == ["request table, column 自然人", "request table, column 总计"]
    assert "= 7" in found[0].message and "= 6" in found[0].message


def test_outcome_total_identity():
    bad = {**GOOD, ("outcome_disclosed", "commercial"): 0, ("outcome_disclosed", "total"): 4}
    found = [f.message for f in check(bad) if f.check == "identity_request_total"]
    assert len(found) == 2 and all("（七）总计 = 6" in m or "（七）总计 = 1" in m for m in found)


def test_group_subtotal_identity():
    values = {**GOOD, **rows(outcome_withheld=(3, 0, 0, 0, 0, 0, 3), outcome_withheld_state_secret=(1, 0, 0, 0, 0, 0, 1))}
    found = check(values, subtotals={"outcome_withheld": ["outcome_withheld_state_secret"]})
    assert any(f.check == "identity_group_subtotal" and "= 3" in f.message and "= 1" in f.message for f in found)


def test_missing_cells_skip_the_identity():
    partial = {k: v for k, v in GOOD.items() if k[0] != "requests_carried_forward"}
    assert check(partial) == []


def test_review_blocks():
    values = {"reconsideration_upheld": 10, "reconsideration_corrected": 1, "reconsideration_other": 0,
              "reconsideration_pending": 0, "reconsideration_total": 0,
              "litigation_direct_upheld": 1, "litigation_direct_corrected": 0, "litigation_direct_other": 0,
              "litigation_direct_pending": 0, "litigation_direct_total": 1}
    (finding,) = check_review(values)
    assert finding.check == "identity_review_block" and "行政复议" in finding.message and "= 11" in finding.message
