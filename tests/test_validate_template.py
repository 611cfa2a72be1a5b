"""Identity checks within one report and across consecutive reports of one agency."""

from __future__ import annotations

import pandas as pd

from govdisclosure.measures import APPLICANT_BREAKDOWNS
from govdisclosure.validate_template import (
    check_request,
    check_review,
    cross_report_checks,
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


def _run(reports: list[tuple], facts: list[tuple]) -> list[dict]:
    return cross_report_checks(
        pd.DataFrame(reports, columns=["doc_id", "agency_name", "report_year", "template"]),
        pd.DataFrame(facts, columns=["doc_id", "measure", "breakdown", "value", "method"]))


def test_carry_over_between_years():
    reports = [("a", "某市统计局", 2020, "2019"), ("b", "某市统计局", 2021, "2021"), ("c", "别的局", 2021, "2021")]
    facts = [("a", "requests_carried_forward", "total", 3, "table"), ("b", "requests_carried_in", "total", 2, "table"),
             ("a", "requests_carried_forward", "natural_person", 2, "table"),
             ("b", "requests_carried_in", "natural_person", 2, "table"),
             ("c", "requests_carried_in", "total", 9, "table")]
    (row,) = _run(reports, facts)
    assert row["doc_id"] == "b" and row["check"] == "cross_year_carryover" and row["severity"] == "warning"
    assert "2" in row["message"] and "3" in row["message"] and "总计" in row["message"]


def test_in_force_chain_2021_format_only():
    reports = [("a", "某区政府", 2021, "2021"), ("b", "某区政府", 2022, "2021"),
               ("x", "某县政府", 2020, "2019"), ("y", "某县政府", 2021, "2021")]
    facts = [("a", "normative_docs_in_force", "", 100, "table"), ("b", "normative_docs_in_force", "", 103, "table"),
             ("b", "normative_docs_issued", "", 5, "table"), ("b", "normative_docs_repealed", "", 1, "table"),
             ("x", "rules_in_force", "", 10, "table"), ("y", "rules_in_force", "", 99, "table"),
             ("y", "rules_issued", "", 0, "table"), ("y", "rules_repealed", "", 0, "table")]
    (row,) = _run(reports, facts)
    assert row["doc_id"] == "b" and row["check"] == "cross_year_in_force" and row["severity"] == "info"
    assert "104" in row["message"] and "103" in row["message"]


def test_cross_checks_ignore_derived_and_ambiguous_pairs():
    reports = [("a", "某局", 2020, "2019"), ("b", "某局", 2021, "2021"), ("b2", "某局", 2021, "2021")]
    facts = [("a", "requests_carried_forward", "total", 3, "table"), ("b", "requests_carried_in", "total", 2, "table")]
    assert _run(reports, facts) == []
    assert cross_report_checks(pd.DataFrame(columns=["doc_id", "agency_name", "report_year"]),
                               pd.DataFrame(columns=["doc_id", "measure", "breakdown", "value"])) == []
